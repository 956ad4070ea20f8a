import { type EnforcerConfig } from '../config/schema';
import { utcDate, wholeDaysBetween } from './dates';
import {
  type AccountPlan,
  type BaselineDecision,
  type Decision,
  type ExemptionNote,
  type InputProblem,
  type SecondKeyDecision,
} from './decisions';
import { keyExemption } from './exemption';
import { buildSubject, decideKey, type KeyFacts, wasReminded } from './key-policy';
import { type AccountLedger, type KeyRecord } from './ledger-records';
import { type AccessKeyInfo, type AccountRef, type AccountScan, type IamUserSnapshot } from './model';
import { resolveOwner } from './owner';

export interface AccountFacts {
  readonly account: AccountRef;
  readonly scan: AccountScan;
  readonly ledger: AccountLedger;
  readonly config: EnforcerConfig;
  /** The decision time (the as-of date in a preview). */
  readonly now: Date;
  /** Real time, for other runs' leases. @default now */
  readonly wallClock?: Date;
}

/**
 * The policy for one account: a pure function of (keys, tags, ledger, config, now) — SPEC §2.
 * Bad input about one user or key becomes a reported problem and never hides the rest.
 */
export function decideAccount(facts: AccountFacts): AccountPlan {
  const { account, scan, ledger, config, now } = facts;
  const today = utcDate(now);
  const baselined = ledger.account?.baselinedOn !== undefined;
  const firstReadAt = ledger.account?.firstReadAt;
  const watchedSince = firstReadAt === undefined ? undefined : new Date(firstReadAt);
  const records = new Map(ledger.keys.map((record) => [record.accessKeyId, record]));
  const decisions: Decision[] = [];
  const problems: InputProblem[] = scan.failedUsers.map((failure) => ({
    accountId: account.id,
    userName: failure.userName,
    code: 'user-read-failed' as const,
    message: `could not read user: ${failure.message}`,
  }));
  const exemptions: ExemptionNote[] = [];
  const seenKeyIds = new Set<string>();
  const baseline = newBaselineTally();
  let keyCount = 0;
  let activeKeyCount = 0;

  for (const user of scan.users) {
    const { owner, problems: ownerProblems } = resolveOwner(account, user, config.tags);
    problems.push(...ownerProblems);
    const exemptionOf = (record?: KeyRecord) => keyExemption(user.tags, config, today, record);
    // The tag alone, once per user: its problems and its note in the digest.
    const exemption = exemptionOf();
    if (exemption.kind === 'ignored') {
      problems.push({
        accountId: account.id,
        userName: user.userName,
        code: exemption.code,
        message: exemption.message,
        ...(exemption.until !== undefined ? { exemptUntil: exemption.until } : {}),
      });
    } else if (exemption.kind === 'active') {
      exemptions.push({ account, userName: user.userName, until: exemption.until });
    }

    const keys = usableKeys(account, user, now, seenKeyIds, problems);
    const activeKeys = keys.filter((key) => key.status === 'Active');
    keyCount += keys.length;
    activeKeyCount += activeKeys.length;
    if (owner.userClass === 'unknown' && keys.length > 0) baseline.ownerUnknownUsers.push(user.userName);

    for (const key of keys) {
      const record = records.get(key.accessKeyId);
      if (record?.lease && record.lease.expiresAt > (facts.wallClock ?? now).toISOString()) {
        problems.push({
          accountId: account.id,
          userName: user.userName,
          accessKeyId: key.accessKeyId,
          code: 'key-busy',
          message: `another run (${record.lease.runId}) holds this key until ${record.lease.expiresAt}; skipped`,
        });
        continue;
      }
      // The key's own: the tag, or an exemption approved in Slack for this key (SPEC §8).
      const ownExemption = exemptionOf(record);
      if (ownExemption.kind === 'active' && ownExemption.approved && key.status === 'Active') {
        exemptions.push({
          account,
          userName: user.userName,
          until: ownExemption.until,
          accessKeyId: key.accessKeyId,
          approvedBy: ownExemption.approved.approvedBy,
        });
      }
      const otherActiveKeys = activeKeys
        .filter((k) => k.accessKeyId !== key.accessKeyId)
        .map((k) => k.accessKeyId);
      const keyFacts: KeyFacts = {
        account,
        userName: user.userName,
        owner,
        exemption: ownExemption,
        key,
        record,
        baselined,
        ...(watchedSince ? { watchedSince } : {}),
        otherActiveKeys,
        now,
        config,
      };
      decisions.push(...decideKey(keyFacts));
      if (key.status === 'Active') tallyAge(baseline, wholeDaysBetween(key.createDate, now), config);
    }

    const secondKey = decideSecondKey(
      account,
      user,
      owner.declaredType,
      activeKeys,
      records,
      baselined,
      owner,
      watchedSince,
    );
    if (secondKey) decisions.push(secondKey);
    // Every engineer with two active keys, whether or not an earlier run of a first scan that
    // took several runs has flagged them already.
    if (!baselined && hasSecondKey(owner.declaredType, activeKeys))
      baseline.secondKeyUsers.push(user.userName);
  }

  decisions.push(...decideGoneKeys(facts, seenKeyIds, records));

  // Issue 8 item 8: the baseline completes only with a scan that read every user; until then keys
  // are recorded silently, so a user unreadable in the first scan is never alerted as "new".
  if (!baselined && scan.failedUsers.length === 0 && (scan.unlistedUsers ?? []).length === 0) {
    const summary: BaselineDecision = {
      kind: 'baseline',
      account,
      users: scan.users.length,
      keys: keyCount,
      activeKeys: activeKeyCount,
      ...baseline,
    };
    decisions.push(summary);
  }

  return {
    account,
    decisions,
    problems,
    exemptions,
    stats: { users: scan.users.length, keys: keyCount, activeKeys: activeKeyCount },
  };
}

/** Drops keys that cannot be reasoned about (duplicates, CreateDate in the future), reporting each. */
function usableKeys(
  account: AccountRef,
  user: IamUserSnapshot,
  now: Date,
  seenKeyIds: Set<string>,
  problems: InputProblem[],
): AccessKeyInfo[] {
  const usable: AccessKeyInfo[] = [];
  for (const key of user.keys) {
    const where = { accountId: account.id, userName: user.userName, accessKeyId: key.accessKeyId };
    if (seenKeyIds.has(key.accessKeyId)) {
      problems.push({
        ...where,
        code: 'duplicate-key-id',
        message: 'key id listed more than once; only the first is processed',
      });
      continue;
    }
    seenKeyIds.add(key.accessKeyId);
    if (Number.isNaN(key.createDate.getTime()) || key.createDate.getTime() > now.getTime()) {
      problems.push({
        ...where,
        code: 'future-create-date',
        message: `CreateDate ${Number.isNaN(key.createDate.getTime()) ? 'is invalid' : key.createDate.toISOString() + ' is in the future'}; key skipped (check the clock or the as-of date)`,
      });
      continue;
    }
    usable.push(key);
  }
  return usable;
}

/** SPEC §4: an engineer with two active keys is flagged once per key. */
function decideSecondKey(
  account: AccountRef,
  user: IamUserSnapshot,
  declaredType: string | undefined,
  activeKeys: readonly AccessKeyInfo[],
  records: ReadonlyMap<string, KeyRecord>,
  baselined: boolean,
  owner: SecondKeyDecision['owner'],
  watchedSince: Date | undefined,
): SecondKeyDecision | undefined {
  if (!hasSecondKey(declaredType, activeKeys)) return undefined;
  const toFlag = activeKeys.filter((key) => records.get(key.accessKeyId)?.secondKeyFlaggedOn === undefined);
  if (toFlag.length === 0) return undefined;
  // Before the baseline the summary names the user; a key created after the first read is news
  // even then (a first scan that takes several runs), as its new-key alert is.
  const created = (key: AccessKeyInfo): boolean =>
    watchedSince !== undefined && key.createDate.getTime() > watchedSince.getTime();
  return {
    kind: 'second-key',
    account,
    userName: user.userName,
    owner,
    activeKeys,
    keysToFlag: toFlag.map((key) => key.accessKeyId),
    announce: baselined || toFlag.some(created),
  };
}

function hasSecondKey(declaredType: string | undefined, activeKeys: readonly AccessKeyInfo[]): boolean {
  return declaredType?.toLowerCase() === 'engineer' && activeKeys.length >= 2;
}

/**
 * Keys the ledger knows that IAM no longer lists were deleted. A user whose read failed is not
 * evidence of deletion, so its keys are left alone.
 */
function decideGoneKeys(
  facts: AccountFacts,
  seenKeyIds: ReadonlySet<string>,
  records: ReadonlyMap<string, KeyRecord>,
): Decision[] {
  const { account, scan, config, now } = facts;
  const today = utcDate(now);
  const unread = unreadUsers(scan);
  const decisions: Decision[] = [];
  for (const record of records.values()) {
    if (record.goneOn !== undefined || seenKeyIds.has(record.accessKeyId) || unread.has(record.userName))
      continue;
    // Thanks first: if it fails, the key stays un-gone in the ledger and both are retried next run.
    const gone: Decision = {
      kind: 'key-gone',
      account,
      userName: record.userName,
      accessKeyId: record.accessKeyId,
    };
    if (!wasReminded(record) || record.deactivatedByUsOn !== undefined || record.thankedOn !== undefined) {
      decisions.push(gone);
      continue;
    }
    const user = scan.users.find((u) => u.userName === record.userName);
    const owner = user
      ? resolveOwner(account, user, config.tags).owner
      : { userClass: 'unknown' as const, displayName: record.userName };
    const key: AccessKeyInfo = {
      accessKeyId: record.accessKeyId,
      status: 'Inactive',
      createDate: new Date(record.createdAt),
    };
    const keyFacts: KeyFacts = {
      account,
      userName: record.userName,
      owner,
      exemption: { kind: 'none' },
      key,
      record,
      baselined: true,
      otherActiveKeys: [],
      now,
      config,
    };
    const directMessage = config.userClasses[owner.userClass].directMessage && owner.slackId !== undefined;
    decisions.push({
      kind: 'thanks',
      subject: buildSubject(keyFacts, wholeDaysBetween(key.createDate, now), today),
      how: 'deleted',
      directMessage,
    });
    decisions.push(gone);
  }
  return decisions;
}

/** What the baseline summary counts while the account is walked. */
interface BaselineTally {
  keysDueSoon: number;
  keysPastDeadline: number;
  readonly ownerUnknownUsers: string[];
  readonly secondKeyUsers: string[];
}

function newBaselineTally(): BaselineTally {
  return { keysDueSoon: 0, keysPastDeadline: 0, ownerUnknownUsers: [], secondKeyUsers: [] };
}

function tallyAge(tally: BaselineTally, age: number, config: EnforcerConfig): void {
  const firstReminder = config.policy.remindAtDays[0] ?? config.policy.deactivateAtDays;
  if (age >= config.policy.deactivateAtDays) tally.keysPastDeadline += 1;
  else if (age >= firstReminder) tally.keysDueSoon += 1;
}

/** Users whose keys this scan does not show: unreadable, or not listed yet by a long first scan. */
export function unreadUsers(scan: AccountScan): Set<string> {
  return new Set([...scan.failedUsers.map((failure) => failure.userName), ...(scan.unlistedUsers ?? [])]);
}
