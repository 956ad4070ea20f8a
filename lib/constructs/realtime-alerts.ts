import { join } from 'node:path';

import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { type CfnEventBus, EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import {
  AccountPrincipal,
  AnyPrincipal,
  PolicyDocument,
  PolicyStatement,
  type Role,
} from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as EnforcerLambda, Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { CREATE_ACCESS_KEY_EVENT } from '../../lambda/domain/realtime-event';
import { REALTIME_TIMEOUT_SECONDS } from '../../lambda/realtime/new-key-claim';
import { lambdaCode } from '../bundling/lambda-code';
import { configFiles } from './bundled-config';
import { slackFunctionRole } from './slack-function-role';
import { atLeastOneAlarm, functionErrors } from './at-least-one-alarm';

/** Repository root: the Lambda is bundled from its sources with the project's lock file. */
const PROJECT_ROOT = join(__dirname, '..', '..');

/** The hub's event bus that member accounts forward `CreateAccessKey` events to. Never rename. */
export const REALTIME_EVENT_BUS_NAME = 'access-key-enforcer-events';

/**
 * What the real-time Lambda does to the ledger: a conditional PutItem to record a new key, and a
 * Query of the key's account when the record already exists (to see whether its alert is owed).
 */
export const REALTIME_LEDGER_ACTIONS = ['dynamodb:PutItem', 'dynamodb:Query'] as const;

/**
 * The EventBridge pattern of a successful `CreateAccessKey`, shared by the member forwarder and
 * the hub rule. Failed calls are dropped at the source; the handler ignores them as well.
 */
export const CREATE_ACCESS_KEY_PATTERN = {
  source: [CREATE_ACCESS_KEY_EVENT.source],
  detailType: [CREATE_ACCESS_KEY_EVENT.detailType],
  detail: {
    eventSource: [CREATE_ACCESS_KEY_EVENT.eventSource],
    eventName: [CREATE_ACCESS_KEY_EVENT.eventName],
    errorCode: [{ exists: false }],
  },
};

/** The ARN of the hub's event bus, for the member stacks (which know the hub only from the config). */
export function realtimeEventBusArn(hubAccountId: string, hubRegion: string): string {
  return `arn:${Aws.PARTITION}:events:${hubRegion}:${hubAccountId}:event-bus/${REALTIME_EVENT_BUS_NAME}`;
}

/** Props of {@link RealtimeAlerts}. */
export interface RealtimeAlertsProps {
  /**
   * Name of the function's role: member roles trust it by this exact name
   * (`lib/config/hub-role-names.ts`).
   */
  readonly roleName: string;
  /** Accounts whose forwarders may put events on the bus (the watched accounts). */
  readonly memberAccountIds: readonly string[];
  /** When set, any account of this AWS Organization may put events (discovered accounts included). @default the listed accounts only */
  readonly organizationId?: string;
  /** The ledger the daily run uses: the two paths coordinate through it. */
  readonly ledgerTable: ITable;
  readonly slackTokenSecret: ISecret;
  /** The engine config as JSON, bundled as the daily function's is: the same wiring reads it. */
  readonly configJson: string;
  /** The daily function's environment (secret ARN, table name): the same wiring reads it. */
  readonly environment: Readonly<Record<string, string>>;
  /** One of the CloudWatch Logs retention periods. */
  readonly logRetentionDays: number;
  /** Notified when the function fails (Slack down, a malformed event). @default no alarm */
  readonly alarmTopic?: ITopic;
  /**
   * Concurrent invocations. Each handles one event in seconds; a burst of keys waits in Lambda's
   * async queue rather than fanning out against Slack's per-channel rate limit (about one post a
   * second; the notifier waits out a 429).
   * @default 2
   */
  readonly reservedConcurrency?: number;
}

/**
 * The hub side of real-time new-key alerts (SPEC §4): an event bus that member accounts forward
 * IAM's `CreateAccessKey` events to, a rule on it, and the Lambda that records the key in the
 * ledger and alerts the infra channel. Events the rule could not deliver, and events the function
 * failed on after its retries, go to one dead-letter queue.
 */
export class RealtimeAlerts extends Construct {
  readonly eventBus: EventBus;
  readonly rule: Rule;
  readonly function: EnforcerLambda;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly deadLetterQueue: Queue;
  readonly functionErrors?: Alarm;

  constructor(scope: Construct, id: string, props: RealtimeAlertsProps) {
    super(scope, id);

    this.eventBus = new EventBus(this, 'EventBus', {
      eventBusName: REALTIME_EVENT_BUS_NAME,
      description: 'access-key-enforcer: CreateAccessKey events forwarded from member accounts',
    });
    // Set on the bus itself rather than as an AWS::Events::EventBusPolicy: one resource, and the
    // policy can name the bus's ARN without referring to its own attribute.
    const busArn = Stack.of(this).formatArn({
      service: 'events',
      resource: 'event-bus',
      resourceName: REALTIME_EVENT_BUS_NAME,
    });
    (this.eventBus.node.defaultChild as CfnEventBus).policy = new PolicyDocument({
      statements: [
        new PolicyStatement({
          sid: 'MemberAccountsPutEvents',
          actions: ['events:PutEvents'],
          // With an organisation, any of its accounts (discovered ones included, and without one
          // ARN per account in a policy that has a size limit); otherwise the configured ones.
          principals: props.organizationId
            ? [new AnyPrincipal()]
            : props.memberAccountIds.map((account) => new AccountPrincipal(account)),
          resources: [busArn],
          ...(props.organizationId && {
            conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
          }),
        }),
      ],
    });

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = slackFunctionRole(this, 'Role', {
      roleName: props.roleName,
      description:
        'access-key-enforcer real-time Lambda: records new keys in the ledger, reads the Slack token.',
      logGroup: this.logGroup,
      ledgerTable: props.ledgerTable,
      ledgerActions: REALTIME_LEDGER_ACTIONS,
      secrets: { sid: 'SlackToken', arns: [props.slackTokenSecret.secretArn] },
    });

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // No AwsSolutions-SQS3 finding to acknowledge: cdk-nag sees the function's DeadLetterConfig.

    // The bundling is the daily function's (lib/bundling/lambda-esbuild.ts).
    this.function = new EnforcerLambda(this, 'Function', {
      description: 'access-key-enforcer: alerts the infra channel about a new IAM access key in real time',
      code: lambdaCode(
        join(PROJECT_ROOT, 'lambda', 'realtime-handler.ts'),
        configFiles(this, props.configJson),
      ),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(REALTIME_TIMEOUT_SECONDS),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 2,
      // A retry finds the alert still pending after a Slack failure and posts it; a retry of an
      // event that was handled finds the key recorded and does nothing.
      retryAttempts: 2,
      // An event every attempt failed on (a malformed one) is kept for inspection.
      deadLetterQueue: this.deadLetterQueue,
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });

    this.rule = new Rule(this, 'CreateAccessKeyRule', {
      description: 'A member account created an IAM access key',
      eventBus: this.eventBus,
      eventPattern: CREATE_ACCESS_KEY_PATTERN,
      targets: [
        new LambdaFunction(this.function, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 4,
          // An alert much later than this is no longer "real time"; the daily run covers the key.
          maxEventAge: Duration.hours(2),
        }),
      ],
    });

    if (props.alarmTopic) {
      this.functionErrors = atLeastOneAlarm(this, 'FunctionErrors', {
        description:
          'The access-key-enforcer real-time Lambda failed: an alert may be left to the daily run, or an ' +
          'event could not be read (see its log group and dead-letter queue).',
        metric: functionErrors(this.function),
        topic: props.alarmTopic,
      });
    }
  }
}
