import { type KeyRecord, type KeyRecordDraft, type MilestoneId } from '../domain/ledger-records';
import { type KeyNotice, noticeKey } from '../domain/outbox/notice';
import { markMilestones } from '../domain/record-transitions';
import { type SlackMessage } from '../domain/slack-message';
import { type Clock } from '../ports';
import { type Delivery, type DeliveryService } from './delivery';

/**
 * The key records a notice is sent under, held by the caller (its lease): the act step's
 * {@link KeyLedgerSession}, or the outbox sender's.
 */
export interface NoticeSession {
  get(accessKeyId: string): KeyRecord | undefined;
  /** Applies a change while keeping the lease; `false` when the write lost it. */
  update(accessKeyId: string, change: (draft: KeyRecordDraft) => KeyRecordDraft): Promise<boolean>;
  /** Applies a final change and gives the key back. */
  release(accessKeyId: string, change?: (draft: KeyRecordDraft) => KeyRecordDraft): Promise<boolean>;
}

export interface SendNoticeContext {
  readonly session: NoticeSession;
  readonly delivery: DeliveryService;
  /** The UTC date recorded as the day the notice was delivered (minimum notice counts from it). */
  readonly today: string;
  /** The real clock: the first failed attempt of an outage is recorded from it. */
  readonly clock: Clock;
  /** A last change to the final write, given the outcome (the outbox sender's own bookkeeping). */
  readonly settle?: (draft: KeyRecordDraft, delivery: Delivery) => KeyRecordDraft;
}

export interface SentNotice {
  readonly delivery: Delivery;
  /** The final write kept the lease; `false`: another run changed the key meanwhile. */
  readonly released: boolean;
}

/**
 * Sends one notice about a key and records what Slack confirmed (SPEC §2, §5): a milestone is
 * marked done only once a message reached someone; a DM is recorded the moment Slack takes it,
 * with the channel mirror it still owes (issue 8 item 14); a thread parent's `ts` is kept for the
 * key's later replies (issue 11). The act step calls this in process; the outbox sender calls it
 * for a message from the queue. The caller holds the key and gets it back released.
 */
export async function sendKeyNotice(notice: KeyNotice, ctx: SendNoticeContext): Promise<SentNotice> {
  const keyId = noticeKey(notice).accessKeyId;
  const thread = ctx.session.get(keyId)?.channelThread;
  const release = async (delivery: Delivery, change: (d: KeyRecordDraft) => KeyRecordDraft) => ({
    delivery,
    released: await ctx.session.release(keyId, (d) => {
      const changed = withThread(change(d), delivery);
      return ctx.settle ? ctx.settle(changed, delivery) : changed;
    }),
  });
  switch (notice.kind) {
    case 'remind':
    case 'final-notice': {
      const sent = notice.kind === 'remind' ? String(notice.milestone) : 'final';
      const mark = (draft: KeyRecordDraft, deliveredTo: 'owner' | 'channel'): KeyRecordDraft => {
        const marked = markMilestones(draft, ctx.today, [sent], notice.skipped, deliveredTo);
        return notice.kind === 'final-notice'
          ? { ...marked, finalDeadline: notice.subject.deadline }
          : marked;
      };
      const delivery = await ctx.delivery.notify(
        notice,
        (mirror) => ctx.session.update(keyId, (d) => withPendingMirror(mark(d, 'owner'), sent, mirror)),
        thread,
      );
      if (delivery.leaseLost) return { delivery, released: false };
      return release(delivery, (d) => {
        if (delivery.deliveredTo === 'owner') return delivery.mirrored ? withoutPendingMirror(d, sent) : d;
        if (delivery.deliveredTo === 'channel') return mark(d, 'channel');
        return withFirstFailure(d, ctx.clock);
      });
    }
    case 'deactivate': {
      const delivery = await ctx.delivery.notify(notice, undefined, thread);
      return release(delivery, (d) =>
        delivery.deliveredTo ? { ...d, deactivationNoticePending: false } : d,
      );
    }
    case 'deactivation-notice-retry':
    case 'thanks': {
      const record = (d: KeyRecordDraft): KeyRecordDraft =>
        notice.kind === 'thanks'
          ? { ...d, thankedOn: ctx.today }
          : { ...d, deactivationNoticePending: false };
      const delivery = await ctx.delivery.notify(notice, () => ctx.session.update(keyId, record), thread);
      if (delivery.leaseLost) return { delivery, released: false };
      return release(delivery, (d) => (delivery.deliveredTo ? record(d) : d));
    }
    case 'new-key': {
      const delivery = await ctx.delivery.channel(notice);
      return release(delivery, (d) => (delivery.deliveredTo ? { ...d, newKeyAlert: 'sent' } : d));
    }
    case 'mirror': {
      const delivery = await ctx.delivery.reply(notice.message, thread);
      return release(delivery, (d) => (delivery.deliveredTo ? withoutPendingMirror(d, notice.milestone) : d));
    }
  }
}

/** Nothing of the notice is owed any more: it reached someone, and a DM's mirror is posted too. */
export function deliveredInFull(delivery: Delivery): boolean {
  return delivery.deliveredTo !== undefined && delivery.mirrored !== false;
}

function withPendingMirror(draft: KeyRecordDraft, id: MilestoneId, mirror: SlackMessage): KeyRecordDraft {
  const milestone = draft.milestones[id];
  if (!milestone) return draft;
  const pendingMirror = { text: mirror.text, blocks: mirror.blocks };
  return { ...draft, milestones: { ...draft.milestones, [id]: { ...milestone, pendingMirror } } };
}

export function withoutPendingMirror(draft: KeyRecordDraft, id: MilestoneId): KeyRecordDraft {
  const milestone = draft.milestones[id];
  if (!milestone?.pendingMirror) return draft;
  const { pendingMirror: _mirror, ...rest } = milestone;
  return { ...draft, milestones: { ...draft.milestones, [id]: rest } };
}

/** Records a thread parent posted for the key, even when the notice itself then failed. */
function withThread(draft: KeyRecordDraft, delivery: Delivery): KeyRecordDraft {
  return delivery.thread ? { ...draft, channelThread: delivery.thread } : draft;
}

/** SPEC §2: the first reminder attempt that reached nobody starts the outage's minimum notice. */
function withFirstFailure(draft: KeyRecordDraft, clock: Clock): KeyRecordDraft {
  if (draft.noticeFirstFailedAt !== undefined) return draft;
  return { ...draft, noticeFirstFailedAt: clock.now().toISOString() };
}
