import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { join } from 'node:path';

import { AwsIamGateway } from '../adapters/aws/iam-gateway';
import { OrganizationAccounts } from '../adapters/aws/organizations';
import { partitionForRegion } from '../adapters/aws/partition';
import { AwsSecurityHubImporter } from '../adapters/aws/security-hub-importer';
import { signedJsonClient } from '../adapters/aws/signed-json-client';
import { SlackTokenSecret } from '../adapters/aws/slack-token-secret';
import { DynamoDbLedger } from '../adapters/dynamodb/dynamodb-ledger';
import { type ChannelPacer } from '../adapters/slack/channel-pacer';
import { SlackNotifier } from '../adapters/slack/slack-notifier';
import { readConfigFile } from '../config/config-file';
import { CONFIG_FILE_NAME, ENV, METRICS_NAMESPACE, SERVICE_NAME } from '../config/environment';
import { type EnforcerConfig } from '../config/schema';
import { type HandlerDeps } from '../handler';
import { type KeyRecordReader, type Ledger } from '../ports';
import { type AccountDiscovery } from './run-accounts';
import { runTimeFromEnvironment } from './run-schedule-env';

export class MissingEnvironmentError extends Error {
  override readonly name = 'MissingEnvironmentError';
  constructor(variable: string) {
    super(`Environment variable ${variable} is not set; it is set by the CDK stack (lib/hub-stack.ts)`);
  }
}

export function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new MissingEnvironmentError(name);
  return value;
}

/**
 * What every deployed entry point needs: the config, the ledger, the clock, Slack and a logger.
 * The daily handler adds IAM and metrics; the real-time handler needs no more than this.
 */
export type CommonDeps = Pick<HandlerDeps, 'config' | 'clock' | 'notifier' | 'logger'> & {
  /** The ledger, which the outbox sender also reads key by key. */
  readonly ledger: Ledger & KeyRecordReader;
};

/**
 * Builds the shared part of the deployed wiring: config read from the bundled file and validated
 * at start-up (SPEC §5), AWS clients created once per container, the token fetched per invocation
 * from Secrets Manager (and cached by {@link SlackTokenSecret}).
 */
export function commonDeps(
  env: NodeJS.ProcessEnv,
  /** A channel pacer shared by every invocation's notifier (the outbox sender's). @default one per notifier */
  options: { readonly pacer?: ChannelPacer } = {},
): CommonDeps {
  // In the bundle `__dirname` is the asset root (/var/task), where the stack put the file.
  const config = readConfigFile(env[ENV.configFile] ?? join(__dirname, CONFIG_FILE_NAME));
  const tokenSecret = new SlackTokenSecret({
    client: new SecretsManagerClient({}),
    secretId: required(env, ENV.slackTokenSecretArn),
  });
  return {
    config,
    ledger: new DynamoDbLedger({ tableName: required(env, ENV.ledgerTableName) }),
    clock: { now: () => new Date() },
    notifier: async (remainingTimeMs) =>
      new SlackNotifier({
        token: await tokenSecret.token(),
        infraChannel: config.slack.infraChannel,
        apiUrl: config.slack.apiUrl,
        remainingTimeMs,
        ...(options.pacer ? { pacer: options.pacer } : {}),
      }),
    logger: new Logger({ serviceName: SERVICE_NAME }),
  };
}

/** Discovery through the management read role, when the config enables it; clients built once. */
function accountDiscoveryFor(config: EnforcerConfig, region: string): AccountDiscovery | undefined {
  const { organization } = config;
  if (organization?.enabled !== true) return undefined;
  const sts = new STSClient({ region, maxAttempts: 1 });
  return (remainingTimeMs) =>
    new OrganizationAccounts({
      sts,
      managementRoleArn: organization.managementRoleArn,
      region,
      retry: { sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), deadline: remainingTimeMs },
    }).list(organization);
}

/** The hub account's Security Hub, in the function's own region, when the config enables it. */
function securityHubFor(config: EnforcerConfig, env: NodeJS.ProcessEnv): AwsSecurityHubImporter | undefined {
  if (config.securityHub?.enabled !== true) return undefined;
  const region = required(env, 'AWS_REGION');
  const partition = partitionForRegion(region);
  return new AwsSecurityHubImporter({
    client: signedJsonClient({ service: 'securityhub', region, partition, env }),
    target: { partition, region, hubAccountId: required(env, ENV.hubAccountId) },
  });
}

/**
 * Builds the daily handler's wiring from the environment: {@link commonDeps} plus the IAM
 * gateway, whose deadline follows the current invocation, and metrics.
 */
export function defaultDeps(env: NodeJS.ProcessEnv): HandlerDeps {
  const common = commonDeps(env);
  // The gateway (sessions, rates, counts) lives for the container; each invocation binds its own budget.
  const gateway = new AwsIamGateway({
    memberRoleName: common.config.memberRoleName,
    partition: partitionForRegion(env.AWS_REGION),
  });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
  const discoverAccounts = accountDiscoveryFor(common.config, env.AWS_REGION ?? 'us-east-1');
  const runTime = runTimeFromEnvironment(env);
  const securityHub = securityHubFor(common.config, env);
  return {
    ...common,
    ...(discoverAccounts && { discoverAccounts }),
    ...(runTime && { runTime }),
    ...(securityHub && { securityHub }),
    reader: gateway,
    deactivator: gateway,
    iamFor: (remainingTimeMs) => {
      const bound = gateway.forInvocation(remainingTimeMs);
      return { reader: bound, deactivator: bound };
    },
    metrics: {
      addMetric: (name, _unit, value) => metrics.addMetric(name, MetricUnit.Count, value),
      publishStoredMetrics: () => metrics.publishStoredMetrics(),
    },
  };
}
