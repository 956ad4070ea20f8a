import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type IConstruct } from 'constructs';

import { ConfigValidationError } from '../../lambda/config/parse-config';
import { parseAppConfig } from '../../lib/config/app-config';
import { realtimeAlertsEnabled } from '../../lib/config/deploy-config';
import { REALTIME_EVENT_BUS_NAME } from '../../lib/constructs/realtime-alerts';
import { buildApp, configInput, configWithDeploy } from './support/cdk-app';
import {
  actionsOf,
  expectResourceCount,
  expectResourceProperties,
  logicalIdsOf,
  permissionStatements,
  propertiesOf,
  resourcesOf,
  type Statement,
} from './support/template-scan';

const ACCOUNTS = ['111111111111', '222222222222', '333333333333'];
const HUB_BUS_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:events:eu-central-1:111111111111:event-bus/${REALTIME_EVENT_BUS_NAME}`,
    ],
  ],
};
const CREATE_ACCESS_KEY_PATTERN = {
  source: ['aws.iam'],
  'detail-type': ['AWS API Call via CloudTrail'],
  detail: {
    eventSource: ['iam.amazonaws.com'],
    eventName: ['CreateAccessKey'],
    errorCode: [{ exists: false }],
  },
};

/** `configInput()` with real-time alerts on and the StackSet in us-east-1, as they must be. */
function realtimeConfig(memberRole: Record<string, unknown> = {}): Record<string, unknown> {
  return configWithDeploy({
    realtimeAlerts: { enabled: true },
    memberRole: {
      organizationId: 'o-a1b2c3d4e5',
      stackSet: { organizationalUnitIds: ['ou-ab12-34cd56ef'], regions: ['us-east-1'] },
      ...memberRole,
    },
  });
}

function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
  );
}

function roleOfFunction(template: Template, functionId: string): string {
  const role = propertiesOf<{ Role: { 'Fn::GetAtt': [string, string] } }>(template, functionId).Role;
  return role['Fn::GetAtt'][0];
}

describe('real-time alerts in the hub stack', () => {
  const { stacks } = buildApp(realtimeConfig());
  const template = Template.fromStack(stacks.hub);
  const realtime = stacks.hub.realtimeAlerts!;
  const functionId = stacks.hub.getLogicalId(realtime.function.node.defaultChild as never);
  const busId = stacks.hub.getLogicalId(realtime.eventBus.node.defaultChild as never);
  const queueId = stacks.hub.getLogicalId(realtime.deadLetterQueue.node.defaultChild as never);

  it('creates the named event bus that members forward to', () => {
    expectResourceProperties(template, 'AWS::Events::EventBus', { Name: 'access-key-enforcer-events' });
  });

  it('lets any account of the organization (discovered ones too) put events on it', () => {
    expectResourceProperties(template, 'AWS::Events::EventBus', {
      Policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'MemberAccountsPutEvents',
            Effect: 'Allow',
            Action: 'events:PutEvents',
            Principal: { AWS: '*' },
            Resource: `arn:aws:events:eu-central-1:111111111111:event-bus/${REALTIME_EVENT_BUS_NAME}`,
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
          },
        ],
      },
    });
    expectResourceCount(template, 'AWS::Events::EventBusPolicy', 0);
  });

  it('sends successful CreateAccessKey events on that bus to the function, with a dead-letter queue', () => {
    expectResourceProperties(template, 'AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: CREATE_ACCESS_KEY_PATTERN,
      Targets: [
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        },
      ],
    });
    expectResourceProperties(template, 'AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('CreateAccessKeyRule'), 'Arn'] },
    });
  });

  it('keeps the dead-letter queue encrypted and TLS-only, and the function parks failed events there', () => {
    expectResourceProperties(template, 'AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    expectResourceProperties(template, 'AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('CreateAccessKeyRule'), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
    expect(propertiesOf(template, functionId)).toMatchObject({
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });

  it('runs a small Node.js 24 arm64 function with its own log group and the daily wiring', () => {
    const props = propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(template, functionId);
    const daily = propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(
      template,
      stacks.hub.getLogicalId(stacks.hub.enforcer.function.node.defaultChild as never),
    );

    expect(props).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Timeout: 60,
      ReservedConcurrentExecutions: 2,
      LoggingConfig: {
        LogGroup: { Ref: stacks.hub.getLogicalId(realtime.logGroup.node.defaultChild as never) },
      },
    });
    expect(props.Environment.Variables).toEqual(daily.Environment.Variables);
    expectResourceProperties(template, 'AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 2,
    });
  });

  it('may record keys in the ledger, read the token and assume the member roles, and nothing else', () => {
    const statements = statementsOfRole(template, roleOfFunction(template, functionId));
    const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);

    expect(new Set(actionsOf(statements))).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'secretsmanager:GetSecretValue',
        'sqs:SendMessage',
        'sts:AssumeRole',
      ]),
    );
    // The owner's tags are read through the member role, in the organisation's accounts only.
    expect(bySid('AssumeMemberRoles')).toMatchObject({
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/AccessKeyEnforcerMember']],
      },
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
    });
    expect(bySid('Ledger')?.Resource).toEqual({
      'Fn::GetAtt': [logicalIdsOf(template, 'AWS::DynamoDB::Table')[0], 'Arn'],
    });
    expect(bySid('SlackToken')?.Resource).toEqual({
      Ref: logicalIdsOf(template, 'AWS::SecretsManager::Secret')[0],
    });
  });

  it('alarms on the function failing, through the alarm topic', () => {
    expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
      AlarmActions: [{ Ref: logicalIdsOf(template, 'AWS::SNS::Topic')[0] }],
    });
  });

  it('outputs the bus ARN', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(outputs.RealtimeEventBusArn?.Value).toEqual({ 'Fn::GetAtt': [busId, 'Arn'] });
  });
});

describe('real-time alerts without an organization id', () => {
  const { stacks } = buildApp(realtimeConfig({ organizationId: undefined }));
  const template = Template.fromStack(stacks.hub);

  it('lets the configured accounts put events, with no organization condition', () => {
    const [bus] = Object.values(resourcesOf(template, 'AWS::Events::EventBus'));
    const [statement] = (bus?.Properties.Policy as { Statement: Statement[] }).Statement;

    expect(statement).toMatchObject({
      Principal: { AWS: ACCOUNTS.map((account) => `arn:aws:iam::${account}:root`) },
    });
    expect(statement?.Condition).toBeUndefined();
  });
});

describe('the event forwarder in the member stack', () => {
  const { stacks } = buildApp(realtimeConfig());
  const template = Template.fromStack(stacks.member);
  const forwarder = stacks.member.eventForwarder!;
  const roleId = stacks.member.getLogicalId(forwarder.role.node.defaultChild as never);

  it('is pinned to us-east-1, where IAM events arrive, and still to no account', () => {
    expect(stacks.member.region).toBe('us-east-1');
    expect(stacks.member.resolve(stacks.member.account)).toEqual({ Ref: 'AWS::AccountId' });
  });

  it('refuses to deploy anywhere but us-east-1', () => {
    const rules = template.toJSON().Rules as Record<string, { Assertions: unknown[] }>;

    expect(Object.values(rules)).toEqual([
      {
        Assertions: [
          {
            Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
            AssertDescription: expect.stringContaining('must be deployed in us-east-1') as unknown,
          },
        ],
      },
    ]);
  });

  it('forwards successful CreateAccessKey events from the default bus to the hub bus', () => {
    expectResourceProperties(template, 'AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: CREATE_ACCESS_KEY_PATTERN,
      Targets: [{ Id: 'Target0', Arn: HUB_BUS_ARN, RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }],
    });
  });

  it('uses a role only EventBridge of this account can assume', () => {
    expect(propertiesOf(template, roleId)).toMatchObject({
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
  });

  it('lets that role put events on the hub bus and do nothing else', () => {
    expect(statementsOfRole(template, roleId)).toEqual([
      { Effect: 'Allow', Action: 'events:PutEvents', Resource: HUB_BUS_ARN },
    ]);
  });

  it('adds no other permission to the member stack', () => {
    expect(new Set(actionsOf(permissionStatements(template)))).toEqual(
      new Set([
        'iam:ListUsers',
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
        'iam:GetAccountAuthorizationDetails',
        'iam:GetAccountPasswordPolicy',
        'iam:ListUserTags',
        'iam:ListAccessKeys',
        'iam:GetAccessKeyLastUsed',
        'iam:UpdateAccessKey',
        'events:PutEvents',
      ]),
    );
  });

  it('goes into the StackSet template too, deployed to us-east-1', () => {
    const stackSet = Template.fromStack(stacks.memberStackSet!);
    const [stackSetId] = logicalIdsOf(stackSet, 'AWS::CloudFormation::StackSet');
    const props = propertiesOf<{ TemplateBody: string; StackInstancesGroup: { Regions: string[] }[] }>(
      stackSet,
      stackSetId!,
    );
    const embedded = Template.fromJSON(JSON.parse(props.TemplateBody) as Record<string, unknown>);

    expect(props.StackInstancesGroup[0]?.Regions).toEqual(['us-east-1']);
    expectResourceProperties(embedded, 'AWS::Events::Rule', {
      EventPattern: CREATE_ACCESS_KEY_PATTERN,
      Targets: [Match.objectLike({ Arn: HUB_BUS_ARN })],
    });
  });
});

describe('with real-time alerts off (the default)', () => {
  const { stacks, config } = buildApp(configInput());

  it('defaults the flag to off', () => {
    expect(realtimeAlertsEnabled(config.deploy)).toBe(false);
  });

  it.each([
    ['hub', () => Template.fromStack(stacks.hub)],
    ['member', () => Template.fromStack(stacks.member)],
  ])('adds no event bus or rule to the %s stack', (_name, templateOf) => {
    const template = templateOf();

    expectResourceCount(template, 'AWS::Events::EventBus', 0);
    expectResourceCount(template, 'AWS::Events::Rule', 0);
  });

  it('adds no forwarder, and no region check, to the member stack', () => {
    expect(stacks.member.eventForwarder).toBeUndefined();
    expect(Template.fromStack(stacks.member).toJSON().Rules).toBeUndefined();
  });

  it('keeps the hub to the daily function, its queue and its three alarms', () => {
    const template = Template.fromStack(stacks.hub);

    expectResourceCount(template, 'AWS::Lambda::Function', 1);
    expectResourceCount(template, 'AWS::SQS::Queue', 1);
    expectResourceCount(template, 'AWS::CloudWatch::Alarm', 3);
    expect(stacks.hub.realtimeAlerts).toBeUndefined();
  });

  it('leaves the member stack environment-agnostic and the StackSet template without a rule', () => {
    const stackSet = Template.fromStack(stacks.memberStackSet!);
    const [stackSetId] = logicalIdsOf(stackSet, 'AWS::CloudFormation::StackSet');

    expect(stacks.member.resolve(stacks.member.region)).toEqual({ Ref: 'AWS::Region' });
    expect(propertiesOf<{ TemplateBody: string }>(stackSet, stackSetId!).TemplateBody).not.toContain(
      'AWS::Events::Rule',
    );
  });
});

describe('the realtimeAlerts setting', () => {
  function issuesOf(raw: Record<string, unknown>): readonly string[] {
    try {
      parseAppConfig(raw, 'test config');
    } catch (error) {
      if (error instanceof ConfigValidationError) return error.issues;
      throw error;
    }
    return [];
  }

  it.each<[string, Record<string, unknown>, string[]]>([
    ['on, with no StackSet', configWithDeploy({ realtimeAlerts: { enabled: true }, memberRole: {} }), []],
    ['on, with the StackSet in us-east-1', realtimeConfig(), []],
    [
      'on, with the StackSet defaulting to the hub region',
      configWithDeploy({
        realtimeAlerts: { enabled: true },
        memberRole: { stackSet: { organizationalUnitIds: ['ou-ab12-34cd56ef'] } },
      }),
      [
        'deploy.memberRole.stackSet.regions: must be ["us-east-1"] when realtimeAlerts.enabled is true ' +
          "(it defaults to deploy.region, eu-central-1): the member stack then forwards IAM's CloudTrail " +
          'events, which reach EventBridge in us-east-1 only',
      ],
    ],
    [
      'on, with the StackSet in another region',
      realtimeConfig({ stackSet: { organizationalUnitIds: ['ou-ab12-34cd56ef'], regions: ['eu-west-1'] } }),
      [
        'deploy.memberRole.stackSet.regions: must be ["us-east-1"] when realtimeAlerts.enabled is true: ' +
          "the member stack then forwards IAM's CloudTrail events, which reach EventBridge in us-east-1 only",
      ],
    ],
    [
      'on, in another partition',
      configWithDeploy({ realtimeAlerts: { enabled: true }, memberRole: {}, region: 'cn-north-1' }),
      [
        "deploy.realtimeAlerts.enabled: real-time alerts need the aws partition (IAM's events arrive in " +
          'us-east-1); region cn-north-1 is in another',
      ],
    ],
    [
      'not a boolean',
      configWithDeploy({ realtimeAlerts: { enabled: 'yes' } }),
      ['deploy.realtimeAlerts.enabled: Invalid input: expected boolean, received string'],
    ],
    [
      'with an unknown field',
      configWithDeploy({ realtimeAlerts: { enabled: true, region: 'us-east-1' }, memberRole: {} }),
      ['deploy.realtimeAlerts: Unrecognized key: "region"'],
    ],
  ])('accepts or refuses %s, naming the field', (_case, raw, issues) => {
    expect(issuesOf(raw)).toEqual(issues);
  });
});

describe('AwsSolutions checks with real-time alerts on', () => {
  const { app, stacks } = buildApp(realtimeConfig());

  function findings(scope: IConstruct): string[] {
    const report = new AwsSolutionsChecks().validateScope(scope);
    return report.violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );
  }

  it.each([
    ['hub', stacks.hub],
    ['member', stacks.member],
    ['member StackSet', stacks.memberStackSet!],
  ])('finds nothing unacknowledged in the %s stack', (_name, stack) => {
    expect(findings(stack)).toEqual([]);
  });

  it('needs no acknowledgement for the real-time resources but the org-wide AssumeRole', () => {
    const realtimeConstructs = [stacks.hub.realtimeAlerts!, stacks.member.eventForwarder!].flatMap((scope) =>
      scope.node.findAll(),
    );
    const acknowledged = realtimeConstructs.filter((construct) =>
      construct.node.metadata.some((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
    );

    expect(acknowledged.map((construct) => construct.node.path)).toEqual([
      'AccessKeyEnforcerHub/RealtimeAlerts/Role',
    ]);
  });

  it('synthesizes with the checks registered as bin/app.ts does', () => {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).not.toThrow();
  });
});
