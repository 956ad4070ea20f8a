import { daysFromTo } from '../dates';
import { type RuleFinding, type RuleId } from './rule-finding';

/**
 * What the ledger remembers of a finding (on the account record, by finding id): when it first
 * appeared and when its owner was last told. A finding that disappears is forgotten, so if it
 * comes back it is news again.
 */
export interface FindingNoticeRecord {
  /** UTC date the finding was first seen. */
  readonly firstSeenOn: string;
  /** UTC date the owner's first DM about it was delivered; absent: nobody could be told yet. */
  readonly notifiedOn?: string;
  /** UTC date of the last reminder DM. */
  readonly remindedOn?: string;
}

export type FindingNotices = Readonly<Record<string, FindingNoticeRecord>>;

/** A DM owed today. */
export interface FindingNotice {
  readonly finding: RuleFinding;
  readonly slackId: string;
  readonly reminder: boolean;
}

export interface FindingNoticePlan {
  /** DMs to send; each, once delivered, is recorded with {@link recordDelivered}. */
  readonly notices: readonly FindingNotice[];
  /** The account's notice records before any delivery: new findings added, resolved ones dropped. */
  readonly records: FindingNotices;
}

export interface FindingNoticeFacts {
  readonly findings: readonly RuleFinding[];
  readonly previous: FindingNotices | undefined;
  /**
   * Rules that were evaluated in full for this account today. A finding of another rule (its
   * data could not be read today) is kept as it was, so a missing report does not make every
   * finding look new tomorrow.
   */
  readonly evaluated: ReadonlySet<RuleId>;
  /**
   * Users whose keys today's read could not show (unreadable, or not listed yet by a first scan
   * that takes several runs): their findings are kept as they were, for the same reason.
   */
  readonly unreadUsers?: ReadonlySet<string>;
  readonly today: string;
  readonly remindEveryDays: number;
  /** Whether the owner gets DMs: `rules.notifyOwners` and the owner's user class allows DMs. */
  readonly mayMessage: (finding: RuleFinding) => string | undefined;
}

/** Pure: today's DMs and the account's notice records, from today's findings and yesterday's records. */
export function planFindingNotices(facts: FindingNoticeFacts): FindingNoticePlan {
  const previous = facts.previous ?? {};
  const records: Record<string, FindingNoticeRecord> = {};
  for (const [id, record] of Object.entries(previous)) {
    // Ids are `rule/account/user[/key]` (an account-wide finding has no user).
    const [rule, , userName] = id.split('/') as [RuleId, string?, string?];
    const unread = userName !== undefined && facts.unreadUsers?.has(userName) === true;
    if (!facts.evaluated.has(rule) || unread) records[id] = record;
  }
  const notices: FindingNotice[] = [];
  for (const finding of facts.findings) {
    const before = previous[finding.id];
    records[finding.id] = before ?? { firstSeenOn: facts.today };
    const slackId = facts.mayMessage(finding);
    if (slackId === undefined) continue;
    if (!before?.notifiedOn) notices.push({ finding, slackId, reminder: false });
    else if (daysFromTo(before.remindedOn ?? before.notifiedOn, facts.today) >= facts.remindEveryDays)
      notices.push({ finding, slackId, reminder: true });
  }
  return { notices, records };
}

/** The records after a DM reached its owner. */
export function recordDelivered(
  records: FindingNotices,
  notice: FindingNotice,
  today: string,
): FindingNotices {
  const record = records[notice.finding.id] ?? { firstSeenOn: today };
  return {
    ...records,
    [notice.finding.id]: notice.reminder
      ? { ...record, remindedOn: today }
      : { ...record, notifiedOn: today },
  };
}

/** Same ids with the same dates: nothing to write. */
export function sameNotices(a: FindingNotices | undefined, b: FindingNotices): boolean {
  const left = a ?? {};
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((id) => {
    const x = left[id];
    const y = b[id];
    return (
      y !== undefined &&
      x?.firstSeenOn === y.firstSeenOn &&
      x.notifiedOn === y.notifiedOn &&
      x.remindedOn === y.remindedOn
    );
  });
}
