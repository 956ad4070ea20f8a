import { type KeyRecord, type KeyRecordDraft } from '../domain/ledger-records';
import { type Ledger } from '../ports';
import { type KeyRecordReader } from './interactive-ports';

export type RecordUpdate =
  | { readonly kind: 'written'; readonly record: KeyRecord }
  /** `change` returned undefined: nothing to write (e.g. the request was decided already). */
  | { readonly kind: 'unchanged'; readonly record: KeyRecord }
  | { readonly kind: 'missing' }
  /** A run holds the key (its lease), or kept changing it: try again later. */
  | { readonly kind: 'busy'; readonly until?: string };

const ATTEMPTS = 3;

/**
 * A change to one key's record made from Slack: read, change, conditional write, re-read on a lost
 * race. A key held by a run's lease is left alone, not overwritten: the run's next write would
 * then lose its own lease halfway through acting on the key.
 */
export async function updateKeyRecord(
  ledger: Ledger & KeyRecordReader,
  accountId: string,
  accessKeyId: string,
  now: Date,
  change: (record: KeyRecord) => KeyRecordDraft | undefined,
): Promise<RecordUpdate> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const record = await ledger.readKey(accountId, accessKeyId);
    if (record === undefined) return { kind: 'missing' };
    if (record.lease && record.lease.expiresAt > now.toISOString())
      return { kind: 'busy', until: record.lease.expiresAt };
    const next = change(record);
    if (next === undefined) return { kind: 'unchanged', record };
    const { lease: _expired, ...draft } = next;
    if ((await ledger.putKey(draft, record.version)) === 'written')
      return { kind: 'written', record: { ...draft, version: record.version + 1 } };
  }
  return { kind: 'busy' };
}
