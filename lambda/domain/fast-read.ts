/**
 * The daily fast path (issue 9), as pure functions: which path reads an account today, what the
 * credential report says each user's keys are, and which users need their keys listed live.
 *
 * Why nothing is missed: a user's keys are taken from the report only when every key in the
 * report matches a key the ledger knows (by CreateDate, to the second) and every key the ledger
 * knows is in the report. Any disagreement (a new, deleted or replaced key), a user the report
 * does not have, and every user with anything to do today is listed live, and only live keys are
 * ever acted on. Changes made after the report was generated show in the next day's report, in
 * the weekly full sweep, and at once through the real-time new-key path.
 */
import { daysFromTo } from './dates';
import { compareText } from './text-order';
import { type AccountPlan, type Decision } from './decisions';
import { type InventoryUser, type AccountInventory, type ReportKeySlot } from './inventory-read';
import { type AccountRecord, type KeyRecord } from './ledger-records';
import { type AccessKeyInfo, type AccountScan, type IamUserSnapshot, type UserReadFailure } from './model';

/** Why an account is read user by user today. */
export type ExhaustiveReason =
  /** `read.fastPath` is false. */
  | 'disabled'
  /** The reader has no fast path (a simulation, a custom adapter). */
  | 'not-supported'
  /** The account has no baseline yet: every key must be recorded with its id. */
  | 'first-scan'
  /** `read.fullSweepDays` have passed since the last exhaustive read. */
  | 'full-sweep'
  /** The credential report could not be had (in progress, LimitExceeded, unparseable). */
  | 'report-unavailable'
  /** The report was generated before the previous run read the account. */
  | 'report-stale';

export type ReadPath =
  { readonly path: 'fast' } | { readonly path: 'exhaustive'; readonly reason: ExhaustiveReason };

export interface ReadPathFacts {
  readonly account: AccountRecord | undefined;
  readonly today: string;
  readonly fastPath: boolean;
  readonly fullSweepDays: number;
  readonly readerSupportsFastPath: boolean;
}

/** Which path reads the account today, before anything is read. */
export function chooseReadPath(facts: ReadPathFacts): ReadPath {
  if (!facts.fastPath) return exhaustive('disabled');
  if (!facts.readerSupportsFastPath) return exhaustive('not-supported');
  if (facts.account?.baselinedOn === undefined) return exhaustive('first-scan');
  const last = facts.account.lastFullScanOn;
  // A sweep too large for one run goes on each run until it has listed every user.
  if (last === undefined || facts.account.sweepCursor !== undefined) return exhaustive('full-sweep');
  const since = daysFromTo(last, facts.today);
  // The account's own weekday (of a `fullSweepDays` cycle) spreads an organisation's sweeps over
  // the cycle, instead of every account onboarded together sweeping on the same day forever; the
  // age bound still sweeps an account whose day was missed (no run that day).
  if (since >= facts.fullSweepDays) return exhaustive('full-sweep');
  if (since >= 1 && isSweepDay(facts.account.accountId, facts.today, facts.fullSweepDays))
    return exhaustive('full-sweep');
  return { path: 'fast' };
}

/** The day of each `cycleDays` cycle (0-based) on which an account is swept. */
export function sweepSlot(accountId: string, cycleDays: number): number {
  if (/^\d{1,15}$/.test(accountId)) return Number(accountId) % cycleDays;
  let hash = 0;
  for (const char of accountId) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_003;
  return hash % cycleDays;
}

/**
 * The accounts in the order a run starts them: those whose full sweep falls today first. A sweep
 * lists every user's keys and takes minutes where a fast read takes seconds; started last, one
 * would end long after the rest. Longest first keeps a fanned-out run's length near its longest
 * read (issue 12). Stable otherwise, so explicit accounts keep their order.
 */
export function sweepsFirst<T extends { readonly id: string }>(
  accounts: readonly T[],
  read: { readonly fastPath: boolean; readonly fullSweepDays: number },
  today: string,
): T[] {
  if (!read.fastPath) return [...accounts];
  const sweeping = (account: T): boolean => isSweepDay(account.id, today, read.fullSweepDays);
  return [...accounts.filter(sweeping), ...accounts.filter((account) => !sweeping(account))];
}

function isSweepDay(accountId: string, today: string, cycleDays: number): boolean {
  return daysFromTo('1970-01-01', today) % cycleDays === sweepSlot(accountId, cycleDays);
}

/**
 * The users today's part of a full sweep lists live, in name order: all of them from `cursor` on
 * (where the previous run's part stopped), except those already listed today. A user created
 * since the sweep began with a name before the cursor is not missed: unknown to the ledger, it is
 * listed the first day it appears.
 */
export function sweepBatch(
  userNames: readonly string[],
  cursor: string | undefined,
  looked: ReadonlySet<string>,
): string[] {
  return userNames
    .filter((name) => !looked.has(name) && (cursor === undefined || name >= cursor))
    .sort(compareText);
}

/**
 * The order a first scan lists users in: the oldest key first, by the report's `last_rotated`, so
 * a first scan that takes several runs reaches the keys due for a reminder or a deactivation on
 * its first; users without a dated key (a user newer than the report) last; ties by name.
 */
export function firstScanOrder(users: readonly InventoryUser[], names: ReadonlySet<string>): string[] {
  const oldest = (user: InventoryUser): number =>
    Math.min(...(user.report?.keys ?? []).map((slot) => slot.lastRotated?.getTime() ?? Infinity), Infinity);
  return users
    .filter((user) => names.has(user.userName))
    .map((user) => ({ name: user.userName, at: oldest(user) }))
    .sort((a, b) => a.at - b.at || compareText(a.name, b.name))
    .map((entry) => entry.name);
}

/** The scan without the users a partial first scan did not list, which it names as unlisted. */
export function withUnlisted(scan: AccountScan, unlisted: readonly string[]): AccountScan {
  if (unlisted.length === 0) return scan;
  const left = new Set(unlisted);
  return {
    ...scan,
    users: scan.users.filter((user) => !left.has(user.userName)),
    unlistedUsers: [...(scan.unlistedUsers ?? []), ...unlisted],
  };
}

/** A report generated before the previous run's read cannot show what changed since that run. */
export function reportIsStale(reportGeneratedAt: Date, account: AccountRecord | undefined): boolean {
  const lastRead = account?.lastReadAt;
  return lastRead !== undefined && reportGeneratedAt.getTime() < Date.parse(lastRead);
}

/** Why a user's keys are listed live on the fast path. */
export type LookReason =
  /** Created after the report was generated. */
  | 'not-in-report'
  /** The report's keys and the ledger's disagree: a key created, deleted or replaced. */
  | 'report-disagrees'
  /** The policy has something to do about this user today. */
  | 'due';

/** The account as the report and the ledger describe it, and who needs a live look. */
export interface ReportScan {
  readonly scan: AccountScan;
  readonly needsLook: ReadonlyMap<string, LookReason>;
}

/**
 * Builds the account's scan from the inventory: tags are current; keys come from the ledger's
 * records (ids, CreateDate) with status and last use from the report. Users whose report row does
 * not match the ledger are listed in `needsLook` (their keys here are only a best guess).
 */
export function scanFromInventory(inventory: AccountInventory, ledgerKeys: readonly KeyRecord[]): ReportScan {
  const known = new Map<string, KeyRecord[]>();
  for (const record of ledgerKeys) {
    if (record.goneOn !== undefined) continue;
    const list = known.get(record.userName);
    if (list) list.push(record);
    else known.set(record.userName, [record]);
  }
  const users: IamUserSnapshot[] = [];
  const needsLook = new Map<string, LookReason>();
  for (const user of inventory.users) {
    const records = known.get(user.userName) ?? [];
    const matched = user.report ? matchReport(user.report.keys, records) : undefined;
    if (!matched) needsLook.set(user.userName, 'not-in-report');
    else if (!matched.agrees) needsLook.set(user.userName, 'report-disagrees');
    users.push(snapshot(user, matched?.keys ?? []));
  }
  return { scan: { users, failedUsers: [] }, needsLook };
}

/** Users the plan does something about (a message, a deactivation, a ledger write). */
export function usersWithDecisions(plan: AccountPlan): Set<string> {
  const users = new Set<string>();
  for (const decision of plan.decisions) {
    const userName = decisionUser(decision);
    if (userName !== undefined) users.add(userName);
  }
  return users;
}

/** The scan with live keys in place of the report's guess for the users read live. */
export function withLiveKeys(
  scan: AccountScan,
  live: {
    readonly keys: ReadonlyMap<string, readonly AccessKeyInfo[]>;
    readonly failedUsers: readonly UserReadFailure[];
  },
  looked: ReadonlySet<string>,
): AccountScan {
  const failed = new Set(live.failedUsers.map((failure) => failure.userName));
  const users: IamUserSnapshot[] = [];
  for (const user of scan.users) {
    if (!looked.has(user.userName)) users.push(user);
    else if (failed.has(user.userName)) continue;
    else {
      const keys = live.keys.get(user.userName);
      // Listed in neither: deleted since the inventory was read, as ListUsers would now show.
      if (keys) users.push({ ...user, keys });
    }
  }
  return { ...scan, users, failedUsers: [...scan.failedUsers, ...live.failedUsers] };
}

interface ReportMatch {
  readonly agrees: boolean;
  readonly keys: readonly AccessKeyInfo[];
}

/**
 * Pairs each key in the report with the ledger record of the same CreateDate (the report has no
 * key ids). Agrees only when the pairing is one-to-one and covers both sides.
 */
function matchReport(slots: readonly ReportKeySlot[], records: readonly KeyRecord[]): ReportMatch {
  const unpaired = [...records];
  const keys: AccessKeyInfo[] = [];
  let agrees = true;
  for (const slot of slots) {
    if (!slot.active && slot.lastRotated === undefined) continue; // an empty slot
    const second = slot.lastRotated ? toSecond(slot.lastRotated.getTime()) : undefined;
    const candidates = unpaired.filter(
      (r) => second !== undefined && toSecond(Date.parse(r.createdAt)) === second,
    );
    if (candidates.length !== 1) {
      agrees = false;
      continue;
    }
    const record = candidates[0]!;
    unpaired.splice(unpaired.indexOf(record), 1);
    keys.push({
      accessKeyId: record.accessKeyId,
      status: slot.active ? 'Active' : 'Inactive',
      createDate: new Date(record.createdAt),
      ...(slot.lastUsed ? { lastUsedDate: slot.lastUsed } : {}),
    });
  }
  return { agrees: agrees && unpaired.length === 0, keys };
}

function snapshot(user: InventoryUser, keys: readonly AccessKeyInfo[]): IamUserSnapshot {
  return { userName: user.userName, ...(user.arn ? { arn: user.arn } : {}), tags: user.tags, keys };
}

function decisionUser(decision: Decision): string | undefined {
  switch (decision.kind) {
    case 'second-key':
    case 'key-gone':
      return decision.userName;
    case 'baseline':
      return undefined;
    default:
      return decision.subject.userName;
  }
}

function toSecond(ms: number): number {
  return Math.floor(ms / 1000);
}

function exhaustive(reason: ExhaustiveReason): ReadPath {
  return { path: 'exhaustive', reason };
}
