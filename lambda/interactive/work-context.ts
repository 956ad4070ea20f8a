import { type Approvers } from '../config/interactivity-schema';
import { type EnforcerConfig } from '../config/schema';
import { appendAudit, type AuditAction, type AuditEntry } from '../domain/audit/audit-entry';
import { utcDate } from '../domain/dates';
import { type ActionId, type KeyRef } from '../domain/interactive/key-ref';
import { mayPress } from '../domain/interactive/permissions';
import { type KeyUserFacts } from '../domain/interactive/rotation-check';
import { type KeyRecordDraft } from '../domain/ledger-records';
import { type MessageContext, refusalMessage } from '../domain/messages';
import { type AccessKeyInfo, type AccountRef } from '../domain/model';
import { resolveOwner } from '../domain/owner';
import { type DailyRunTime } from '../domain/run-time';
import { type SlackMessage } from '../domain/slack-message';
import { watchedAccount } from '../domain/watched-account';
import { type ButtonPress, type Interaction } from '../adapters/slack/interaction-payload';
import { type Clock, type Ledger, type Notifier } from '../ports';
import { type InteractiveIam, type KeyRecordReader, type SlackInteractions } from './interactive-ports';

/** What a job needs: the engine's config, ledger and clock, IAM through the member role, and Slack. */
export interface WorkDeps {
  readonly config: EnforcerConfig;
  readonly clock: Clock;
  readonly ledger: Ledger & KeyRecordReader;
  readonly iam: InteractiveIam;
  readonly notifier: Notifier;
  readonly slack: SlackInteractions;
  /** The deployed schedule's daily time, so a deadline says at what time the run acts. */
  readonly runTime?: DailyRunTime;
}

/** What became of one job, for the log line (a refusal is an answer, not an error). */
export interface JobOutcome {
  readonly outcome: 'done' | 'refused' | 'failed';
  readonly action: string;
  readonly detail: string;
}

/** The words every message of this job is rendered with; no buttons on the answers themselves. */
export function messageContextFor(deps: WorkDeps, now: Date): MessageContext {
  return {
    today: utcDate(now),
    runTimeUtc: now.toISOString().slice(11, 16),
    ...(deps.runTime ? { runTime: deps.runTime } : {}),
    rotation: deps.config.rotation,
    policy: deps.config.policy,
  };
}

/** The key's user as IAM says now: its tags and the owner they name (SPEC §8: never the payload). */
export async function readKeyUser(
  deps: WorkDeps,
  account: AccountRef,
  userName: string,
  now: Date,
): Promise<KeyUserFacts> {
  const tags = await deps.iam.readUserTags(account, userName);
  const { owner } = resolveOwner(account, { userName, tags, keys: [] }, deps.config.tags);
  return { account, userName, owner, tags, config: deps.config, now };
}

/**
 * The user's keys as IAM lists them now. A listing that failed throws (the presser is told nothing
 * was done, and may press again), so it is never taken for a user without that key.
 */
export async function liveKeysOf(
  deps: WorkDeps,
  account: AccountRef,
  userName: string,
): Promise<readonly AccessKeyInfo[]> {
  const read = await deps.iam.readUserKeys(account, [userName]);
  if (read.failedUsers.length > 0)
    throw new Error(`could not list the keys of ${userName}: ${read.failedUsers[0]?.message ?? ''}`);
  return read.keys.get(userName) ?? [];
}

/**
 * The watched account and the key's user when the presser is the key's owner, as `action` needs
 * (SPEC §8: decided from the tags read now, never from the payload); otherwise why not.
 */
export async function ownersPress(
  deps: WorkDeps,
  ref: KeyRef,
  presserId: string,
  action: ActionId,
  now: Date,
): Promise<{ readonly account: AccountRef; readonly user: KeyUserFacts } | { readonly refusal: string }> {
  const account = watchedAccount(deps.config, ref.accountId);
  if (!account) return { refusal: `account ${ref.accountId} is not watched` };
  const user = await readKeyUser(deps, account, ref.userName, now);
  const permission = mayPress(action, { slackId: presserId, owner: user.owner, isApprover: false });
  return permission.allowed ? { account, user } : { refusal: permission.reason };
}

/** Whether `slackId` is a configured approver, or why that cannot be told (the user group unreadable). */
export async function approverOrWhyNot(
  deps: WorkDeps,
  slackId: string,
): Promise<{ readonly approver: boolean } | { readonly refusal: string }> {
  try {
    return { approver: await isApprover(deps.config.slack.interactivity?.approvers, slackId, deps.slack) };
  } catch (error) {
    return {
      refusal: `the approvers' user group could not be read (${error instanceof Error ? error.message : String(error)})`,
    };
  }
}

/**
 * Whether `slackId` approves (SPEC §8): listed by id, or a member of the user group right now.
 * A group that cannot be read approves nobody; the caller says so.
 */
export async function isApprover(
  approvers: Approvers | undefined,
  slackId: string,
  slack: SlackInteractions,
): Promise<boolean> {
  if (approvers === undefined) return false;
  if (approvers.users.includes(slackId)) return true;
  if (approvers.userGroup === undefined) return false;
  return (await slack.userGroupMembers(approvers.userGroup)).includes(slackId);
}

/** The approvers as a channel message names them: a user group is mentioned so its members see the request. */
export function approversLabel(approvers: Approvers | undefined): string {
  if (approvers === undefined) return 'none configured';
  return [
    ...approvers.users.map((id) => `<@${id}>`),
    ...(approvers.userGroup === undefined ? [] : [`<!subteam^${approvers.userGroup}>`]),
  ].join(', ');
}

/** An audit entry for an action taken from Slack: who asked first in `to`, then whom it reached. */
export function withSlackAudit(
  draft: KeyRecordDraft,
  action: AuditAction,
  pressedBy: string,
  at: Date,
  detail?: string,
  to: readonly string[] = [],
): KeyRecordDraft {
  const entry: AuditEntry = {
    at: at.toISOString(),
    action,
    to: [`slack:${pressedBy}`, ...to],
    ...(detail !== undefined ? { detail } : {}),
  };
  return { ...draft, audit: appendAudit(draft.audit, [entry]) };
}

/**
 * Tells the presser alone why nothing was done: ephemeral where they pressed, else (a modal has no
 * conversation) in their DM with the bot. Never throws: the refusal is the least important post.
 */
export async function tellPresser(
  deps: WorkDeps,
  interaction: Interaction,
  message: SlackMessage,
): Promise<void> {
  const channelId = interaction.kind === 'button' ? interaction.channelId : undefined;
  if (channelId !== undefined) {
    try {
      await deps.slack.postEphemeral(channelId, interaction.userId, message);
      return;
    } catch {
      // Not in that conversation any more (or Slack failed): the DM below still reaches them.
    }
  }
  await deps.notifier.sendDirect(interaction.userId, message);
}

export async function refuse(
  deps: WorkDeps,
  interaction: Interaction,
  action: string,
  reason: string,
  ctx: MessageContext,
): Promise<JobOutcome> {
  await tellPresser(deps, interaction, refusalMessage(reason, ctx));
  return { outcome: 'refused', action, detail: reason };
}

/** Whether the press was in the infra channel (where new-key alerts and requests are). */
export function inInfraChannel(deps: WorkDeps, press: ButtonPress): boolean {
  return press.channelId === deps.config.slack.infraChannel;
}
