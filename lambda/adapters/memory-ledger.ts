import {
  type AccountLedger,
  type AccountRecord,
  type AccountRecordDraft,
  type KeyRecord,
  type KeyRecordDraft,
  type WriteResult,
} from '../domain/ledger-records';
import { type Ledger } from '../ports';

/** Serializable content of a ledger, used by the file ledger and by tests that restart a ledger. */
export interface LedgerContents {
  readonly accounts: readonly AccountRecord[];
  readonly keys: readonly KeyRecord[];
}

/**
 * A ledger in process memory with the same conditional-write semantics as the DynamoDB one.
 * Records are copied in and out so callers can never mutate stored state by accident.
 */
export class MemoryLedger implements Ledger {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly keys = new Map<string, KeyRecord>();

  constructor(initial?: LedgerContents) {
    for (const account of initial?.accounts ?? [])
      this.accounts.set(account.accountId, structuredClone(account));
    for (const key of initial?.keys ?? []) this.keys.set(keyId(key), structuredClone(key));
  }

  readAccount(accountId: string): Promise<AccountLedger> {
    const account = this.accounts.get(accountId);
    const keys = [...this.keys.values()]
      .filter((k) => k.accountId === accountId)
      .map((k) => structuredClone(k));
    return Promise.resolve(account ? { account: structuredClone(account), keys } : { keys });
  }

  readKey(accountId: string, accessKeyId: string): Promise<KeyRecord | undefined> {
    const record = this.keys.get(keyId({ accountId, accessKeyId }));
    return Promise.resolve(record === undefined ? undefined : structuredClone(record));
  }

  putKey(record: KeyRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    return Promise.resolve(conditionalPut(this.keys, keyId(record), record, expectedVersion));
  }

  putAccount(record: AccountRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    return Promise.resolve(conditionalPut(this.accounts, record.accountId, record, expectedVersion));
  }

  /** Everything stored, for persistence and assertions. */
  contents(): LedgerContents {
    return structuredClone({ accounts: [...this.accounts.values()], keys: [...this.keys.values()] });
  }
}

function keyId(record: { accountId: string; accessKeyId: string }): string {
  return `${record.accountId}/${record.accessKeyId}`;
}

function conditionalPut<T extends { version: number }>(
  store: Map<string, T>,
  id: string,
  draft: Omit<T, 'version'>,
  expectedVersion: number | undefined,
): WriteResult {
  const current = store.get(id);
  if (current?.version !== expectedVersion) return 'conflict';
  // A field set to undefined is stored as absent, as DynamoDB does.
  const stored = Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== undefined));
  store.set(id, structuredClone({ ...stored, version: (expectedVersion ?? 0) + 1 } as T));
  return 'written';
}
