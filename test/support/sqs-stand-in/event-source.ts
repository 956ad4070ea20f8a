import { type FifoQueue } from './fifo-queue';
import { STAND_IN_ACCOUNT } from './server';

/** A Lambda handler for an SQS event source with `ReportBatchItemFailures`. */
export type SqsBatchHandler = (
  event: unknown,
  context: { getRemainingTimeInMillis(): number },
) => Promise<{ readonly batchItemFailures: readonly { readonly itemIdentifier: string }[] }>;

export interface EventSourceOptions {
  /** Messages per invocation (the mapping's `BatchSize`). */
  readonly batchSize: number;
  /** The test's clock: moved to the next visible message when none is visible now. */
  readonly clock: { now(): Date; set(at: number): void };
  /** The function's timeout, in the clock's time, for `getRemainingTimeInMillis`. */
  readonly functionTimeoutMs: number;
  /** Stops after this many invocations (a test's safety net). @default 100_000 */
  readonly maxInvocations?: number;
  /** Called before each invocation, e.g. to script Slack's next answers. */
  readonly beforeInvoke?: (invocation: number) => void;
  /**
   * The invocation dies once its handler has done its work (a timeout, the sandbox lost) before
   * Lambda could delete anything: its whole batch comes back, as after any failed invocation.
   */
  readonly diesAfter?: (invocation: number) => boolean;
}

export interface DrainResult {
  readonly invocations: number;
  /** Invocations that threw: their whole batch stayed in the queue. */
  readonly failedInvocations: number;
}

/**
 * Lambda's SQS event source mapping, one invocation at a time (reserved concurrency 1): receive a
 * batch, invoke, delete what the function did not report as failed. Failed messages stay in flight
 * until their visibility ends (the queue's timeout, or what the function set). When nothing is
 * visible, the clock jumps to the next message's visibility, so a test drains a backlog of hours
 * in the clock's time, not the wall's.
 */
export async function drainQueue(
  queue: FifoQueue,
  handler: SqsBatchHandler,
  options: EventSourceOptions,
): Promise<DrainResult> {
  let invocations = 0;
  let failedInvocations = 0;
  const max = options.maxInvocations ?? 100_000;
  while (invocations < max) {
    const batch = queue.receive(options.batchSize);
    if (batch.length === 0) {
      const next = queue.nextVisibleAt();
      if (next === undefined) break;
      options.clock.set(Math.max(options.clock.now().getTime(), next));
      continue;
    }
    invocations += 1;
    options.beforeInvoke?.(invocations);
    const deadline = options.clock.now().getTime() + options.functionTimeoutMs;
    const event = {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: m.receiptHandle,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SequenceNumber: m.sequenceNumber,
          MessageGroupId: m.groupId,
          MessageDeduplicationId: m.deduplicationId,
          ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
        },
        messageAttributes: {},
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:eu-central-1:${STAND_IN_ACCOUNT}:${queue.name}`,
        awsRegion: 'eu-central-1',
      })),
    };
    try {
      const response = await handler(event, {
        getRemainingTimeInMillis: () => deadline - options.clock.now().getTime(),
      });
      if (options.diesAfter?.(invocations)) throw new Error('the invocation died after its work');
      const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      for (const m of batch) if (!failed.has(m.messageId)) queue.delete(m.receiptHandle);
    } catch {
      failedInvocations += 1;
    }
  }
  return { invocations, failedInvocations };
}
