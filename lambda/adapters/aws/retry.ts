import { RetriesExhaustedError, awsErrorCode } from './errors';

/**
 * Our own retry loop. The SDK has one, but aws-sdk-client-mock stubs `send` and bypasses it, so
 * behaviour we promise (SPEC §5: never give up on throttling alone while time remains) would be
 * untestable; the gateway also builds its clients with SDK retries off so that every request is
 * counted and backed off here, once.
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

/** Throttling by AWS: always worth waiting for. */
export function isThrottlingError(error: unknown): boolean {
  return THROTTLING_CODES.has(awsErrorCode(error));
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

export interface RetryOptions {
  /** Attempts in total, the first included. */
  readonly maxAttempts: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds left for AWS calls; no backoff is started that would end after it. */
  readonly deadline?: () => number;
  /** Bound of the first backoff; doubles each retry. @default 100 */
  readonly baseDelayMs?: number;
  /** Largest backoff bound. @default 20000 */
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Called before every attempt, retries included (for call counting). */
  readonly onAttempt?: (attempt: number) => void;
}

/**
 * The largest backoff before retry number `retry` (1-based): `base * 2^(retry-1)`, capped.
 * Full jitter sleeps a uniform random time below it, which spreads out concurrent callers that
 * were throttled together better than equal or decorrelated waits.
 */
export function backoffBound(retry: number, baseDelayMs = 100, maxDelayMs = 20_000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1));
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error (rethrown as is), or runs out of
 * attempts or time (`RetriesExhaustedError` naming the operation and the last AWS error).
 */
export async function withRetry<T>(
  operation: string,
  fn: () => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    options.onAttempt?.(attempt);
    try {
      return await fn();
    } catch (error) {
      if (!isRetryableError(error)) throw error;
      if (attempt >= options.maxAttempts) {
        throw new RetriesExhaustedError(operation, attempt, `gave up after ${attempt} attempts`, error);
      }
      const delay = Math.floor(random() * backoffBound(attempt, options.baseDelayMs, options.maxDelayMs));
      const remaining = options.deadline?.();
      if (remaining !== undefined && delay >= remaining) {
        throw new RetriesExhaustedError(
          operation,
          attempt,
          `gave up after ${attempt} attempts: ${Math.max(0, Math.floor(remaining))} ms left, next backoff ${delay} ms`,
          error,
        );
      }
      await options.sleep(delay);
    }
  }
}
