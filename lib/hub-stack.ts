import {
  Annotations,
  Aws,
  CfnOutput,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { type Construct } from 'constructs';

import { LEDGER_TABLE } from '../lambda/adapters/dynamodb/ledger-table';
import { ENV, METRICS_NAMESPACE } from '../lambda/config/environment';
import { interactivityEnabled } from '../lambda/config/interactivity-schema';
import { type AppConfig } from './config/app-config';
import { realtimeAlertsEnabled } from './config/deploy-config';
import { organizationIdOf } from './config/organization-id';
import { chooseRunMode, type RunModeChoice } from './config/run-mode';
import { EnforcerAlarms, METRICS_SERVICE_DIMENSION } from './constructs/enforcer-alarms';
import { EnforcerFunction } from './constructs/enforcer-function';
import { RealtimeAlerts } from './constructs/realtime-alerts';
import { RunSchedule } from './constructs/run-schedule';
import { RunStateMachine } from './constructs/run-state-machine';
import { SlackOutbox } from './constructs/slack-outbox';
import { SlackInteractivity } from './constructs/slack-interactivity';
import { SlackSigningSecret } from './constructs/slack-signing-secret';
import { SlackTokenSecret } from './constructs/slack-token-secret';
import { hubRoleNames } from './config/hub-role-names';

/**
 * What the Lambda does to its ledger (`lambda/adapters/dynamodb`): single-partition queries and
 * conditional puts. Least privilege: exactly the calls the adapter makes (a test compares them).
 * No Scan, no GetItem or UpdateItem, no DeleteItem, nothing on the table itself.
 */
export const LEDGER_TABLE_ACTIONS = ['dynamodb:Query', 'dynamodb:PutItem'] as const;

/**
 * The hub may assume the member role. With an organisation id, one statement for every account
 * of the organisation: its size no longer grows with the accounts (one ARN each passed IAM's
 * 6,144-character managed-policy limit at about 105), and accounts discovered at run time are
 * covered without a redeploy. `aws:ResourceOrgID` is the organisation of the account that owns
 * the resource; for `sts:AssumeRole` the resource is the member role. Without an organisation id,
 * exactly the configured accounts' roles.
 */
export function assumeMemberRolesStatement(
  memberRoleName: string,
  accounts: readonly { readonly id: string }[],
  organizationId: string | undefined,
): PolicyStatement {
  if (organizationId) {
    return new PolicyStatement({
      sid: 'AssumeMemberRoles',
      actions: ['sts:AssumeRole'],
      resources: [`arn:${Aws.PARTITION}:iam::*:role/${memberRoleName}`],
      conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
    });
  }
  return new PolicyStatement({
    sid: 'AssumeMemberRoles',
    actions: ['sts:AssumeRole'],
    resources: accounts.map((account) => `arn:${Aws.PARTITION}:iam::${account.id}:role/${memberRoleName}`),
  });
}

/** {@link assumeMemberRolesStatement} on `role`, with the one cdk-nag acknowledgement its org-wide form needs. */
function allowAssumeMemberRoles(
  role: Role,
  engine: { readonly memberRoleName: string; readonly accounts: readonly { readonly id: string }[] },
  organizationId: string | undefined,
): void {
  role.addToPrincipalPolicy(
    assumeMemberRolesStatement(engine.memberRoleName, engine.accounts, organizationId),
  );
  if (!organizationId) return;
  Validations.of(role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::*:role/${engine.memberRoleName}]`,
    reason:
      'Only the member role, by name, and only in accounts of the organisation: the statement has ' +
      'aws:ResourceOrgID, so accounts that join are covered without one ARN per account.',
  });
}

/** Props of {@link HubStack}. */
export interface HubStackProps extends StackProps {
  /** The validated config file. */
  readonly config: AppConfig;
}

/**
 * The hub account's stack: the enforcer Lambda, its daily schedule, its ledger table, the Slack
 * token secret, and the alarms; with `deploy.realtimeAlerts`, also the real-time alert path; with
 * `slack.interactivity`, also the endpoint that answers the messages' buttons.
 */
export class HubStack extends Stack {
  readonly enforcer: EnforcerFunction;
  readonly ledgerTable: Table;
  readonly slackToken: SlackTokenSecret;
  readonly schedule: RunSchedule;
  readonly alarms: EnforcerAlarms;
  /** Which way the daily run executes, and why (`deploy.run.mode`). */
  readonly runMode: RunModeChoice;
  /** Present in state-machine mode. */
  readonly runStateMachine?: RunStateMachine;
  /** The Slack outbox the state machine's act steps queue to; present in state-machine mode. */
  readonly slackOutbox?: SlackOutbox;
  /** Present when `deploy.realtimeAlerts.enabled`. */
  readonly realtimeAlerts?: RealtimeAlerts;
  /** Present when `slack.interactivity.enabled` (issue 11 item 3): the buttons' endpoint. */
  readonly interactivity?: SlackInteractivity;
  /** The Slack app's signing secret, with the endpoint. */
  readonly slackSigningSecret?: SlackSigningSecret;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, {
      description: 'access-key-enforcer: daily IAM access key reminders and deactivation',
      ...props,
    });
    const { engine, engineJson, deploy } = props.config;
    const roleNames = hubRoleNames(props.config);

    // Retained: the ledger is what keeps reminders from repeating and deadlines honest.
    this.ledgerTable = new Table(this, 'LedgerTable', {
      partitionKey: { name: LEDGER_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: LEDGER_TABLE.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: LEDGER_TABLE.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.slackToken = new SlackTokenSecret(this, 'SlackToken', { source: deploy.slackTokenSecret });

    const environment = {
      [ENV.slackTokenSecretArn]: this.slackToken.secret.secretArn,
      [ENV.ledgerTableName]: this.ledgerTable.tableName,
      [ENV.runSchedule]: JSON.stringify({ cron: deploy.schedule.cron, timeZone: deploy.schedule.timeZone }),
      POWERTOOLS_SERVICE_NAME: METRICS_SERVICE_DIMENSION.service,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      ...(engine.securityHub?.enabled && { [ENV.hubAccountId]: this.account }),
    };
    this.enforcer = new EnforcerFunction(this, 'Enforcer', {
      roleName: deploy.enforcerRoleName,
      logRetentionDays: deploy.logRetentionDays,
      configJson: engineJson,
      environment,
    });

    const organizationId = organizationIdOf(props.config);
    allowAssumeMemberRoles(this.enforcer.role, engine, organizationId);
    if (engine.organization) {
      this.enforcer.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeOrganizationReadRole',
          actions: ['sts:AssumeRole'],
          resources: [engine.organization.managementRoleArn],
        }),
      );
    }
    this.enforcer.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'Ledger',
        actions: [...LEDGER_TABLE_ACTIONS],
        resources: [this.ledgerTable.tableArn],
      }),
    );
    this.enforcer.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SlackToken',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.slackToken.secret.secretArn],
      }),
    );

    if (engine.securityHub?.enabled) {
      // Issue 10: findings go to the hub account's own product; the action takes no other resource.
      this.enforcer.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'SecurityHubFindings',
          actions: ['securityhub:BatchImportFindings'],
          resources: [
            `arn:${Aws.PARTITION}:securityhub:${this.region}:${this.account}:product/${this.account}/default`,
          ],
        }),
      );
    }

    this.alarms = new EnforcerAlarms(this, 'Alarms', {
      function: this.enforcer.function,
      missedRunAlarmHours: deploy.schedule.missedRunAlarmHours,
      ...(deploy.alarmEmail && { alarmEmail: deploy.alarmEmail }),
    });

    // What every function beside the daily one shares: the ledger, the bot token, the engine config.
    const slackFunction = {
      ledgerTable: this.ledgerTable,
      slackTokenSecret: this.slackToken.secret,
      configJson: engineJson,
      environment,
      logRetentionDays: deploy.logRetentionDays,
      alarmTopic: this.alarms.topic,
    };

    this.runMode = chooseRunMode(engine, deploy.run);
    // `cdk synth` says which mode it chose and why (issue 12 item 5).
    Annotations.of(this).addInfo(`Run mode: ${this.runMode.mode}: ${this.runMode.reason}`);
    if (this.runMode.mode === 'state-machine') {
      // Issue 12 item 4: the act steps queue their notices; at most two senders post them at Slack's pace.
      // The single Lambda (also deployed, for manual runs) has no queue URL and sends in process.
      this.slackOutbox = new SlackOutbox(this, 'SlackOutbox', slackFunction);
      this.slackOutbox.grantEnqueue(this.enforcer.role);
      this.runStateMachine = new RunStateMachine(this, 'Run', {
        role: this.enforcer.role,
        configJson: engineJson,
        environment: { ...environment, [ENV.outboxQueueUrl]: this.slackOutbox.queue.queueUrl },
        logRetentionDays: deploy.logRetentionDays,
        planConcurrency: deploy.run.planConcurrency,
        actConcurrency: deploy.run.actConcurrency,
        alarmTopic: this.alarms.topic,
      });
    }
    this.schedule = new RunSchedule(this, 'Schedule', {
      target: this.enforcer.function,
      ...(this.runStateMachine && { stateMachine: this.runStateMachine.stateMachine }),
      cron: deploy.schedule.cron,
      timeZone: deploy.schedule.timeZone,
    });

    if (realtimeAlertsEnabled(deploy)) {
      this.realtimeAlerts = new RealtimeAlerts(this, 'RealtimeAlerts', {
        roleName: roleNames.realtime,
        memberAccountIds: engine.accounts.map((account) => account.id),
        ...(organizationId && { organizationId }),
        ...slackFunction,
      });
      // Reads the new key's user's tags through the member role, to name and ask its owner.
      allowAssumeMemberRoles(this.realtimeAlerts.role, engine, organizationId);
    }

    if (interactivityEnabled(engine.slack)) {
      this.slackSigningSecret = new SlackSigningSecret(this, 'SlackSigningSecret', {
        source: deploy.slackSigningSecret,
      });
      this.interactivity = new SlackInteractivity(this, 'Interactivity', {
        roleName: roleNames.interactivity,
        ...slackFunction,
        signingSecret: this.slackSigningSecret.secret,
      });
      // Re-reads keys and tags, and sets a key Inactive ("Not me"), through the member role.
      allowAssumeMemberRoles(this.interactivity.role, engine, organizationId);
    }

    this.addOutputs();
  }

  private addOutputs(): void {
    const functionName = this.enforcer.function.functionName;
    new CfnOutput(this, 'FunctionName', { value: functionName });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledgerTable.tableName });
    // The ARN says where the token is; it is not the token.
    new CfnOutput(this, 'SlackTokenSecretArn', { value: this.slackToken.secret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarms.topic.topicArn });
    if (this.realtimeAlerts) {
      // Member stacks derive this ARN from the config; the output is for checking it by hand.
      new CfnOutput(this, 'RealtimeEventBusArn', { value: this.realtimeAlerts.eventBus.eventBusArn });
    }
    if (this.interactivity) {
      new CfnOutput(this, 'SlackInteractivityUrl', {
        description:
          'Paste into the Slack app: Interactivity & Shortcuts → Request URL (settings.interactivity.request_url in slack-app-manifest.yaml).',
        value: this.interactivity.functionUrl.url,
      });
    }
    if (this.slackSigningSecret?.created) {
      new CfnOutput(this, 'PutSlackSigningSecretCommand', {
        description:
          'Stores the Slack app signing secret (Basic Information → App Credentials); run once after the first deploy.',
        value: Fn.join('', [
          'aws secretsmanager put-secret-value --secret-id ',
          this.slackSigningSecret.secret.secretArn,
          ` --region ${this.region} --secret-string "$SLACK_SIGNING_SECRET"`,
        ]),
      });
    }
    new CfnOutput(this, 'DryRunCommand', {
      description:
        'Runs the enforcer once without changing or sending anything; read the summary in out.json.',
      value: Fn.join('', [
        'aws lambda invoke --function-name ',
        functionName,
        ` --region ${this.region} --payload '{"dryRun":true}' --cli-binary-format raw-in-base64-out out.json`,
      ]),
    });
    if (this.slackToken.created) {
      new CfnOutput(this, 'PutSlackTokenCommand', {
        description: 'Stores the Slack bot token; run once after the first deploy.',
        value: Fn.join('', [
          'aws secretsmanager put-secret-value --secret-id ',
          this.slackToken.secret.secretArn,
          ` --region ${this.region} --secret-string "$SLACK_BOT_TOKEN"`,
        ]),
      });
    }
  }
}
