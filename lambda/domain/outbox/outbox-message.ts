import { type DailyRunTime } from '../run-time';
import { type Notice } from './notice';

/**
 * One message in the Slack outbox (issue 12 item 4): a notice and what its words are rendered
 * with. The act step writes it; the sender renders it at send time with the same message builders,
 * as the run would have, so the outbox never changes what a message says.
 */
export interface OutboxMessage {
  /** Stable (see `outboxMessageId`): a second copy is recognised by it. */
  readonly id: string;
  /**
   * Messages of one group are sent one after another, in order: one key's notices (a thread's
   * parent before its replies), or one account's channel posts.
   */
  readonly group: string;
  /** The run that queued it, for the logs. */
  readonly runId: string;
  /** ISO instant it was queued; the sender reports it stale past the configured age. */
  readonly queuedAt: string;
  /** The run's instant and daily schedule: dates and "days left" read as the run decided them. */
  readonly run: { readonly now: string; readonly runTime?: DailyRunTime };
  readonly notice: Notice;
}
