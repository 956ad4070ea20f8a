import { type ReadStamp } from './record-read';
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
  type MilestoneId,
  type MilestoneRecord,
} from '../domain/ledger-records';
import { type WithHistory } from '../domain/messages';
import { type SlackMessage } from '../domain/slack-message';
import { keyHistory } from '../domain/key-history';
import { markDeactivated, markMilestones, newKeyRecord } from '../domain/record-transitions';
import { type Clock, type KeyDeactivator, type Ledger } from '../ports';
import { type Delivery, type DeliveryService, type KeyThread } from './delivery';
import { type KeyLedgerSession } from './key-ledger-session';
import { type ActionRecord } from './run-report';

export interface PlanContext {
  readonly session: KeyLedgerSession;
  readonly ledger: Ledger;
  readonly deactivator: KeyDeactivator;
  readonly delivery: DeliveryService;
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
      return remind(decision, ctx);
    case 'deactivate':
      return deactivate(decision, ctx);
    case 'deactivation-notice-retry':
    case 'thanks':
      return notifyAboutDoneKey(decision, ctx);
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
  } else if (!(await ctx.session.claim(keyId))) {
    return conflict(decision);
  }
  const delivery = await ctx.delivery.channel(decision);
  const released = await ctx.session.release(keyId, (d) =>
    delivery.deliveredTo ? { ...d, newKeyAlert: 'sent' } : d,
  );
  return checked(finish(decision, delivery, ctx), released);
}

async function remind(
  decision: Extract<KeyDecision, { kind: 'remind' | 'final-notice' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const keyId = decision.subject.key.accessKeyId;
  if (!(await ctx.session.claim(keyId))) return conflict(decision);
  const sent = decision.kind === 'remind' ? String(decision.milestone) : FINAL_NOTICE;
  const mark = (draft: KeyRecordDraft, deliveredTo: 'owner' | 'channel'): KeyRecordDraft => {
    const marked = markMilestones(draft, ctx.today, [sent], decision.skipped, deliveredTo);
    return decision.kind === 'final-notice'
      ? { ...marked, finalDeadline: decision.subject.deadline }
      : marked;
  };
  // Issue 8 item 14: the DM is recorded the moment Slack takes it, with the mirror it still owes.
  const delivery = await ctx.delivery.notify(
    decision,
    (mirror) => ctx.session.update(keyId, (d) => withPendingMirror(mark(d, 'owner'), sent, mirror)),
    threadOf(ctx, keyId),
  );
  if (delivery.leaseLost) return leaseLost(decision, delivery);
  const released = await ctx.session.release(keyId, (d) => {
    const draft = withThread(d, delivery);
    if (delivery.deliveredTo === 'owner')
      return delivery.mirrored ? withoutPendingMirror(draft, sent) : draft;
    if (delivery.deliveredTo === 'channel') return mark(draft, 'channel');
    return withFirstFailure(draft, ctx);
  });
  return checked(finish(decision, delivery, ctx), released);
}

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
  const delivery = await ctx.delivery.notify(decision, undefined, threadOf(ctx, keyId));
  const released = await ctx.session.release(keyId, (d) =>
    withThread(delivery.deliveredTo ? { ...d, deactivationNoticePending: false } : d, delivery),
  );
  const finished = finish(decision, delivery, ctx);
  const noticeError = finished.outcome === 'failed' ? finished.detail : finished.error;
  const { detail: _detail, ...done } = finished;
  return checked({ ...done, outcome: 'done', ...(noticeError ? { error: noticeError } : {}) }, released);
}

async function notifyAboutDoneKey(
  decision: Extract<KeyDecision, { kind: 'deactivation-notice-retry' | 'thanks' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const keyId = decision.subject.key.accessKeyId;
  if (!(await ctx.session.claim(keyId))) return conflict(decision);
  const record = (d: KeyRecordDraft): KeyRecordDraft =>
    decision.kind === 'thanks' ? { ...d, thankedOn: ctx.today } : { ...d, deactivationNoticePending: false };
  const delivery = await ctx.delivery.notify(
    decision,
    () => ctx.session.update(keyId, record),
    threadOf(ctx, keyId),
  );
  if (delivery.leaseLost) return leaseLost(decision, delivery);
  const released = await ctx.session.release(keyId, (d) =>
    withThread(delivery.deliveredTo ? record(d) : d, delivery),
  );
  return checked(finish(decision, delivery, ctx), released);
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

function withPendingMirror(draft: KeyRecordDraft, id: MilestoneId, mirror: SlackMessage): KeyRecordDraft {
  const milestone = draft.milestones[id];
  if (!milestone) return draft;
  const pendingMirror = { text: mirror.text, blocks: mirror.blocks };
  return { ...draft, milestones: { ...draft.milestones, [id]: { ...milestone, pendingMirror } } };
}

function withoutPendingMirror(draft: KeyRecordDraft, id: MilestoneId): KeyRecordDraft {
  const milestone = draft.milestones[id];
  if (!milestone?.pendingMirror) return draft;
  const { pendingMirror: _mirror, ...rest } = milestone;
  return { ...draft, milestones: { ...draft.milestones, [id]: rest } };
}

/** The key's channel thread as last recorded (issue 11 item 2). */
function threadOf(ctx: PlanContext, keyId: string): KeyThread | undefined {
  return ctx.session.get(keyId)?.channelThread;
}

/** Records a thread parent posted for the key, even when the notice itself then failed. */
function withThread(draft: KeyRecordDraft, delivery: Delivery): KeyRecordDraft {
  return delivery.thread ? { ...draft, channelThread: delivery.thread } : draft;
}

/** SPEC §2: the first reminder attempt that reached nobody starts the outage's minimum notice. */
function withFirstFailure(draft: KeyRecordDraft, ctx: PlanContext): KeyRecordDraft {
  if (draft.noticeFirstFailedAt !== undefined) return draft;
  return { ...draft, noticeFirstFailedAt: ctx.clock.now().toISOString() };
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
  const owed: { keyId: string; userName: string; id: MilestoneId; mirror: SlackMessage }[] = [];
  for (const record of ctx.session.all()) {
    for (const [id, milestone] of Object.entries<MilestoneRecord>(record.milestones)) {
      if (milestone.pendingMirror)
        owed.push({
          keyId: record.accessKeyId,
          userName: record.userName,
          id,
          mirror: milestone.pendingMirror as SlackMessage,
        });
    }
  }
  for (const { keyId, userName, id, mirror } of owed) {
    const base = {
      accountId: plan.account.id,
      kind: 'remind' as const,
      userName,
      accessKeyId: keyId,
      milestone: id,
    };
    try {
      if (!(await ctx.session.claim(keyId))) {
        actions.push({ ...base, ...outcomeOf(false), messages: [] });
        continue;
      }
      const posted = await ctx.delivery.reply(mirror, threadOf(ctx, keyId));
      if (posted.failure) ctx.onSlackFailure(posted.failure);
      const released = await ctx.session.release(keyId, (d) =>
        posted.deliveredTo ? withoutPendingMirror(d, id) : d,
      );
      actions.push(
        checked(
          {
            ...base,
            outcome: posted.deliveredTo ? 'done' : 'failed',
            detail: posted.deliveredTo
              ? 'channel mirror of an earlier DM'
              : `channel mirror not posted: Slack ${posted.failure?.code ?? 'failure'}; retried next run`,
            messages: posted.messages,
          },
          released,
        ),
      );
    } catch (error) {
      actions.push({ ...base, outcome: 'failed', detail: errorMessage(error), messages: [] });
    }
  }
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
  const delivery = await ctx.delivery.channel(decision);
  if (!delivery.deliveredTo) {
    // Unflag so that the next run tries again: the flag means "the channel was told".
    for (const keyId of flagged) {
      await ctx.session.update(keyId, ({ secondKeyFlaggedOn: _flag, ...rest }) => rest);
    }
  }
  return finish(decision, delivery, ctx);
}

async function baseline(
  decision: Extract<Decision, { kind: 'baseline' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const delivery = await ctx.delivery.channel(decision);
  if (delivery.failure) ctx.onSlackFailure(delivery.failure, `baseline summary of ${decision.account.id}`);
  // Marked baselined even if the summary failed: re-running the baseline later would turn every
  // key recorded today into a "new key" alert flood, which is worse than a missing summary.
  const written = await ctx.ledger.putAccount(
    { accountId: decision.account.id, baselinedOn: ctx.today, ...ctx.readStamp },
    ctx.accountRecord?.version,
  );
  return {
    ...describeDecision(decision),
    outcome: written === 'written' ? 'done' : 'conflict',
    ...(delivery.failure ? { detail: `summary not posted: Slack ${delivery.failure.code}` } : {}),
    messages: delivery.messages,
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
