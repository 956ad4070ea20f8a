import { type ItemsSeen } from '../domain/digest/items-seen';
import { type AccountRecord } from '../domain/ledger-records';
import { type Ledger } from '../ports';

/** What a run remembers about how it read an account (issue 9). */
export interface ReadStamp {
  readonly lastReadAt: string;
  /** Set only by an exhaustive read. */
  readonly lastFullScanOn?: string;
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
  // A re-run at the same instant (a replayed invocation) changes nothing, so it writes nothing.
  if (
    current?.lastReadAt === stamp.lastReadAt &&
    current.lastFullScanOn === (stamp.lastFullScanOn ?? current.lastFullScanOn)
  )
    return;
  const { version: _version, ...fields } = current ?? { accountId, version: undefined };
  await ledger.putAccount({ ...fields, accountId, ...stamp }, current?.version);
}
