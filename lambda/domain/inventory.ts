import { type EnforcerConfig } from '../config/schema';
import { decideAccount } from './account-policy';
import { addDays, maxDate, utcDate, wholeDaysBetween } from './dates';
import { type Decision, type InputProblem } from './decisions';
import { readExemption } from './exemption';
import { effectiveDeadline, type KeyFacts } from './key-policy';
import { type AccountLedger, type KeyRecord } from './ledger-records';
import { type AccessKeyInfo, type AccountRef, type AccountScan, type Owner, type UserClass } from './model';
import { resolveOwner } from './owner';

/** How urgent a key is: `overdue` at or past the deactivation age, `warning` from the first reminder age. */
export type KeyState = 'ok' | 'warning' | 'overdue';

/** The next thing the enforcer will do about a key, and on which UTC date. */
export type NextMilestone =
  | { readonly action: 'remind'; readonly milestone: number; readonly date: string }
  | { readonly action: 'final-notice'; readonly date: string }
  | { readonly action: 'deactivate'; readonly date: string };

/** One access key as `scan` lists it. */
export interface InventoryRow {
  readonly accountId: string;
  readonly accountName: string;
  readonly userName: string;
  /** The `full-name` tag, when usable. */
  readonly ownerName?: string;
  /** The `slack-id` tag, when it is a valid member id. */
  readonly ownerSlackId?: string;
  /** The `type` tag as written, when present. */
  readonly type?: string;
  /** How the enforcer treats the user (SPEC §3). */
  readonly treatedAs: UserClass;
  readonly accessKeyId: string;
  readonly status: AccessKeyInfo['status'];
  /** ISO timestamp of CreateDate. */
  readonly createdAt: string;
  readonly ageDays: number;
  /** ISO timestamp; absent when IAM has no record of a use (or it was not read). */
  readonly lastUsedAt?: string;
  /** Absent for inactive keys and for keys nothing more will happen to (an overdue machine key). */
  readonly next?: NextMilestone;
  /**
   * UTC date from which the key may be deactivated (minimum notice and exemption included); absent
   * for inactive keys and for user classes that are never deactivated.
   */
  readonly deadline?: string;
  /** An exemption in force (`key-rotation-exempt-until`). */
  readonly exemptUntil?: string;
  readonly state: KeyState;
}

/** Everything `buildInventory` reads about one account. */
export interface InventoryInput {
  readonly account: AccountRef;
  readonly scan: AccountScan;
  readonly ledger: AccountLedger;
  readonly config: EnforcerConfig;
  /** The moment the inventory describes (the as-of date in a preview). */
  readonly now: Date;
}

export interface AccountInventory {
  /** Keys sorted by user name, then creation time. */
  readonly rows: readonly InventoryRow[];
  /** Bad tags, unreadable users and unusable keys, worded as the run reports them. */
  readonly problems: readonly InputProblem[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The read-only inventory of one account for `scan`: every key with its owner, age and what the
 * enforcer will do next. Pure, and built on the same policy as a run (SPEC §2), so "next" is what
 * the next run would do given this ledger; with an empty ledger, what a first run would do.
 */
export function buildInventory(input: InventoryInput): AccountInventory {
  const { account, scan, ledger, config, now } = input;
  const today = utcDate(now);
  const plan = decideAccount({ account, scan, ledger, config, now, wallClock: now });
  const dueToday = new Map<string, NextMilestone>();
  for (const decision of plan.decisions) {
    const due = actionToday(decision, today);
    if (due && !dueToday.has(due.accessKeyId)) dueToday.set(due.accessKeyId, due.next);
  }
  const records = new Map(ledger.keys.map((record) => [record.accessKeyId, record]));
  const rows: InventoryRow[] = [];
  const listed = new Set<string>();
  for (const user of scan.users) {
    const { owner } = resolveOwner(account, user, config.tags);
    const exemption = readExemption(
      user.tags[config.tags.exemptUntil],
      config.tags.exemptUntil,
      today,
      config.policy.maxExemptionDays,
    );
    for (const key of user.keys) {
      // Keys created after `now` (an as-of date in the past) did not exist yet; the policy reports them.
      if (listed.has(key.accessKeyId) || !(key.createDate.getTime() <= now.getTime())) continue;
      listed.add(key.accessKeyId);
      const facts: KeyFacts = {
        account,
        userName: user.userName,
        owner,
        exemption,
        key,
        record: records.get(key.accessKeyId),
        baselined: true,
        otherActiveKeys: [],
        now,
        config,
      };
      rows.push(inventoryRow(facts, today, dueToday.get(key.accessKeyId), user.tags[config.tags.type]));
    }
  }
  rows.sort(
    (a, b) =>
      compareText(a.userName, b.userName) ||
      compareText(a.createdAt, b.createdAt) ||
      compareText(a.accessKeyId, b.accessKeyId),
  );
  // Another run's lease says nothing about the key itself; scan does not act, so it is not a problem here.
  return { rows, problems: plan.problems.filter((problem) => problem.code !== 'key-busy') };
}

/** The state thresholds of SPEC §1–§2, for a key of this age and status. */
export function keyState(
  status: AccessKeyInfo['status'],
  ageDays: number,
  policy: EnforcerConfig['policy'],
): KeyState {
  if (status !== 'Active') return 'ok';
  if (ageDays >= policy.deactivateAtDays) return 'overdue';
  const firstReminder = policy.remindAtDays[0] ?? policy.deactivateAtDays;
  return ageDays >= firstReminder ? 'warning' : 'ok';
}

function inventoryRow(
  facts: KeyFacts,
  today: string,
  due: NextMilestone | undefined,
  rawType: string | undefined,
): InventoryRow {
  const { key, owner, config, exemption } = facts;
  const ageDays = wholeDaysBetween(key.createDate, facts.now);
  const active = key.status === 'Active';
  const deadline =
    active && config.userClasses[owner.userClass].deactivate ? deadlineOf(facts, today) : undefined;
  const next = active ? (due ?? nextFutureMilestone(facts, today, ageDays, deadline)) : undefined;
  const type = rawType?.trim();
  return {
    accountId: facts.account.id,
    accountName: facts.account.name,
    userName: facts.userName,
    ...ownerFields(owner),
    ...(type ? { type } : {}),
    treatedAs: owner.userClass,
    accessKeyId: key.accessKeyId,
    status: key.status,
    createdAt: key.createDate.toISOString(),
    ageDays,
    ...(key.lastUsedDate ? { lastUsedAt: key.lastUsedDate.toISOString() } : {}),
    ...(next ? { next } : {}),
    ...(deadline ? { deadline } : {}),
    ...(exemption.kind === 'active' ? { exemptUntil: exemption.until } : {}),
    state: keyState(key.status, ageDays, config.policy),
  };
}

function ownerFields(owner: Owner): Pick<InventoryRow, 'ownerName' | 'ownerSlackId'> {
  return {
    ...(owner.fullName ? { ownerName: owner.fullName } : {}),
    ...(owner.slackId ? { ownerSlackId: owner.slackId } : {}),
  };
}

/** What today's run would do about a key, from the policy's own decisions. */
function actionToday(
  decision: Decision,
  today: string,
): { readonly accessKeyId: string; readonly next: NextMilestone } | undefined {
  switch (decision.kind) {
    case 'remind':
      return {
        accessKeyId: decision.subject.key.accessKeyId,
        next: { action: 'remind', milestone: decision.milestone, date: today },
      };
    case 'final-notice':
      return { accessKeyId: decision.subject.key.accessKeyId, next: { action: 'final-notice', date: today } };
    case 'deactivate':
      return { accessKeyId: decision.subject.key.accessKeyId, next: { action: 'deactivate', date: today } };
    default:
      return undefined;
  }
}

/** The UTC date on which the key turns `days` old (SPEC §1 age, counted from CreateDate's instant). */
function dateAtAge(key: AccessKeyInfo, days: number): string {
  return utcDate(new Date(key.createDate.getTime() + days * DAY_MS));
}

/** First day the key may be deactivated: the policy's deadline, held back by an exemption in force. */
function deadlineOf(facts: KeyFacts, today: string): string {
  const atAge = dateAtAge(facts.key, facts.config.policy.deactivateAtDays);
  const deadline = maxDate(effectiveDeadline(facts, today), atAge);
  return facts.exemption.kind === 'active' ? maxDate(deadline, addDays(facts.exemption.until, 1)) : deadline;
}

function isDone(record: KeyRecord | undefined, milestone: number): boolean {
  return record?.milestones[String(milestone)] !== undefined;
}

/** Nothing is due today: the earliest milestone still ahead (reminders first on a tie). */
function nextFutureMilestone(
  facts: KeyFacts,
  today: string,
  ageDays: number,
  deadline: string | undefined,
): NextMilestone | undefined {
  const { policy } = facts.config;
  const reminderDays = policy.remindAtDays.filter((day) => day > ageDays && !isDone(facts.record, day));
  // A key not deactivated at the deactivation age (its class, or an exemption still in force that
  // day) gets an overdue reminder then instead.
  const overdueDate = dateAtAge(facts.key, policy.deactivateAtDays);
  const exemptThen = facts.exemption.kind === 'active' && facts.exemption.until >= overdueDate;
  const overdueReminder =
    ageDays < policy.deactivateAtDays &&
    !isDone(facts.record, policy.deactivateAtDays) &&
    (deadline === undefined || exemptThen);
  if (overdueReminder) reminderDays.push(policy.deactivateAtDays);
  const candidates: NextMilestone[] = reminderDays.map((milestone) => ({
    action: 'remind',
    milestone,
    date: maxDate(dateAtAge(facts.key, milestone), today),
  }));
  if (deadline !== undefined) candidates.push({ action: 'deactivate', date: maxDate(deadline, today) });
  return candidates.reduce<NextMilestone | undefined>(
    (earliest, candidate) =>
      earliest === undefined || candidate.date < earliest.date ? candidate : earliest,
    undefined,
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
