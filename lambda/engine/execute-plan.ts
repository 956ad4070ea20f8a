import { type ReadStamp, withStamp } from './record-read';
import {
  type AccountPlan,
  type Decision,
  type KeyDecision,
  type SecondKeyDecision,
} from '../domain/decisions';
import {
  type AccountRecord,
  FINAL_NOTICE,
  type KeyRecordDraft,
  type MilestoneRecord,
} from '../domain/ledger-records';
import { channelMessage, type WithHistory } from '../domain/messages';
import {
  type ChannelNotice,
  type ChannelPostDecision,
  channelPostId,
  type MirrorNotice,
} from '../domain/outbox/notice';
import { type SlackMessage } from '../domain/slack-message';
import { keyHistory } from '../domain/key-history';
import { markDeactivated, newKeyRecord } from '../domain/record-transitions';
import { type Clock, type KeyDeactivator, type Ledger } from '../ports';
import { type Delivery, type DeliveryService } from './delivery';
import { type KeyLedgerSession } from './key-ledger-session';
import { type Handover, type NoticeOutbox } from './outbox/notice-outbox';
import { type ActionRecord } from './run-report';

export interface PlanContext {
  readonly session: KeyLedgerSession;
  readonly ledger: Ledger;
  readonly deactivator: KeyDeactivator;
  /** Renders messages (and, in a dry run, "sends" them: nothing leaves the process). */
  readonly delivery: DeliveryService;
  /** Where notices go: sent at once, or queued for the outbox sender (issue 12 item 4). */
  readonly outbox: NoticeOutbox;
  readonly accountRecord: AccountRecord | undefined;
  /** How this run read the account; stored with the baseline so the fast path can start from it. */
  readonly readStamp?: ReadStamp;
  readonly today: string;
  /** The real clock: instants recorded (first failed notice) and leases are taken from it. */
  readonly clock: Clock;
  readonly dryRun: boolean;
  /** Called with each Slack failure so the run can report a broken configuration once. */
  readonly onSlackFailure: (failure: NonNullable<Delivery['failure']>, post?: string) => void;
}

/**
 * Carries out one account's decisions in order. Each decision's effects are ordered to keep the
 * SPEC's promises if something fails halfway: a reminder is recorded only once delivered; a
 * deactivation is recorded before its notice, so a failed notice is retried rather than the
 * deactivation repeated. One failing decision never stops the next.
 */
export async function executePlan(plan: AccountPlan, ctx: PlanContext): Promise<ActionRecord[]> {
  const actions: ActionRecord[] = [];
  if (!ctx.dryRun) await retryPendingMirrors(plan, ctx, actions);
  for (const planned of plan.decisions) {
    const decision = withHistory(planned, plan, ctx);
    if ('subject' in decision)
      ctx.session.noteUserClass(decision.subject.key.accessKeyId, decision.subject.owner.userClass);
    try {
      actions.push(await (ctx.dryRun ? planOnly(decision, ctx) : execute(decision, ctx)));
    } catch (error) {
      actions.push({
        ...describeDecision(decision),
        outcome: 'failed',
        detail: errorMessage(error),
        messages: [],
      });
    }
  }
  return actions;
}

/** The decision with what its messages may say about the key's past; the decision itself is unchanged. */
function withHistory(decision: Decision, plan: AccountPlan, ctx: PlanContext): Decision {
  const record = 'subject' in decision ? ctx.session.get(decision.subject.key.accessKeyId) : undefined;
  const history = keyHistory(decision, record, plan.problems, ctx.today);
  if (!history) return decision;
  const withPast: WithHistory<Decision> = { ...decision, history };
  return withPast;
}

function describeDecision(decision: Decision): Omit<ActionRecord, 'outcome' | 'messages'> {
  if ('subject' in decision) {
    return {
      accountId: decision.subject.account.id,
      kind: decision.kind,
      userName: decision.subject.userName,
      accessKeyId: decision.subject.key.accessKeyId,
      ...(decision.kind === 'remind' ? { milestone: decision.milestone } : {}),
      ...(decision.kind === 'final-notice' ? { milestone: FINAL_NOTICE } : {}),
    };
  }
  const accountId = decision.account.id;
  if (decision.kind === 'baseline') return { accountId, kind: decision.kind };
  return { accountId, kind: decision.kind, userName: decision.userName };
}

/** Dry run: render what would be sent, touch nothing. */
async function planOnly(decision: Decision, ctx: PlanContext): Promise<ActionRecord> {
  const base = describeDecision(decision);
  const delivery = await deliveryFor(decision, ctx);
  const silent =
    (decision.kind === 'new-key' && !decision.alert) ||
    (decision.kind === 'second-key' && !decision.announce);
  return {
    ...base,
    outcome: 'planned',
    ...(silent ? { detail: 'baseline' } : {}),
    messages: delivery?.messages ?? [],
  };
}

/** The messages a decision sends (the dry-run delivery service sends nothing). */
async function deliveryFor(decision: Decision, ctx: PlanContext): Promise<Delivery | undefined> {
  switch (decision.kind) {
    case 'remind':
    case 'final-notice':
    case 'deactivate':
    case 'deactivation-notice-retry':
    case 'thanks':
      return ctx.delivery.notify(decision);
    case 'new-key':
      return decision.alert ? ctx.delivery.channel(decision) : undefined;
    case 'second-key':
      return decision.announce ? ctx.delivery.channel(decision) : undefined;
    case 'baseline':
      return ctx.delivery.channel(decision);
    case 'key-gone':
      return undefined;
  }
}

async function execute(decision: Decision, ctx: PlanContext): Promise<ActionRecord> {
  switch (decision.kind) {
    case 'new-key':
      return newKey(decision, ctx);
    case 'remind':
    case 'final-notice':
    case 'deactivation-notice-retry':
    case 'thanks':
      return notify(decision, ctx);
    case 'deactivate':
      return deactivate(decision, ctx);
    case 'second-key':
      return secondKey(decision, ctx);
    case 'key-gone': {
      const written = await ctx.session.update(decision.accessKeyId, (d) => ({ ...d, goneOn: ctx.today }));
      return {
        ...describeDecision(decision),
        accessKeyId: decision.accessKeyId,
        ...outcomeOf(written),
        messages: [],
      };
    }
    case 'baseline':
      return baseline(decision, ctx);
  }
}

function outcomeOf(written: boolean): Pick<ActionRecord, 'outcome' | 'detail'> {
  return written
    ? { outcome: 'done' }
    : { outcome: 'conflict', detail: 'another run changed this key; skipped' };
}

function conflict(decision: Decision): ActionRecord {
  return { ...describeDecision(decision), ...outcomeOf(false), messages: [] };
}

/** Detail of actions stopped by a broken Slack setup, which the run reports once, not per action. */
export const SLACK_CONFIGURATION_DETAIL = 'not sent: Slack configuration error; retried next run';

function finish(decision: Decision, delivery: Delivery, ctx: PlanContext): ActionRecord {
  if (delivery.failure) ctx.onSlackFailure(delivery.failure);
  if (delivery.mirrorFailure) ctx.onSlackFailure(delivery.mirrorFailure);
  if (delivery.deliveredTo === 'owner' && delivery.mirrored === false) {
    // Issue 8 item 11: the DM counts (it is recorded); the owed mirror is an error, retried next run.
    return {
      ...describeDecision(decision),
      outcome: 'done',
      error: `DM delivered; channel mirror not posted: Slack ${delivery.mirrorFailure?.code ?? 'failure'}; retried next run`,
      messages: delivery.messages,
    };
  }
  const failed = delivery.deliveredTo === undefined;
  const detail =
    delivery.failure?.reason === 'misconfigured'
      ? SLACK_CONFIGURATION_DETAIL
      : `Slack ${delivery.failure?.code ?? 'failure'}; retried next run`;
  return {
    ...describeDecision(decision),
    outcome: failed ? 'failed' : 'done',
    ...(failed ? { detail } : {}),
    messages: delivery.messages,
  };
}

async function newKey(
  decision: Extract<KeyDecision, { kind: 'new-key' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const keyId = decision.subject.key.accessKeyId;
  const existing = ctx.session.get(keyId);
  if (!existing) {
    const state = decision.alert ? 'pending' : 'baseline';
    if (!(await ctx.session.create(newKeyRecord(decision.subject, ctx.today, state), decision.alert))) {
      return conflict(decision);
    }
    if (!decision.alert)
      return { ...describeDecision(decision), outcome: 'done', detail: 'baseline', messages: [] };
  } else if (ctx.outbox.inFlight(decision, existing)) {
    return inFlight(decision);
  } else if (!(await ctx.session.claim(keyId))) {
    return conflict(decision);
  }
  return handedOver(decision, await ctx.outbox.handOver(decision, ctx.session), ctx);
}

/** Reminders, final notices, thanks and a deactivation's retried notice: claim the key, hand the notice over. */
async function notify(
  decision: Extract<
    KeyDecision,
    { kind: 'remind' | 'final-notice' | 'deactivation-notice-retry' | 'thanks' }
  >,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const keyId = decision.subject.key.accessKeyId;
  if (ctx.outbox.inFlight(decision, ctx.session.get(keyId))) return inFlight(decision);
  if (!(await ctx.session.claim(keyId))) return conflict(decision);
  return handedOver(decision, await ctx.outbox.handOver(decision, ctx.session), ctx);
}

/** The action record of a notice handed to the outbox: sent (and to whom), queued, or neither. */
function handedOver(decision: KeyDecision, handover: Handover, ctx: PlanContext): ActionRecord {
  switch (handover.kind) {
    case 'sent':
      if (handover.delivery.leaseLost) return leaseLost(decision, handover.delivery);
      return checked(finish(decision, handover.delivery, ctx), handover.released);
    case 'queued':
      return checked({ ...describeDecision(decision), outcome: 'queued', messages: [] }, handover.released);
    case 'not-queued':
      return checked(
        { ...describeDecision(decision), outcome: 'failed', detail: notQueued(handover.error), messages: [] },
        handover.released,
      );
  }
}

function notQueued(error: string): string {
  return `not queued for Slack: ${error}; retried next run`;
}

/** Queued by an earlier run today and not delivered yet: nothing to do (SPEC §2, same day). */
function inFlight(decision: Decision): ActionRecord {
  return { ...describeDecision(decision), outcome: 'in-flight', detail: IN_FLIGHT_DETAIL, messages: [] };
}

export const IN_FLIGHT_DETAIL = 'in the Slack outbox since an earlier run today; not queued again';

async function deactivate(
  decision: Extract<KeyDecision, { kind: 'deactivate' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const { account, userName, key } = decision.subject;
  const keyId = key.accessKeyId;
  if (!(await ctx.session.claim(keyId))) return conflict(decision);
  const before = ctx.session.get(keyId);
  // Issue 8 item 7 (record, then act): the intent is written before UpdateAccessKey, so a ledger
  // that fails afterwards can never leave an Inactive key that we do not know we deactivated.
  if (!(await ctx.session.update(keyId, (d) => markDeactivated(d, ctx.today, decision.skipped))))
    return leaseLost(decision);
  try {
    await ctx.deactivator.deactivateKey(account, userName, keyId);
  } catch (error) {
    // The key is still Active: take the intent back so that no "re-activated" or notice follows.
    await ctx.session.release(keyId, (d) => restoreIntent(d, before));
    throw error;
  }
  // Security first (SPEC §5): the key is Inactive now, whatever becomes of its notice.
  const handover = await ctx.outbox.handOver(decision, ctx.session);
  const finished = noticeOutcome(decision, handover, ctx);
  const noticeError = finished.outcome === 'failed' ? finished.detail : finished.error;
  const { detail, ...done } = finished;
  return checked(
    {
      ...done,
      outcome: 'done',
      ...(handover.kind === 'queued' ? { detail } : {}),
      ...(noticeError ? { error: noticeError } : {}),
    },
    handover.released,
  );
}

function noticeOutcome(decision: KeyDecision, handover: Handover, ctx: PlanContext): ActionRecord {
  const base = describeDecision(decision);
  switch (handover.kind) {
    case 'sent':
      return finish(decision, handover.delivery, ctx);
    case 'queued':
      return { ...base, outcome: 'done', detail: 'notice queued for Slack', messages: [] };
    case 'not-queued':
      return { ...base, outcome: 'failed', detail: notQueued(handover.error), messages: [] };
  }
}

/** The lease was lost (another run took the key, or the write failed): stop acting on the key. */
function leaseLost(decision: Decision, delivery?: Delivery): ActionRecord {
  return {
    ...describeDecision(decision),
    outcome: 'failed',
    detail: LEASE_LOST_DETAIL,
    messages: delivery?.messages ?? [],
  };
}

export const LEASE_LOST_DETAIL = 'lease lost: another run took the key; stopped acting on it';

/** A final write that lost the lease is reported: the next run sees what was (not) recorded. */
function checked(action: ActionRecord, released: boolean): ActionRecord {
  if (released) return action;
  return { ...action, outcome: 'failed', detail: LEASE_LOST_DETAIL };
}

function restoreIntent(draft: KeyRecordDraft, before: KeyRecordDraft | undefined): KeyRecordDraft {
  const { deactivatedByUsOn: _on, deactivationNoticePending: _pending, ...rest } = draft;
  return {
    ...rest,
    milestones: before?.milestones ?? draft.milestones,
    ...(before?.deactivatedByUsOn !== undefined ? { deactivatedByUsOn: before.deactivatedByUsOn } : {}),
    ...(before?.deactivationNoticePending !== undefined
      ? { deactivationNoticePending: before.deactivationNoticePending }
      : {}),
  };
}

/**
 * Issue 8 item 11: a DM delivered whose mirror failed owes the channel its copy; post it now.
 * Mirrors a decision of this run will post anyway are not affected: those milestones are done.
 */
async function retryPendingMirrors(
  plan: AccountPlan,
  ctx: PlanContext,
  actions: ActionRecord[],
): Promise<void> {
  const owed: MirrorNotice[] = [];
  for (const record of ctx.session.all()) {
    for (const [milestone, done] of Object.entries<MilestoneRecord>(record.milestones)) {
      if (done.pendingMirror)
        owed.push({
          kind: 'mirror',
          accountId: record.accountId,
          accessKeyId: record.accessKeyId,
          userName: record.userName,
          milestone,
          message: done.pendingMirror as SlackMessage,
        });
    }
  }
  for (const mirror of owed) {
    const base = {
      accountId: plan.account.id,
      kind: 'remind' as const,
      userName: mirror.userName,
      accessKeyId: mirror.accessKeyId,
      milestone: mirror.milestone,
    };
    try {
      if (ctx.outbox.inFlight(mirror, ctx.session.get(mirror.accessKeyId))) {
        actions.push({ ...base, outcome: 'in-flight', detail: IN_FLIGHT_DETAIL, messages: [] });
        continue;
      }
      if (!(await ctx.session.claim(mirror.accessKeyId))) {
        actions.push({ ...base, ...outcomeOf(false), messages: [] });
        continue;
      }
      actions.push(mirrorOutcome(base, await ctx.outbox.handOver(mirror, ctx.session), ctx));
    } catch (error) {
      actions.push({ ...base, outcome: 'failed', detail: errorMessage(error), messages: [] });
    }
  }
}

function mirrorOutcome(
  base: Omit<ActionRecord, 'outcome' | 'messages'>,
  handover: Handover,
  ctx: PlanContext,
): ActionRecord {
  if (handover.kind === 'queued')
    return checked({ ...base, outcome: 'queued', messages: [] }, handover.released);
  if (handover.kind === 'not-queued')
    return checked(
      { ...base, outcome: 'failed', detail: notQueued(handover.error), messages: [] },
      handover.released,
    );
  const posted = handover.delivery;
  if (posted.failure) ctx.onSlackFailure(posted.failure);
  return checked(
    {
      ...base,
      outcome: posted.deliveredTo ? 'done' : 'failed',
      detail: posted.deliveredTo
        ? 'channel mirror of an earlier DM'
        : `channel mirror not posted: Slack ${posted.failure?.code ?? 'failure'}; retried next run`,
      messages: posted.messages,
    },
    handover.released,
  );
}

async function secondKey(decision: SecondKeyDecision, ctx: PlanContext): Promise<ActionRecord> {
  const flagged: string[] = [];
  for (const keyId of decision.keysToFlag) {
    if (await ctx.session.update(keyId, (d) => ({ ...d, secondKeyFlaggedOn: ctx.today })))
      flagged.push(keyId);
  }
  if (flagged.length === 0) return conflict(decision);
  if (!decision.announce)
    return { ...describeDecision(decision), outcome: 'done', detail: 'baseline', messages: [] };
  const handover = await ctx.outbox.post(channelNotice(decision, ctx, flagged));
  const delivery = handover.kind === 'sent' ? handover.delivery : undefined;
  if (handover.kind === 'not-queued' || (delivery && !delivery.deliveredTo)) {
    // Unflag so that the next run tries again: the flag means "the channel was told".
    for (const keyId of flagged) {
      await ctx.session.update(keyId, ({ secondKeyFlaggedOn: _flag, ...rest }) => rest);
    }
  }
  if (handover.kind === 'queued') return { ...describeDecision(decision), outcome: 'queued', messages: [] };
  if (handover.kind === 'not-queued')
    return {
      ...describeDecision(decision),
      outcome: 'failed',
      detail: notQueued(handover.error),
      messages: [],
    };
  return finish(decision, handover.delivery, ctx);
}

async function baseline(
  decision: Extract<Decision, { kind: 'baseline' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const handover = await ctx.outbox.post(channelNotice(decision, ctx));
  const delivery = handover.kind === 'sent' ? handover.delivery : undefined;
  if (delivery?.failure) ctx.onSlackFailure(delivery.failure, `baseline summary of ${decision.account.id}`);
  // Marked baselined even if the summary failed: re-running the baseline later would turn every
  // key recorded today into a "new key" alert flood, which is worse than a missing summary.
  // From the current record: a first scan that took several runs, or a user unreadable the first
  // day, left one behind with rule findings and other fields this write must keep.
  const { version: _version, ...current } = ctx.accountRecord ?? { version: undefined };
  const written = await ctx.ledger.putAccount(
    withStamp({ ...current, accountId: decision.account.id, baselinedOn: ctx.today }, ctx.readStamp),
    ctx.accountRecord?.version,
  );
  const detail =
    handover.kind === 'queued'
      ? 'summary queued for Slack'
      : handover.kind === 'not-queued'
        ? `summary not queued: ${handover.error}`
        : delivery?.failure
          ? `summary not posted: Slack ${delivery.failure.code}`
          : undefined;
  return {
    ...describeDecision(decision),
    outcome: written === 'written' ? 'done' : 'conflict',
    ...(detail ? { detail } : {}),
    messages: delivery?.messages ?? [],
  };
}

/** A baseline summary or second-key flag as a top-level post, rendered now with the run's words. */
function channelNotice(
  decision: ChannelPostDecision,
  ctx: PlanContext,
  flaggedKeys?: string[],
): ChannelNotice {
  const accountId = decision.account.id;
  return {
    kind: 'channel-post',
    accountId,
    postId: channelPostId(decision),
    message: channelMessage(decision, ctx.delivery.context, { status: 'not-attempted' }),
    ...(flaggedKeys ? { flaggedKeys } : {}),
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
