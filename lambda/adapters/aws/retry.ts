import { isThrottlingError as isSdkThrottlingError } from '@smithy/core/retry';

import { RetriesExhaustedError, awsErrorCode } from './errors';

/**
 * Our own retry loop around each SDK `send`: SPEC §5 bounds retries by the invocation's time left
 * (never by a count, for throttling), which the SDK's attempt-bounded strategies cannot express,
 * and aws-sdk-client-mock (which stubs `send`, bypassing the SDK's retry middleware) could not
 * test. The gateway's clients run with SDK retries off so that each request is backed off here,
 * once; counting stays in the SDK's middleware stack (request-counting.ts). The pieces that need to
 * be proven are the SDK's own: its throttling classification and the CUBIC client-side rate
 * (`DefaultRateLimiter`) that its `adaptive` retry mode uses.
 */

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const TRANSIENT_CODES = new Set([
  // IAM's own 5xx and "try again" codes.
  'ServiceFailure',
  'ServiceFailureException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
  // IAM: "the entity is being modified; try again" (documented as retryable).
  'EntityTemporarilyUnavailable',
  'EntityTemporarilyUnavailableException',
  // Network failures and SDK timeouts, which the SDK would otherwise have retried for us.
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
]);

/**
 * IAM's quota errors. The SDK's generic throttling list names `LimitExceededException` (a rate
 * for other services), which is the class IAM's `LimitExceeded` parses into; in IAM it means a
 * quota (keys per user, credential report generation), which waiting does not lift.
 */
const IAM_QUOTA_CODES = new Set(['LimitExceeded']);

/** Throttling by AWS (the SDK's classification, plus IAM's codes): always worth waiting for. */
export function isThrottlingError(error: unknown): boolean {
  const code = awsErrorCode(error);
  if (THROTTLING_CODES.has(code)) return true;
  if (IAM_QUOTA_CODES.has(code)) return false;
  if (typeof error !== 'object' || error === null) return false;
  return isSdkThrottlingError(error as Parameters<typeof isSdkThrottlingError>[0]);
}

/** Throttling, a 5xx from AWS, or a network failure. */
export function isRetryableError(error: unknown): boolean {
  return isThrottlingError(error) || TRANSIENT_CODES.has(awsErrorCode(error)) || isServerFault(error);
}

function isServerFault(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { $fault, $metadata } = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = $metadata?.httpStatusCode;
  return $fault === 'server' || (typeof status === 'number' && status >= 500);
}

/** A client-side send rate, shaped like the SDK's `RateLimiter` (`DefaultRateLimiter` implements it). */
export interface SendRate {
  /** Resolves when a request may be sent. */
  getSendToken(): Promise<void>;
  /** Told about every answer (an error or a response); slows down on throttling, speeds up otherwise. */
  updateClientSendingRate(answer: unknown): void;
}

export interface RetryOptions {
  /**
   * Attempts in total for transient failures (5xx, network). Throttling is never bounded by a
   * count, only by `deadline` (SPEC §5). @default 8
   */
  readonly maxAttempts?: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds left for AWS calls; no backoff is started that would end after it. */
  readonly deadline: () => number;
  /** Bound of the first backoff; doubles each retry. @default 100 */
  readonly baseDelayMs?: number;
  /** Largest backoff bound. @default 20000 */
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Called before every attempt, retries included. */
  readonly onAttempt?: (attempt: number) => void;
  /** The account's client-side rate, shared by every request to that account. */
  readonly rate?: SendRate;
}

/**
 * The largest backoff before retry number `retry` (1-based): `base * 2^(retry-1)`, capped.
 * Full jitter sleeps a uniform random time below it, which spreads out concurrent callers that
 * were throttled together better than equal or decorrelated waits.
 */
export function backoffBound(retry: number, baseDelayMs = 100, maxDelayMs = 20_000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (Math.min(retry, 60) - 1));
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error (rethrown as is), or runs out of
 * time (`RetriesExhaustedError` with `outOfTime`) or, for non-throttling transient failures, of
 * attempts. Throttling alone never ends it while time remains.
 */
export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const random = options.random ?? Math.random;
  const maxAttempts = options.maxAttempts ?? 8;
  let transientFailures = 0;
  for (let attempt = 1; ; attempt++) {
    await options.rate?.getSendToken();
    options.onAttempt?.(attempt);
    try {
      const result = await fn();
      options.rate?.updateClientSendingRate(result);
      return result;
    } catch (error) {
      options.rate?.updateClientSendingRate({ error });
      if (!isRetryableError(error)) throw error;
      if (!isThrottlingError(error) && ++transientFailures >= maxAttempts) {
        throw new RetriesExhaustedError(operation, attempt, `gave up after ${attempt} attempts`, error);
      }
      const delay = Math.floor(random() * backoffBound(attempt, options.baseDelayMs, options.maxDelayMs));
      const remaining = options.deadline();
      if (delay >= remaining) {
        throw new RetriesExhaustedError(
          operation,
          attempt,
          `out of time after ${attempt} attempts: ${Math.max(0, Math.floor(remaining))} ms left, next backoff ${delay} ms`,
          error,
          true,
        );
      }
      await options.sleep(delay);
    }
  }
}
