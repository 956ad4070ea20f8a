import { type EnforcerConfig } from '../config/schema';
import { appendAudit } from '../domain/audit/audit-entry';
import { auditEntriesOfRun } from '../domain/audit/audit-from-run';
import { HOUR_MS, utcDate } from '../domain/dates';
import { type KeyRecord, type KeyRecordDraft, type MilestoneId } from '../domain/ledger-records';
import {
  type ChannelNotice,
  isStale,
  type KeyNotice,
  type MirrorNotice,
  milestoneOf,
  noticeIdOf,
  noticeKey,
  outboxPostId,
  owedPart,
  supersededBy,
  withoutQueued,
} from '../domain/outbox/notice';
import { type OutboxMessage } from '../domain/outbox/outbox-message';
import { type SlackMessage } from '../domain/slack-message';
import { type Delivery, DeliveryService } from '../engine/delivery';
import { deliveredInFull, sendKeyNotice } from '../engine/notice-delivery';
import { postOnce } from '../engine/post-once';
import { messageContext } from '../engine/steps/run-context';
import { type Clock, type KeyRecordReader, type Ledger, type Notifier, type SendResult } from '../ports';
import { SenderKeySession } from './sender-session';

/** What the sender needs for one message. */
export interface DeliverContext {
  readonly config: EnforcerConfig;
  readonly ledger: Ledger & KeyRecordReader;
  readonly notifier: Notifier;
  readonly clock: Clock;
}

type Failure = Extract<SendResult, { ok: false }>;

/** What became of one outbox message. Only `retry` leaves it in the queue. */
export type MessageOutcome =
  /**
   * Slack confirmed it and the ledger recorded it: the milestone is done only now. `unrecorded`:
   * a channel post Slack took whose record could not be written (a second copy may post it again).
   */
  | { readonly kind: 'delivered'; readonly to: readonly string[]; readonly unrecorded?: string }
  /** The ledger says it was delivered already (a second copy): not sent again. */
  | { readonly kind: 'already-delivered' }
  /** Older than `outbox.maxMessageAgeHours`: reported, not sent; the next run decides again. */
  | { readonly kind: 'stale'; readonly ageMs: number }
  /** The key's record changed after it was queued (`supersededBy`): not sent; the next run decides again. */
  | { readonly kind: 'superseded'; readonly reason: string }
  | {
      readonly kind: 'retry';
      /** `claimed`: another invocation is posting the same channel post right now. */
      readonly reason: 'rate-limited' | 'slack' | 'key-busy' | 'claimed' | 'ledger';
      readonly detail: string;
      /** Slack's `Retry-After` for a 429. */
      readonly retryAfterMs?: number;
      /** A broken token or channel: retrying will not help until someone fixes it. */
      readonly misconfigured?: boolean;
    };

/**
 * Sends one message from the outbox and records what Slack confirmed, with the run's own
 * send-and-record function (`sendKeyNotice`): the sender is the act step's second half. The ledger
 * decides first what is still owed, so a message the queue delivers twice, or that two runs
 * queued, is sent once; a DM already delivered leaves only its channel mirror to post.
 */
export async function deliverMessage(message: OutboxMessage, ctx: DeliverContext): Promise<MessageOutcome> {
  return message.notice.kind === 'channel-post'
    ? deliverChannelPost(message, message.notice, ctx)
    : deliverKeyNotice(message, message.notice, ctx);
}

async function deliverKeyNotice(
  message: OutboxMessage,
  notice: KeyNotice,
  ctx: DeliverContext,
): Promise<MessageOutcome> {
  const key = noticeKey(notice);
  const noticeId = noticeIdOf(notice);
  const session = new SenderKeySession(ctx.ledger, key.accountId, key.accessKeyId, message.id, ctx.clock);
  const record = await session.load();
  const owed = owedPart(notice, record);
  if (owed === 'nothing' || !record) return { kind: 'already-delivered' };
  const now = ctx.clock.now();
  // The mark goes so the next run decides again at once; if the key is busy, that run's own
  // check ignores a mark from an earlier day anyway.
  const dropOwnMark = async (): Promise<void> => {
    if (await session.claim())
      await session.release(key.accessKeyId, (d) => withoutOwnMark(d, noticeId, message.id));
  };
  if (isStale(message.queuedAt, now, maxAgeMs(ctx.config))) {
    await dropOwnMark();
    return { kind: 'stale', ageMs: now.getTime() - new Date(message.queuedAt).getTime() };
  }
  const superseded = supersededBy(notice, record, message.queuedAt);
  if (superseded) {
    await dropOwnMark();
    return { kind: 'superseded', reason: superseded };
  }
  if (!(await session.claim()))
    return { kind: 'retry', reason: 'key-busy', detail: `key ${key.accessKeyId} is held by a run` };

  const toSend = owed === 'mirror' ? mirrorOf(notice, record) : notice;
  const context = messageContext(ctx.config, { ...message.run, dryRun: false });
  const delivery = new DeliveryService(ctx.notifier, context, false);
  const at = now.toISOString();
  const sent = await sendKeyNotice(toSend, {
    session,
    delivery,
    today: utcDate(now),
    clock: ctx.clock,
    settle: (draft, result) => settle(draft, result, { notice: toSend, noticeId, at }),
  });
  const { delivery: result } = sent;
  if (!sent.released && result.deliveredTo === undefined)
    return { kind: 'retry', reason: 'ledger', detail: 'the key changed hands while sending' };
  if (!sent.released)
    // Slack has it but the ledger could not say so: the next copy finds it owed and sends it again,
    // which is rarer and kinder than a milestone marked done that nobody received.
    return { kind: 'retry', reason: 'ledger', detail: 'delivered, but recording it lost the key' };
  const failure = deliveredInFull(result) ? undefined : (result.mirrorFailure ?? result.failure);
  if (failure) return retryFor(failure);
  return { kind: 'delivered', to: recipients(result) };
}

/** A DM delivered and its mirror owed: the mirror alone, in the key's thread. */
function mirrorOf(notice: KeyNotice, record: KeyRecord): MirrorNotice {
  const milestone = milestoneOf(notice) as MilestoneId;
  const key = noticeKey(notice);
  const pending = record.milestones[milestone]?.pendingMirror as SlackMessage;
  return { kind: 'mirror', ...key, milestone, message: pending };
}

/**
 * The sender's part of the final write: "delivered at T, with Slack's `ts`" on the milestone,
 * the queued mark gone once nothing is owed, and the audit trail entry (issue 10) of the delivery.
 */
function settle(
  draft: KeyRecordDraft,
  delivery: Delivery,
  { notice, noticeId, at }: { notice: KeyNotice; noticeId: string; at: string },
): KeyRecordDraft {
  if (delivery.deliveredTo === undefined) return draft;
  let next = draft;
  const milestone = milestoneOf(notice);
  const done = milestone === undefined ? undefined : next.milestones[milestone];
  if (milestone !== undefined && done && notice.kind !== 'mirror') {
    const stamped = { ...done, deliveredAt: at, ...(delivery.ts ? { ts: delivery.ts } : {}) };
    next = { ...next, milestones: { ...next.milestones, [milestone]: stamped } };
  }
  if (deliveredInFull(delivery)) next = withoutQueued(next, noticeId);
  const entries = auditEntriesOfRun(
    [
      {
        accountId: draft.accountId,
        // The deactivation itself is in the trail already (the act step's report): this is its notice.
        kind: notice.kind === 'deactivate' ? 'deactivation-notice-retry' : notice.kind,
        accessKeyId: draft.accessKeyId,
        ...(milestone !== undefined && notice.kind !== 'mirror' ? { milestone } : {}),
        outcome: 'done',
        messages: delivery.messages,
      },
    ],
    [],
    at,
  ).get(`${draft.accountId}/${draft.accessKeyId}`);
  return entries ? { ...next, audit: appendAudit(next.audit, entries) } : next;
}

/** The mark of this very message; a newer copy's mark stays for that copy. */
function withoutOwnMark(draft: KeyRecordDraft, noticeId: string, messageId: string): KeyRecordDraft {
  return draft.queued?.[noticeId]?.messageId === messageId ? withoutQueued(draft, noticeId) : draft;
}

async function deliverChannelPost(
  message: OutboxMessage,
  notice: ChannelNotice,
  ctx: DeliverContext,
): Promise<MessageOutcome> {
  const now = ctx.clock.now();
  if (isStale(message.queuedAt, now, maxAgeMs(ctx.config))) {
    // A second-key flag means "the channel was told": without the post, a later run tells again.
    for (const keyId of notice.flaggedKeys ?? []) {
      const session = new SenderKeySession(ctx.ledger, notice.accountId, keyId, message.id, ctx.clock);
      if ((await session.load()) && (await session.claim()))
        await session.release(keyId, ({ secondKeyFlaggedOn: _flag, ...rest }) => rest);
    }
    return { kind: 'stale', ageMs: now.getTime() - new Date(message.queuedAt).getTime() };
  }
  const context = messageContext(ctx.config, { ...message.run, dryRun: false });
  const delivery = new DeliveryService(ctx.notifier, context, false);
  // A top-level post has no key record to say it was delivered: a claim of its own does, so a
  // batch that comes back after its invocation died (or a second copy) does not post it again.
  const outcome = await postOnce({
    ledger: ctx.ledger,
    digestId: outboxPostId(message.id),
    runId: message.runId,
    clock: ctx.clock,
    dryRun: false,
    compose: () => Promise.resolve({ message: notice.message }),
    send: (slackMessage) => delivery.post(slackMessage),
  });
  switch (outcome.kind) {
    case 'skipped':
      return outcome.busy
        ? { kind: 'retry', reason: 'claimed', detail: outcome.reason }
        : { kind: 'already-delivered' };
    case 'error':
      return { kind: 'retry', reason: 'ledger', detail: outcome.message };
    case 'failed':
      return outcome.delivery.failure
        ? retryFor(outcome.delivery.failure)
        : { kind: 'retry', reason: 'slack', detail: 'Slack did not take the post' };
    case 'posted':
      // Posted but not recorded (`error`): the message leaves the queue all the same, so nothing
      // posts it again; only a second copy inside the claim's timeout would wait, then post.
      return { kind: 'delivered', to: ['channel'], ...(outcome.error ? { unrecorded: outcome.error } : {}) };
    case 'planned':
      throw new Error('the outbox sender never makes a dry run');
  }
}

function retryFor(failure: Failure): MessageOutcome {
  const detail = `Slack ${failure.code}: ${failure.message}`;
  if (failure.retryAfterMs !== undefined)
    return { kind: 'retry', reason: 'rate-limited', detail, retryAfterMs: failure.retryAfterMs };
  return {
    kind: 'retry',
    reason: 'slack',
    detail,
    ...(failure.reason === 'misconfigured' ? { misconfigured: true } : {}),
  };
}

function recipients(delivery: Delivery): string[] {
  const to = delivery.messages
    .filter((m) => m.delivered && m.thread !== 'parent')
    .map((m) => (m.to.kind === 'dm' ? `dm:${m.to.slackId}` : 'channel'));
  return [...new Set(to)];
}

function maxAgeMs(config: EnforcerConfig): number {
  return config.outbox.maxMessageAgeHours * HOUR_MS;
}
