import { formatIssues } from '../../config/parse-config';
import { type OutboxMessage } from '../../domain/outbox/outbox-message';
import { parseWithDates } from '../../engine/steps/run-store-codec';
import { type OutboxRecord } from '../../outbox/process-outbox-batch';
import * as z from '../../config/zod';

/** An outbox message as its queue body: JSON, dates as ISO strings. */
export function encodeOutboxMessage(message: OutboxMessage): string {
  return JSON.stringify(message);
}

const NOTICE_KINDS = [
  'remind',
  'final-notice',
  'deactivate',
  'deactivation-notice-retry',
  'thanks',
  'new-key',
  'mirror',
  'channel-post',
] as const;

/**
 * The envelope is checked; the notice inside is the engine's own decision, written by
 * {@link encodeOutboxMessage} in the act step of this same version, so only its kind is (as the
 * ledger's item codec trusts the items it wrote).
 */
const OutboxMessageSchema = z.object({
  id: z.string().check(z.minLength(1)),
  group: z.string().check(z.minLength(1)),
  runId: z.string(),
  queuedAt: z.iso.datetime(),
  run: z.object({
    now: z.iso.datetime(),
    runTime: z.optional(
      z.object({ hour: z.number().check(z.int()), minute: z.number().check(z.int()), timeZone: z.string() }),
    ),
  }),
  notice: z.looseObject({ kind: z.enum(NOTICE_KINDS) }),
});

/** The fields of an SQS event record the sender reads (Lambda's SQS event, FIFO queue). */
const SqsEventSchema = z.object({
  Records: z.array(
    z.object({
      messageId: z.string(),
      receiptHandle: z.string(),
      body: z.string(),
      attributes: z.looseObject({
        ApproximateReceiveCount: z.string().check(z.regex(/^\d+$/)),
        MessageGroupId: z.optional(z.string()),
      }),
    }),
  ),
});

/** The event is not an SQS event: the invocation fails as a whole (and is retried by Lambda). */
export class OutboxEventError extends Error {
  override readonly name = 'OutboxEventError';
}

/**
 * Reads the sender's SQS event. A record whose body is not an outbox message is returned without
 * one (with the problem), so the rest of the batch is still sent and it alone goes to the
 * dead-letter queue after its retries.
 */
export function parseOutboxEvent(event: unknown): OutboxRecord[] {
  const parsed = SqsEventSchema.safeParse(event);
  if (!parsed.success)
    throw new OutboxEventError(`not an SQS event: ${formatIssues(parsed.error).join('; ')}`);
  return parsed.data.Records.map((record) => {
    const base = {
      sqsMessageId: record.messageId,
      receiptHandle: record.receiptHandle,
      receiveCount: Number(record.attributes.ApproximateReceiveCount),
      group: record.attributes.MessageGroupId ?? record.messageId,
    };
    try {
      const message = OutboxMessageSchema.safeParse(parseWithDates(record.body));
      if (message.success) return { ...base, message: message.data as unknown as OutboxMessage };
      return { ...base, problem: formatIssues(message.error).join('; ') };
    } catch (error) {
      return { ...base, problem: error instanceof Error ? error.message : String(error) };
    }
  });
}
