import { METRIC } from '../config/environment';
import { HOUR_MS } from '../domain/dates';
import { type OutboxMessage } from '../domain/outbox/outbox-message';
import { errorMessage } from '../engine/execute-plan';
import { type RunLogger, type RunMetrics } from '../runtime/run-telemetry';
import { type DeliverContext, deliverMessage, type MessageOutcome } from './deliver-message';

/** One message of an SQS event, as the adapter read it. */
export interface OutboxRecord {
  /** SQS's id, which a batch item failure names. */
  readonly sqsMessageId: string;
  readonly receiptHandle: string;
  /** `ApproximateReceiveCount`: 1 on the first delivery. */
  readonly receiveCount: number;
  /** The FIFO message group: one key, or one account's channel posts. */
  readonly group: string;
  /** Undefined when the body could not be read; `problem` says why. */
  readonly message?: OutboxMessage;
  readonly problem?: string;
}

/** When an unsent message is next received (SQS `ChangeMessageVisibility`). */
export interface MessageVisibility {
  delay(receiptHandle: string, seconds: number): Promise<void>;
}

export interface BatchDeps extends DeliverContext {
  readonly visibility: MessageVisibility;
  readonly logger: RunLogger;
  readonly metrics: RunMetrics;
  /** Time left in the invocation. @default unlimited */
  readonly remainingTimeMs?: () => number;
  /** Sends one message. @default {@link deliverMessage} (tests of the batch's order give their own) */
  readonly deliver?: (message: OutboxMessage, ctx: DeliverContext) => Promise<MessageOutcome>;
}

/** Lambda's answer for an SQS event source with `ReportBatchItemFailures`. */
export interface BatchResponse {
  readonly batchItemFailures: readonly { readonly itemIdentifier: string }[];
}

/** Below this, no further message is started: the invocation must answer before its timeout. */
export const SENDER_TIME_RESERVE_MS = 15_000;
/**
 * Slack failing, or the key held by a run (the act step that queued the message lets go within
 * seconds; a crashed run's lease ends after 20 minutes): 30 s, doubling with each receive, to 15 minutes.
 */
const RETRY_BASE_SECONDS = 30;
const MAX_DELAY_SECONDS = 900;

/**
 * The outbox sender's batch (issue 12 item 4): messages are sent one at a time, in the order SQS
 * gave them, through the paced notifier. FIFO order holds per group: once a message fails, the
 * group's later messages in the batch are not tried and go back with it. A 429 Slack did not let
 * the notifier wait out stops the batch and every unsent message returns after `Retry-After`.
 * Unsent messages are reported as batch item failures; nothing is dropped: after the queue's
 * receive limit they move to the dead-letter queue, which alarms.
 */
export async function processOutboxBatch(
  records: readonly OutboxRecord[],
  deps: BatchDeps,
): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  const failedGroups = new Map<string, number | undefined>();
  const counts = { delivered: 0, alreadyDelivered: 0, stale: 0, superseded: 0, retried: 0, unreadable: 0 };
  let rateLimitedFor: number | undefined;

  const fail = async (record: OutboxRecord, delaySeconds: number | undefined): Promise<void> => {
    failures.push({ itemIdentifier: record.sqsMessageId });
    if (delaySeconds === undefined) return;
    try {
      await deps.visibility.delay(record.receiptHandle, delaySeconds);
    } catch (error) {
      // The message comes back after the queue's visibility timeout instead.
      deps.logger.warn('outbox visibility not changed', {
        id: record.sqsMessageId,
        error: errorMessage(error),
      });
    }
  };

  for (const record of records) {
    if (rateLimitedFor !== undefined) {
      await fail(record, rateLimitedFor);
      continue;
    }
    if (failedGroups.has(record.group)) {
      await fail(record, failedGroups.get(record.group));
      continue;
    }
    if ((deps.remainingTimeMs?.() ?? Infinity) < SENDER_TIME_RESERVE_MS) {
      await fail(record, 0);
      continue;
    }
    const { message } = record;
    if (!message) {
      counts.unreadable += 1;
      deps.logger.error('outbox message unreadable', { id: record.sqsMessageId, problem: record.problem });
      // Left to the queue's visibility timeout: after the receive limit it moves to the dead-letter queue.
      failedGroups.set(record.group, undefined);
      await fail(record, undefined);
      continue;
    }
    const outcome = await deliverSafely(message, deps);
    const where = { id: message.id, runId: message.runId, queuedAt: message.queuedAt };
    switch (outcome.kind) {
      case 'delivered':
        counts.delivered += 1;
        deps.logger.info('outbox message delivered', { ...where, to: outcome.to });
        if (outcome.unrecorded)
          deps.logger.warn(
            'outbox channel post delivered but not recorded; a second copy of the message may post it again',
            {
              ...where,
              error: outcome.unrecorded,
            },
          );
        break;
      case 'already-delivered':
        counts.alreadyDelivered += 1;
        deps.logger.info('outbox message already delivered; not sent again', where);
        break;
      case 'stale':
        counts.stale += 1;
        deps.logger.warn('outbox message stale; not sent, the next run decides again', {
          ...where,
          ageHours: Math.round((outcome.ageMs / HOUR_MS) * 10) / 10,
        });
        break;
      case 'superseded':
        counts.superseded += 1;
        deps.logger.info('outbox message superseded; not sent, the next run decides again', {
          ...where,
          reason: outcome.reason,
        });
        break;
      case 'retry': {
        counts.retried += 1;
        const delay = retryDelaySeconds(outcome, record.receiveCount);
        const fields = {
          ...where,
          reason: outcome.reason,
          detail: outcome.detail,
          receiveCount: record.receiveCount,
          retryInSeconds: delay,
        };
        // A broken token or channel will not mend by waiting: an error line for the log alarm.
        if (outcome.misconfigured) deps.logger.error('outbox message not sent; retried', fields);
        else deps.logger.warn('outbox message not sent; retried', fields);
        if (outcome.reason === 'rate-limited') rateLimitedFor = delay;
        else failedGroups.set(record.group, delay);
        await fail(record, delay);
        break;
      }
    }
  }
  deps.metrics.addMetric(METRIC.outboxDelivered, 'Count', counts.delivered);
  deps.metrics.addMetric(METRIC.outboxStale, 'Count', counts.stale);
  deps.metrics.addMetric(METRIC.outboxRetried, 'Count', counts.retried + counts.unreadable);
  deps.logger.info('outbox batch', { messages: records.length, ...counts });
  return { batchItemFailures: failures };
}

/** A ledger that throws (DynamoDB unavailable) fails this message only, to be tried again. */
async function deliverSafely(message: OutboxMessage, deps: BatchDeps): Promise<MessageOutcome> {
  try {
    return await (deps.deliver ?? deliverMessage)(message, deps);
  } catch (error) {
    return { kind: 'retry', reason: 'ledger', detail: errorMessage(error) };
  }
}

function retryDelaySeconds(
  outcome: Extract<MessageOutcome, { kind: 'retry' }>,
  receiveCount: number,
): number {
  switch (outcome.reason) {
    case 'rate-limited':
      return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((outcome.retryAfterMs ?? 1000) / 1000)));
    case 'key-busy':
    case 'claimed':
    case 'slack':
    case 'ledger':
      return Math.min(MAX_DELAY_SECONDS, RETRY_BASE_SECONDS * 2 ** Math.max(0, receiveCount - 1));
  }
}
