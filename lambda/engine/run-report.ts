import {
  type BreakerTrip,
  type DecisionKind,
  type ExemptionNote,
  type InputProblem,
} from '../domain/decisions';
import { type ExhaustiveReason } from '../domain/fast-read';
import { type AccountRef } from '../domain/model';
import { type RuleFindingsReport } from './rule-findings';
import { type SecurityHubReport } from './security-hub-export';

/** A message as it was (or, in a dry run, would have been) sent. */
export interface SentMessage {
  readonly to: { readonly kind: 'dm'; readonly slackId: string } | { readonly kind: 'channel' };
  readonly text: string;
  readonly delivered: boolean;
  /**
   * Issue 11 item 2: `parent` is a key's thread parent (its state, not a notice); `reply` a notice
   * posted in that thread. Absent: a top-level post or a DM.
   */
  readonly thread?: 'parent' | 'reply';
}

/** What the run did about one decision. */
export interface ActionRecord {
  readonly accountId: string;
  readonly kind: DecisionKind | 'breaker-tripped' | 'run-digest' | 'weekly-digest' | 'rule-finding';
  readonly userName?: string;
  readonly accessKeyId?: string;
  readonly milestone?: number | string;
  /**
   * `done`: carried out; `planned`: dry run; `failed`: an effect failed (retried next run);
   * `conflict`: another run holds the key; `withheld`: stopped by the circuit breaker;
   * `queued`: written to the Slack outbox, which delivers and records it (issue 12 item 4);
   * `in-flight`: already in the outbox since an earlier run today, so nothing was done.
   */
  readonly outcome: 'done' | 'planned' | 'failed' | 'conflict' | 'withheld' | 'queued' | 'in-flight';
  readonly detail?: string;
  /** An error alongside a `done` action (a deactivation whose notice failed, a DM whose mirror failed). */
  readonly error?: string;
  readonly messages: readonly SentMessage[];
}

/** Calls made through each port, for the summary (SPEC §5) and for cost estimates. */
export type PortCalls = Record<string, number>;

export interface RunSummary {
  readonly runId: string;
  readonly today: string;
  readonly dryRun: boolean;
  readonly asOf?: string;
  readonly accountsOk: number;
  readonly accountsFailed: number;
  /** Accounts whose read ran out of time (SPEC §7): "incomplete, resumes next run", not failed. */
  readonly accountsIncomplete: number;
  readonly users: number;
  readonly keys: number;
  readonly activeKeys: number;
  readonly reminders: number;
  readonly deactivations: number;
  readonly newKeys: number;
  readonly thanks: number;
  readonly problems: number;
  /** Failed actions and posts, failed accounts, and a broken Slack setup. */
  readonly errors: number;
  readonly breakerTripped: boolean;
  /** Accounts read by each path (issue 9): `fast` (credential report) or `exhaustive` (user by user). */
  readonly readPaths: { readonly fast: number; readonly exhaustive: number };
  readonly durationMs: number;
  readonly calls: PortCalls;
}

export interface RunReport {
  readonly summary: RunSummary;
  readonly actions: readonly ActionRecord[];
  readonly failedAccounts: readonly { readonly account: AccountRef; readonly message: string }[];
  /** Accounts not fully read in time; they resume next run, and still make the run report failure. */
  readonly incompleteAccounts: readonly { readonly account: AccountRef; readonly message: string }[];
  readonly problems: readonly InputProblem[];
  readonly exemptions: readonly ExemptionNote[];
  /** Failed actions and posts, each naming its key or post. Failed accounts and a broken Slack setup have their own fields. */
  readonly errors: readonly string[];
  /** Accounts read user by user, and why (first scan, weekly sweep, a report that could not be trusted). */
  readonly exhaustiveReads: readonly {
    readonly account: AccountRef;
    readonly reason: ExhaustiveReason;
    readonly detail?: string;
    /** Stopped for time; goes on next run (a first scan or sweep too large for one). */
    readonly continues?: boolean;
  }[];
  readonly breaker?: BreakerTrip;
  /** Set when Slack refused the token or channel: one clear message instead of one per send. */
  readonly configurationError?: string;
  /** The rule checks' findings (issue 10), when `rules` is configured. */
  readonly ruleFindings?: RuleFindingsReport;
  /** What was imported into Security Hub (issue 10), when `securityHub.enabled`. */
  readonly securityHub?: SecurityHubReport;
}

/**
 * Whether a run succeeded, for the Lambda's invocation result and alarm metric and the CLI's exit
 * code alike (SPEC §5, §2): every account read in full, nothing failed (a notice Slack could not
 * deliver, a deactivation IAM refused), Slack set up, and the circuit breaker not tripped.
 */
export function runSucceeded(report: RunReport): boolean {
  return runFailureReasons(report).length === 0;
}

/** Why a run must report failure, one reason per line, naming accounts and keys. */
export function runFailureReasons(report: RunReport): string[] {
  const reasons: string[] = [];
  for (const f of report.failedAccounts)
    reasons.push(f.message.includes(f.account.id) ? f.message : `account ${f.account.id}: ${f.message}`);
  for (const f of report.incompleteAccounts)
    reasons.push(`account ${f.account.id} incomplete, resumes next run: ${f.message}`);
  if (report.configurationError) reasons.push(report.configurationError);
  if (report.breaker)
    reasons.push(
      `circuit breaker tripped: ${report.breaker.withheld.length} deactivations withheld (limit ${report.breaker.limit})`,
    );
  for (const error of report.errors) reasons.push(error);
  return reasons;
}
