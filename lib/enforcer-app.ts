import { type App } from 'aws-cdk-lib';

import { type AppConfig } from './config/app-config';
import { memberTrustedFunctionRoles } from './config/hub-role-names';
import { IAM_EVENTS_REGION, realtimeAlertsEnabled } from './config/deploy-config';
import { type MemberEventForwarderProps } from './constructs/member-event-forwarder';
import { type MemberRoleProps } from './constructs/member-role';
import { realtimeEventBusArn } from './constructs/realtime-alerts';
import { HubStack } from './hub-stack';
import { MemberRoleStack } from './member-role-stack';
import { MemberRoleStackSetStack } from './member-role-stackset-stack';
import { OrganizationReadRoleStack } from './organization-read-role-stack';
import { parseRoleArn } from './config/role-arn';

/** Stack names, used on the command line (`npx cdk deploy AccessKeyEnforcerHub`). Never rename. */
export const STACK_NAMES = {
  hub: 'AccessKeyEnforcerHub',
  member: 'AccessKeyEnforcerMember',
  memberStackSet: 'AccessKeyEnforcerMemberStackSet',
  organizationRead: 'AccessKeyEnforcerOrganizationRead',
} as const;

/** The stacks of one deployment. */
export interface EnforcerStacks {
  readonly hub: HubStack;
  readonly member: MemberRoleStack;
  /** Present when `deploy.memberRole.stackSet` is set. */
  readonly memberStackSet?: MemberRoleStackSetStack;
  /** Present when the engine config has an `organization` section. */
  readonly organizationRead?: OrganizationReadRoleStack;
}

/** The member role's settings, from the config file. */
export function memberRolePropsFrom(config: AppConfig): MemberRoleProps {
  const functionRoles = memberTrustedFunctionRoles(config);
  return {
    roleName: config.engine.memberRoleName,
    hubAccountId: config.deploy.hubAccountId,
    enforcerRoleName: config.deploy.enforcerRoleName,
    ...(functionRoles.length > 0 && { hubFunctionRoleNames: functionRoles }),
    ...(config.deploy.memberRole.organizationId && {
      organizationId: config.deploy.memberRole.organizationId,
    }),
    ...(config.deploy.memberRole.operatorRoleArns && {
      operatorRoleArns: config.deploy.memberRole.operatorRoleArns,
    }),
  };
}

/** The member side of real-time alerts, when `deploy.realtimeAlerts` is enabled. */
export function eventForwarderPropsFrom(config: AppConfig): MemberEventForwarderProps | undefined {
  const { deploy } = config;
  if (!realtimeAlertsEnabled(deploy)) return undefined;
  return { hubEventBusArn: realtimeEventBusArn(deploy.hubAccountId, deploy.region) };
}

/** Adds every stack the config asks for to `app`. */
export function addEnforcerStacks(app: App, config: AppConfig): EnforcerStacks {
  const { deploy } = config;
  const hub = new HubStack(app, STACK_NAMES.hub, {
    config,
    env: { account: deploy.hubAccountId, region: deploy.region },
    // Deleting the hub deletes the ledger's memory of what was sent; make that a deliberate act.
    terminationProtection: deploy.terminationProtection,
  });
  const memberRole = memberRolePropsFrom(config);
  const eventForwarder = eventForwarderPropsFrom(config);
  // Account-agnostic: deployed into whichever account the CLI credentials belong to. With the
  // event forwarder, pinned to the one region where IAM's events arrive.
  const member = new MemberRoleStack(app, STACK_NAMES.member, {
    memberRole,
    ...(eventForwarder && { eventForwarder, env: { region: IAM_EVENTS_REGION } }),
  });
  const organizationRead = organizationReadStack(app, config);
  const { stackSet } = deploy.memberRole;
  if (!stackSet) return { hub, member, ...(organizationRead && { organizationRead }) };
  const memberStackSet = new MemberRoleStackSetStack(app, STACK_NAMES.memberStackSet, {
    memberRole,
    targets: stackSet,
    ...(eventForwarder && { eventForwarder }),
  });
  return { hub, member, memberStackSet, ...(organizationRead && { organizationRead }) };
}

/** The read role, pinned to the account (and so partition) its configured ARN names. */
function organizationReadStack(app: App, config: AppConfig): OrganizationReadRoleStack | undefined {
  const { organization } = config.engine;
  if (!organization) return undefined;
  const { account, roleName } = parseRoleArn(organization.managementRoleArn);
  return new OrganizationReadRoleStack(app, STACK_NAMES.organizationRead, {
    roleName,
    hubAccountId: config.deploy.hubAccountId,
    enforcerRoleName: config.deploy.enforcerRoleName,
    env: { account, region: config.deploy.region },
  });
}
