import {
  type AccountPlan,
  type Decision,
  type KeyDecision,
  type SecondKeyDecision,
} from '../domain/decisions';
import { type AccountRecord, FINAL_NOTICE } from '../domain/ledger-records';
import { markDeactivated, markMilestones, newKeyRecord } from '../domain/record-transitions';
import { type KeyDeactivator, type Ledger } from '../ports';
import { type Delivery, type DeliveryService } from './delivery';
import { type KeyLedgerSession } from './key-ledger-session';
import { type ActionRecord } from './run-report';

export interface PlanContext {
  readonly session: KeyLedgerSession;
  readonly ledger: Ledger;
  readonly deactivator: KeyDeactivator;
  readonly delivery: DeliveryService;
  readonly accountRecord: AccountRecord | undefined;
  readonly today: string;
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
  for (const decision of plan.decisions) {
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
  await ctx.session.release(keyId, (d) => (delivery.deliveredTo ? { ...d, newKeyAlert: 'sent' } : d));
  return finish(decision, delivery, ctx);
}

async function remind(
  decision: Extract<KeyDecision, { kind: 'remind' | 'final-notice' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const keyId = decision.subject.key.accessKeyId;
  if (!(await ctx.session.claim(keyId))) return conflict(decision);
  const delivery = await ctx.delivery.notify(decision);
  const sent = decision.kind === 'remind' ? String(decision.milestone) : FINAL_NOTICE;
  await ctx.session.release(keyId, (draft) => {
    if (!delivery.deliveredTo) return draft;
    const marked = markMilestones(draft, ctx.today, [sent], decision.skipped, delivery.deliveredTo);
    return decision.kind === 'final-notice'
      ? { ...marked, finalDeadline: decision.subject.deadline }
      : marked;
  });
  return finish(decision, delivery, ctx);
}

async function deactivate(
  decision: Extract<KeyDecision, { kind: 'deactivate' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const { account, userName, key } = decision.subject;
  if (!(await ctx.session.claim(key.accessKeyId))) return conflict(decision);
  try {
    await ctx.deactivator.deactivateKey(account, userName, key.accessKeyId);
  } catch (error) {
    await ctx.session.release(key.accessKeyId);
    throw error;
  }
  // Security first (SPEC §5): the deactivation is recorded before anyone is told, so a failed
  // notice is retried next run instead of being lost or the key being deactivated twice.
  await ctx.session.update(key.accessKeyId, (d) => markDeactivated(d, ctx.today, decision.skipped));
  const delivery = await ctx.delivery.notify(decision);
  await ctx.session.release(key.accessKeyId, (d) =>
    delivery.deliveredTo ? { ...d, deactivationNoticePending: false } : d,
  );
  return { ...finish(decision, delivery, ctx), outcome: 'done' };
}

async function notifyAboutDoneKey(
  decision: Extract<KeyDecision, { kind: 'deactivation-notice-retry' | 'thanks' }>,
  ctx: PlanContext,
): Promise<ActionRecord> {
  const keyId = decision.subject.key.accessKeyId;
  if (!(await ctx.session.claim(keyId))) return conflict(decision);
  const delivery = await ctx.delivery.notify(decision);
  await ctx.session.release(keyId, (d) => {
    if (!delivery.deliveredTo) return d;
    return decision.kind === 'thanks'
      ? { ...d, thankedOn: ctx.today }
      : { ...d, deactivationNoticePending: false };
  });
  return finish(decision, delivery, ctx);
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
    { accountId: decision.account.id, baselinedOn: ctx.today },
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
