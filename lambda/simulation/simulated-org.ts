import { type AccountRef, type KeyStatus } from '../domain/model';
import { type SimulatedIam } from './simulated-iam';

/** Default tag keys (`lambda/config/schema.ts`), as the simulated org writes them. */
export const TAG = {
  type: 'type',
  slackId: 'slack-id',
  fullName: 'full-name',
  exemptUntil: 'key-rotation-exempt-until',
} as const;

export const DAY_MS = 24 * 60 * 60 * 1000;

/** What kind of user a cast member is; each exercises one row of SPEC §3 or one bad input of §5. */
export type UserCategory =
  /** `type=engineer`, valid member `slack-id`, `full-name`. */
  | 'engineer'
  /** Rotated properly: a fresh Active key and the old one left Inactive. */
  | 'engineer-rotated'
  | 'engineer-two-active-keys'
  /** `type=Engineer`: capitalised. */
  | 'engineer-capitalised-type'
  | 'engineer-without-slack-id'
  /** `slack-id` lowercase, empty or garbage. */
  | 'engineer-invalid-slack-id'
  /** Well-formed `slack-id` that is not a workspace member: DMs fail with `user_not_found`. */
  | 'engineer-not-in-workspace'
  /** Member whose Slack account was deactivated: DMs fail with `account_inactive`. */
  | 'engineer-deactivated-in-slack'
  /** `full-name` of 256 characters, the longest tag value IAM accepts. */
  | 'engineer-long-full-name'
  /** A console-only user. */
  | 'engineer-without-keys'
  /** `type=machine` with the `slack-id` of the person who owns it. */
  | 'machine-with-owner'
  | 'machine-without-owner'
  /** No tags at all. */
  | 'untagged'
  /** `type=robot`. */
  | 'unknown-type'
  /** `key-rotation-exempt-until` within 90 days. */
  | 'exempt-valid'
  | 'exempt-expired'
  /** More than 90 days ahead. */
  | 'exempt-too-far'
  /** `key-rotation-exempt-until=soon`. */
  | 'exempt-garbage'
  /** Only Inactive keys, all past the deadline: the engine must leave them alone. */
  | 'inactive-keys-only';

/** Who a user is, so tests and the demo can find users by role. */
export interface CastMember {
  readonly accountId: string;
  readonly userName: string;
  readonly category: UserCategory;
}

/** Slack workspace membership to give `SimulatedSlack` (spread it into its options). */
export interface SimulatedWorkspace {
  readonly members: readonly string[];
  readonly inactiveMembers: readonly string[];
}

/** A simulated org: IAM, the matching config `accounts` entries, and who is in Slack. */
export interface SimulatedOrg {
  readonly iam: SimulatedIam;
  /** Config entries (`{ id, name }`), usable as `AccountRef`s too. */
  readonly accounts: readonly AccountRef[];
  readonly slack: SimulatedWorkspace;
  readonly cast: readonly CastMember[];
}

/** `YYYY-MM-DD` in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/**
 * Creates a key that is exactly `ageDays` old at `today` (SPEC §1 age), created `offsetMs`
 * (< 1 day) before that whole-day mark so that creation times look like working hours, not midnight.
 */
export function addAgedKey(
  iam: SimulatedIam,
  at: { accountId: string; userName: string; today: Date },
  ageDays: number,
  options: { offsetMs: number; status?: KeyStatus; lastUsedDaysAgo?: number },
): string {
  const createDate = new Date(at.today.getTime() - ageDays * DAY_MS - options.offsetMs);
  const lastUsedDate =
    options.lastUsedDaysAgo === undefined
      ? undefined
      : addDays(at.today, -Math.min(options.lastUsedDaysAgo, ageDays));
  return iam.createAccessKey(at.accountId, at.userName, createDate, {
    status: options.status ?? 'Active',
    ...(lastUsedDate ? { lastUsedDate } : {}),
  }).accessKeyId;
}
