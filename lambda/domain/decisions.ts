import { type AccessKeyInfo, type AccountRef, type Owner } from './model';

/**
 * What the policy decided, as data. The executor turns each decision into effects; message
 * builders turn each into Slack text. Every field a message needs is here, so messages are pure.
 */

/** One key and everything said about it. */
export interface KeySubject {
  readonly account: AccountRef;
  readonly userName: string;
  readonly owner: Owner;
  readonly key: AccessKeyInfo;
  /** Whole days since CreateDate (UTC). */
  readonly ageDays: number;
  /**
   * UTC date (YYYY-MM-DD) of the run that will deactivate the key: the first daily run at or after
   * {@link deadlineAt}, held back by minimum notice, a final notice or an exemption (SPEC §1–§2).
   * Computed by `key-policy.ts` only, so messages, `scan` and the run agree to the day.
   */
  readonly deadline: string;
  /** ISO instant the key reaches the deactivation age (CreateDate + deactivateAtDays × 24 h). */
  readonly deadlineAt?: string;
  /** False when the key's user class is never deactivated: nothing happens on `deadline`. @default true */
  readonly deactivates?: boolean;
  /** Days from today to the deadline; negative when past. */
  readonly daysLeft: number;
}

/** Why a key past its deadline is not deactivated. */
export type Withheld =
  { readonly reason: 'exempt'; readonly until: string } | { readonly reason: 'user-class' };

/** A reminder at a milestone: DM to the owner (when allowed) and a mirror in the channel. */
export interface RemindDecision {
  readonly kind: 'remind';
  readonly subject: KeySubject;
  /** The milestone day being announced. */
  readonly milestone: number;
  /** Earlier milestones that were missed and are now marked done without a message. */
  readonly skipped: readonly number[];
  /** Whether the owner gets a DM (else the channel carries it, marked owner unknown when so). */
  readonly directMessage: boolean;
  /** Set when the key will not be deactivated at its deadline (exemption, or its class is never deactivated). */
  readonly withheld?: Withheld;
  /** Set when an exemption is in force (reminders still go out and say so). */
  readonly exemptUntil?: string;
}

/** A key first seen past its deadline: one last reminder with a new deadline (SPEC §2). */
export interface FinalNoticeDecision {
  readonly kind: 'final-notice';
  readonly subject: KeySubject;
  readonly skipped: readonly number[];
  readonly directMessage: boolean;
}

export interface DeactivateDecision {
  readonly kind: 'deactivate';
  readonly subject: KeySubject;
  /** Reminder milestones never sent (missed runs); marked done without a message. */
  readonly skipped: readonly number[];
  /** `reactivated`: the enforcer had deactivated it and someone switched it back on. */
  readonly reason: 'deadline' | 'reactivated';
  readonly directMessage: boolean;
}

/** The key was deactivated in an earlier run but nobody was told yet. */
export interface DeactivationNoticeRetryDecision {
  readonly kind: 'deactivation-notice-retry';
  readonly subject: KeySubject;
  readonly directMessage: boolean;
}

/** A key the ledger has never seen. `alert` is false during an account's baseline scan. */
export interface NewKeyDecision {
  readonly kind: 'new-key';
  readonly subject: KeySubject;
  readonly alert: boolean;
  /** Other active keys of the same user at the time. */
  readonly otherActiveKeys: readonly string[];
}

/** An engineer with more than one active key (SPEC: at most one). */
export interface SecondKeyDecision {
  readonly kind: 'second-key';
  readonly account: AccountRef;
  readonly userName: string;
  readonly owner: Owner;
  readonly activeKeys: readonly AccessKeyInfo[];
  /** Keys not flagged before; each is flagged once. */
  readonly keysToFlag: readonly string[];
  /** False during an account's baseline scan, whose summary lists these users instead. */
  readonly announce: boolean;
}

/** A reminded key that its owner deactivated or deleted: say thanks. */
export interface ThanksDecision {
  readonly kind: 'thanks';
  readonly subject: KeySubject;
  readonly how: 'deactivated' | 'deleted';
  readonly directMessage: boolean;
}

/** A key in the ledger that IAM no longer lists. */
export interface KeyGoneDecision {
  readonly kind: 'key-gone';
  readonly account: AccountRef;
  readonly userName: string;
  readonly accessKeyId: string;
}

/** The first complete scan of an account: record every key silently and post one summary. */
export interface BaselineDecision {
  readonly kind: 'baseline';
  readonly account: AccountRef;
  readonly users: number;
  readonly keys: number;
  readonly activeKeys: number;
  /** Active keys at or past the first reminder day. */
  readonly keysDueSoon: number;
  readonly keysPastDeadline: number;
  readonly ownerUnknownUsers: readonly string[];
  readonly secondKeyUsers: readonly string[];
}

export type KeyDecision =
  | RemindDecision
  | FinalNoticeDecision
  | DeactivateDecision
  | DeactivationNoticeRetryDecision
  | NewKeyDecision
  | ThanksDecision;

export type Decision = KeyDecision | SecondKeyDecision | KeyGoneDecision | BaselineDecision;
export type DecisionKind = Decision['kind'];

/** Bad input found while deciding. Reported; never stops the rest (SPEC §5). */
export interface InputProblem {
  readonly accountId: string;
  readonly userName?: string;
  readonly accessKeyId?: string;
  readonly code:
    | 'missing-type'
    | 'unknown-type'
    | 'missing-slack-id'
    | 'invalid-slack-id'
    | 'invalid-tag-value'
    | 'invalid-exemption'
    | 'exemption-too-far'
    | 'exemption-expired'
    | 'future-create-date'
    | 'duplicate-key-id'
    | 'user-read-failed'
    | 'key-busy';
  readonly message: string;
  /** For an exemption problem: the tag's date, e.g. the day an expired exemption ended. */
  readonly exemptUntil?: string;
}

/** An exemption in force, listed in the channel digest. */
export interface ExemptionNote {
  readonly account: AccountRef;
  readonly userName: string;
  readonly until: string;
  /** Set for an exemption approved in Slack: it covers this key only (the tag covers the user). */
  readonly accessKeyId?: string;
  /** Slack member id of the approver, for an exemption approved in Slack. */
  readonly approvedBy?: string;
}

/** The policy's verdict for one account. */
export interface AccountPlan {
  readonly account: AccountRef;
  readonly decisions: readonly Decision[];
  readonly problems: readonly InputProblem[];
  readonly exemptions: readonly ExemptionNote[];
  readonly stats: { readonly users: number; readonly keys: number; readonly activeKeys: number };
}

/** A deactivation held back by the circuit breaker. */
export interface BreakerTrip {
  readonly limit: number;
  readonly withheld: readonly DeactivateDecision[];
}
