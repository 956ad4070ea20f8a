/**
 * Names of the Lambda's environment variables: the contract between the CDK stack (`lib/`) and
 * the handler. The Slack token itself is never in the environment, only where to fetch it.
 */
export const ENV = {
  /** The engine config (`EnforcerConfigSchema`) as JSON. */
  config: 'ENFORCER_CONFIG',
  /** ARN of the Secrets Manager secret holding the Slack bot token. */
  slackTokenSecretArn: 'SLACK_TOKEN_SECRET_ARN',
  /** Name of the DynamoDB ledger table. */
  ledgerTableName: 'LEDGER_TABLE_NAME',
} as const;

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
} as const;
