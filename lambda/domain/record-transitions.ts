import { type KeySubject } from './decisions';
import {
  type KeyRecord,
  type KeyRecordDraft,
  type Lease,
  type MilestoneId,
  type MilestoneRecord,
  type NewKeyAlertState,
} from './ledger-records';

/** How a record changes when the enforcer acts. Pure, so the executor's bookkeeping is testable alone. */

export function draftOf(record: KeyRecord): KeyRecordDraft {
  const { version: _version, ...draft } = record;
  return draft;
}

export function newKeyRecord(
  subject: KeySubject,
  today: string,
  newKeyAlert: NewKeyAlertState,
): KeyRecordDraft {
  return {
    accountId: subject.account.id,
    accessKeyId: subject.key.accessKeyId,
    userName: subject.userName,
    createdAt: subject.key.createDate.toISOString(),
    firstSeenOn: today,
    newKeyAlert,
    milestones: {},
  };
}

export function withLease(record: KeyRecordDraft, lease: Lease): KeyRecordDraft {
  return { ...record, lease };
}

export function withoutLease(record: KeyRecordDraft): KeyRecordDraft {
  const { lease: _lease, ...rest } = record;
  return rest;
}

/** Marks milestones done: the announced ones as sent, the missed ones as skipped (never re-sent). */
export function markMilestones(
  record: KeyRecordDraft,
  today: string,
  sent: readonly MilestoneId[],
  skipped: readonly number[],
  deliveredTo: MilestoneRecord['deliveredTo'],
): KeyRecordDraft {
  const milestones: Record<MilestoneId, MilestoneRecord> = { ...record.milestones };
  for (const day of skipped) milestones[String(day)] ??= { outcome: 'skipped', on: today };
  for (const id of sent)
    milestones[id] = { outcome: 'sent', on: today, ...(deliveredTo ? { deliveredTo } : {}) };
  const delivered = sent.length > 0 && deliveredTo !== undefined;
  return {
    ...record,
    milestones,
    ...(delivered && record.noticeDeliveredOn === undefined ? { noticeDeliveredOn: today } : {}),
  };
}

export function markDeactivated(
  record: KeyRecordDraft,
  today: string,
  skipped: readonly number[],
): KeyRecordDraft {
  return {
    ...markMilestones(record, today, [], skipped, undefined),
    deactivatedByUsOn: today,
    deactivationNoticePending: true,
  };
}
