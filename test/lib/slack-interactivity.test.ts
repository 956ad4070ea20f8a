import { Match, Template } from 'aws-cdk-lib/assertions';

import { MEMBER_ROLE_USER_ACTIONS } from '../../lib/constructs/member-role';
import { buildApp, interactivityConfig } from './support/cdk-app';
import {
  actionsOf,
  expectResourceCount,
  expectResourceProperties,
  logicalIdsOf,
  propertiesOf,
  resourcesOf,
  type Statement,
} from './support/template-scan';

function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy.Properties as { PolicyDocument: { Statement: Statement[] } }).PolicyDocument.Statement,
  );
}

describe('the Slack interactivity endpoint in the hub stack (issue 11 item 3)', () => {
  const { stacks } = buildApp(interactivityConfig());
  const hub = stacks.hub;
  const template = Template.fromStack(hub);
  const interactivity = hub.interactivity!;
  const functionId = hub.getLogicalId(interactivity.function.node.defaultChild as never);
  const roleId = hub.getLogicalId(interactivity.role.node.defaultChild as never);
  const signingSecretId = hub.getLogicalId(hub.slackSigningSecret!.secret.node.defaultChild as never);
  const tokenSecretId = hub.getLogicalId(hub.slackToken.secret.node.defaultChild as never);
  const statements = statementsOfRole(template, roleId);
  const bySid = (sid: string) => statements.find((statement) => statement.Sid === sid);

  it('is a Function URL without AWS auth (Slack signs its requests; the function verifies them)', () => {
    expectResourceProperties(template, 'AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
    expectResourceCount(template, 'AWS::Lambda::Url', 1);
  });

  it('lets anyone call it only through the URL: a job (a direct Invoke) takes its own role', () => {
    const permissions = Object.values(
      resourcesOf(template, 'AWS::Lambda::Permission', {
        Properties: { FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] } },
      }),
    ).map((resource) => resource.Properties);
    expect(permissions).toEqual(
      expect.arrayContaining([
        {
          Action: 'lambda:InvokeFunctionUrl',
          FunctionName: expect.anything(),
          FunctionUrlAuthType: 'NONE',
          Principal: '*',
        },
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: expect.anything(),
          InvokedViaFunctionUrl: true,
          Principal: '*',
        },
      ]),
    );
    expect(permissions).toHaveLength(2);
  });

  it('runs Node.js 24 on arm64 with a bounded concurrency, and never retries a job', () => {
    expect(propertiesOf(template, functionId)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 60,
      MemorySize: 512,
      ReservedConcurrentExecutions: 5,
    });
    expectResourceProperties(template, 'AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 0,
    });
  });

  it('reads the signing secret from its own secret, by ARN in the environment, never by value', () => {
    const env = propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(template, functionId)
      .Environment.Variables;
    expect(env.SLACK_SIGNING_SECRET_ARN).toEqual({ Ref: signingSecretId });
    expect(env.SLACK_TOKEN_SECRET_ARN).toEqual({ Ref: tokenSecretId });
    expect(JSON.stringify(env)).not.toMatch(/SecretString|xoxb-/);
    expectResourceProperties(template, 'AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('^Signing secret of the access-key-enforcer Slack app'),
      GenerateSecretString: Match.objectLike({ PasswordLength: 32 }),
    });
  });

  it('may do exactly what the endpoint calls, and nothing more', () => {
    expect(new Set(actionsOf(statements))).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'secretsmanager:GetSecretValue',
        'sts:AssumeRole',
        'lambda:InvokeFunction',
      ]),
    );
    expect(actionsOf(statements).filter((action) => action.startsWith('iam:'))).toEqual([]);
  });

  it('reads the two Slack secrets only, and writes only the ledger table', () => {
    expect(bySid('SlackSecrets')?.Resource).toEqual(
      expect.arrayContaining([{ Ref: tokenSecretId }, { Ref: signingSecretId }]),
    );
    expect(bySid('SlackSecrets')?.Resource).toHaveLength(2);
    expect(bySid('Ledger')?.Resource).toEqual({
      'Fn::GetAtt': [logicalIdsOf(template, 'AWS::DynamoDB::Table')[0], 'Arn'],
    });
  });

  it('queues its jobs by invoking itself and no other function', () => {
    expect(bySid('QueueJobsToItself')).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Resource: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
  });

  it('assumes the member role with the enforcer’s own statement (the organisation’s accounts only)', () => {
    const enforcerRoleId = hub.getLogicalId(hub.enforcer.role.node.defaultChild as never);
    const enforcerStatement = statementsOfRole(template, enforcerRoleId).find(
      (s) => s.Sid === 'AssumeMemberRoles',
    );
    expect(bySid('AssumeMemberRoles')).toEqual(enforcerStatement);
    expect(bySid('AssumeMemberRoles')).toMatchObject({
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-a1b2c3d4e5' } },
    });
  });

  it('needs no new action on the member role: it already reads tags and keys and sets key status', () => {
    expect(MEMBER_ROLE_USER_ACTIONS).toEqual(
      expect.arrayContaining(['iam:ListUserTags', 'iam:ListAccessKeys', 'iam:UpdateAccessKey']),
    );
    expect(MEMBER_ROLE_USER_ACTIONS).not.toContain('iam:DeleteAccessKey');
  });

  it('outputs the URL for the Slack app and the command that stores the signing secret', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.SlackInteractivityUrl?.Value).toEqual({
      'Fn::GetAtt': [logicalIdsOf(template, 'AWS::Lambda::Url')[0], 'FunctionUrl'],
    });
    expect(JSON.stringify(outputs.PutSlackSigningSecretCommand?.Value)).toContain('put-secret-value');
  });

  it('alarms when the function fails', () => {
    expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId } }],
    });
  });
});

describe('the hub stack without interactivity', () => {
  const template = Template.fromStack(buildApp().stacks.hub);

  it('has no Function URL and no signing secret', () => {
    expectResourceCount(template, 'AWS::Lambda::Url', 0);
    expect(JSON.stringify(template.toJSON())).not.toContain('SLACK_SIGNING_SECRET_ARN');
  });
});

describe('an imported signing secret', () => {
  const arn = 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:slack-signing-AbC123';
  const { stacks } = buildApp(interactivityConfig({ slackSigningSecret: { arn } }));
  const template = Template.fromStack(stacks.hub);

  it('is read by ARN and not created, and no command to fill it is output', () => {
    const functionId = stacks.hub.getLogicalId(stacks.hub.interactivity!.function.node.defaultChild as never);
    const env = propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(template, functionId)
      .Environment.Variables;
    expect(env.SLACK_SIGNING_SECRET_ARN).toBe(arn);
    expectResourceCount(template, 'AWS::SecretsManager::Secret', 1);
    expect(
      (template.toJSON().Outputs as Record<string, unknown>).PutSlackSigningSecretCommand,
    ).toBeUndefined();
  });
});
