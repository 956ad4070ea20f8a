import { type EnforcerConfig } from '../config/schema';
import { decideAccount } from './account-policy';
import { utcDate, wholeDaysBetween } from './dates';
import { type InputProblem } from './decisions';
import { keyExemption } from './exemption';
import { effectiveDeadline, type KeyFacts, nextStep, type NextStep } from './key-policy';
import { type AccountLedger } from './ledger-records';
import { type AccessKeyInfo, type AccountRef, type AccountScan, type Owner, type UserClass } from './model';
import { resolveOwner } from './owner';

/** How urgent a key is: `overdue` at or past the deactivation age, `warning` from the first reminder age. */
export type KeyState = 'ok' | 'warning' | 'overdue';

/** The next thing the enforcer will do about a key, and on which UTC date: the policy's {@link NextStep}. */
export type NextMilestone = NextStep;

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
  /** An exemption in force (`key-rotation-exempt-until`, or approved in Slack). */
  readonly exemptUntil?: string;
  /** Slack member id of the approver, when the exemption in force was approved in Slack. */
  readonly exemptionApprovedBy?: string;
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

/**
 * The read-only inventory of one account for `scan`: every key with its owner, age and what the
 * enforcer will do next. Pure, and built on the same policy as a run (SPEC §2), so "next" is what
 * the next run would do given this ledger; with an empty ledger, what a first run would do.
 */
export function buildInventory(input: InventoryInput): AccountInventory {
  const { account, scan, ledger, config, now } = input;
  const plan = decideAccount({ account, scan, ledger, config, now, wallClock: now });
  const rows: InventoryRow[] = [];
  forEachInventoryKey(input, (facts, rawType) => rows.push(inventoryRow(facts, rawType)));
  rows.sort(
    (a, b) =>
      compareText(a.userName, b.userName) ||
      compareText(a.createdAt, b.createdAt) ||
      compareText(a.accessKeyId, b.accessKeyId),
  );
  // Another run's lease says nothing about the key itself; scan does not act, so it is not a problem here.
  return { rows, problems: plan.problems.filter((problem) => problem.code !== 'key-busy') };
}

/**
 * Visits every key `scan` lists, once, with the facts the policy decides it on: the inventory and
 * the weekly digest (issue 10) walk an account the same way, so they count the same keys.
 */
export function forEachInventoryKey(
  input: InventoryInput,
  visit: (facts: KeyFacts, rawType: string | undefined) => void,
): void {
  const { account, scan, ledger, config, now } = input;
  const today = utcDate(now);
  const records = new Map(ledger.keys.map((record) => [record.accessKeyId, record]));
  const listed = new Set<string>();
  for (const user of scan.users) {
    const { owner } = resolveOwner(account, user, config.tags);
    for (const key of user.keys) {
      // Keys created after `now` (an as-of date in the past) did not exist yet; the policy reports them.
      if (listed.has(key.accessKeyId) || !(key.createDate.getTime() <= now.getTime())) continue;
      listed.add(key.accessKeyId);
      const record = records.get(key.accessKeyId);
      const facts: KeyFacts = {
        account,
        userName: user.userName,
        owner,
        // The run's own reading (account-policy.ts): the tag, or an exemption approved in Slack.
        exemption: keyExemption(user.tags, config, today, record),
        key,
        record,
        baselined: true,
        otherActiveKeys: [],
        now,
        config,
      };
      visit(facts, user.tags[config.tags.type]);
    }
  }
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

/** One key's row: its age, state, deadline and next step, all from the policy (SPEC §1). */
export function inventoryRow(facts: KeyFacts, rawType: string | undefined): InventoryRow {
  const { key, owner, config, exemption } = facts;
  const today = utcDate(facts.now);
  const ageDays = wholeDaysBetween(key.createDate, facts.now);
  const active = key.status === 'Active';
  // Same function as the run's messages (SPEC §1): scan never re-derives the policy.
  const deadline =
    active && config.userClasses[owner.userClass].deactivate ? effectiveDeadline(facts, today) : undefined;
  const next = nextStep(facts);
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
    ...(exemption.kind === 'active' && exemption.approved
      ? { exemptionApprovedBy: exemption.approved.approvedBy }
      : {}),
    state: keyState(key.status, ageDays, config.policy),
  };
}

function ownerFields(owner: Owner): Pick<InventoryRow, 'ownerName' | 'ownerSlackId'> {
  return {
    ...(owner.fullName ? { ownerName: owner.fullName } : {}),
    ...(owner.slackId ? { ownerSlackId: owner.slackId } : {}),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
