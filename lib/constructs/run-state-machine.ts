import { join } from 'node:path';

import { type CfnElement, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { type ITopic } from 'aws-cdk-lib/aws-sns';
import {
  Chain,
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  JsonPath,
  LogLevel,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

import { RUN_OBJECT_PREFIX } from '../../lambda/adapters/aws/s3-run-store';
import { ENV } from '../../lambda/config/environment';
import { lambdaCode } from '../bundling/lambda-code';
import { configFiles } from './bundled-config';

const PROJECT_ROOT = join(__dirname, '..', '..');

/** Errors of the Lambda service itself (the function did not run or its answer was lost): always safe to retry. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.TooManyRequestsException',
] as const;

/** Transient errors a step can throw from S3 (the run store): throttling and the service's own faults. */
export const TRANSIENT_STEP_ERRORS = [
  'SlowDown',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
] as const;

/** Run documents are read by the same execution within hours; a week leaves time to look at one. */
export const RUN_DOCUMENT_DAYS = 7;

/** Props of {@link RunStateMachine}. */
export interface RunStateMachineProps {
  /** The enforcer's role: member roles trust it by name, so the step Lambda runs with it too. */
  readonly role: Role;
  /** The engine config as JSON, bundled as a file like the enforcer Lambda's. */
  readonly configJson: string;
  /** The enforcer Lambda's environment (ledger table, token secret, Powertools names). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** Accounts planned at once (the plan Map's MaxConcurrency). */
  readonly planConcurrency: number;
  /** Accounts acted on at once (the act Map's MaxConcurrency). */
  readonly actConcurrency: number;
  /** Where the failed-run alarm notifies. */
  readonly alarmTopic: ITopic;
}

/**
 * The daily run on Step Functions (issue 12 item 3): list targets → plan each account (Distributed
 * Map) → apply the circuit breaker → act on each account (Distributed Map) → report. Every task is
 * the one step Lambda (`lambda/step-handler.ts`) running the engine's step of the same name.
 * One account's failure is retried by the Retry policy, then caught, recorded, and reported; it
 * never stops the others. Plans and results live in a bucket, not in the 256 KB state.
 */
export class RunStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly stepFunction: LambdaFunction;
  readonly runBucket: Bucket;
  readonly failedRuns: Alarm;

  constructor(scope: Construct, id: string, props: RunStateMachineProps) {
    super(scope, id);

    this.runBucket = new Bucket(this, 'RunBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      lifecycleRules: [{ expiration: Duration.days(RUN_DOCUMENT_DAYS) }],
      // Its documents expire within a week; the ledger, not this bucket, is the enforcer's memory.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.runBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Working documents of one run (plans, results), written and read by the step Lambda only and ' +
        `deleted after ${RUN_DOCUMENT_DAYS} days; the run's log and the ledger are the audit trail.`,
    });
    this.grantRunDocuments(props.role);

    const logGroup = new LogGroup(this, 'StepLogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    logGroup.grantWrite(props.role);
    this.stepFunction = new LambdaFunction(this, 'StepFunction', {
      description: 'access-key-enforcer: one step of the run state machine (plan, breaker, act, report)',
      code: lambdaCode(join(PROJECT_ROOT, 'lambda', 'step-handler.ts'), configFiles(this, props.configJson)),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // The report step holds every account's summary; a plan step one account's keys.
      memorySize: 1024,
      timeout: Duration.minutes(15),
      // The state machine retries, with its own policy; Lambda's asynchronous retries do not apply.
      retryAttempts: 0,
      role: props.role,
      logGroup,
      environment: {
        ...props.environment,
        [ENV.runBucketName]: this.runBucket.bucketName,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    const machineLogs = new LogGroup(this, 'StateMachineLogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(this.definition(props)),
      // A day's run must end before the next starts; leases (20 minutes) already stop overlaps.
      timeout: Duration.hours(12),
      tracingEnabled: true,
      // Execution data holds account names and key ids: the step Lambda's log has the detail.
      logs: { destination: machineLogs, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.acknowledgeFindings();

    this.failedRuns = new Alarm(this, 'FailedRuns', {
      alarmDescription:
        'A state machine run failed: an account failed or was incomplete, the breaker tripped, or a step failed.',
      metric: new MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period: Duration.minutes(5) }),
          timedOut: this.stateMachine.metricTimedOut({ period: Duration.minutes(5) }),
          aborted: this.stateMachine.metricAborted({ period: Duration.minutes(5) }),
        },
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.failedRuns.addAlarmAction(new SnsAction(props.alarmTopic));
  }

  private definition(props: RunStateMachineProps): Chain {
    const listTargets = this.step('ListTargets', {
      step: 'listTargets',
      runId: JsonPath.stringAt('$$.Execution.Name'),
      input: JsonPath.objectAt('$'),
    });

    const planAccount = this.step('PlanAccount');
    planAccount.addCatch(
      this.step('RecordPlanFailure', {
        step: 'recordPlanFailure',
        run: JsonPath.objectAt('$.run'),
        account: JsonPath.objectAt('$.account'),
        error: JsonPath.objectAt('$.error'),
      }),
      { errors: ['States.ALL'], resultPath: '$.error' },
    );
    const planAccounts = new DistributedMap(this, 'PlanAccounts', {
      itemsPath: '$.accounts',
      itemSelector: {
        step: 'planAccount',
        run: JsonPath.objectAt('$.run'),
        account: JsonPath.objectAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.planConcurrency,
      mapExecutionType: StateMachineType.STANDARD,
      // Each account's failure is caught and recorded inside its child; a child that still fails
      // (its record could not be written) is reported as "not planned", never stops the run.
      toleratedFailurePercentage: 100,
      resultPath: '$.outcomes',
    }).itemProcessor(planAccount);

    const applyBreaker = this.step(
      'ApplyBreaker',
      { step: 'applyBreaker', run: JsonPath.objectAt('$.run'), outcomes: JsonPath.objectAt('$.outcomes') },
      '$.verdict',
    );
    // The outcomes have served: keep the state far under 256 KB for the act Map.
    const keepVerdict = new Pass(this, 'KeepVerdict', {
      parameters: {
        run: JsonPath.objectAt('$.run'),
        accounts: JsonPath.objectAt('$.accounts'),
        verdict: JsonPath.objectAt('$.verdict'),
      },
    });

    const actOnAccount = this.step('ActOnAccount');
    actOnAccount.addCatch(
      this.step('RecordActFailure', {
        step: 'recordActFailure',
        run: JsonPath.objectAt('$.run'),
        account: JsonPath.objectAt('$.account'),
        error: JsonPath.objectAt('$.error'),
      }),
      { errors: ['States.ALL'], resultPath: '$.error' },
    );
    const actOnAccounts = new DistributedMap(this, 'ActOnAccounts', {
      itemsPath: '$.accounts',
      itemSelector: {
        step: 'actOnAccount',
        run: JsonPath.objectAt('$.run'),
        account: JsonPath.objectAt('$$.Map.Item.Value'),
        verdict: JsonPath.objectAt('$.verdict'),
      },
      maxConcurrency: props.actConcurrency,
      mapExecutionType: StateMachineType.STANDARD,
      toleratedFailurePercentage: 100,
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(actOnAccount);

    const report = this.step(
      'Report',
      { step: 'report', run: JsonPath.objectAt('$.run'), accounts: JsonPath.objectAt('$.accounts') },
      '$.report',
    );
    const verdict = new Choice(this, 'RunSucceeded?')
      .when(Condition.booleanEquals('$.report.succeeded', true), new Succeed(this, 'RunSucceeded'))
      .otherwise(
        new Fail(this, 'RunFailed', {
          error: 'RunFailed',
          causePath: JsonPath.stringAt('$.report.reasons'),
        }),
      );

    return Chain.start(listTargets)
      .next(planAccounts)
      .next(applyBreaker)
      .next(keepVerdict)
      .next(actOnAccounts)
      .next(report)
      .next(verdict);
  }

  /** A task calling the step Lambda; without `payload`, the state's input is the event. */
  private step(id: string, payload?: Record<string, unknown>, resultPath?: string): LambdaInvoke {
    const task = new LambdaInvoke(this, id, {
      lambdaFunction: this.stepFunction,
      // The function's own answer as the result, not the Invoke API's envelope.
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      // Past the function's 15 minutes: Lambda's own timeout (Sandbox.Timedout) comes first.
      taskTimeout: Timeout.duration(Duration.seconds(960)),
      ...(payload ? { payload: TaskInput.fromObject(payload) } : {}),
      ...(resultPath ? { resultPath } : {}),
    });
    task.addRetry({
      errors: [...LAMBDA_SERVICE_ERRORS, ...TRANSIENT_STEP_ERRORS],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: 6,
      maxDelay: Duration.minutes(1),
    });
    return task;
  }

  /** Only the run documents: no other object of the bucket, no delete (they expire). */
  private grantRunDocuments(role: Role): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'RunDocuments',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.runBucket.arnForObjects(`${RUN_OBJECT_PREFIX}*`)],
      }),
    );
    // S3 answers a missing document with NoSuchKey only to a role that may list the bucket
    // (else AccessDenied): the report step tells "that step did not finish" from a failure by it.
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'RunDocumentsList',
        actions: ['s3:ListBucket'],
        resources: [this.runBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${RUN_OBJECT_PREFIX}*`] } },
      }),
    );
  }

  private acknowledgeFindings(): void {
    const stack = Stack.of(this);
    const bucketId = stack.resolve(
      stack.getLogicalId(this.runBucket.node.defaultChild as CfnElement),
    ) as string;
    const functionId = stack.resolve(
      stack.getLogicalId(this.stepFunction.node.defaultChild as CfnElement),
    ) as string;
    Validations.of(this.stepFunction.role ?? this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${RUN_OBJECT_PREFIX}*]`,
      reason:
        'Objects under the run prefix only: one run writes a document per account, named by account id.',
    });
    Validations.of(this.stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        'lambda:InvokeFunction on the step function ARN with :* (its versions), as LambdaInvoke writes it.',
    });
    // The Distributed Map's children are executions of this state machine, named at run time.
    const pseudo = (value: string, name: string): string =>
      Token.isUnresolved(value) ? `<AWS::${name}>` : value;
    const machineId = stack.getLogicalId(this.stateMachine.node.defaultChild as CfnElement);
    const executions =
      `arn:${pseudo(stack.partition, 'Partition')}:states:${pseudo(stack.region, 'Region')}:` +
      `${pseudo(stack.account, 'AccountId')}:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
    for (const resource of [`${executions}:*`, `${executions}/*:*`]) {
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${resource}]`,
        reason:
          "The Distributed Map's child executions of this state machine, named by Step Functions at run time.",
      });
    }
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray and CloudWatch Logs vended delivery (logs:CreateLogDelivery and friends) take no resource; ' +
        'written by the StateMachine construct for tracing and logging.',
    });
  }
}
