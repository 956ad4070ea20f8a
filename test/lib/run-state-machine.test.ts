import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { LAMBDA_SERVICE_ERRORS } from '../../lib/constructs/run-state-machine';
import { buildApp, configInput, configWithDeploy } from './support/cdk-app';
import {
  expectResourceCount,
  expectResourceProperties,
  logicalIdsOf,
  permissionStatements,
  propertiesOf,
} from './support/template-scan';

type State = {
  Type: string;
  Resource?: string;
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  MaxConcurrency?: number;
  ItemProcessor?: { ProcessorConfig: Record<string, string>; States: Record<string, State> };
  ToleratedFailurePercentage?: number;
};

/** The state machine's definition, with the Lambda ARN tokens left as placeholders. */
function definitionOf(template: Template): { StartAt: string; States: Record<string, State> } {
  const [id] = logicalIdsOf(template, 'AWS::StepFunctions::StateMachine');
  const { DefinitionString } = propertiesOf<{ DefinitionString: { 'Fn::Join': [string, unknown[]] } }>(
    template,
    id!,
  );
  const text = DefinitionString['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : 'ARN'))
    .join('');
  return JSON.parse(text) as { StartAt: string; States: Record<string, State> };
}

function allStates(states: Record<string, State>): Record<string, State> {
  return Object.entries(states).reduce<Record<string, State>>(
    (all, [name, state]) => ({
      ...all,
      [name]: state,
      ...(state.ItemProcessor ? allStates(state.ItemProcessor.States) : {}),
    }),
    {},
  );
}

describe('the run in state-machine mode', () => {
  const { stacks } = buildApp(
    configWithDeploy({ run: { mode: 'state-machine', planConcurrency: 25, actConcurrency: 3 } }),
  );
  const template = Template.fromStack(stacks.hub);
  const definition = definitionOf(template);
  const states = allStates(definition.States);
  const [machineId] = logicalIdsOf(template, 'AWS::StepFunctions::StateMachine');

  it('says at synth which mode it chose and why', () => {
    expect(
      Annotations.fromStack(stacks.hub).findInfo(
        '*',
        Match.stringLikeRegexp('^Run mode: state-machine: deploy.run.mode is "state-machine"'),
      ),
    ).toHaveLength(1);
  });

  it('lists targets, plans in a Distributed Map, applies the breaker, acts in a Distributed Map, reports', () => {
    expect(definition.StartAt).toBe('ListTargets');
    expect(Object.keys(definition.States).sort()).toEqual(
      [
        'ListTargets',
        'PlanAccounts',
        'ApplyBreaker',
        'KeepVerdict',
        'ActOnAccounts',
        'Report',
        'RunSucceeded?',
        'RunSucceeded',
        'RunFailed',
      ].sort(),
    );
    expect(definition.States.PlanAccounts).toMatchObject({
      Type: 'Map',
      MaxConcurrency: 25,
      ToleratedFailurePercentage: 100,
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } },
    });
    expect(definition.States.ActOnAccounts).toMatchObject({ Type: 'Map', MaxConcurrency: 3 });
    expectResourceProperties(template, 'AWS::StepFunctions::StateMachine', { StateMachineType: 'STANDARD' });
  });

  it('retries every task on Lambda service errors and throttling, with backoff', () => {
    const tasks = Object.entries(states).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual([
      'ActOnAccount',
      'ApplyBreaker',
      'ListTargets',
      'PlanAccount',
      'RecordActFailure',
      'RecordPlanFailure',
      'Report',
    ]);
    for (const [, task] of tasks) {
      expect(task.Retry?.[0]?.ErrorEquals).toEqual(expect.arrayContaining([...LAMBDA_SERVICE_ERRORS]));
      expect(task.Retry?.[0]).toMatchObject({ MaxAttempts: 6, BackoffRate: 2, IntervalSeconds: 2 });
    }
  });

  it('catches each account’s failure inside its Map child and records it', () => {
    expect(states.PlanAccount?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'RecordPlanFailure', ResultPath: '$.error' },
    ]);
    expect(states.ActOnAccount?.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'RecordActFailure', ResultPath: '$.error' },
    ]);
  });

  it('is started by the schedule with the same empty payload as the Lambda', () => {
    expectResourceProperties(template, 'AWS::Scheduler::Schedule', {
      Target: { Arn: { Ref: machineId }, Input: '{}' },
    });
    const statements = permissionStatements(template);
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: machineId } }),
    );
  });

  it('logs every event without execution data, traces, and alarms on failed runs', () => {
    expectResourceProperties(template, 'AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
    expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted' })]),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
    });
  });

  it('keeps run documents in an encrypted, TLS-only bucket that forgets them after a week', () => {
    expectResourceProperties(template, 'AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 7, Status: 'Enabled' }] },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    expectResourceProperties(template, 'AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets the step Lambda read and write run documents, list their prefix, and delete nothing', () => {
    const s3 = permissionStatements(template).filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(s3.map((s) => s.Action)).toEqual([['s3:GetObject', 's3:PutObject'], 's3:ListBucket']);
    expect(s3[1]?.Condition).toEqual({ StringLike: { 's3:prefix': ['runs/*'] } });
  });

  it('runs the step handler with the enforcer role (which member roles trust) and the run bucket', () => {
    expectResourceProperties(template, 'AWS::Lambda::Function', {
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 900,
      Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EnforcerRole'), 'Arn'] },
      Environment: {
        Variables: Match.objectLike({ [ENV.runBucketName]: { Ref: Match.stringLikeRegexp('RunBucket') } }),
      },
    });
  });
});

describe('run mode', () => {
  it.each([
    [
      '3 explicit accounts',
      'single-lambda',
      configInput(),
      /fits one invocation: 3 accounts × 50 expected users = 150 users/,
    ],
    [
      '101 explicit accounts',
      'state-machine',
      {
        ...configInput(),
        accounts: Array.from({ length: 101 }, (_, i) => ({ id: String(100_000_000_000 + i) })),
      },
      /past one invocation: 101 accounts/,
    ],
    [
      '20 accounts of 500 users',
      'state-machine',
      {
        ...configWithDeploy({ run: { expectedUsersPerAccount: 500 } }),
        accounts: Array.from({ length: 20 }, (_, i) => ({ id: String(100_000_000_000 + i) })),
      },
      /10000 users/,
    ],
    [
      'accounts discovered from Organizations',
      'state-machine',
      {
        ...configInput(),
        organization: {
          managementRoleArn: 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead',
        },
      },
      /discovered from AWS Organizations: their number is unknown at synth/,
    ],
    [
      'forced single Lambda',
      'single-lambda',
      configWithDeploy({ run: { mode: 'single-lambda' } }),
      /"single-lambda"/,
    ],
  ] as const)('with %s deploys %s and says why', (_name, mode, input, reason) => {
    const { stacks } = buildApp(input);
    expect(stacks.hub.runMode.mode).toBe(mode);
    expect(stacks.hub.runMode.reason).toMatch(reason);
    const template = Template.fromStack(stacks.hub);
    expectResourceCount(template, 'AWS::StepFunctions::StateMachine', mode === 'state-machine' ? 1 : 0);
    expect(
      Annotations.fromStack(stacks.hub).findInfo('*', Match.stringLikeRegexp(`^Run mode: ${mode}: `)),
    ).toHaveLength(1);
  });
});
