import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { join } from 'node:path';

import { AwsIamGateway } from '../adapters/aws/iam-gateway';
import { partitionForRegion } from '../adapters/aws/partition';
import { SelfInvokeQueue } from '../adapters/aws/self-invoke-queue';
import { signedJsonClient } from '../adapters/aws/signed-json-client';
import { SlackSigningSecret } from '../adapters/aws/slack-signing-secret';
import { SlackTokenSecret } from '../adapters/aws/slack-token-secret';
import { DynamoDbLedger } from '../adapters/dynamodb/dynamodb-ledger';
import { DynamoDbReplayGuard } from '../adapters/dynamodb/dynamodb-replay-guard';
import { SlackInteractionsClient } from '../adapters/slack/slack-interactions';
import { SlackNotifier } from '../adapters/slack/slack-notifier';
import { readConfigFile } from '../config/config-file';
import { CONFIG_FILE_NAME, ENV, SERVICE_NAME } from '../config/environment';
import { type InteractiveHandlerDeps } from '../interactive-handler';
import { MissingEnvironmentError } from './default-deps';
import { runTimeFromEnvironment } from './run-schedule-env';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new MissingEnvironmentError(name);
  return value;
}

/**
 * The interactivity function's wiring (issue 11 item 3): the daily function's config file,
 * ledger table and Slack token, plus the signing secret, the replay guard in the ledger table,
 * the queue that invokes this same function, and IAM through the member role. Clients are
 * created once per container; secrets are read on first use and cached.
 */
export function interactiveDeps(env: NodeJS.ProcessEnv): InteractiveHandlerDeps {
  const config = readConfigFile(env[ENV.configFile] ?? join(__dirname, CONFIG_FILE_NAME));
  const region = required(env, 'AWS_REGION');
  const partition = partitionForRegion(region);
  const tableName = required(env, ENV.ledgerTableName);
  const dynamo = new DynamoDBClient({});
  const secrets = new SecretsManagerClient({});
  const signing = new SlackSigningSecret({
    client: secrets,
    secretId: required(env, ENV.slackSigningSecretArn),
  });
  const token = new SlackTokenSecret({ client: secrets, secretId: required(env, ENV.slackTokenSecretArn) });
  const gateway = new AwsIamGateway({ memberRoleName: config.memberRoleName, partition });
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const runTime = runTimeFromEnvironment(env);
  return {
    config,
    clock: { now: () => new Date() },
    logger,
    ...(runTime && { runTime }),
    ledger: new DynamoDbLedger({ tableName, client: dynamo }),
    signingSecret: () => signing.value(),
    replayGuard: new DynamoDbReplayGuard({ tableName, client: dynamo }),
    queue: new SelfInvokeQueue({
      client: signedJsonClient({ service: 'lambda', region, partition, env }),
      functionName: required(env, 'AWS_LAMBDA_FUNCTION_NAME'),
    }),
    slack: async (remainingTimeMs) =>
      new SlackInteractionsClient({
        token: await token.token(),
        apiUrl: config.slack.apiUrl,
        remainingTimeMs,
        logger,
      }),
    notifier: async (remainingTimeMs) =>
      new SlackNotifier({
        token: await token.token(),
        infraChannel: config.slack.infraChannel,
        apiUrl: config.slack.apiUrl,
        remainingTimeMs,
        // A job posts two or three messages at most; pacing them a second apart would only delay the answer.
        channelMinIntervalMs: 0,
        safetyMarginMs: 1000,
      }),
    iamFor: (remainingTimeMs) => gateway.forInvocation(remainingTimeMs),
  };
}
