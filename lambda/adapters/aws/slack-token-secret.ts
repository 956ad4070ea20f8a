import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import { awsErrorCode } from './errors';

/** The Slack token could not be obtained. The message names the secret, never its value. */
export class SlackTokenError extends Error {
  override readonly name = 'SlackTokenError';
  constructor(
    readonly secretId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`Slack bot token from secret ${secretId}: ${message}`, options);
  }
}

export interface SlackTokenSecretOptions {
  readonly client: SecretsManagerClient;
  /** ARN or name of the secret holding the bot token (plain `xoxb-…`, or JSON `{"token":"xoxb-…"}`). */
  readonly secretId: string;
  /** How long a fetched token is reused within a warm container. @default 300000 (5 minutes) */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * Reads the bot token from Secrets Manager once per container (refreshing after `cacheMs`, so a
 * rotated token is picked up without a redeploy). Errors never carry the secret's value.
 */
export class SlackTokenSecret {
  private cached?: { token: string; fetchedAt: number };

  constructor(private readonly options: SlackTokenSecretOptions) {}

  async token(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.fetchedAt < (this.options.cacheMs ?? 300_000))
      return this.cached.token;
    const token = parseToken(await this.fetch(), this.options.secretId);
    this.cached = { token, fetchedAt: now };
    return token;
  }

  private async fetch(): Promise<string> {
    const { secretId } = this.options;
    try {
      const result = await this.options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (result.SecretString === undefined)
        throw new SlackTokenError(secretId, 'the secret has no string value');
      return result.SecretString;
    } catch (error) {
      if (error instanceof SlackTokenError) throw error;
      const code = awsErrorCode(error);
      const hint =
        code === 'ResourceNotFoundException'
          ? ' (no value yet? put the token with: aws secretsmanager put-secret-value --secret-id <arn> --secret-string xoxb-...)'
          : '';
      // The SDK error is kept as the cause only by code: its message cannot contain the value, but
      // nothing here needs more than the code.
      throw new SlackTokenError(secretId, `GetSecretValue failed: ${code}${hint}`);
    }
  }
}

function parseToken(raw: string, secretId: string): string {
  let token = raw.trim();
  if (token.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(token);
    } catch {
      throw new SlackTokenError(secretId, 'the secret looks like JSON but does not parse');
    }
    const field =
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).token : undefined;
    if (typeof field !== 'string')
      throw new SlackTokenError(secretId, 'JSON secret has no string "token" field');
    token = field.trim();
  }
  if (!/^xox[a-z]-/.test(token)) {
    throw new SlackTokenError(secretId, 'the value is not a Slack token (expected it to start with xoxb-)');
  }
  return token;
}
