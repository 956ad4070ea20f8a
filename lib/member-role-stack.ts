import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { App, CfnOutput, LegacyStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import { type Construct } from 'constructs';

import { MemberEventForwarder, type MemberEventForwarderProps } from './constructs/member-event-forwarder';
import { MemberRole, type MemberRoleProps } from './constructs/member-role';

/** Props of {@link MemberRoleStack}. */
export interface MemberRoleStackProps extends StackProps {
  readonly memberRole: MemberRoleProps;
  /**
   * Forward `CreateAccessKey` events to the hub (real-time alerts). The stack must then be
   * deployed in us-east-1. @default no forwarder
   */
  readonly eventForwarder?: MemberEventForwarderProps;
}

/**
 * The member role on its own, deployed into each watched account with
 * `cdk deploy AccessKeyEnforcerMember --profile <account>`. Environment-agnostic: the account is
 * whichever the credentials belong to. The legacy synthesizer deploys with the CLI's own
 * credentials and adds no bootstrap-version check: the stack has no assets, so member accounts
 * need no `cdk bootstrap`, and the template works as is in plain CloudFormation or a StackSet.
 */
export class MemberRoleStack extends Stack {
  readonly memberRole: MemberRole;
  readonly eventForwarder?: MemberEventForwarder;

  constructor(scope: Construct, id: string, props: MemberRoleStackProps) {
    super(scope, id, {
      description: 'access-key-enforcer: the role the hub assumes to read and deactivate IAM access keys',
      synthesizer: new LegacyStackSynthesizer(),
      ...props,
    });
    this.memberRole = new MemberRole(this, 'MemberRole', props.memberRole);
    if (props.eventForwarder) {
      this.eventForwarder = new MemberEventForwarder(this, 'EventForwarder', props.eventForwarder);
    }
    new CfnOutput(this, 'MemberRoleArn', { value: this.memberRole.role.roleArn });
  }
}

/**
 * Synthesizes a standalone {@link MemberRoleStack} and returns its CloudFormation template, for
 * embedding in a StackSet. A private app in a throw-away directory keeps it out of the caller's
 * cloud assembly (and away from `CDK_OUTDIR`, which the CLI sets for the outer app). Pass the
 * outer app's context so feature flags render the template the same way.
 */
export function synthesizeMemberRoleTemplate(
  memberRole: MemberRoleProps,
  context: Record<string, unknown> = {},
  eventForwarder?: MemberEventForwarderProps,
): Record<string, unknown> {
  const outdir = mkdtempSync(join(tmpdir(), 'access-key-enforcer-member-'));
  try {
    const app = new App({
      outdir,
      autoSynth: false,
      analyticsReporting: false,
      treeMetadata: false,
      context,
      // The same template is validated where it is synthesized as AccessKeyEnforcerMember.
      builtinCloudFormationValidation: false,
      // After the CLI's context (CDK_CONTEXT_JSON), which would turn path metadata back on.
      postCliContext: { 'aws:cdk:enable-path-metadata': false },
    });
    const stack = new MemberRoleStack(app, 'AccessKeyEnforcerMember', {
      memberRole,
      ...(eventForwarder && { eventForwarder }),
    });
    const artifact = app.synth().getStackArtifact(stack.artifactId);
    return artifact.template as Record<string, unknown>;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
