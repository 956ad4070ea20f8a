import { format } from 'node:util';

import { type FetchFunction, type Logger, LogLevel, WebClient } from '@slack/web-api';

import { SlackTransportError } from './classify-slack-error';
import { redactToken } from './redact-token';

/** Where WebClient's own error-level log lines go (Powertools' `Logger` and `console` both fit). */
export interface SlackErrorLogger {
  error(message: string): void;
}

/** Settings for {@link createBudgetedWebClient}; the notifier fills in its defaults. */
export interface BudgetedWebClientOptions {
  readonly token: string;
  readonly apiUrl: string;
  /** Transport retries (HTTP 5xx, network errors, timeouts) per call. */
  readonly maxRetries: number;
  readonly retryMinDelayMs: number;
  /** Longest wait between two transport retries; keep it below the notifier's safety margin. */
  readonly retryMaxDelayMs: number;
  readonly requestTimeoutMs: number;
  readonly logger?: SlackErrorLogger;
}

/**
 * A WebClient whose retries and requests cannot outlive `budgetMs` (the Lambda's remaining time
 * minus a safety margin; `Infinity` for no limit). WebClient keeps its retry and timeout settings
 * private, so a client is built per call with that call's budget; building one is cheap.
 *
 * Three limits work together: `retryConfig.maxRetryTime` stops retrying once the budget is spent,
 * `timeout` bounds each attempt, and a deadline signal aborts any attempt still in flight when the
 * budget ends (a later attempt would otherwise get a full `timeout` of its own). What remains is at
 * most one backoff wait, bounded by `retryMaxDelayMs`.
 *
 * 429s are rejected at once (`rejectRateLimitedCalls`) because WebClient would otherwise sleep for
 * `Retry-After` regardless of the budget; the notifier waits for them itself when time allows.
 */
export function createBudgetedWebClient(options: BudgetedWebClientOptions, budgetMs: number): WebClient {
  const bounded = Number.isFinite(budgetMs);
  return new WebClient(options.token, {
    slackApiUrl: options.apiUrl,
    logger: redactingErrorLogger(options.logger, options.token),
    rejectRateLimitedCalls: true,
    timeout: Math.max(1, Math.floor(Math.min(options.requestTimeoutMs, budgetMs))),
    retryConfig: {
      retries: options.maxRetries,
      factor: 2,
      minTimeout: options.retryMinDelayMs,
      maxTimeout: options.retryMaxDelayMs,
      randomize: true,
      ...(bounded ? { maxRetryTime: budgetMs } : {}),
    },
    fetch: budgetedFetch(bounded ? AbortSignal.timeout(Math.max(1, Math.floor(budgetMs))) : undefined),
  });
}

/** `fetch` that also aborts at the budget's deadline and reports failures as {@link SlackTransportError}. */
function budgetedFetch(deadline: AbortSignal | undefined): FetchFunction {
  return async (url, init) => {
    const signals = [init?.signal, deadline].filter((signal) => signal !== undefined);
    try {
      return await fetch(url, { ...init, signal: AbortSignal.any(signals) });
    } catch (error) {
      throw new SlackTransportError(error);
    }
  };
}

/**
 * WebClient logs to the console at INFO by default, including a line per 429 and per failed
 * request. The notifier reports failures through its results instead, so only ERROR lines pass,
 * redacted, and only to a logger the caller supplied. Exported so every WebClient (the CLI's
 * `doctor` probe too) logs through the same redaction.
 */
export function redactingErrorLogger(target: SlackErrorLogger | undefined, token: string): Logger {
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (...msg: unknown[]) => target?.error(redactToken(`Slack WebClient: ${format(...msg)}`, token)),
    setLevel: ignore,
    getLevel: () => LogLevel.ERROR,
    setName: ignore,
  };
}
