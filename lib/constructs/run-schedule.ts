import { Aws, CfnResource, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import { type IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link RunSchedule}. */
export interface RunScheduleProps {
  /** The enforcer Lambda (single-Lambda mode). */
  readonly target: IFunction;
  /** When set, the schedule starts this state machine instead of invoking `target` (state-machine mode). */
  readonly stateMachine?: IStateMachine;
  /** EventBridge Scheduler cron expression, e.g. `cron(0 8 * * ? *)`. */
  readonly cron: string;
  /** IANA time zone the cron is read in. */
  readonly timeZone: string;
}

/**
 * Starts the daily run with EventBridge Scheduler. Scheduler retries an invocation it could not
 * deliver (e.g. throttled because a manual run holds the single concurrency slot) for up to an
 * hour, then parks the event in an encrypted dead-letter queue for inspection.
 */
export class RunSchedule extends Construct {
  readonly schedule: Schedule;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: RunScheduleProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the schedule; it has nowhere further to go.',
    });

    // Our own role rather than the target's shared one, so the finding below is acknowledged on
    // this role alone. The conditions stop another account's schedules from using it.
    const role = new Role(this, 'Role', {
      description: 'EventBridge Scheduler: starts the access-key-enforcer run.',
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}:schedule-group/default`,
          },
        },
      }),
    });
    const functionResource = props.target.node.defaultChild;
    if (!props.stateMachine && CfnResource.isCfnResource(functionResource)) {
      const logicalId = Stack.of(this).resolve(functionResource.logicalId) as string;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: 'lambda:InvokeFunction on the function ARN with :* (its versions), as grantInvoke writes it.',
      });
    }

    const targetProps = {
      role,
      // The handler (and the state machine's first step) treat an empty event as a normal run.
      input: ScheduleTargetInput.fromObject({}),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      deadLetterQueue: this.deadLetterQueue,
    };
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Daily access-key-enforcer run',
      schedule: ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      target: props.stateMachine
        ? new StepFunctionsStartExecution(props.stateMachine, targetProps)
        : new LambdaInvoke(props.target, targetProps),
    });
  }
}
