import { join } from 'node:path';

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type Alarm, Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type IRole, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic } from 'aws-cdk-lib/aws-sns';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { ENV, METRIC, METRICS_NAMESPACE } from '../../lambda/config/environment';
import { OUTBOX_SENDER } from '../../lambda/outbox/sender-settings';
import { lambdaCode } from '../bundling/lambda-code';
import { configFiles } from './bundled-config';
import { METRICS_SERVICE_DIMENSION } from './enforcer-alarms';
import { slackFunctionRole } from './slack-function-role';
import { atLeastOneAlarm, functionErrors } from './at-least-one-alarm';

const PROJECT_ROOT = join(__dirname, '..', '..');

/**
 * What the sender does to the ledger (`DynamoDbLedger.readKey` and `putKey`): a Query narrowed to
 * one key, and conditional puts. No GetItem: the Query is strongly consistent already.
 */
export const SENDER_LEDGER_ACTIONS = ['dynamodb:Query', 'dynamodb:PutItem'] as const;

/** On the outbox queue: what Lambda's SQS poller needs, and the sender's `ChangeMessageVisibility`. */
export const SENDER_QUEUE_ACTIONS = [
  'sqs:ReceiveMessage',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ChangeMessageVisibility',
] as const;

/** Props of {@link SlackOutbox}. */
export interface SlackOutboxProps {
  /** The ledger the run uses: the sender records deliveries in it. */
  readonly ledgerTable: ITable;
  readonly slackTokenSecret: ISecret;
  /** The engine config as JSON, bundled as the other functions' is (Slack channel, message age limit). */
  readonly configJson: string;
  /** The run's environment (secret ARN, table name, Powertools names, schedule). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** Notified of messages in the dead-letter queue, stale messages, and a failing sender. */
  readonly alarmTopic: ITopic;
}

/**
 * The Slack outbox (issue 12 item 4): the act step writes notices to a FIFO queue (one message
 * group per key: a thread's parent before its replies), and two senders — never more, each
 * pacing the infra channel at half of Slack's one message a second — deliver them and record
 * each delivery in the ledger. Nothing is dropped: a message that keeps failing moves to the
 * dead-letter queue after {@link OUTBOX_SENDER.maxReceiveCount} receives, which alarms.
 */
export class SlackOutbox extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly sender: LambdaFunction;
  readonly role: Role;
  readonly deadLetters: Alarm;
  readonly staleMessages: Alarm;
  readonly senderErrors: Alarm;

  constructor(scope: Construct, id: string, props: SlackOutboxProps) {
    super(scope, id);
    const retentionPeriod = Duration.days(OUTBOX_SENDER.retentionDays);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      fifo: true,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
    });
    this.queue = new Queue(this, 'Queue', {
      fifo: true,
      // The act step sets a deduplication id per notice (day, key, notice): not the body's hash,
      // which would differ between two runs' renderings of the same notice.
      contentBasedDeduplication: false,
      // High-throughput FIFO: 300 sends a second per queue would cap 40 act workers queueing a
      // day's reminders at once. Order is only promised within a group (one key) anyway, and a
      // notice's deduplication id always travels in its key's group, so nothing else changes.
      deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
      fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod,
      visibilityTimeout: Duration.seconds(OUTBOX_SENDER.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: OUTBOX_SENDER.maxReceiveCount },
    });

    const logGroup = new LogGroup(this, 'SenderLogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = slackFunctionRole(this, 'SenderRole', {
      description:
        'access-key-enforcer outbox sender: posts queued notices to Slack, records them in the ledger.',
      logGroup,
      ledgerTable: props.ledgerTable,
      ledgerActions: SENDER_LEDGER_ACTIONS,
      secrets: { sid: 'SlackToken', arns: [props.slackTokenSecret.secretArn] },
    });

    this.sender = new LambdaFunction(this, 'Sender', {
      description: 'access-key-enforcer: sends the Slack outbox at the channel’s pace',
      code: lambdaCode(join(PROJECT_ROOT, 'lambda', 'outbox-sender.ts'), configFiles(this, props.configJson)),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(OUTBOX_SENDER.timeoutSeconds),
      // Exactly what the event source may start (OUTBOX_SENDER.concurrency): never throttled.
      reservedConcurrentExecutions: OUTBOX_SENDER.concurrency,
      role: this.role,
      logGroup,
      environment: {
        ...props.environment,
        [ENV.outboxQueueUrl]: this.queue.queueUrl,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    // Not SqsEventSource, whose grant adds sqs:GetQueueUrl, which nothing calls: Lambda's poller
    // receives, deletes and reads the queue's attributes with the function's role, and the sender
    // changes visibility (a 429's Retry-After).
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'OutboxQueue',
        actions: [...SENDER_QUEUE_ACTIONS],
        resources: [this.queue.queueArn],
      }),
    );
    this.sender.addEventSourceMapping('OutboxQueue', {
      eventSourceArn: this.queue.queueArn,
      batchSize: OUTBOX_SENDER.batchSize,
      maxConcurrency: OUTBOX_SENDER.concurrency,
      reportBatchItemFailures: true,
    });

    const topic = props.alarmTopic;
    this.deadLetters = atLeastOneAlarm(this, 'DeadLetters', {
      description:
        'Slack outbox messages failed every attempt and wait in the dead-letter queue: their notices were ' +
        'not delivered (the next run decides them again); see the sender log for why.',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: Stats.MAXIMUM,
      }),
      topic,
    });
    this.staleMessages = atLeastOneAlarm(this, 'StaleMessages', {
      description:
        'Slack outbox messages were older than outbox.maxMessageAgeHours and were not sent; the next run ' +
        'decides them again. A backlog that old means the sender or Slack was stuck.',
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: METRIC.outboxStale,
        dimensionsMap: { ...METRICS_SERVICE_DIMENSION },
        statistic: Stats.SUM,
        period: Duration.hours(1),
      }),
      topic,
    });
    this.senderErrors = atLeastOneAlarm(this, 'SenderErrors', {
      description: 'The Slack outbox sender failed a whole batch (the Slack token, the event); see its log.',
      metric: functionErrors(this.sender),
      topic,
    });
  }

  /** The act step may write to the queue: `sqs:SendMessage` on it, nothing else. */
  grantEnqueue(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SlackOutbox',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
  }
}
