import { type KeyRecord } from '../../domain/ledger-records';
import {
  type ChannelNotice,
  isInFlight,
  type KeyNotice,
  noticeIdOf,
  noticeKey,
  outboxMessageId,
  withoutQueued,
  withQueued,
} from '../../domain/outbox/notice';
import { type OutboxMessage } from '../../domain/outbox/outbox-message';
import { type Clock, type OutboxQueue } from '../../ports';
import { type Delivery, type DeliveryService } from '../delivery';
import { errorMessage } from '../execute-plan';
import { deliveredInFull, type NoticeSession, sendKeyNotice } from '../notice-delivery';
import { type RunContext } from '../steps/run-context';

/** What became of a notice handed over; in every case the key has been given back (released). */
export type Handover =
  /** Sent now; `delivery` says to whom, or why not. */
  | { readonly kind: 'sent'; readonly delivery: Delivery; readonly released: boolean }
  /** In the outbox; the sender delivers and records it. */
  | { readonly kind: 'queued'; readonly released: boolean }
  /** The queue could not be written: nothing was sent or recorded, and the next run tries again. */
  | { readonly kind: 'not-queued'; readonly error: string; readonly released: boolean };

export type PostHandover =
  | { readonly kind: 'sent'; readonly delivery: Delivery }
  | { readonly kind: 'queued' }
  | { readonly kind: 'not-queued'; readonly error: string };

/**
 * Where the act step hands its notices (issue 12 item 4): {@link InProcessOutbox} sends them at
 * once (the CLI, the single Lambda, dry runs), {@link QueuedOutbox} writes them to the outbox
 * queue for the one sender that drains it at Slack's pace (the state machine).
 */
export interface NoticeOutbox {
  /** Queued by an earlier run today and still on its way: the act step leaves the key alone. */
  inFlight(notice: KeyNotice, record: KeyRecord | undefined): boolean;
  /** A notice about a key the caller holds (its lease); the key is released. */
  handOver(notice: KeyNotice, session: NoticeSession): Promise<Handover>;
  /** A top-level channel post about an account. */
  post(notice: ChannelNotice): Promise<PostHandover>;
}

/** Sends at once, as the enforcer always has. */
export class InProcessOutbox implements NoticeOutbox {
  constructor(
    private readonly delivery: DeliveryService,
    private readonly clock: Clock,
  ) {}

  inFlight(): boolean {
    return false;
  }

  async handOver(notice: KeyNotice, session: NoticeSession): Promise<Handover> {
    const noticeId = noticeIdOf(notice);
    const sent = await sendKeyNotice(notice, {
      session,
      delivery: this.delivery,
      today: this.delivery.context.today,
      clock: this.clock,
      // A mark left by the state machine's outbox (a manual run of the single Lambda, or a switch
      // of mode): the notice is delivered now, and the queued copy will find nothing owed.
      settle: (draft, delivery) => (deliveredInFull(delivery) ? withoutQueued(draft, noticeId) : draft),
    });
    return { kind: 'sent', ...sent };
  }

  async post(notice: ChannelNotice): Promise<PostHandover> {
    return { kind: 'sent', delivery: await this.delivery.post(notice.message) };
  }
}

/**
 * Writes each notice to the outbox queue, then records it on the key as queued (so a same-day
 * re-run queues nothing twice). Queue first: a crash in between leaves a message without its mark,
 * which at worst is queued again and then found owed nothing by the sender; the other order could
 * leave a mark without a message, and the notice would wait a day.
 */
export class QueuedOutbox implements NoticeOutbox {
  constructor(
    private readonly queue: OutboxQueue,
    private readonly run: RunContext,
    private readonly clock: Clock,
    /** The sender's age limit (`outbox.maxMessageAgeHours`). */
    private readonly maxAgeMs: number,
  ) {}

  private get today(): string {
    return this.run.now.slice(0, 10);
  }

  inFlight(notice: KeyNotice, record: KeyRecord | undefined): boolean {
    return isInFlight(record, noticeIdOf(notice), this.today, this.clock.now(), this.maxAgeMs);
  }

  async handOver(notice: KeyNotice, session: NoticeSession): Promise<Handover> {
    const key = noticeKey(notice);
    const noticeId = noticeIdOf(notice);
    const message = this.message(notice, `${key.accountId}/${key.accessKeyId}`, key.accessKeyId, noticeId);
    try {
      await this.queue.enqueue(message);
    } catch (error) {
      return {
        kind: 'not-queued',
        error: errorMessage(error),
        released: await session.release(key.accessKeyId),
      };
    }
    const queued = { messageId: message.id, queuedAt: message.queuedAt, on: this.today };
    const released = await session.release(key.accessKeyId, (d) => withQueued(d, noticeId, queued));
    return { kind: 'queued', released };
  }

  async post(notice: ChannelNotice): Promise<PostHandover> {
    try {
      await this.queue.enqueue(this.message(notice, notice.accountId, 'account', notice.postId));
      return { kind: 'queued' };
    } catch (error) {
      return { kind: 'not-queued', error: errorMessage(error) };
    }
  }

  private message(
    notice: OutboxMessage['notice'],
    group: string,
    subject: string,
    noticeId: string,
  ): OutboxMessage {
    const accountId =
      notice.kind === 'channel-post' || notice.kind === 'mirror'
        ? notice.accountId
        : notice.subject.account.id;
    return {
      id: outboxMessageId(this.today, accountId, subject, noticeId),
      group,
      runId: this.run.runId,
      queuedAt: this.clock.now().toISOString(),
      run: { now: this.run.now, ...(this.run.runTime ? { runTime: this.run.runTime } : {}) },
      notice,
    };
  }
}
