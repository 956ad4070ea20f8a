/**
 * The ledger's records: the enforcer's memory of what it has seen and done (SPEC §1).
 * Every record carries a `version` so that writes can be conditional: a write states the version
 * it read, and loses if another run wrote in between. That is what stops two overlapping runs
 * from sending the same reminder twice.
 */
import { type AuditEntry } from './audit/audit-entry';
import { type ItemsSeen } from './digest/items-seen';
import { type WeeklySnapshot } from './digest/weekly-snapshot';
import { type NoticeId, type QueuedNotice } from './outbox/notice';
import { type FindingNotices } from './rules/finding-notices';
import { type ExportedFindings } from './security-hub/key-findings';

/** A milestone key: a reminder day ("76"), the overdue notice at the deactivation day ("91"), or "final". */
export type MilestoneId = string;

export const FINAL_NOTICE: MilestoneId = 'final';

export interface MilestoneRecord {
  /** `sent`: a message reached someone; `skipped`: superseded by a later one after missed runs. */
  readonly outcome: 'sent' | 'skipped';
  /** UTC date, YYYY-MM-DD. */
  readonly on: string;
  /** Who it reached, for `sent`. */
  readonly deliveredTo?: 'owner' | 'channel';
  /** Set by the outbox sender (issue 12 item 4): the ISO instant Slack took the notice, and its `ts`. */
  readonly deliveredAt?: string;
  readonly ts?: string;

  // --- Channel mirror of a DM (issue 8 items 11, 14), written by the engine. ---
  /**
   * The channel mirror still owed for a DM that was delivered (and recorded as soon as Slack took
   * it): retried each run until the channel has it, then removed. Absent: nothing owed.
   */
  readonly pendingMirror?: { readonly text: string; readonly blocks: readonly unknown[] };
}

/** A run's exclusive hold on a key while it acts, so a concurrent run leaves the key alone. */
export interface Lease {
  readonly runId: string;
  /** ISO timestamp; an expired lease (a run that crashed) no longer blocks anyone. */
  readonly expiresAt: string;
}

/**
 * An exemption approved in Slack ("Ask for more time", issue 11 item 3). It counts exactly like the
 * exemption tag (SPEC §8): `readExemption` takes it as an input beside the tag.
 */
export interface ApprovedExemption {
  /** Last UTC day (YYYY-MM-DD) on which the key is not deactivated. */
  readonly until: string;
  /** The owner's reason, as typed in the request. */
  readonly reason: string;
  /** Slack member id of the owner who asked. */
  readonly requestedBy: string;
  /** Slack member id of the approver. */
  readonly approvedBy: string;
  /** ISO instant of the approval. */
  readonly approvedAt: string;
}

/** The latest request for more time about a key, and what became of it. */
export interface ExemptionRequest {
  readonly until: string;
  readonly reason: string;
  readonly requestedBy: string;
  /** ISO instant of the request. */
  readonly requestedAt: string;
  readonly status: 'pending' | 'approved' | 'denied';
  /** `ts` of the channel message carrying Approve / Deny, so the decision can replace its buttons. */
  readonly messageTs?: string;
  readonly decidedBy?: string;
  readonly decidedAt?: string;
}

/** How the enforcer learned of a key, and whether the channel was told. */
export type NewKeyAlertState =
  /** Recorded during an account's first scan: no alert by design. */
  | 'baseline'
  /** Alerted by the daily run. */
  | 'sent'
  /** Alert still owed (Slack failed); retried next run. */
  | 'pending'
  /** Alerted in real time from a CloudTrail event. */
  | 'realtime';

export interface KeyRecord {
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly userName: string;
  /** ISO timestamp of the key's CreateDate. */
  readonly createdAt: string;
  /** Incremented by every write; 1 after creation. */
  readonly version: number;
  /** UTC date the enforcer first saw the key. */
  readonly firstSeenOn: string;
  readonly newKeyAlert: NewKeyAlertState;
  readonly milestones: Readonly<Record<MilestoneId, MilestoneRecord>>;
  /** Earliest UTC date a reminder about this key reached the owner or the channel. */
  readonly noticeDeliveredOn?: string;
  /** Deadline announced by a final notice for a key first seen past its deadline. */
  readonly finalDeadline?: string;
  /** Set when the enforcer deactivated the key; kept so that re-activation is noticed. */
  readonly deactivatedByUsOn?: string;
  /** The deactivation happened but its notice has not reached anyone yet. */
  readonly deactivationNoticePending?: boolean;
  readonly secondKeyFlaggedOn?: string;
  readonly thankedOn?: string;
  /**
   * ISO instant of the first attempt to deliver a reminder about this key that reached nobody
   * (Slack down). SPEC §2: deactivation waits until the later of the deadline and this + minimum
   * notice, so an outage can delay enforcement but never stop it.
   */
  readonly noticeFirstFailedAt?: string;
  /**
   * The user class (SPEC §3) the key was last decided under. A change that makes the key
   * deactivatable (a machine user's `type` tag edited) starts a final notice instead of acting at once.
   */
  readonly lastUserClass?: string;
  /** UTC date the key was found deleted. */
  readonly goneOn?: string;
  /**
   * The key's thread in the infra channel (issue 11 item 2): `ts` of its parent message, which is
   * kept up to date; every later notice about the key is a reply to it. Absent: no thread yet.
   */
  readonly channelThread?: { readonly ts: string };
  /**
   * Notices about the key written to the Slack outbox and not yet delivered (issue 12 item 4), by
   * notice id. The sender removes an entry when it delivers the notice or reports it stale.
   */
  readonly queued?: Readonly<Record<NoticeId, QueuedNotice>>;
  /** An exemption approved in Slack (issue 11 item 3); in force through `until`, like the tag. */
  readonly approvedExemption?: ApprovedExemption;
  /** The latest "Ask for more time" about the key. */
  readonly exemptionRequest?: ExemptionRequest;
  /** What the enforcer did about the key, the latest 50 (issue 10). */
  readonly audit?: readonly AuditEntry[];
  readonly lease?: Lease;
}

export interface AccountRecord {
  readonly accountId: string;
  readonly version: number;
  /** UTC date of the first complete scan; keys seen after it raise new-key alerts. */
  readonly baselinedOn?: string;
  /**
   * ISO instant of the enforcer's first read of the account (kept since issue 9's resumable first
   * scan): a key created after it is a new-key alert even before the baseline completes.
   */
  readonly firstReadAt?: string;
  /** UTC date of the last exhaustive read; the fast path sweeps again `read.fullSweepDays` after it. */
  readonly lastFullScanOn?: string;
  /**
   * The user name a full sweep too large for one run resumes from (issue 9): set while the sweep
   * is unfinished, removed when it has listed every user.
   */
  readonly sweepCursor?: string;
  /**
   * ISO instant the last run started reading the account. A credential report generated before it
   * holds nothing that run did not see, so it cannot be trusted to reveal changes (issue 9).
   */
  readonly lastReadAt?: string;
  /** Rule findings (issue 10) by id: when each appeared and when its owner was told. */
  readonly ruleFindings?: FindingNotices;
  /** Security Hub findings imported (issue 10), by access key id: archived when the key goes. */
  readonly securityHubFindings?: ExportedFindings;
  /**
   * Exemptions in force and input problems (untagged users…) by id, with the UTC date each was
   * first seen: the daily digest lists only those first seen today, the weekly digest all of them
   * (SPEC §2). One that disappears is dropped, so if it comes back it is news again.
   */
  readonly itemsSeen?: ItemsSeen;
}

/**
 * A run-level post made at most once per period (issue 10): the daily digest of a date, the weekly
 * digest of a week. A run claims it with a conditional write before posting, so two runs (a
 * same-day re-run, a retried report step) never post it twice.
 */
export interface DigestRecord {
  /**
   * `daily/YYYY-MM-DD` (the run's UTC date), `weekly/YYYY-MM-DD` (the date the week's digest is
   * due), or `outbox/<message id>` (a channel post the outbox sender posts once).
   */
  readonly digestId: string;
  readonly version: number;
  /**
   * `claimed`: a run is posting it (an old claim is a crashed run's, and may be taken over);
   * `posted`: Slack took it; `failed`: nobody got it, the next run tries again.
   */
  readonly state: 'claimed' | 'posted' | 'failed';
  readonly runId: string;
  /** ISO instant of the claim. */
  readonly claimedAt: string;
  /** ISO instant Slack took the post. */
  readonly postedAt?: string;
  /** Weekly only: the figures the digest showed, which next week's "change since last week" compares with. */
  readonly snapshot?: WeeklySnapshot;
}

/** What the ledger holds for one account. */
export interface AccountLedger {
  readonly account?: AccountRecord;
  readonly keys: readonly KeyRecord[];
}

/** Result of a conditional write. */
export type WriteResult = 'written' | 'conflict';

/** A record as written: version is assigned by the ledger. */
export type KeyRecordDraft = Omit<KeyRecord, 'version'>;
export type AccountRecordDraft = Omit<AccountRecord, 'version'>;
export type DigestRecordDraft = Omit<DigestRecord, 'version'>;
