import {
  type AccountLedger,
  type AccountRecordDraft,
  type DigestRecord,
  type DigestRecordDraft,
  type KeyRecord,
  type KeyRecordDraft,
  type WriteResult,
} from './domain/ledger-records';
import { type OutboxMessage } from './domain/outbox/outbox-message';
import { type AccessKeyInfo, type AccountRef, type AccountScan, type UserReadFailure } from './domain/model';
import { type AccountInventory } from './domain/inventory-read';
import { type PasswordPolicyFacts } from './domain/rules/rule-facts';
import { type SlackMessage } from './domain/slack-message';

/**
 * The interfaces the engine needs from the outside world. Adapters in `lambda/adapters/` implement
 * them for AWS and Slack; `lambda/simulation/` implements them in memory for tests and the demo.
 */

/** Time comes from here, never from `Date.now()`, so runs can be simulated and replayed. */
export interface Clock {
  now(): Date;
}

/**
 * Reads an account's IAM users, tags and keys. Throws for a failure of the whole account.
 *
 * `readAccount` is the exhaustive path (one `ListUserTags` and one `ListAccessKeys` per user).
 * A reader that also offers `readInventory` and `readUserKeys` enables the daily fast path
 * (issue 9): the credential report and every user's tags in a few calls, then keys only for the
 * users that need a fresh look. The engine decides who needs one (`lambda/domain/fast-read.ts`).
 */
export interface AccountReader {
  readAccount(account: AccountRef): Promise<AccountScan>;
  /**
   * The credential report and every current user with tags. Throws
   * {@link CredentialReportUnavailableError} when the report cannot be had or trusted today.
   */
  readInventory?(account: AccountRef): Promise<AccountInventory>;
  /**
   * `ListAccessKeys` for the named users only. A user that no longer exists is in neither list.
   * With `partial`, running short of time ends the read early instead of throwing: the users not
   * read are in `unread` (a first scan or a full sweep goes on with them next run).
   */
  readUserKeys?(
    account: AccountRef,
    userNames: readonly string[],
    options?: UserKeysOptions,
  ): Promise<UserKeysRead>;
  /** `GetAccountPasswordPolicy`, for the password rule (issue 10); NoSuchEntity is `{ kind: 'none' }`. */
  readPasswordPolicy?(account: AccountRef): Promise<PasswordPolicyFacts>;
}

/**
 * One IAM user's tags, read live through the member role: who owns a key the real-time path (or a
 * Slack button) is about, without reading the whole account.
 */
export interface UserTagsReader {
  readUserTags(account: AccountRef, userName: string): Promise<Readonly<Record<string, string>>>;
}

export interface UserKeysOptions {
  readonly partial?: boolean;
}

/** Keys of some users, read live. */
export interface UserKeysRead {
  readonly keys: ReadonlyMap<string, readonly AccessKeyInfo[]>;
  readonly failedUsers: readonly UserReadFailure[];
  /** Users a `partial` read left for later, in the order they were asked for. */
  readonly unread?: readonly string[];
}

/** Why the credential report could not serve today's read; the account is read exhaustively. */
export type CredentialReportProblem =
  /** Still `STARTED` when the reader stopped waiting. */
  | 'in-progress'
  /** `LimitExceeded` from GenerateCredentialReport. */
  | 'limit-exceeded'
  /** `ReportNotPresent` / `ReportExpired` after generating. */
  | 'not-present'
  /** The CSV lacks a column the fast path needs, or a row cannot be parsed. */
  | 'unparseable'
  /** The member role predates the fast path (no report or authorization-details actions). */
  | 'access-denied';

export class CredentialReportUnavailableError extends Error {
  override readonly name = 'CredentialReportUnavailableError';
  constructor(
    readonly accountId: string,
    readonly problem: CredentialReportProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The only IAM write the enforcer makes. There is deliberately no delete. */
export interface KeyDeactivator {
  deactivateKey(account: AccountRef, userName: string, accessKeyId: string): Promise<void>;
}

/** Why a Slack send failed, which decides what the engine does next (SPEC §5). */
export type SendFailureReason =
  /** The owner cannot be reached (user_not_found, account_inactive…): fall back to the channel. */
  | 'owner-unreachable'
  /** Slack is down or throttling after retries: leave the milestone pending, retry next run. */
  | 'unavailable'
  /** Token or channel setup is broken: report once as a configuration error. */
  | 'misconfigured'
  /**
   * A key's thread parent is gone (`message_not_found`, `thread_not_found`, `cant_update_message`):
   * someone deleted it. The engine posts a new parent instead of failing the notice (issue 11).
   */
  | 'thread-lost';

export type SendResult =
  /** `ts`: Slack's id of the posted message, when the notifier knows it (a thread parent needs it). */
  | { readonly ok: true; readonly ts?: string }
  | {
      readonly ok: false;
      readonly reason: SendFailureReason;
      readonly code: string;
      readonly message: string;
      /** For a 429 the notifier did not wait out: Slack's `Retry-After`, in milliseconds. */
      readonly retryAfterMs?: number;
    };

export interface Notifier {
  /** DM a Slack member (by member id). */
  sendDirect(slackId: string, message: SlackMessage): Promise<SendResult>;
  /** Post to the configured infra channel; with `threadTs`, as a reply in that message's thread. */
  postToChannel(message: SlackMessage, options?: ChannelPostOptions): Promise<SendResult>;
  /** Replace a message this bot posted to the infra channel (`chat.update`), e.g. a key's thread parent. */
  updateChannelMessage(ts: string, message: SlackMessage): Promise<SendResult>;
}

export interface ChannelPostOptions {
  /** The parent message's `ts`: the post becomes a thread reply. */
  readonly threadTs?: string;
}

/**
 * The enforcer's memory. `expectedVersion` makes writes conditional: `undefined` means "only if
 * absent", a number means "only if the stored version is still this"; the stored version becomes
 * `expectedVersion + 1` (or 1). A lost race returns `conflict` and writes nothing.
 */
export interface Ledger {
  readAccount(accountId: string): Promise<AccountLedger>;
  putKey(record: KeyRecordDraft, expectedVersion: number | undefined): Promise<WriteResult>;
  putAccount(record: AccountRecordDraft, expectedVersion: number | undefined): Promise<WriteResult>;
  /** A digest's record (issue 10: the daily and weekly digests), or undefined when never written. */
  readDigest(digestId: string): Promise<DigestRecord | undefined>;
  putDigest(record: DigestRecordDraft, expectedVersion: number | undefined): Promise<WriteResult>;
}

/** One key's record, read alone (the outbox sender's view of the ledger: one message, one key). */
export interface KeyRecordReader {
  /** Strongly consistent: sees every write that returned `written`. */
  readKey(accountId: string, accessKeyId: string): Promise<KeyRecord | undefined>;
}

/**
 * The Slack outbox's queue (issue 12 item 4): the act step writes notices here and one sender
 * delivers them at Slack's pace. A message whose id the queue has just seen is kept once.
 */
export interface OutboxQueue {
  /** Resolves once the queue holds the message; throws when it could not be written. */
  enqueue(message: OutboxMessage): Promise<void>;
}

/**
 * Thrown by an `AccountReader` that ran out of time (throttling, a large account) before it read
 * every user. SPEC §7: such an account is "incomplete, resumes next run", never "failed".
 */
export class ReadIncompleteError extends Error {
  constructor(
    readonly accountId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReadIncompleteError';
  }
}

/** A reader's out-of-time error, possibly wrapped by an adapter that added the account's name. */
export function isReadIncomplete(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof ReadIncompleteError) return true;
  return false;
}
