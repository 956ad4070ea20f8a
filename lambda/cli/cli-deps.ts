import { STSClient } from '@aws-sdk/client-sts';
import { LogLevel, WebClient } from '@slack/web-api';

import { AwsIamGateway } from '../adapters/aws/iam-gateway';
import { DynamoDbLedger } from '../adapters/dynamodb/dynamodb-ledger';
import { FileLedger } from '../adapters/file-ledger';
import { redactingErrorLogger } from '../adapters/slack/budgeted-web-client';
import { redactToken } from '../adapters/slack/redact-token';
import { SlackNotifier } from '../adapters/slack/slack-notifier';
import { type EnforcerConfig } from '../config/schema';
import { type AccountReader, type Clock, type KeyDeactivator, type Ledger, type Notifier } from '../ports';
import { type CliIo } from './cli-io';

/** The one Slack answer `doctor` needs: `ok`, or Slack's error code. */
export interface SlackProbeResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly detail?: string;
}

/** Read-only Slack calls for `doctor`: nothing here can post a message. */
export interface SlackProbe {
  authTest(): Promise<SlackProbeResult>;
  channelInfo(channel: string): Promise<SlackProbeResult>;
}

/** Everything a command touches, injected so tests run commands in-process without AWS or Slack. */
export interface CliDeps {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly clock: Clock;
  /** IAM through the member role of each account, as the Lambda reads it. */
  readonly iam: (
    config: EnforcerConfig,
    options: { includeLastUsed: boolean },
  ) => AccountReader & KeyDeactivator;
  readonly notifier: (token: string, config: EnforcerConfig) => Notifier;
  readonly slackProbe: (token: string, apiUrl: string) => SlackProbe;
  readonly dynamoLedger: (tableName: string) => Ledger;
  readonly fileLedger: (path: string) => Promise<Ledger & { close(): Promise<void> }>;
  readonly readFile?: (path: string) => string;
  /** `--demo`: Slack is simulated in-process, so a real run needs no `SLACK_BOT_TOKEN`. */
  readonly slackIsSimulated?: boolean;
}

/** The real wiring: the standard AWS credential chain (AWS_PROFILE, SSO, aws-vault), real Slack. */
export function defaultCliDeps(): CliDeps {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stderrIsTty: process.stderr.isTTY === true,
  };
  return {
    io,
    env: process.env,
    clock: { now: () => new Date() },
    iam: (config, options) =>
      new AwsIamGateway({
        memberRoleName: config.memberRoleName,
        includeLastUsed: options.includeLastUsed,
        // AssumeRole works from any region; a laptop without a configured region should still work.
        sts: new STSClient({
          region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
          maxAttempts: 1,
        }),
      }),
    notifier: (token, config) =>
      new SlackNotifier({ token, infraChannel: config.slack.infraChannel, apiUrl: config.slack.apiUrl }),
    slackProbe: (token, apiUrl) => slackProbeFor(token, apiUrl, io, 1),
    dynamoLedger: (tableName) => new DynamoDbLedger({ tableName }),
    fileLedger: (path) => FileLedger.open(path),
  };
}

/**
 * The real `doctor` probe: a WebClient whose own error lines go, redacted, to stderr, and whose
 * answers are redacted too (SPEC §10: the token never appears in output, even when Slack or a
 * proxy echoes it).
 */
export function slackProbeFor(token: string, apiUrl: string, io: CliIo, retries: number): SlackProbe {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl,
    logger: redactingErrorLogger({ error: (line) => io.stderr(`${line}\n`) }, token),
    logLevel: LogLevel.ERROR,
    retryConfig: { retries },
  });
  return webClientProbe(client, token);
}

/** Wraps a WebClient so failures come back as Slack's error code (redacted), never as a thrown error. */
export function webClientProbe(client: WebClient, token: string): SlackProbe {
  const call = async (method: () => Promise<unknown>): Promise<SlackProbeResult> => {
    try {
      await method();
      return { ok: true };
    } catch (error) {
      const data = (error as { data?: { error?: string; needed?: string } }).data;
      return {
        ok: false,
        error: redactToken(data?.error ?? (error as { code?: string }).code ?? 'request_failed', token),
        ...(data?.needed ? { detail: redactToken(`needs scope ${data.needed}`, token) } : {}),
      };
    }
  };
  return {
    authTest: () => call(() => client.auth.test()),
    channelInfo: (channel) => call(() => client.conversations.info({ channel })),
  };
}
