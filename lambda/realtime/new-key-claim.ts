import { type KeyRecordDraft, type Lease, type WriteResult } from '../domain/ledger-records';
import { draftOf, withLease, withoutLease } from '../domain/record-transitions';
import { type Ledger } from '../ports';

/**
 * How long the real-time function holds a new key while it posts the alert. Longer than the
 * function may run ({@link REALTIME_TIMEOUT_SECONDS}), so a live invocation never loses it, and
 * short, so that after a crash the daily run soon finds the alert still owed.
 */
export const REALTIME_LEASE_MINUTES = 5;

/** The real-time Lambda's timeout: one Slack post with retries, two ledger writes. */
export const REALTIME_TIMEOUT_SECONDS = 60;

/** This invocation holds the key's record and owes its alert. */
export interface HeldKey {
  /** The record as held, without the lease. */
  readonly draft: KeyRecordDraft;
  /** The stored version, to release against. */
  readonly version: number;
}

export type ClaimResult =
  | { readonly held: true; readonly key: HeldKey }
  /** Someone else has alerted, is alerting, or recorded the key silently; `detail` says which. */
  | { readonly held: false; readonly detail: string };

/**
 * Takes the new key's alert for this invocation. The record is created as `pending` under a
 * lease, so the alert is owed from the first write: if this invocation dies before it posts, the
 * lease runs out and the daily run (or a redelivered event) sends the alert; while the lease
 * holds, a daily run skips the key, so the two never post it both.
 *
 * A record that already exists is taken over only while its alert is still `pending` and nobody
 * holds it: that is a daily run whose post failed, or an earlier real-time attempt whose post
 * failed. Any other record means the alert is sent, or the key was part of a baseline.
 */
export async function claimNewKey(
  ledger: Ledger,
  draft: KeyRecordDraft,
  lease: Lease,
  now: Date,
): Promise<ClaimResult> {
  if ((await ledger.putKey(withLease(draft, lease), undefined)) === 'written') {
    return { held: true, key: { draft, version: 1 } };
  }
  const { keys } = await ledger.readAccount(draft.accountId);
  const existing = keys.find((record) => record.accessKeyId === draft.accessKeyId);
  if (!existing) return { held: false, detail: 'the ledger refused the new record and then did not hold it' };
  if (existing.newKeyAlert !== 'pending') {
    return { held: false, detail: `already in the ledger (new-key alert: ${existing.newKeyAlert})` };
  }
  if (existing.lease && existing.lease.expiresAt > now.toISOString()) {
    return {
      held: false,
      detail: `${existing.lease.runId} holds it until ${existing.lease.expiresAt} and owes its alert`,
    };
  }
  const current = withoutLease(draftOf(existing));
  if ((await ledger.putKey(withLease(current, lease), existing.version)) === 'conflict') {
    return { held: false, detail: 'another run took its pending alert first' };
  }
  return { held: true, key: { draft: current, version: existing.version + 1 } };
}

/**
 * Gives the key back, marked `realtime` once the channel has the alert, or left `pending` so that
 * the next run (daily, or a retry of this event) sends it. A `conflict` means the lease had run
 * out and another run took the key meanwhile.
 */
export async function releaseNewKey(ledger: Ledger, key: HeldKey, alerted: boolean): Promise<WriteResult> {
  const next: KeyRecordDraft = { ...key.draft, newKeyAlert: alerted ? 'realtime' : 'pending' };
  return ledger.putKey(withoutLease(next), key.version);
}
