import { CachedSecret, type CachedSecretOptions } from './cached-secret';

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

export interface SlackTokenSecretOptions extends CachedSecretOptions {
  /** ARN or name of the secret holding the bot token (plain `xoxb-…`, or JSON `{"token":"xoxb-…"}`). */
  readonly secretId: string;
}

/**
 * Reads the bot token from Secrets Manager once per container (refreshing after `cacheMs`, so a
 * rotated token is picked up without a redeploy). Errors never carry the secret's value.
 */
export class SlackTokenSecret {
  private readonly secret: CachedSecret;

  constructor(options: SlackTokenSecretOptions) {
    this.secret = new CachedSecret(options, {
      jsonField: 'token',
      pattern: /^xox[a-z]-/,
      mismatch: 'the value is not a Slack token (expected it to start with xoxb-)',
      notFoundHint:
        ' (no value yet? put the token with: aws secretsmanager put-secret-value --secret-id <arn> --secret-string xoxb-...)',
      error: (secretId, message) => new SlackTokenError(secretId, message),
    });
  }

  token(): Promise<string> {
    return this.secret.value();
  }
}
