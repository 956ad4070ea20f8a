import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Aws, CfnOutput, LegacyStackSynthesizer, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { type Construct } from 'constructs';

/**
 * Exactly the Organizations calls of `lambda/adapters/aws/organizations.ts`, all read-only. No
 * `DescribeOrganization`: the adapter never calls it.
 */
export const ORGANIZATION_READ_ACTIONS = [
  'organizations:ListAccounts',
  'organizations:ListAccountsForParent',
  'organizations:ListOrganizationalUnitsForParent',
  'organizations:ListRoots',
] as const;

/** Props of {@link OrganizationReadRoleStack}. */
export interface OrganizationReadRoleStackProps extends StackProps {
  /** Name of the read role; the last part of the config's `organization.managementRoleArn`. */
  readonly roleName: string;
  readonly hubAccountId: string;
  /** The hub's enforcer role, the only principal trusted. */
  readonly enforcerRoleName: string;
}

/**
 * The read-only role the hub assumes to list accounts, deployed into the management account (or
 * the Organizations delegated administrator account) with
 * `cdk deploy AccessKeyEnforcerOrganizationRead --profile <management>`. Like the member stack it
 * has no assets, so that account needs no `cdk bootstrap`.
 */
export class OrganizationReadRoleStack extends Stack {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: OrganizationReadRoleStackProps) {
    super(scope, id, {
      description: 'access-key-enforcer: read-only access to the list of AWS Organizations accounts',
      synthesizer: new LegacyStackSynthesizer(),
      ...props,
    });
    const enforcerRoleArn = `arn:${Aws.PARTITION}:iam::${props.hubAccountId}:role/${props.enforcerRoleName}`;
    // The hub account with the exact role pinned, as the member role does (lib/constructs/member-role.ts).
    const trust = new AccountPrincipal(props.hubAccountId).withConditions({
      ArnEquals: { 'aws:PrincipalArn': enforcerRoleArn },
    });
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: 'Assumed by access-key-enforcer: lists the accounts and OUs of the organisation.',
      assumedBy: trust,
      inlinePolicies: {
        ListAccounts: new PolicyDocument({
          statements: [new PolicyStatement({ actions: [...ORGANIZATION_READ_ACTIONS], resources: ['*'] })],
        }),
      },
    });
    const roleResource = this.role.node.defaultChild;
    if (roleResource) {
      Validations.of(roleResource).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ListAccounts and ListRoots support no resource-level permissions, and the OUs walked are only ' +
          'known at run time; all four actions are read-only lists.',
      });
    }
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn });
  }
}
