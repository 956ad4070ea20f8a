import { parseOutboxEvent } from '../adapters/aws/outbox-message-codec';
import { type EnforcerConfig } from '../config/schema';
import { type InvocationContext } from '../handler';
import { type Clock, type KeyRecordReader, type Ledger, type Notifier } from '../ports';
import { type RunLogger, type RunMetrics } from '../runtime/run-telemetry';
import { type BatchResponse, type MessageVisibility, processOutboxBatch } from './process-outbox-batch';

/** What the outbox sender wires; built once per container. */
export interface OutboxSenderDeps {
  readonly config: EnforcerConfig;
  readonly ledger: Ledger & KeyRecordReader;
  readonly clock: Clock;
  /**
   * The notifier for one invocation, bounded by its time left. Its channel pacer must outlive the
   * invocation (one container serves one invocation after another).
   */
  readonly notifier: (remainingTimeMs: () => number) => Promise<Notifier>;
  readonly visibility: MessageVisibility;
  readonly logger: RunLogger;
  readonly metrics: RunMetrics;
}

/**
 * The outbox sender Lambda (issue 12 item 4): an SQS event source with `ReportBatchItemFailures`,
 * at most `OUTBOX_SENDER.concurrency` at once, each pacing its share of the infra channel. Only wires.
 */
export function createOutboxSender(deps: OutboxSenderDeps | (() => OutboxSenderDeps)) {
  let resolved: OutboxSenderDeps | undefined;
  return async (event: unknown, context: InvocationContext = {}): Promise<BatchResponse> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const remainingTimeMs = (): number => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    const records = parseOutboxEvent(event);
    try {
      const notifier = await resolved.notifier(remainingTimeMs);
      return await processOutboxBatch(records, { ...resolved, notifier, remainingTimeMs });
    } finally {
      resolved.metrics.publishStoredMetrics();
    }
  };
}
