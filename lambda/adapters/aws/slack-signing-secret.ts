import { CachedSecret, type CachedSecretOptions } from './cached-secret';

/** The signing secret could not be obtained. The message names the secret, never its value. */
export class SlackSigningSecretError extends Error {
  override readonly name = 'SlackSigningSecretError';
  constructor(
    readonly secretId: string,
    message: string,
  ) {
    super(`Slack signing secret from secret ${secretId}: ${message}`);
  }
}

export interface SlackSigningSecretOptions extends CachedSecretOptions {
  /** ARN or name of the secret holding the app's signing secret (plain, or JSON `{"signingSecret":"…"}`). */
  readonly secretId: string;
}

/**
 * The Slack app's signing secret (issue 11 item 3), read from Secrets Manager on the first request
 * of a container and then cached, refreshed after `cacheMs` so that a regenerated secret is picked
 * up without a redeploy. Requests fail closed (401) while it cannot be read.
 */
export class SlackSigningSecret {
  private readonly secret: CachedSecret;

  constructor(options: SlackSigningSecretOptions) {
    this.secret = new CachedSecret(options, {
      jsonField: 'signingSecret',
      // Slack's signing secrets are 32 hexadecimal characters (Basic Information → App Credentials).
      pattern: /^[0-9a-f]{32}$/,
      mismatch:
        'the value is not a Slack signing secret (32 hexadecimal characters; put it in after the first deploy)',
      error: (secretId, message) => new SlackSigningSecretError(secretId, message),
    });
  }

  value(): Promise<string> {
    return this.secret.value();
  }
}
