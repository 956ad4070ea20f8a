import { type WeeklyDigestConfig } from '../config/digest-schema';
import { utcDate } from '../domain/dates';
import { exemptionItemId, problemItemId } from '../domain/digest/items-seen';
import { dailyDigestId } from '../domain/digest/weekly-schedule';
import { type RunDigest, runDigestMessage } from '../domain/messages';
import { type FindingNotices } from '../domain/rules/finding-notices';
import { type RuleFinding } from '../domain/rules/rule-finding';
import { postOnce } from './post-once';
import { type ActionRecord } from './run-report';
import { type DigestPost, digestPost, type DigestRun } from './digest-post';

/** What the run counted, before the digest picks what is new today. */
export type RunCounts = Omit<
  RunDigest,
  'newExemptions' | 'newProblems' | 'newFindings' | 'standing' | 'weeklyDigestDay'
>;

export interface DailyDigestRun extends DigestRun {
  readonly counts: RunCounts;
  /** Today's rule findings, when the rules ran. */
  readonly findings?: readonly RuleFinding[];
  /** Each account's finding notices as the run found them, which tell a new finding from a standing one. */
  readonly previousNotices: ReadonlyMap<string, FindingNotices | undefined>;
}

/**
 * The daily run digest (SPEC §2): what is new today, and nothing else. Standing items (exemptions
 * in force, untagged users, rule findings) are counted and left to the weekly digest. Posted at
 * most once a day (the ledger's digest record), so a same-day re-run posts nothing; with
 * `when-notable`, only when the day brought something.
 */
export async function postDailyDigest(input: DailyDigestRun): Promise<DigestPost | undefined> {
  const mode = input.config.slack.runDigest;
  if (mode === 'never') return undefined;
  const digest = newToday(input);
  if (mode === 'when-notable' && !notable(digest, input.actions)) return undefined;
  const outcome = await postOnce({
    ledger: input.ledger,
    digestId: dailyDigestId(utcDate(new Date(input.run.now))),
    runId: input.run.runId,
    clock: input.clock,
    dryRun: input.run.dryRun,
    compose: () => Promise.resolve({ message: runDigestMessage(digest, input.context) }),
    send: (message) => input.delivery.post(message),
  });
  return digestPost('run-digest', outcome);
}

/** The run's counts with today's new items picked out from the ledger's first-seen dates. */
export function newToday(input: Omit<DailyDigestRun, 'ledger' | 'delivery' | 'context'>): RunDigest {
  const today = utcDate(new Date(input.run.now));
  const fresh = new Set(input.summaries.flatMap((summary) => summary.firstSeenToday ?? []));
  const exemptions = input.summaries.flatMap((summary) => summary.exemptions);
  const problems = input.summaries.flatMap((summary) => summary.problems);
  const findings = input.findings ?? [];
  const newExemptions = exemptions.filter((note) => fresh.has(exemptionItemId(note)));
  const newProblems = problems.filter((problem) => fresh.has(problemItemId(problem)));
  const newFindings = findings.filter((finding) => {
    const notice = input.previousNotices.get(finding.account.id)?.[finding.id];
    return notice === undefined || notice.firstSeenOn === today;
  });
  const weekly = input.config.digest.weekly;
  return {
    ...input.counts,
    newExemptions,
    newProblems,
    newFindings,
    standing: {
      exemptions: exemptions.length - newExemptions.length,
      problems: problems.length - newProblems.length,
      ...(input.findings ? { findings: findings.length - newFindings.length } : {}),
    },
    ...(weekly.enabled ? { weeklyDigestDay: weekdayPhrase(weekly) } : {}),
  };
}

/** SPEC §2: the daily digest reports what is new today; standing problems alone never post it. */
function notable(digest: RunDigest, actions: readonly ActionRecord[]): boolean {
  // A notice queued for the outbox (issue 12 item 4) is news today although nothing is sent yet.
  const acted = actions.some(
    (a) => a.messages.length > 0 || a.kind === 'deactivate' || a.outcome === 'queued',
  );
  return (
    acted ||
    digest.accountsFailed.length > 0 ||
    digest.errors.length > 0 ||
    digest.newExemptions.length > 0 ||
    digest.newProblems.length > 0 ||
    digest.newFindings.length > 0
  );
}

const WEEKDAY_NAMES: Readonly<Record<WeeklyDigestConfig['day'], string>> = {
  mon: 'Mondays',
  tue: 'Tuesdays',
  wed: 'Wednesdays',
  thu: 'Thursdays',
  fri: 'Fridays',
  sat: 'Saturdays',
  sun: 'Sundays',
};

/** "Mondays", or "Mondays from 09:00 UTC". */
function weekdayPhrase(weekly: WeeklyDigestConfig): string {
  const day = WEEKDAY_NAMES[weekly.day];
  return weekly.hourUtc === 0 ? day : `${day} from ${String(weekly.hourUtc).padStart(2, '0')}:00 UTC`;
}
