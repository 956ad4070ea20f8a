import { type Policy } from '../../config/schema';
import { type InputProblem } from '../decisions';
import { type DailyRunTime } from '../run-time';

/** What every message builder needs besides the decision itself. */
export interface MessageContext {
  /** Today's UTC date YYYY-MM-DD. */
  readonly today: string;
  /**
   * Time of day (UTC, `HH:MM`) at which the daily run acts, so that a deadline date can say when on
   * that day the key is deactivated (issue 11 item 1): the current run's time of day, used when the
   * schedule is unknown or not once a day. Absent: messages give the date only.
   */
  readonly runTimeUtc?: string;
  /** The deployed schedule's daily time, which wins over `runTimeUtc` (its UTC hour moves with summer time). */
  readonly runTime?: DailyRunTime;
  readonly rotation: { readonly docsUrl: string; readonly awsVaultProfileHint: string };
  readonly policy: Policy;
  /** Shown in the footer context of every message, e.g. "access-key-enforcer"; also says DRY RUN when set. */
  readonly dryRun?: boolean;
  /**
   * The interactivity endpoint is deployed (`slack.interactivity.enabled`): reminders and new-key
   * alerts carry buttons. Never in a dry run, whose messages nobody can act on. @default false
   */
  readonly interactive?: boolean;
}

/**
 * What a message can say about a key's history when the caller knows it. The policy's decisions do
 * not carry these yet; without them the wording stays true in every case, only less specific.
 */
export interface KeyHistory {
  /** The key was first seen in this run: reminders it skipped were never due to anyone. */
  readonly firstSeenToday?: boolean;
  /** The last day of an exemption that has ended, for a deactivation that it had held back. */
  readonly exemptionEndedOn?: string;
  /** Problems found on the key's IAM user, to tell a missing `slack-id` from a malformed one. */
  readonly problems?: readonly Pick<InputProblem, 'code'>[];
}

/** A decision plus whatever the caller knows of the key's history. */
export type WithHistory<D> = D & { readonly history?: KeyHistory };

/** What happened to the owner's DM, which changes the channel mirror. */
export type DmOutcome =
  | { readonly status: 'sent' }
  /** No DM for this owner (no slack-id, or the owner's class does not DM). */
  | { readonly status: 'not-attempted' }
  /** Slack rejected the DM (user_not_found, ...). */
  | { readonly status: 'unreachable'; readonly code: string };
