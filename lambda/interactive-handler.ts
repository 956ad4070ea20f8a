import { type AwsHandler, type AwsResponse } from '@slack/bolt/dist/receivers/AwsLambdaReceiver';

import { type EnforcerConfig } from './config/schema';
import { type DailyRunTime } from './domain/run-time';
import { type InvocationContext } from './handler';
import { createAcknowledger } from './interactive/acknowledge';
import {
  type InteractiveIam,
  type KeyRecordReader,
  type ReplayGuard,
  type SlackInteractions,
  type WorkQueue,
} from './interactive/interactive-ports';
import { guardRequest, parseFunctionUrlRequest, rawBody } from './interactive/request-guard';
import { parseJobEvent, runInteractiveJob } from './interactive/run-job';
import { type JobOutcome } from './interactive/work-context';
import { type Clock, type Ledger, type Notifier } from './ports';
import { interactiveDeps } from './runtime/interactive-deps';
import { type RunLogger } from './runtime/run-telemetry';

/**
 * Slack wants its answer within 3 seconds; what the acknowledgement itself calls (the signing
 * secret, `views.open`) gets what is left of 2.5 of them, keeping room for the response itself.
 */
export const ACK_BUDGET_MS = 2500;
/** Kept back from a job's Lambda time for its last ledger write and log line. */
const WORK_RESERVE_MS = 3000;

/** The interactivity function's wiring; built once per container by `interactiveDeps()`. */
export interface InteractiveHandlerDeps {
  readonly config: EnforcerConfig;
  readonly clock: Clock;
  readonly logger: RunLogger;
  readonly runTime?: DailyRunTime;
  readonly ledger: Ledger & KeyRecordReader;
  /** The app's signing secret, from Secrets Manager, cached per container. */
  readonly signingSecret: () => Promise<string>;
  readonly replayGuard: ReplayGuard;
  readonly queue: WorkQueue;
  readonly slack: (remainingTimeMs: () => number) => Promise<SlackInteractions>;
  readonly notifier: (remainingTimeMs: () => number) => Promise<Notifier>;
  readonly iamFor: (remainingTimeMs: () => number) => InteractiveIam;
}

/** An event that is neither a request through the Function URL nor one of this function's jobs. */
export class UnknownInteractiveEventError extends Error {
  override readonly name = 'UnknownInteractiveEventError';
}

/**
 * The interactivity endpoint (issue 11 item 3, SPEC §8). Two kinds of invocation:
 * - a Slack request through the Function URL: verified (signature, time window, replay) before
 *   anything else, then answered by the Bolt app, which acknowledges at once and queues the work;
 * - a job from that queue (an asynchronous invocation of this same function): the work itself.
 * Two arguments and a promise: the Node.js 24 runtime refuses callback handlers (bolt-js#2761).
 */
export function createInteractiveHandler(deps: InteractiveHandlerDeps | (() => InteractiveHandlerDeps)) {
  let resolved: InteractiveHandlerDeps | undefined;
  let acknowledger: { readonly secret: string; readonly answer: AwsHandler } | undefined;
  // A container serves one request at a time: the acknowledgement's Slack calls get this one's budget.
  let ackLeft: () => number = () => ACK_BUDGET_MS;

  const acknowledgerFor = (secret: string, current: InteractiveHandlerDeps): AwsHandler => {
    // Built once per signing secret: a secret regenerated in Slack (and Secrets Manager) rebuilds it.
    if (acknowledger?.secret !== secret) {
      const answer = createAcknowledger(secret, {
        config: current.config,
        clock: current.clock,
        queue: current.queue,
        logger: current.logger,
        slack: () => current.slack(() => ackLeft()),
      });
      acknowledger = { secret, answer };
    }
    return acknowledger.answer;
  };

  return async (event: unknown, context: InvocationContext = {}): Promise<AwsResponse | JobOutcome> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const current = resolved;
    const lambdaLeft = (): number => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;

    const request = parseFunctionUrlRequest(event);
    if (request) {
      const deadline = performance.now() + ACK_BUDGET_MS;
      ackLeft = () => Math.min(deadline - performance.now(), lambdaLeft() - 200);
      let secret: string;
      try {
        secret = await current.signingSecret();
      } catch (error) {
        current.logger.error('signing secret unavailable', { error: errorText(error) });
        return { statusCode: 500, body: '' };
      }
      const verdict = await guardRequest(request, secret, current.clock.now(), current.replayGuard);
      if (!verdict.ok) {
        current.logger.warn('request refused', { reason: verdict.reason });
        return { statusCode: 401, body: '' };
      }
      const answer = acknowledgerFor(secret, current);
      return answer({ ...request, body: rawBody(request), isBase64Encoded: false }, context);
    }

    const job = parseJobEvent(event);
    if (!job) {
      current.logger.error('unknown event', {});
      throw new UnknownInteractiveEventError('not a Slack request through the Function URL, nor a job');
    }
    const remainingTimeMs = (): number => lambdaLeft() - WORK_RESERVE_MS;
    const outcome = await runInteractiveJob(
      {
        config: current.config,
        clock: current.clock,
        ledger: current.ledger,
        iam: current.iamFor(remainingTimeMs),
        notifier: await current.notifier(remainingTimeMs),
        slack: await current.slack(remainingTimeMs),
        ...(current.runTime ? { runTime: current.runTime } : {}),
      },
      job,
    );
    if (outcome.outcome === 'failed') current.logger.error('interaction job', { ...outcome });
    else current.logger.info('interaction job', { ...outcome });
    return outcome;
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The deployed entry point. Dependencies are built on first invocation, once per container. */
export const handler = createInteractiveHandler(() => interactiveDeps(process.env));
