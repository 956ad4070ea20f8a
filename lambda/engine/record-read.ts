import { type ItemsSeen } from '../domain/digest/items-seen';
import { type AccountRecord, type AccountRecordDraft } from '../domain/ledger-records';
import { type Ledger } from '../ports';

/** What a run remembers about how it read an account (issue 9). */
export interface ReadStamp {
  readonly lastReadAt: string;
  /** Set only by an exhaustive read. */
  readonly lastFullScanOn?: string;
  /** Set by the first read of an account not baselined yet; never changed after. */
  readonly firstReadAt?: string;
  /** Where an unfinished full sweep resumes; `null` removes it (the sweep finished). */
  readonly sweepCursor?: string | null;
  /** The standing items the read found, with their first dates (daily digest, SPEC §2). */
  readonly itemsSeen?: ItemsSeen;
}

/**
 * Stores the read stamp on the account record, keeping its other fields. A lost race means
 * another run read the account at about the same time and stamped it: nothing to redo.
 */
export async function recordRead(
  ledger: Ledger,
  accountId: string,
  current: AccountRecord | undefined,
  stamp: ReadStamp,
): Promise<void> {
  const { version, ...fields } = current ?? { accountId, version: undefined };
  const next = withStamp({ ...fields, accountId }, stamp);
  // A re-run at the same instant (a replayed invocation) changes nothing, so it writes nothing.
  if (
    current !== undefined &&
    current.lastReadAt === next.lastReadAt &&
    current.lastFullScanOn === next.lastFullScanOn &&
    current.sweepCursor === next.sweepCursor
  )
    return;
  await ledger.putAccount(next, version);
}

/** The account record's fields with the stamp applied: a `null` cursor is removed, not stored. */
export function withStamp(fields: AccountRecordDraft, stamp: ReadStamp | undefined): AccountRecordDraft {
  if (!stamp) return fields;
  const { sweepCursor, firstReadAt, ...rest } = stamp;
  const { sweepCursor: previous, ...others } = { ...fields, ...rest };
  const cursor = sweepCursor === undefined ? previous : (sweepCursor ?? undefined);
  const first = fields.firstReadAt ?? firstReadAt;
  return {
    ...others,
    ...(first === undefined ? {} : { firstReadAt: first }),
    ...(cursor === undefined ? {} : { sweepCursor: cursor }),
  };
}
