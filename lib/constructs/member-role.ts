import { Aws, Validations } from 'aws-cdk-lib';
import { AccountPrincipal, Effect, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Props of {@link MemberRole}. */
export interface MemberRoleProps {
  /** Name of the role; the hub assumes it by this name in every account. */
  readonly roleName: string;
  /** Account of the hub stack, where the enforcer Lambda runs. */
  readonly hubAccountId: string;
  /** Name of the enforcer Lambda's role in the hub account, trusted with the roles below. */
  readonly enforcerRoleName: string;
  /**
   * Names of the other hub roles that assume this role: the real-time function's and the buttons'
   * endpoint's, when they are deployed (`lib/config/hub-role-names.ts`). @default none
   */
  readonly hubFunctionRoleNames?: readonly string[];
  /** When set, the caller must also belong to this AWS Organization. @default no org condition */
  readonly organizationId?: string;
  /**
   * Role ARNs of operators allowed to assume the role too, for the CLI (`scan`, `doctor`, `run`)
   * from a laptop. @default none: only the enforcer
   */
  readonly operatorRoleArns?: readonly string[];
}

/**
 * The read-and-deactivate actions the engine calls (SPEC §7), and nothing else: no
 * `iam:DeleteAccessKey`, no wildcard action. `iam:ListUsers` and the daily fast path's
 * account-wide reads (the credential report, `GetAccountAuthorizationDetails`; issue 9) have no
 * resource type in the IAM service authorization reference, so they are granted on `*` in their
 * own statement; the others are scoped to users of the account.
 */
export const MEMBER_ROLE_USER_ACTIONS = [
  'iam:ListUserTags',
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:UpdateAccessKey',
] as const;
export const MEMBER_ROLE_LIST_ACTIONS = [
  'iam:ListUsers',
  'iam:GenerateCredentialReport',
  'iam:GetCredentialReport',
  'iam:GetAccountAuthorizationDetails',
  // The password rule (issue 10): one call per account, read-only, no resource type.
  'iam:GetAccountPasswordPolicy',
] as const;

/**
 * The role the enforcer assumes in a member account: lists users, their tags and keys, and sets a
 * key's status. It trusts only the hub's roles that call it (and listed operators), by exact ARN.
 */
export class MemberRole extends Construct {
  /** The IAM role. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: MemberRoleProps) {
    super(scope, id);

    const hubRoleArn = (name: string): string =>
      `arn:${Aws.PARTITION}:iam::${props.hubAccountId}:role/${name}`;
    const hubRoleArns = [props.enforcerRoleName, ...(props.hubFunctionRoleNames ?? [])].map(hubRoleArn);
    // Trusting the hub account and pinning `aws:PrincipalArn` admits exactly the same caller as
    // naming the role as principal, but IAM accepts it before the hub role exists (StackSets may
    // run first) and it survives the hub role being recreated, which a role principal does not:
    // IAM rewrites a deleted principal to its unique id and the trust silently stops matching.
    // Operators' roles live in the hub account too: one trusted account, a list of exact ARNs.
    const trust = new AccountPrincipal(props.hubAccountId).withConditions({
      ArnEquals: {
        'aws:PrincipalArn':
          hubRoleArns.length + (props.operatorRoleArns?.length ?? 0) > 1
            ? [...hubRoleArns, ...(props.operatorRoleArns ?? [])]
            : hubRoleArns[0],
      },
      ...(props.organizationId && { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } }),
    });

    const userArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/*`;
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Assumed by access-key-enforcer: reads IAM users, tags and keys; sets key status.',
      assumedBy: trust,
      inlinePolicies: {
        AccessKeyEnforcement: new PolicyDocument({
          statements: [
            new PolicyStatement({
              sid: 'ReadAccountWide',
              effect: Effect.ALLOW,
              actions: [...MEMBER_ROLE_LIST_ACTIONS],
              resources: ['*'],
            }),
            new PolicyStatement({
              sid: 'ReadAndDeactivateKeys',
              effect: Effect.ALLOW,
              actions: [...MEMBER_ROLE_USER_ACTIONS],
              resources: [userArn],
            }),
          ],
        }),
      },
    });

    const roleResource = this.role.node.defaultChild;
    if (roleResource) {
      Validations.of(roleResource).acknowledge(
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'iam:ListUsers, the credential report actions, GetAccountAuthorizationDetails and ' +
            'GetAccountPasswordPolicy support no ' +
            'resource-level permissions; they are the only actions on *, all read-only.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/*]',
          reason: 'The enforcer must read and deactivate keys of every IAM user in the account.',
        },
      );
    }
  }
}
