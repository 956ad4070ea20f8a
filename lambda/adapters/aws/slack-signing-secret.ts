import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import { awsErrorCode } from './errors';

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

export interface SlackSigningSecretOptions {
  readonly client: SecretsManagerClient;
  /** ARN or name of the secret holding the app's signing secret (plain, or JSON `{"signingSecret":"…"}`). */
  readonly secretId: string;
  /** How long a fetched value is reused within a warm container. @default 300000 (5 minutes) */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/** Slack's signing secrets are 32 hexadecimal characters (Basic Information → App Credentials). */
const SIGNING_SECRET = /^[0-9a-f]{32}$/;

/**
 * The Slack app's signing secret (issue 11 item 3), read from Secrets Manager on the first request
 * of a container and then cached, refreshed after `cacheMs` so that a regenerated secret is picked
 * up without a redeploy. Requests fail closed (401) while it cannot be read.
 */
export class SlackSigningSecret {
  private cached?: { value: string; fetchedAt: number };

  constructor(private readonly options: SlackSigningSecretOptions) {}

  async value(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.fetchedAt < (this.options.cacheMs ?? 300_000))
      return this.cached.value;
    const value = parseSigningSecret(await this.fetch(), this.options.secretId);
    this.cached = { value, fetchedAt: now };
    return value;
  }

  private async fetch(): Promise<string> {
    const { secretId } = this.options;
    try {
      const result = await this.options.client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (result.SecretString === undefined)
        throw new SlackSigningSecretError(secretId, 'the secret has no string value');
      return result.SecretString;
    } catch (error) {
      if (error instanceof SlackSigningSecretError) throw error;
      throw new SlackSigningSecretError(secretId, `GetSecretValue failed: ${awsErrorCode(error)}`);
    }
  }
}

function parseSigningSecret(raw: string, secretId: string): string {
  let value = raw.trim();
  if (value.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new SlackSigningSecretError(secretId, 'the secret looks like JSON but does not parse');
    }
    const field =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>).signingSecret
        : undefined;
    if (typeof field !== 'string')
      throw new SlackSigningSecretError(secretId, 'JSON secret has no string "signingSecret" field');
    value = field.trim();
  }
  if (!SIGNING_SECRET.test(value))
    throw new SlackSigningSecretError(
      secretId,
      'the value is not a Slack signing secret (32 hexadecimal characters; put it in after the first deploy)',
    );
  return value;
}
