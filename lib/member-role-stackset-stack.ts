import { CfnOutput, CfnStackSet, LegacyStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { type Construct } from 'constructs';

import { type MemberEventForwarderProps } from './constructs/member-event-forwarder';
import { type MemberRoleProps } from './constructs/member-role';
import { synthesizeMemberRoleTemplate } from './member-role-stack';

/** Where the StackSet puts the member role. */
export interface MemberRoleStackSetTargets {
  /** OUs (`ou-…`) or the root (`r-…`) whose accounts get the role, including future ones. */
  readonly organizationalUnitIds: readonly string[];
  /** Exactly one region: the role is global. */
  readonly regions: readonly string[];
  /** `DELEGATED_ADMIN` when deployed from a StackSets delegated administrator account. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
}

/** Props of {@link MemberRoleStackSetStack}. */
export interface MemberRoleStackSetStackProps extends StackProps {
  readonly memberRole: MemberRoleProps;
  readonly targets: MemberRoleStackSetTargets;
  /** Also forward `CreateAccessKey` events to the hub; `targets.regions` must then be us-east-1. @default no */
  readonly eventForwarder?: MemberEventForwarderProps;
}

/**
 * A service-managed StackSet that deploys the member role to every account of the given OUs, and
 * to accounts that join them later. Deploy it from the management account or a StackSets
 * delegated administrator. Note that service-managed StackSets never deploy to the management
 * account itself: deploy `AccessKeyEnforcerMember` there by hand if it is watched.
 */
export class MemberRoleStackSetStack extends Stack {
  readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: MemberRoleStackSetStackProps) {
    super(scope, id, {
      description: 'access-key-enforcer: deploys the member role to AWS Organizations OUs',
      // CLI credentials, no bootstrap: management accounts are rarely bootstrapped for CDK.
      synthesizer: new LegacyStackSynthesizer(),
      ...props,
    });

    this.stackSet = new CfnStackSet(this, 'MemberRoleStackSet', {
      stackSetName: props.memberRole.roleName,
      description: 'access-key-enforcer member role: read IAM users and keys, set key status',
      permissionModel: 'SERVICE_MANAGED',
      // Accounts that leave the OU lose the role: the hub can no longer reach them anyway.
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: props.targets.callAs,
      // Lets StackSets queue operations instead of failing when one is already running.
      managedExecution: { Active: true },
      operationPreferences: {
        // The role is small and identical everywhere: go wide, but stop if a quarter fails.
        maxConcurrentPercentage: 50,
        failureTolerancePercentage: 25,
        regionConcurrencyType: 'PARALLEL',
      },
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...props.targets.organizationalUnitIds] },
          regions: [...props.targets.regions],
        },
      ],
      templateBody: JSON.stringify(
        synthesizeMemberRoleTemplate(
          props.memberRole,
          this.node.getAllContext() as Record<string, unknown>,
          props.eventForwarder,
        ),
      ),
    });

    new CfnOutput(this, 'StackSetName', { value: props.memberRole.roleName });
  }
}
