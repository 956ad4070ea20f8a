import { createHash, randomUUID } from 'node:crypto';

/**
 * An SQS FIFO queue in memory, with SQS's documented semantics on an injected clock:
 * - messages of a group are received in order, and none while an earlier one of the group is in
 *   flight (received, not deleted, its visibility timeout not over);
 * - a `MessageDeduplicationId` seen in the last 5 minutes is accepted and dropped;
 * - a message received `maxReceiveCount` times and still not deleted moves to the dead-letter
 *   queue on its next receive (SQS's redrive policy);
 * - only a message's latest receipt handle deletes it or changes its visibility.
 */
export interface FifoQueueOptions {
  readonly name: string;
  /** Epoch milliseconds. */
  readonly now: () => number;
  /** @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Redrive: receives before a message moves to `deadLetterQueue`. @default never */
  readonly maxReceiveCount?: number;
  readonly deadLetterQueue?: FifoQueue;
}

export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sequenceNumber: string;
  readonly sentAt: number;
  receiveCount: number;
  /** Visible again (or for the first time) at this instant. */
  visibleAt: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
}

export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/** A message as `ReceiveMessage` hands it out. */
export type ReceivedMessage = Readonly<StoredMessage> & { readonly receiptHandle: string };

export class FifoQueue {
  readonly name: string;
  private readonly messages: StoredMessage[] = [];
  private readonly deduplication = new Map<string, { messageId: string; until: number }>();
  private sequence = 0;
  /** Every message accepted, in order (duplicates dropped by deduplication are not here). */
  readonly accepted: StoredMessage[] = [];
  /** Messages deleted, by id, in order. */
  readonly deleted: string[] = [];
  /** `SendMessage` calls dropped by deduplication. */
  duplicatesDropped = 0;

  constructor(private readonly options: FifoQueueOptions) {
    this.name = options.name;
  }

  get visibilityTimeoutMs(): number {
    return (this.options.visibilityTimeoutSeconds ?? 30) * 1000;
  }

  /** Messages not yet deleted (in flight or waiting). */
  get depth(): number {
    return this.messages.length;
  }

  send(
    body: string,
    groupId: string,
    deduplicationId: string,
  ): { messageId: string; sequenceNumber: string } {
    const now = this.options.now();
    const seen = this.deduplication.get(deduplicationId);
    if (seen && seen.until > now) {
      this.duplicatesDropped += 1;
      return { messageId: seen.messageId, sequenceNumber: '0' };
    }
    this.sequence += 1;
    const message: StoredMessage = {
      messageId: randomUUID(),
      body,
      groupId,
      deduplicationId,
      sequenceNumber: String(this.sequence).padStart(20, '0'),
      sentAt: now,
      receiveCount: 0,
      visibleAt: now,
    };
    this.messages.push(message);
    this.accepted.push(message);
    this.deduplication.set(deduplicationId, {
      messageId: message.messageId,
      until: now + DEDUPLICATION_WINDOW_MS,
    });
    return { messageId: message.messageId, sequenceNumber: message.sequenceNumber };
  }

  receive(maxMessages: number, visibilityTimeoutSeconds?: number): ReceivedMessage[] {
    const now = this.options.now();
    const received: ReceivedMessage[] = [];
    const blocked = new Set<string>();
    for (const message of [...this.messages]) {
      if (received.length >= maxMessages) break;
      if (blocked.has(message.groupId)) continue;
      // A group waits behind its oldest message: in flight, or put back with a later visibility.
      if (message.visibleAt > now) {
        blocked.add(message.groupId);
        continue;
      }
      const { maxReceiveCount, deadLetterQueue } = this.options;
      if (maxReceiveCount !== undefined && deadLetterQueue && message.receiveCount >= maxReceiveCount) {
        this.remove(message);
        deadLetterQueue.send(
          message.body,
          message.groupId,
          `${message.deduplicationId}:${message.messageId}`,
        );
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = randomUUID();
      message.visibleAt =
        now + (visibilityTimeoutSeconds ?? this.options.visibilityTimeoutSeconds ?? 30) * 1000;
      received.push({ ...message, receiptHandle: message.receiptHandle });
    }
    return received;
  }

  delete(receiptHandle: string): void {
    const message = this.byReceipt(receiptHandle);
    if (!message) return; // SQS accepts a stale handle of a deleted message
    this.remove(message);
    this.deleted.push(message.messageId);
  }

  changeVisibility(receiptHandle: string, seconds: number): void {
    const message = this.byReceipt(receiptHandle);
    if (!message || message.visibleAt <= this.options.now())
      throw new ReceiptHandleInvalidError(receiptHandle);
    message.visibleAt = this.options.now() + seconds * 1000;
  }

  /** When the next message becomes receivable, if any waits. */
  nextVisibleAt(): number | undefined {
    const times = this.messages.map((m) => m.visibleAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Bodies of messages not yet deleted. */
  bodies(): string[] {
    return this.messages.map((m) => m.body);
  }

  private byReceipt(receiptHandle: string): StoredMessage | undefined {
    return this.messages.find((m) => m.receiptHandle === receiptHandle);
  }

  private remove(message: StoredMessage): void {
    this.messages.splice(this.messages.indexOf(message), 1);
  }
}

/** `ReceiptHandleIsInvalid` / `MessageNotInflight`, as SQS names them. */
export class ReceiptHandleInvalidError extends Error {
  override readonly name = 'MessageNotInflight';
}

export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
