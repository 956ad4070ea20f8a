/**
 * Notices as data (issue 12 item 4): what the act step hands to Slack, either at once or through
 * the outbox queue to the sender. Pure: which notice a decision is, its stable id, whether the
 * ledger still owes it, and how a record says "queued". No I/O, no clock.
 */
import { type BaselineDecision, type KeyDecision, type SecondKeyDecision } from '../decisions';
import { FINAL_NOTICE, type KeyRecordDraft, type MilestoneId } from '../ledger-records';
import { type WithHistory } from '../messages/context';
import { type SlackMessage } from '../slack-message';

/** Identifies a notice within its key: `milestone-76`, `milestone-final`, `deactivation`, … */
export type NoticeId = string;

/** A DM delivered whose channel mirror is still owed (issue 8 item 11): the mirror alone. */
export interface MirrorNotice {
  readonly kind: 'mirror';
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly userName: string;
  readonly milestone: MilestoneId;
  readonly message: SlackMessage;
}

/** Everything said about one key: a decision (with what its words may say of the past), or a mirror. */
export type KeyNotice = WithHistory<KeyDecision> | MirrorNotice;

/** A top-level channel post about an account: its baseline summary, a user's second key. */
export interface ChannelNotice {
  readonly kind: 'channel-post';
  readonly accountId: string;
  /** `baseline`, or `second-key:<user>`. */
  readonly postId: string;
  readonly message: SlackMessage;
  /** Keys flagged for this post: a post that goes stale unflags them, so a later run tells again. */
  readonly flaggedKeys?: readonly string[];
}

export type Notice = KeyNotice | ChannelNotice;

/** The key a key notice is about. */
export interface NoticeKey {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly userName: string;
}

export function noticeKey(notice: KeyNotice): NoticeKey {
  if (notice.kind === 'mirror') return notice;
  const { account, userName, key } = notice.subject;
  return { accountId: account.id, accessKeyId: key.accessKeyId, userName };
}

/**
 * The notice's id within its key. A deactivation and its retry are one notice (the key's
 * deactivation notice), so a retry never queues a second copy of a notice still in the queue.
 */
export function noticeIdOf(notice: KeyNotice): NoticeId {
  switch (notice.kind) {
    case 'remind':
      return `milestone-${notice.milestone}`;
    case 'final-notice':
      return `milestone-${FINAL_NOTICE}`;
    case 'deactivate':
    case 'deactivation-notice-retry':
      return 'deactivation';
    case 'thanks':
      return 'thanks';
    case 'new-key':
      return 'new-key';
    case 'mirror':
      return `mirror-${notice.milestone}`;
  }
}

/** The milestone a reminder notice marks done, or whose mirror it carries. */
export function milestoneOf(notice: KeyNotice): MilestoneId | undefined {
  if (notice.kind === 'remind') return String(notice.milestone);
  if (notice.kind === 'final-notice') return FINAL_NOTICE;
  if (notice.kind === 'mirror') return notice.milestone;
  return undefined;
}

/**
 * The outbox message id: the run's day, the key and the notice. Stable, so the act step of a
 * retried or repeated run on the same day writes the same id, which the FIFO queue deduplicates.
 */
export function outboxMessageId(day: string, accountId: string, subject: string, noticeId: NoticeId): string {
  return `${day}/${accountId}/${subject}/${noticeId}`;
}

/**
 * The ledger's post-once record of a channel post in the outbox (`DigestRecord`): a message's id
 * names one post of one day, so every copy of it shares the record.
 */
export function outboxPostId(messageId: string): string {
  return `${OUTBOX_POST_PREFIX}${messageId}`;
}

export const OUTBOX_POST_PREFIX = 'outbox/';

/**
 * What of a notice the key's record still owes: all of it, only the channel mirror (the DM was
 * delivered and recorded, the mirror was not), or nothing (delivered already: a second copy of the
 * message, or a later run's). The sender asks this before sending, so a message delivered twice by
 * the queue, or queued twice, is sent once.
 */
export type OwedPart = 'all' | 'mirror' | 'nothing';

export function owedPart(notice: KeyNotice, record: KeyRecordDraft | undefined): OwedPart {
  // The act step writes the record before it queues; without one (the key aged out) nothing is owed.
  if (record === undefined) return 'nothing';
  const milestone = milestoneOf(notice);
  if (milestone !== undefined) {
    const done = record.milestones[milestone];
    if (done?.pendingMirror !== undefined) return 'mirror';
    return done === undefined && notice.kind !== 'mirror' ? 'all' : 'nothing';
  }
  switch (notice.kind) {
    case 'deactivate':
    case 'deactivation-notice-retry':
      return record.deactivationNoticePending === true ? 'all' : 'nothing';
    case 'thanks':
      return record.thankedOn === undefined ? 'all' : 'nothing';
    case 'new-key':
      return record.newKeyAlert === 'pending' ? 'all' : 'nothing';
    default:
      return 'nothing';
  }
}

/** A notice written to the outbox and not yet delivered, as the key's record keeps it. */
export interface QueuedNotice {
  readonly messageId: string;
  /** ISO instant the act step wrote it to the queue. */
  readonly queuedAt: string;
  /** UTC date of the run that queued it. */
  readonly on: string;
}

/**
 * Whether a notice is still in the outbox, so that the act step does not queue it again: queued by
 * a run of the same day and younger than the sender's age limit. A notice queued on an earlier day
 * is queued again; the sender sends whichever copy comes first and finds the other one owed nothing.
 */
export function isInFlight(
  record: KeyRecordDraft | undefined,
  noticeId: NoticeId,
  today: string,
  now: Date,
  maxAgeMs: number,
): boolean {
  const queued = record?.queued?.[noticeId];
  if (queued === undefined || queued.on !== today) return false;
  return !isStale(queued.queuedAt, now, maxAgeMs);
}

/**
 * Why a queued reminder or final notice must not go out as it was decided, because the key's
 * record changed after it was queued: an exemption approved in Slack moves its deadline, a rotation
 * confirmed (thanked) or a deletion makes it moot. The sender then sends nothing and removes its
 * mark, so the next run decides again with what is true then; undefined: it still stands.
 * Deactivation notices and thanks report what happened, so nothing later supersedes them.
 */
export function supersededBy(
  notice: KeyNotice,
  record: KeyRecordDraft,
  queuedAt: string,
): string | undefined {
  if (notice.kind !== 'remind' && notice.kind !== 'final-notice') return undefined;
  const exemption = record.approvedExemption;
  if (exemption && exemption.approvedAt > queuedAt)
    return `an exemption until ${exemption.until} was approved after it was queued`;
  // A date: a key thanked earlier and re-activated since is reminded again, so only a thanks from
  // the day of queuing on counts (a same-day earlier one costs a day's delay, never a lost notice).
  if (record.thankedOn !== undefined && record.thankedOn >= queuedAt.slice(0, 10))
    return 'the key was rotated after it was queued';
  if (record.goneOn !== undefined) return 'the key was deleted after it was queued';
  return undefined;
}

/** A message older than the limit is reported, not sent: its words (days left, deadline) have aged. */
export function isStale(queuedAt: string, now: Date, maxAgeMs: number): boolean {
  return now.getTime() - new Date(queuedAt).getTime() > maxAgeMs;
}

export function withQueued(draft: KeyRecordDraft, noticeId: NoticeId, queued: QueuedNotice): KeyRecordDraft {
  return { ...draft, queued: { ...draft.queued, [noticeId]: queued } };
}

export function withoutQueued(draft: KeyRecordDraft, noticeId: NoticeId): KeyRecordDraft {
  if (draft.queued?.[noticeId] === undefined) return draft;
  const { [noticeId]: _gone, ...rest } = draft.queued;
  if (Object.keys(rest).length > 0) return { ...draft, queued: rest };
  const { queued: _queued, ...withoutAny } = draft;
  return withoutAny;
}

/** The channel post of a baseline or second-key decision. */
export type ChannelPostDecision = BaselineDecision | SecondKeyDecision;

export function channelPostId(decision: ChannelPostDecision): string {
  return decision.kind === 'baseline' ? 'baseline' : `second-key:${decision.userName}`;
}
