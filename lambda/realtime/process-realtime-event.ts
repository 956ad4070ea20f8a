import { interactivityEnabled } from '../config/interactivity-schema';
import { type EnforcerConfig } from '../config/schema';
import { utcDate, wholeDaysBetween } from '../domain/dates';
import { buildSubject } from '../domain/key-policy';
import { type KeySubject } from '../domain/decisions';
import { type Lease } from '../domain/ledger-records';
import { type MessageContext, realtimeNewKeyMessage, type RealtimeOwner } from '../domain/messages';
import { type AccountRef } from '../domain/model';
import { decideRealtimeEvent, type RealtimeNewKey } from '../domain/realtime-event';
import { newKeyRecord } from '../domain/record-transitions';
import { type SlackMessage } from '../domain/slack-message';
import { resolveOwner } from '../domain/owner';
import { watchedAccount } from '../domain/watched-account';
import { type Clock, type Ledger, type Notifier, type SendResult, type UserTagsReader } from '../ports';
import { claimNewKey, REALTIME_LEASE_MINUTES, releaseNewKey } from './new-key-claim';

/** What processing one event needs. */
export interface RealtimeDeps {
  readonly config: EnforcerConfig;
  readonly ledger: Ledger;
  readonly clock: Clock;
  /**
   * Called only once this invocation holds the key, so that a duplicate or ignored event costs no
   * Secrets Manager call. A throw counts as a failed post.
   */
  readonly notifier: () => Promise<Notifier>;
  /** Reads the key's user's tags through the member role, to name and ask its owner. @default owner not named */
  readonly tags?: UserTagsReader;
}

export interface RealtimeOptions {
  /** Names this invocation in the lease when the event has no id (the Lambda request id). */
  readonly invocationId?: string;
}

/** The key an outcome is about. */
export interface RealtimeKeyRef {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly userName: string;
  readonly createdBySomeoneElse: boolean;
}

export type RealtimeOutcome =
  | {
      readonly outcome: 'ignored';
      readonly reason: 'failed-call' | 'root-user-key' | 'account-not-watched';
      readonly detail: string;
    }
  /** Another run alerted (or is alerting) about the key, or it was recorded silently in a baseline. */
  | (RealtimeKeyRef & { readonly outcome: 'already-known'; readonly detail: string })
  | (RealtimeKeyRef & { readonly outcome: 'alerted'; readonly warning?: string })
  /** Slack failed: the record says `pending`, so the next run, daily or a retry, sends the alert. */
  | (RealtimeKeyRef & {
      readonly outcome: 'alert-pending';
      readonly failure: { readonly code: string; readonly message: string };
      readonly warning?: string;
    })
  /** Dry run (SPEC §6): the alert that would be posted; nothing was recorded or sent. */
  | (RealtimeKeyRef & { readonly outcome: 'planned'; readonly text: string });

/**
 * Turns one forwarded `CreateAccessKey` event into at most one channel alert (SPEC §4, real time).
 *
 * Order, so that an alert is never lost and, short of a crash in the instant between Slack
 * accepting the post and the ledger write after it, never sent twice:
 * 1. Create the key's record as `pending` under a short lease, conditionally. A record that is
 *    already there means the daily run got there first or this event was delivered before; it is
 *    left alone, unless its alert is still owed and nobody holds it (see `claimNewKey`).
 * 2. Post the alert.
 * 3. Release the record as `realtime` (the daily run never alerts about it again) or, when the
 *    post failed, as `pending` (the next run alerts, once).
 * A crash between 1 and 3 leaves `pending` under a lease that runs out in minutes: the alert is
 * then sent by the daily run. Marking the record `realtime` before posting would instead lose the
 * alert in that case, which is the worse failure for a security alert.
 */
export async function processRealtimeEvent(
  event: unknown,
  deps: RealtimeDeps,
  options: RealtimeOptions = {},
): Promise<RealtimeOutcome> {
  const decision = decideRealtimeEvent(event);
  if (decision.kind === 'ignored') {
    return { outcome: 'ignored', reason: decision.reason, detail: decision.detail };
  }
  const { config } = deps;
  const account = watchedAccount(config, decision.accountId);
  if (!account) {
    return {
      outcome: 'ignored',
      reason: 'account-not-watched',
      detail: config.organization?.enabled
        ? `account ${decision.accountId} is excluded in the config's organization.excludeAccounts`
        : `account ${decision.accountId} is not in the config's accounts`,
    };
  }
  const now = deps.clock.now();
  const today = utcDate(now);
  const ctx: MessageContext = {
    today,
    rotation: config.rotation,
    policy: config.policy,
    dryRun: config.dryRun,
    ...(interactivityEnabled(config.slack) ? { interactive: true } : {}),
  };
  const ref: RealtimeKeyRef = {
    accountId: account.id,
    accessKeyId: decision.key.accessKeyId,
    userName: decision.userName,
    createdBySomeoneElse: decision.createdBySomeoneElse,
  };
  const messageFor = async (): Promise<SlackMessage> =>
    realtimeNewKeyMessage(
      decision,
      account,
      ctx,
      await ownerOf(deps.tags, account, decision.userName, config),
    );
  if (config.dryRun) return { outcome: 'planned', ...ref, text: (await messageFor()).text };

  const draft = newKeyRecord(subjectOf(decision, account, now, config), today, 'pending');
  const claim = await claimNewKey(deps.ledger, draft, leaseFor(decision, now, options), now);
  if (!claim.held) return { outcome: 'already-known', ...ref, detail: claim.detail };

  // Read only once this invocation holds the key: a duplicate event costs no IAM call.
  const message = await messageFor();
  const sent = await post(deps.notifier, message);
  const released = await releaseNewKey(deps.ledger, claim.key, sent.ok);
  const warning =
    released === 'conflict'
      ? 'the lease ran out before the record was released; another run holds the key now'
      : undefined;
  const warned = warning === undefined ? {} : { warning };
  if (sent.ok) return { outcome: 'alerted', ...ref, ...warned };
  return { outcome: 'alert-pending', ...ref, failure: { code: sent.code, message: sent.message }, ...warned };
}

/**
 * The subject `newKeyRecord` expects. Only the account, user and key go into the record (the owner
 * named in the alert is not kept: the daily run resolves it from the tags as they are then).
 */
function subjectOf(
  event: RealtimeNewKey,
  account: AccountRef,
  now: Date,
  config: EnforcerConfig,
): KeySubject {
  // The one deadline function the daily run, scan and messages use. The run time of day is not
  // known here, so the event's is used: the date can differ from the daily run's by at most one.
  return buildSubject(
    {
      account,
      userName: event.userName,
      owner: { userClass: 'unknown', displayName: event.userName },
      exemption: { kind: 'none' },
      key: event.key,
      record: undefined,
      baselined: true,
      otherActiveKeys: [],
      now,
      config,
    },
    Math.max(0, wholeDaysBetween(event.key.createDate, now)),
    utcDate(now),
  );
}

/** The key's owner from its user's tags; never fails the alert, which matters more than its detail. */
async function ownerOf(
  tags: UserTagsReader | undefined,
  account: AccountRef,
  userName: string,
  config: EnforcerConfig,
): Promise<RealtimeOwner> {
  if (!tags) return { kind: 'not-read' };
  try {
    const read = await tags.readUserTags(account, userName);
    return {
      kind: 'known',
      owner: resolveOwner(account, { userName, tags: read, keys: [] }, config.tags).owner,
    };
  } catch (error) {
    return { kind: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** The event id names the lease, so a redelivery of the same event is recognisable in the ledger. */
function leaseFor(event: RealtimeNewKey, now: Date, options: RealtimeOptions): Lease {
  const id = event.eventId ?? options.invocationId ?? `${event.accountId}/${event.key.accessKeyId}`;
  return {
    runId: `realtime:${id}`,
    expiresAt: new Date(now.getTime() + REALTIME_LEASE_MINUTES * 60_000).toISOString(),
  };
}

async function post(notifier: () => Promise<Notifier>, message: SlackMessage): Promise<SendResult> {
  try {
    return await (await notifier()).postToChannel(message);
  } catch (error) {
    // The token could not be fetched, or a notifier broke its promise not to throw: either way
    // nothing reached Slack, so the alert stays owed.
    return {
      ok: false,
      reason: 'unavailable',
      code: error instanceof Error ? error.name : 'Error',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
