/**
 * Names of the Lambda's environment variables: the contract between the CDK stack (`lib/`) and
 * the handler. The Slack token itself is never in the environment, only where to fetch it.
 */
export const ENV = {
  /**
   * Path of the engine config file, for tests and local runs only. @default the bundled
   * {@link CONFIG_FILE_NAME} next to the handler
   */
  configFile: 'ENFORCER_CONFIG_FILE',
  /** ARN of the Secrets Manager secret holding the Slack bot token. */
  slackTokenSecretArn: 'SLACK_TOKEN_SECRET_ARN',
  /** ARN of the Secrets Manager secret holding the Slack app's signing secret (interactivity only). */
  slackSigningSecretArn: 'SLACK_SIGNING_SECRET_ARN',
  /** Name of the DynamoDB ledger table. */
  ledgerTableName: 'LEDGER_TABLE_NAME',
  /**
   * The schedule that starts the run, `{"cron": "...", "timeZone": "..."}`, so messages can say at
   * what time the run that acts happens. @default the current run's time of day
   */
  runSchedule: 'ENFORCER_RUN_SCHEDULE',
  /** Name of the state machine's run bucket (plans and results); set on the step handler only. */
  runBucketName: 'RUN_BUCKET_NAME',
  /** The hub account id, whose Security Hub product receives findings (set only with `securityHub.enabled`). */
  hubAccountId: 'HUB_ACCOUNT_ID',
  /**
   * URL of the Slack outbox's FIFO queue (issue 12 item 4): set on the step handler, whose act step
   * then queues its notices, and on the outbox sender. Absent: notices are sent in process.
   */
  outboxQueueUrl: 'OUTBOX_QUEUE_URL',
} as const;

/**
 * The engine config (`EnforcerConfigSchema`) as JSON, bundled next to the handler's `index.js`.
 * Not an environment variable: those share 4 KB, which held about 67 accounts (issue 12).
 */
export const CONFIG_FILE_NAME = 'enforcer-config.json';

/** Powertools service name: the `service` dimension of every metric and a field of every log line. */
export const SERVICE_NAME = 'access-key-enforcer';

/** CloudWatch namespace of the run metrics; alarms in the stack read the same names. */
export const METRICS_NAMESPACE = 'AccessKeyEnforcer';
export const METRIC = {
  accountsFailed: 'AccountsFailed',
  accountsOk: 'AccountsOk',
  reminders: 'RemindersSent',
  deactivations: 'KeysDeactivated',
  newKeys: 'NewKeysAlerted',
  errors: 'Errors',
  successfulRuns: 'SuccessfulRuns',
  /** The outbox sender (issue 12 item 4): messages Slack confirmed, reported stale, and sent back to the queue. */
  outboxDelivered: 'OutboxMessagesDelivered',
  outboxStale: 'OutboxMessagesStale',
  outboxRetried: 'OutboxMessagesRetried',
} as const;
