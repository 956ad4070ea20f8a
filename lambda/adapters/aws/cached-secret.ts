import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import { awsErrorCode } from './errors';

export interface CachedSecretOptions {
  readonly client: SecretsManagerClient;
  /** ARN or name of the secret. */
  readonly secretId: string;
  /** How long a fetched value is reused within a warm container. @default 300000 (5 minutes) */
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/** How one kind of Slack secret is stored: plain, or JSON with one field, and what it must look like. */
export interface SecretFormat {
  /** The field of a JSON secret that holds the value. */
  readonly jsonField: string;
  readonly pattern: RegExp;
  /** Why a value that does not match is refused. */
  readonly mismatch: string;
  /** Added to a `ResourceNotFoundException`: how to put the value in. @default nothing */
  readonly notFoundHint?: string;
  /** The error to throw; its message names the secret, never its value. */
  readonly error: (secretId: string, message: string) => Error;
}

/**
 * A Slack secret read from Secrets Manager on first use in a container and cached, refreshed after
 * `cacheMs` so a value replaced in Slack and in the secret is picked up without a redeploy.
 * Errors never carry the value: an SDK error is reduced to its code.
 */
export class CachedSecret {
  private cached?: { value: string; fetchedAt: number };

  constructor(
    private readonly options: CachedSecretOptions,
    private readonly format: SecretFormat,
  ) {}

  async value(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.cached && now - this.cached.fetchedAt < (this.options.cacheMs ?? 300_000))
      return this.cached.value;
    const value = this.parse(await this.fetch());
    this.cached = { value, fetchedAt: now };
    return value;
  }

  private fail(message: string): Error {
    return this.format.error(this.options.secretId, message);
  }

  private async fetch(): Promise<string> {
    let result;
    try {
      result = await this.options.client.send(new GetSecretValueCommand({ SecretId: this.options.secretId }));
    } catch (error) {
      const code = awsErrorCode(error);
      const hint = code === 'ResourceNotFoundException' ? (this.format.notFoundHint ?? '') : '';
      throw this.fail(`GetSecretValue failed: ${code}${hint}`);
    }
    if (result.SecretString === undefined) throw this.fail('the secret has no string value');
    return result.SecretString;
  }

  private parse(raw: string): string {
    let value = raw.trim();
    if (value.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw this.fail('the secret looks like JSON but does not parse');
      }
      const field =
        typeof parsed === 'object' && parsed !== null
          ? (parsed as Record<string, unknown>)[this.format.jsonField]
          : undefined;
      if (typeof field !== 'string')
        throw this.fail(`JSON secret has no string "${this.format.jsonField}" field`);
      value = field.trim();
    }
    if (!this.format.pattern.test(value)) throw this.fail(this.format.mismatch);
    return value;
  }
}
