import { type EnforcerConfig } from '../config/schema';
import { utcDate } from '../domain/dates';
import { type AccountPlan } from '../domain/decisions';
import { accountKeyFacts, withoutDeactivated } from '../domain/digest/account-key-facts';
import { type ItemsSeen, trackItemsSeen } from '../domain/digest/items-seen';
import { type AccountWeek, weeklyDigest, weeklySnapshot } from '../domain/digest/weekly-digest';
import { weeklyDigestMessage } from '../domain/digest/weekly-digest-message';
import { earlierWeeks, weeklyDigestDueOn, weeklyDigestId } from '../domain/digest/weekly-schedule';
import { type WeeklySnapshot } from '../domain/digest/weekly-snapshot';
import { type AccountLedger } from '../domain/ledger-records';
import { type AccountRef, type AccountScan } from '../domain/model';
import { type Ledger } from '../ports';
import { type DigestPost, digestPost, type DigestRun } from './digest-post';
import { postOnce, type PostOnceOutcome } from './post-once';
import { type RuleFindingsReport } from './rule-findings';
import { type RunContext } from './steps/run-context';
import { type PlanSummaryDocument } from './steps/run-store';

/** Weeks looked back for the figures to compare with, when last week had no digest (a week off). */
const WEEKS_LOOKED_BACK = 5;

/** What the plan step keeps of an account for the digests. */
export interface AccountDigestFacts {
  /** Written on the account record with the read stamp. */
  readonly itemsSeen: ItemsSeen;
  readonly summary: Pick<PlanSummaryDocument, 'firstSeenToday' | 'keyFacts' | 'deactivating'>;
}

/**
 * The digests' part of planning one account: which standing items are new today (the daily
 * digest) and, when a weekly digest may be posted, the account's keys by age.
 */
export function digestFactsOf(
  run: RunContext,
  config: EnforcerConfig,
  read: {
    readonly account: AccountRef;
    readonly scan: AccountScan;
    readonly ledger: AccountLedger;
    readonly plan: AccountPlan;
  },
): AccountDigestFacts {
  const now = new Date(run.now);
  const { seen, firstSeenToday } = trackItemsSeen(read.ledger.account?.itemsSeen, read.plan, utcDate(now));
  const weekly = config.digest.weekly.enabled || run.previewWeeklyDigest === true;
  const deactivating = read.plan.decisions.flatMap((decision) =>
    decision.kind === 'deactivate'
      ? [{ accessKeyId: decision.subject.key.accessKeyId, ageDays: decision.subject.ageDays }]
      : [],
  );
  return {
    itemsSeen: seen,
    summary: {
      ...(firstSeenToday.length > 0 ? { firstSeenToday } : {}),
      ...(weekly
        ? {
            keyFacts: accountKeyFacts({ ...read, config, now }),
            ...(deactivating.length > 0 ? { deactivating } : {}),
          }
        : {}),
    },
  };
}

export interface WeeklyDigestRun extends DigestRun {
  /** Every account of the run, in its order. */
  readonly accounts: readonly AccountRef[];
  /** Why each account that was not planned could not be read. */
  readonly unread: ReadonlyMap<string, string>;
  readonly ruleFindings?: RuleFindingsReport;
}

/**
 * The weekly compliance digest (issue 10 item 2), posted by the first run at or after the
 * configured day and hour, once a week (the ledger's digest record), with the figures it showed
 * kept for next week's "change since last week". Undefined when no digest is owed today.
 */
export async function postWeeklyDigest(input: WeeklyDigestRun): Promise<DigestPost | undefined> {
  const { run, config } = input;
  const now = new Date(run.now);
  const schedule = config.digest.weekly;
  const dueOn = weeklyDigestDueOn(schedule, now, { anyDay: run.previewWeeklyDigest === true });
  if (dueOn === undefined) return undefined;
  const compose = async () => {
    const week = {
      today: utcDate(now),
      accounts: accountWeeks(input),
      rulesChecked: config.rules !== undefined,
    };
    const previous = await previousSnapshot(input.ledger, dueOn);
    const withPrevious = previous ? { ...week, previous } : week;
    return {
      message: weeklyDigestMessage(weeklyDigest(withPrevious), input.context),
      snapshot: weeklySnapshot(week),
    };
  };
  let outcome: PostOnceOutcome;
  if (run.previewWeeklyDigest) {
    const { message } = await compose();
    outcome = { kind: 'planned', delivery: await input.delivery.post(message) };
  } else {
    outcome = await postOnce({
      ledger: input.ledger,
      digestId: weeklyDigestId(dueOn),
      runId: run.runId,
      clock: input.clock,
      dryRun: run.dryRun,
      compose,
      send: (message) => input.delivery.post(message),
    });
  }
  return digestPost('weekly-digest', outcome);
}

/** Each account's week: its facts once the run acted, or why it has none. */
function accountWeeks(input: WeeklyDigestRun): AccountWeek[] {
  const { config } = input;
  const summaries = new Map(input.summaries.map((summary) => [summary.account.id, summary]));
  // Deactivated by this run (or, in a dry run, planned to be): no longer active when the digest is read.
  const deactivated = new Set(
    input.actions
      .filter((a) => a.kind === 'deactivate' && (a.outcome === 'done' || a.outcome === 'planned'))
      .map((a) => `${a.accountId}/${a.accessKeyId ?? ''}`),
  );
  const findings = input.ruleFindings?.findings ?? [];
  return input.accounts.map((account) => {
    const summary = summaries.get(account.id);
    const none = { exemptions: [], problems: [], findings: [] };
    if (!summary?.keyFacts)
      return { account, failure: input.unread.get(account.id) ?? 'not read today', ...none };
    const gone = (summary.deactivating ?? []).filter((key) =>
      deactivated.has(`${account.id}/${key.accessKeyId}`),
    );
    return {
      account,
      keys: withoutDeactivated(summary.keyFacts, gone, config.policy),
      exemptions: summary.exemptions,
      problems: summary.problems,
      findings: findings.filter((finding) => finding.account.id === account.id),
    };
  });
}

/** The figures of the latest earlier weekly digest within a few weeks, from the ledger. */
async function previousSnapshot(ledger: Ledger, dueOn: string): Promise<WeeklySnapshot | undefined> {
  for (const week of earlierWeeks(dueOn, WEEKS_LOOKED_BACK)) {
    const record = await ledger.readDigest(weeklyDigestId(week));
    if (record?.snapshot) return record.snapshot;
  }
  return undefined;
}
