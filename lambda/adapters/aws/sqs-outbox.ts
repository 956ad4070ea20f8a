import { createHash } from 'node:crypto';

import { ChangeMessageVisibilityCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

import { type OutboxMessage } from '../../domain/outbox/outbox-message';
import { type MessageVisibility } from '../../outbox/process-outbox-batch';
import { type OutboxQueue } from '../../ports';
import { encodeOutboxMessage } from './outbox-message-codec';

/** Options of {@link SqsOutboxQueue}. */
export interface SqsOutboxOptions {
  /** The outbox's FIFO queue (`….fifo`). */
  readonly queueUrl: string;
  /**
   * @default a client with region, credentials and endpoint from the environment; the SDK's
   * standard retries cover SQS throttling and its own faults
   */
  readonly client?: SQSClient;
}

/**
 * The Slack outbox on a FIFO queue (issue 12 item 4). FIFO rather than standard with deduplication
 * in the ledger: the message group (one key) gives order per key — a thread's parent before its
 * replies — which a standard queue does not, and the deduplication id (a hash of the stable message
 * id: day, key, notice) drops the copy that a retried act step writes within five minutes. Past
 * those five minutes the ledger's queued mark and the sender's "still owed?" check take over.
 */
export class SqsOutboxQueue implements OutboxQueue, MessageVisibility {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsOutboxOptions) {
    this.client = options.client ?? new SQSClient({});
    this.queueUrl = options.queueUrl;
  }

  async enqueue(message: OutboxMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: encodeOutboxMessage(message),
        MessageGroupId: message.group,
        // Ids are up to 128 characters of a restricted alphabet; a hash always fits.
        MessageDeduplicationId: createHash('sha256').update(message.id).digest('hex'),
      }),
    );
  }

  /** The sender's retry: the message is received again after `seconds` (a 429's `Retry-After`). */
  async delay(receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }
}
