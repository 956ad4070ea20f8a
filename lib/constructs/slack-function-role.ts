import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type ILogGroup } from 'aws-cdk-lib/aws-logs';
import { type Construct } from 'constructs';

/** What a hub function that talks to Slack and keeps the ledger may call, and nothing else. */
export interface SlackFunctionRoleProps {
  /** A fixed name, when member roles must trust the role by it. @default generated */
  readonly roleName?: string;
  readonly description: string;
  /** The function's log group: it may create streams and put events there. */
  readonly logGroup: ILogGroup;
  readonly ledgerTable: ITable;
  /** Exactly the ledger actions the function's adapter calls. */
  readonly ledgerActions: readonly string[];
  /** The statement id and secrets it reads (the bot token; the signing secret too for the buttons). */
  readonly secrets: { readonly sid: string; readonly arns: readonly string[] };
}

/**
 * The role of a hub function beside the daily one (real time, outbox sender, buttons): its log
 * group, the ledger table with the actions it calls, `secretsmanager:GetSecretValue` on its Slack
 * secrets. Each construct adds what only it needs.
 */
export function slackFunctionRole(scope: Construct, id: string, props: SlackFunctionRoleProps): Role {
  const role = new Role(scope, id, {
    ...(props.roleName !== undefined && { roleName: props.roleName }),
    description: props.description,
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
  });
  props.logGroup.grantWrite(role);
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'Ledger',
      actions: [...props.ledgerActions],
      resources: [props.ledgerTable.tableArn],
    }),
  );
  role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: props.secrets.sid,
      actions: ['secretsmanager:GetSecretValue'],
      resources: [...props.secrets.arns],
    }),
  );
  return role;
}
