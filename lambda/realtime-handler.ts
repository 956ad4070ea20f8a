import { type InvocationContext } from './handler';
import { processRealtimeEvent, type RealtimeOutcome } from './realtime/process-realtime-event';
import { type RealtimeHandlerDeps, realtimeDeps } from './runtime/realtime-deps';

export { type RealtimeHandlerDeps } from './runtime/realtime-deps';

/**
 * Thrown after Slack failed, with the alert left `pending` in the ledger: the failed invocation
 * makes Lambda retry the event (a retry takes the pending alert and posts it) and shows on the
 * function's error alarm. If every retry fails too, the daily run sends the alert.
 */
export class RealtimeAlertPendingError extends Error {
  override readonly name = 'RealtimeAlertPendingError';
  constructor(readonly outcome: Extract<RealtimeOutcome, { outcome: 'alert-pending' }>) {
    super(
      `New-key alert for ${outcome.accessKeyId} in ${outcome.accountId} not posted ` +
        `(${outcome.failure.code}); it stays pending for the next attempt or the daily run`,
    );
  }
}

/**
 * The Lambda handler for forwarded `CreateAccessKey` events (SPEC §4, real time). It only wires;
 * `processRealtimeEvent` decides, records and posts. A malformed event throws after one log line
 * that names the bad field, so that it ends up in the rule's dead-letter queue for inspection.
 */
export function createRealtimeHandler(deps: RealtimeHandlerDeps | (() => RealtimeHandlerDeps)) {
  let resolved: RealtimeHandlerDeps | undefined;
  return async (event: unknown, context: InvocationContext = {}): Promise<RealtimeOutcome> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const { logger } = resolved;
    const current = resolved;
    const remainingTimeMs = (): number => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    let outcome: RealtimeOutcome;
    try {
      outcome = await processRealtimeEvent(
        event,
        {
          config: current.config,
          ledger: current.ledger,
          clock: current.clock,
          notifier: () => current.notifier(remainingTimeMs),
          ...(current.tagsFor && { tags: current.tagsFor(remainingTimeMs) }),
        },
        context.awsRequestId ? { invocationId: context.awsRequestId } : {},
      );
    } catch (error) {
      logger.error('realtime event failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    if (outcome.outcome === 'alert-pending') {
      logger.error('realtime alert not posted', { outcome });
      throw new RealtimeAlertPendingError(outcome);
    }
    if ('warning' in outcome) logger.warn('realtime event', { outcome });
    else logger.info('realtime event', { outcome });
    return outcome;
  };
}

/** The deployed entry point. Dependencies are built on first invocation, once per container. */
export const handler = createRealtimeHandler(() => realtimeDeps(process.env));
