import { Template } from 'aws-cdk-lib/assertions';

import { ENFORCER_ROLE_NAME_MAX } from '../../lib/config/hub-role-names';
import { buildApp, configWithDeploy } from './support/cdk-app';

/** Every string in a template fragment, with `Fn::Join`s flattened: ARNs carry `${AWS::Partition}`. */
function roleNamesIn(fragment: unknown): string[] {
  const text = JSON.stringify(fragment).replaceAll('","', '').replaceAll('\\"', '"');
  return [...text.matchAll(/:role\/([\w+=,.@-]+)/g)].map((match) => match[1] ?? '');
}

type Resources = Record<string, { Properties: Record<string, unknown> }>;

/** The names of the hub roles whose policies may call sts:AssumeRole on the member role. */
function hubRolesAssumingMembers(hub: Template): string[] {
  const roles = hub.findResources('AWS::IAM::Role') as Resources;
  const policies = hub.findResources('AWS::IAM::Policy') as Resources;
  const assuming = Object.values(policies).filter((policy) =>
    JSON.stringify(policy.Properties['PolicyDocument']).includes('"sts:AssumeRole"'),
  );
  return assuming
    .flatMap((policy) => policy.Properties['Roles'] as { Ref: string }[])
    .map(({ Ref }) => String(roles[Ref]?.Properties['RoleName']))
    .sort();
}

function memberTrust(template: Template): string[] {
  const roles = Object.values(template.findResources('AWS::IAM::Role') as Resources);
  return roleNamesIn(roles.map((role) => role.Properties['AssumeRolePolicyDocument'])).sort();
}

describe('member role trust: every hub role that assumes it is trusted by name (a generated name would be refused)', () => {
  const interactivity = { interactivity: { approvers: { users: ['U0LEAD001'] } } };
  // IAM's events reach EventBridge in us-east-1 only: the StackSet forwards them from there.
  const realtime = {
    realtimeAlerts: { enabled: true },
    memberRole: {
      organizationId: 'o-a1b2c3d4e5',
      stackSet: { organizationalUnitIds: ['ou-ab12-34cd56ef'], regions: ['us-east-1'] },
    },
  };
  const cases = [
    { name: 'the daily run only', deploy: {}, slack: {}, expected: ['AccessKeyEnforcerHub'] },
    {
      name: 'with real-time alerts',
      deploy: realtime,
      slack: {},
      expected: ['AccessKeyEnforcerHub', 'AccessKeyEnforcerHub-realtime'],
    },
    {
      name: 'with real-time alerts and the Slack buttons',
      deploy: realtime,
      slack: interactivity,
      expected: ['AccessKeyEnforcerHub', 'AccessKeyEnforcerHub-buttons', 'AccessKeyEnforcerHub-realtime'],
    },
  ];

  it.each(cases)('$name', ({ deploy, slack, expected }) => {
    const input = configWithDeploy(deploy);
    const { stacks } = buildApp({ ...input, slack: { ...(input['slack'] as object), ...slack } });

    const hub = Template.fromStack(stacks.hub);
    expect(hubRolesAssumingMembers(hub)).toEqual(expected);
    expect(memberTrust(Template.fromStack(stacks.member))).toEqual(expected);
    // The StackSet deploys the same role to whole OUs: its template carries the same trust.
    const stackSet = Template.fromStack(stacks.memberStackSet!).findResources(
      'AWS::CloudFormation::StackSet',
    );
    expect([...new Set(roleNamesIn(stackSet))].sort()).toEqual(expected);
  });

  it('refuses an enforcer role name the suffixed names would push past 64 characters, naming the field', () => {
    expect(() => buildApp(configWithDeploy({ enforcerRoleName: 'R'.repeat(56) }))).toThrow(
      /deploy\.enforcerRoleName: must be at most 55 characters/,
    );
    expect(() => buildApp(configWithDeploy({ enforcerRoleName: 'R'.repeat(55) }))).not.toThrow();
    expect(ENFORCER_ROLE_NAME_MAX).toBe(55);
  });
});
