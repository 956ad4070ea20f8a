import { join } from 'node:path';

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Function as EnforcerLambda,
  type FunctionUrl,
  FunctionUrlAuthType,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { type ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { ENV } from '../../lambda/config/environment';
import { lambdaCode } from '../bundling/lambda-code';
import { configFiles } from './bundled-config';
import { slackFunctionRole } from './slack-function-role';
import { atLeastOneAlarm, functionErrors } from './at-least-one-alarm';

const PROJECT_ROOT = join(__dirname, '..', '..');

/**
 * What the endpoint does to the ledger table: `Query` reads one key's record (`readKey`), `PutItem`
 * writes it conditionally and remembers each Slack request (the replay guard). The same two
 * actions as the daily function; no Scan, GetItem, UpdateItem or DeleteItem.
 */
export const INTERACTIVITY_LEDGER_ACTIONS = ['dynamodb:Query', 'dynamodb:PutItem'] as const;

/** Props of {@link SlackInteractivity}. */
export interface SlackInteractivityProps {
  /**
   * Name of the function's role: member roles trust it by this exact name
   * (`lib/config/hub-role-names.ts`).
   */
  readonly roleName: string;
  readonly ledgerTable: ITable;
  readonly slackTokenSecret: ISecret;
  readonly signingSecret: ISecret;
  /** The engine config as JSON, bundled as the daily function's is. */
  readonly configJson: string;
  /** The daily function's environment (token secret, table, schedule); the signing secret's ARN is added. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetentionDays: number;
  /** Notified when the function fails. @default no alarm */
  readonly alarmTopic?: ITopic;
  /**
   * Concurrent invocations, acknowledgements and jobs together. Button presses are rare; the cap
   * bounds what unsigned requests to the public URL can cost, since each is refused by a running
   * function. @default 5
   */
  readonly reservedConcurrency?: number;
}

/**
 * Slack's interactivity endpoint (issue 11 item 3, SPEC §8): a Lambda behind a Function URL with
 * no AWS authentication, because Slack cannot sign requests with SigV4; it signs them with the
 * app's signing secret instead, and the function verifies every request (signature, 5-minute
 * window, replay) before anything else. The function acknowledges within Slack's 3 seconds and
 * does the work in an asynchronous invocation of itself, so its role may invoke this one function.
 */
export class SlackInteractivity extends Construct {
  readonly function: EnforcerLambda;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly functionUrl: FunctionUrl;
  readonly functionErrors?: Alarm;

  constructor(scope: Construct, id: string, props: SlackInteractivityProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetentionDays as RetentionDays,
      // Who pressed what, and every deactivation asked for in Slack, is in this log.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = slackFunctionRole(this, 'Role', {
      roleName: props.roleName,
      description:
        'access-key-enforcer Slack interactivity: verifies Slack requests, reads and writes key records, ' +
        'reads keys and tags and sets key status through the member role.',
      logGroup: this.logGroup,
      ledgerTable: props.ledgerTable,
      ledgerActions: INTERACTIVITY_LEDGER_ACTIONS,
      secrets: {
        sid: 'SlackSecrets',
        arns: [props.slackTokenSecret.secretArn, props.signingSecret.secretArn],
      },
    });

    this.function = new EnforcerLambda(this, 'Function', {
      description: 'access-key-enforcer: answers the buttons in its Slack messages',
      code: lambdaCode(
        join(PROJECT_ROOT, 'lambda', 'interactive-handler.ts'),
        configFiles(this, props.configJson),
      ),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // More memory is more CPU: a cold start (Bolt, two secrets) must still answer within 3 seconds.
      memorySize: 512,
      // A job reads IAM through the member role with retries; the acknowledgement takes under 3 s.
      timeout: Duration.seconds(60),
      reservedConcurrentExecutions: props.reservedConcurrency ?? 5,
      // A failed job has told the presser to try again; a retry would post its answers twice.
      retryAttempts: 0,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        [ENV.slackSigningSecretArn]: props.signingSecret.secretArn,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });

    // A separate policy, not the role's default one: the function depends on its role (and the
    // default policy), and this statement names the function, which would close a cycle.
    new Policy(this, 'InvokeItself', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'QueueJobsToItself',
          actions: ['lambda:InvokeFunction'],
          resources: [this.function.functionArn],
        }),
      ],
    });

    this.functionUrl = this.function.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    if (props.alarmTopic) {
      this.functionErrors = atLeastOneAlarm(this, 'FunctionErrors', {
        description:
          'The access-key-enforcer Slack interactivity Lambda failed: a button press may have gone unanswered ' +
          '(see its log group).',
        metric: functionErrors(this.function),
        topic: props.alarmTopic,
      });
    }
  }
}
