/**
 * Errors the AWS adapter throws, and how it reads AWS SDK errors. SDK v3 errors carry the wire
 * code (`NoSuchEntity`) in `Code` and the modelled class name (`NoSuchEntityException`) in
 * `name`; unmodelled ones such as `AccessDenied` or `Throttling` only have `name`.
 */

/** The AWS error code of a failure, e.g. `AccessDenied`; the error name for non-AWS errors. */
export function awsErrorCode(error: unknown): string {
  if (error instanceof RetriesExhaustedError) return error.code;
  // `code` (lower case) is where Node puts network errors such as ECONNRESET.
  const code = readString(error, 'Code') ?? readString(error, 'code') ?? readString(error, 'name');
  return code === undefined || code === 'Error' ? 'Unknown' : code;
}

/** The human part of a failure, without the code. */
export function awsErrorDetail(error: unknown): string {
  if (error instanceof RetriesExhaustedError) return error.detail;
  return (error instanceof Error ? error.message : String(error)) || 'no message';
}

function readString(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found: unknown = (value as Record<string, unknown>)[field];
  return typeof found === 'string' && found !== '' ? found : undefined;
}

/**
 * A retryable failure (throttling, 5xx, network) that outlasted the attempts or the time left.
 * `code` is the last AWS error code seen.
 */
export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
  readonly code: string;
  /** Why we stopped and the last AWS message, e.g. `gave up after 8 attempts; last error: Rate exceeded`. */
  readonly detail: string;

  constructor(
    readonly operation: string,
    readonly attempts: number,
    reason: string,
    readonly lastError: unknown,
    /** True when the time budget ran out (the account resumes next run), not the attempts. */
    readonly outOfTime = false,
  ) {
    const code = awsErrorCode(lastError);
    const detail = `${reason}; last error: ${awsErrorDetail(lastError)}`;
    super(`${operation} failed: ${code} (${detail})`, { cause: lastError });
    this.code = code;
    this.detail = detail;
  }
}

/**
 * A whole account could not be read: the role could not be assumed, or users could not be listed
 * (SPEC §5: the account is reported and skipped, the others are processed).
 */
export class AccountAccessError extends Error {
  override readonly name = 'AccountAccessError';
  /** AWS error code, e.g. `AccessDenied`, `Throttling`. */
  readonly code: string;

  constructor(
    readonly accountId: string,
    /** e.g. `sts:AssumeRole`, `iam:ListUsers`. */
    readonly operation: string,
    readonly roleArn: string,
    cause: unknown,
  ) {
    const code = awsErrorCode(cause);
    // "AssumeRole on <role>" vs "ListUsers as <role>": say which principal made the call.
    const preposition = operation === 'sts:AssumeRole' ? 'on' : 'as';
    super(
      `account ${accountId}: ${operation} ${preposition} ${roleArn} failed: ${code} (${awsErrorDetail(cause)})`,
      { cause },
    );
    this.code = code;
  }
}

/** `UpdateAccessKey` failed for one key; the key is still in its previous state. */
export class KeyDeactivationError extends Error {
  override readonly name = 'KeyDeactivationError';
  readonly code: string;
  readonly operation = 'iam:UpdateAccessKey';

  constructor(
    readonly accountId: string,
    readonly userName: string,
    readonly accessKeyId: string,
    cause: unknown,
  ) {
    const code = awsErrorCode(cause);
    super(
      `account ${accountId}: iam:UpdateAccessKey (Inactive) for ${accessKeyId} of user ${userName} failed: ` +
        `${code} (${awsErrorDetail(cause)})`,
      { cause },
    );
    this.code = code;
  }
}

/** AWS answered in a shape it documents as impossible (no credentials, truncated without marker). */
export class UnexpectedAwsResponseError extends Error {
  override readonly name = 'UnexpectedAwsResponseError';
  readonly code = 'UnexpectedResponse';
}

/** An `AwsIamGateway` option is out of range; names the option and the accepted range. */
export class AwsIamGatewayOptionError extends RangeError {
  override readonly name = 'AwsIamGatewayOptionError';
}
