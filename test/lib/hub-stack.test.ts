import { Match, Template } from 'aws-cdk-lib/assertions';

import { ENV, METRIC, METRICS_NAMESPACE } from '../../lambda/config/environment';
import { SERVICE_NAME } from '../../lambda/config/environment';
import { buildApp, configInput, configWithDeploy } from './support/cdk-app';
import {
  actionsOf,
  expectResource,
  expectResourceCount,
  expectResourceProperties,
  logicalIdsOf,
  permissionStatements,
  propertiesOf,
  resourcesOf,
  type Statement,
} from './support/template-scan';

const IMPORTED_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:slack/bot-AbC123';

interface FunctionProps {
  Runtime: string;
  Environment: { Variables: Record<string, unknown> };
}

describe('HubStack', () => {
  const { stacks, config } = buildApp();
  const template = Template.fromStack(stacks.hub);
  const [functionId] = logicalIdsOf(template, 'AWS::Lambda::Function');
  const [secretId] = logicalIdsOf(template, 'AWS::SecretsManager::Secret');
  const [topicId] = logicalIdsOf(template, 'AWS::SNS::Topic');
  const functionProps = propertiesOf<FunctionProps>(template, functionId!);

  it('is pinned to the hub account and region', () => {
    expect(stacks.hub.account).toBe('111111111111');
    expect(stacks.hub.region).toBe('eu-central-1');
  });

  it('runs on the configured cron and time zone, with retries and a dead-letter queue', () => {
    expectResourceProperties(template, 'AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 6 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        Input: '{}',
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
      },
    });
  });

  it('keeps the dead-letter queue encrypted and TLS-only', () => {
    expectResourceProperties(template, 'AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    expectResourceProperties(template, 'AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('runs one Node.js 22+ arm64 function at a time, for up to 15 minutes', () => {
    expect(functionProps.Runtime).toMatch(/^nodejs(22|24)\.x$/);
    expectResourceProperties(template, 'AWS::Lambda::Function', {
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      Timeout: 900,
      MemorySize: 512,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
    });
    expectResourceProperties(template, 'AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 0 });
  });

  it('keeps its logs for the configured retention, beyond the stack', () => {
    expectResource(template, 'AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  it('gives the Lambda the table name and the secret ARN, and keeps the engine config out of the environment', () => {
    const variables = functionProps.Environment.Variables;

    expect(JSON.stringify(variables)).not.toContain(config.engine.slack.infraChannel);
    expect(Object.keys(variables)).not.toContain(ENV.configFile);
    expect(variables[ENV.ledgerTableName]).toEqual({
      Ref: logicalIdsOf(template, 'AWS::DynamoDB::Table')[0],
    });
    expect(variables[ENV.slackTokenSecretArn]).toEqual({ Ref: secretId });
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
  });

  it('tells the Lambda its schedule, so messages name the UTC time of the run that acts', () => {
    const variables = functionProps.Environment.Variables;

    expect(JSON.parse(String(variables[ENV.runSchedule]))).toEqual({
      cron: config.deploy.schedule.cron,
      timeZone: config.deploy.schedule.timeZone,
    });
  });

  it('never puts the Slack token in the template, the environment or an output', () => {
    const json = JSON.stringify(template.toJSON());
    const variables = functionProps.Environment.Variables;
    const secretReferences = Object.entries(variables).filter(([, value]) =>
      JSON.stringify(value).includes(secretId!),
    );

    expect(json).not.toMatch(/xoxb/i);
    expect(json).not.toContain('resolve:secretsmanager');
    expectResourceProperties(template, 'AWS::SecretsManager::Secret', { SecretString: Match.absent() });
    // `Ref` of a secret is its ARN: where to fetch the token, never the token.
    expect(secretReferences).toEqual([[ENV.slackTokenSecretArn, { Ref: secretId }]]);
  });

  it('keeps the ledger on demand, point-in-time recoverable, encrypted and retained', () => {
    expectResource(template, 'AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      },
    });
  });

  describe('the enforcer role', () => {
    const roles = resourcesOf(template, 'AWS::IAM::Role', {
      Properties: { RoleName: 'AccessKeyEnforcerHub' },
    });
    const [roleId] = Object.keys(roles);
    const statements = statementsOfRole(template, roleId!);

    it('has the fixed name the member roles trust, and no managed policies', () => {
      expect(Object.keys(roles)).toHaveLength(1);
      expect(roles[roleId!]?.Properties.ManagedPolicyArns).toBeUndefined();
    });

    it('may do exactly what the engine needs, and nothing else', () => {
      expect(new Set(actionsOf(statements))).toEqual(
        new Set([
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'sts:AssumeRole',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'secretsmanager:GetSecretValue',
        ]),
      );
    });

    it('assumes the member role in any account of the organisation, in one statement', () => {
      const assume = statements.filter((statement) => actionsOf([statement]).includes('sts:AssumeRole'));

      expect(assume).toEqual([
        {
          Sid: 'AssumeMemberRoles',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: {
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::*:role/AccessKeyEnforcerMember']],
          },
          Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
        },
      ]);
    });

    it('assumes the member role of each configured account only, without an organisation id', () => {
      const { stacks: noOrg } = buildApp(configWithDeploy({ memberRole: {} }));
      const noOrgTemplate = Template.fromStack(noOrg.hub);
      const [noOrgRoleId] = Object.keys(
        resourcesOf(noOrgTemplate, 'AWS::IAM::Role', { Properties: { RoleName: 'AccessKeyEnforcerHub' } }),
      );
      const assume = statementsOfRole(noOrgTemplate, noOrgRoleId!).find(
        (statement) => statement.Sid === 'AssumeMemberRoles',
      );

      expect(assume?.Condition).toBeUndefined();
      expect(assume?.Resource).toEqual(
        ['111111111111', '222222222222', '333333333333'].map((account) => ({
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/AccessKeyEnforcerMember`],
          ],
        })),
      );
    });

    it('reads the ledger table and the token secret, not other resources', () => {
      const ledger = statements.find((statement) => statement.Sid === 'Ledger');
      const token = statements.find((statement) => statement.Sid === 'SlackToken');

      expect(ledger?.Resource).toEqual({
        'Fn::GetAtt': [logicalIdsOf(template, 'AWS::DynamoDB::Table')[0], 'Arn'],
      });
      expect(token?.Resource).toEqual({ Ref: secretId });
    });
  });

  describe('alarms', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');

    it('raises three alarms, each notifying the topic on alarm and on recovery', () => {
      expect(Object.values(alarms)).toHaveLength(3);
      for (const alarm of Object.values(alarms)) {
        expect(alarm.Properties).toMatchObject({
          AlarmActions: [{ Ref: topicId }],
          OKActions: [{ Ref: topicId }],
        });
      }
    });

    it.each([
      ['Errors', 'AWS/Lambda', 'GreaterThanOrEqualToThreshold', 'notBreaching'],
      [METRIC.accountsFailed, METRICS_NAMESPACE, 'GreaterThanOrEqualToThreshold', 'notBreaching'],
      [METRIC.successfulRuns, METRICS_NAMESPACE, 'LessThanThreshold', 'breaching'],
    ])('alarms on %s', (metricName, namespace, comparison, missing) => {
      expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: namespace,
        ComparisonOperator: comparison,
        Threshold: 1,
        Statistic: 'Sum',
        TreatMissingData: missing,
      });
    });

    it('reads the run metrics with the single service dimension the handler emits', () => {
      expect(SERVICE_NAME).toBe('access-key-enforcer');
      expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
        MetricName: METRIC.accountsFailed,
        Dimensions: [{ Name: 'service', Value: 'access-key-enforcer' }],
      });
    });

    it('fires after the configured hours without a successful run', () => {
      expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
        MetricName: METRIC.successfulRuns,
        Period: 3600,
        EvaluationPeriods: 74,
        DatapointsToAlarm: 74,
      });
    });

    it('sends alarms over TLS only, to the configured address', () => {
      expectResourceProperties(template, 'AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      expectResourceProperties(template, 'AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'infra@example.com',
        TopicArn: { Ref: topicId },
      });
    });
  });

  it('outputs names, ARNs and the dry-run command', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'DryRunCommand',
      'FunctionName',
      'LedgerTableName',
      'PutSlackTokenCommand',
      'SlackTokenSecretArn',
    ]);
    expect(outputs.DryRunCommand?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'aws lambda invoke --function-name ',
          { Ref: functionId },
          ` --region eu-central-1 --payload '{"dryRun":true}' --cli-binary-format raw-in-base64-out out.json`,
        ],
      ],
    });
    expect(outputs.SlackTokenSecretArn?.Value).toEqual({ Ref: secretId });
  });
});

describe('HubStack with an existing token secret and no alarm e-mail', () => {
  const { alarmEmail: _alarmEmail, ...deploy } = configInput().deploy as Record<string, unknown>;
  const { stacks } = buildApp({
    ...configInput(),
    deploy: { ...deploy, slackTokenSecret: { arn: IMPORTED_SECRET_ARN } },
  });
  const template = Template.fromStack(stacks.hub);

  it('creates no secret and points the Lambda at the existing one', () => {
    expectResourceCount(template, 'AWS::SecretsManager::Secret', 0);
    expectResourceProperties(template, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.slackTokenSecretArn]: IMPORTED_SECRET_ARN }) },
    });
  });

  it('grants GetSecretValue on that secret only', () => {
    const token = permissionStatements(template).find((statement) => statement.Sid === 'SlackToken');

    expect(token).toMatchObject({ Action: 'secretsmanager:GetSecretValue', Resource: IMPORTED_SECRET_ARN });
  });

  it('does not offer to put a token into a secret it does not own', () => {
    expect(Object.keys(template.toJSON().Outputs as object)).not.toContain('PutSlackTokenCommand');
  });

  it('subscribes nobody to the alarm topic', () => {
    expectResourceCount(template, 'AWS::SNS::Subscription', 0);
  });
});

/** Statements of the `AWS::IAM::Policy` resources attached to one role. */
function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
  );
}
