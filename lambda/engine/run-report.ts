import {
  type BreakerTrip,
  type DecisionKind,
  type ExemptionNote,
  type InputProblem,
} from '../domain/decisions';
import { type AccountRef } from '../domain/model';

/** A message as it was (or, in a dry run, would have been) sent. */
export interface SentMessage {
  readonly to: { readonly kind: 'dm'; readonly slackId: string } | { readonly kind: 'channel' };
  readonly text: string;
  readonly delivered: boolean;
}

/** What the run did about one decision. */
export interface ActionRecord {
  readonly accountId: string;
  readonly kind: DecisionKind | 'breaker-tripped' | 'run-digest';
  readonly userName?: string;
  readonly accessKeyId?: string;
  readonly milestone?: number | string;
  /**
   * `done`: carried out; `planned`: dry run; `failed`: an effect failed (retried next run);
   * `conflict`: another run holds the key; `withheld`: stopped by the circuit breaker.
   */
  readonly outcome: 'done' | 'planned' | 'failed' | 'conflict' | 'withheld';
  readonly detail?: string;
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
  readonly durationMs: number;
  readonly calls: PortCalls;
}

export interface RunReport {
  readonly summary: RunSummary;
  readonly actions: readonly ActionRecord[];
  readonly failedAccounts: readonly { readonly account: AccountRef; readonly message: string }[];
  readonly problems: readonly InputProblem[];
  readonly exemptions: readonly ExemptionNote[];
  /** Failed actions and posts, each naming its key or post. Failed accounts and a broken Slack setup have their own fields. */
  readonly errors: readonly string[];
  readonly breaker?: BreakerTrip;
  /** Set when Slack refused the token or channel: one clear message instead of one per send. */
  readonly configurationError?: string;
}
