import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';

import {
  type AccountLedger,
  type AccountRecord,
  type AccountRecordDraft,
  type DigestRecord,
  type DigestRecordDraft,
  type KeyRecord,
  type KeyRecordDraft,
  type WriteResult,
} from '../domain/ledger-records';
import { type Ledger } from '../ports';
import {
  decodeJournal,
  decodeSnapshot,
  encodeJournalEntry,
  encodeSnapshot,
  type JournalEntry,
} from './file-ledger-codec';
import { errorCode, ignoreMissing } from './fs-errors';
import { acquireLock, LockHeldError, type LockHolder, lockPrefix } from './file-ledger-lock';
import { type LedgerContents } from './memory-ledger';

export { FileLedgerCorruptError } from './file-ledger-codec';

/** The file operations the ledger uses; inject a wrapper in tests to crash at a chosen step. */
export interface FileLedgerFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  open(path: string, flags: string): Promise<nodeFs.FileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

export interface FileLedgerOptions {
  /** @default node:fs/promises */
  readonly fs?: FileLedgerFs;
  /** The journal is folded into the snapshot after this many entries (and on open and close). @default 5000 */
  readonly compactAfterEntries?: number;
  /** Whether a process id is still running, to recognise a lock left by a crash. @default process.kill(pid, 0) */
  readonly isProcessAlive?: (pid: number) => boolean;
}

/** Another process holds the ledger; two runs on one file would each send the same reminders. */
export class FileLedgerLockedError extends Error {
  override readonly name = 'FileLedgerLockedError';
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(
      `${path} is in use by another access-key-enforcer process (pid ${pid}). Wait for it to finish; ` +
        `if no such process is running, delete ${lockPrefix(path)}*.`,
    );
  }
}

/** A write could not be made durable; the ledger refuses further use so memory and disk cannot drift. */
export class FileLedgerWriteError extends Error {
  override readonly name = 'FileLedgerWriteError';
}

interface PendingWrite {
  readonly entry: (version: number) => JournalEntry;
  readonly id: string;
  readonly kind: 'key' | 'account' | 'digest';
  readonly expectedVersion: number | undefined;
  readonly settle: (result: WriteResult | Error) => void;
}

/** The paths of one ledger: the snapshot and its journal beside it (the lock and temporary files too). */
function pathsOf(path: string) {
  return { snapshot: path, journal: `${path}.journal` };
}

/**
 * The file a state path finally names, following symlinks even when the target does not exist yet:
 * two runs given a symlink and its target must share one lock and one journal, and compaction must
 * replace the target, not the symlink (issue 8, item 18).
 */
export async function resolveStatePath(path: string, depth = 0): Promise<string> {
  try {
    return await nodeFs.realpath(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT' || depth > 32) throw error;
  }
  const link = await nodeFs.readlink(path).catch((error: unknown) => {
    if (['ENOENT', 'EINVAL'].includes(errorCode(error) ?? '')) return undefined;
    throw error;
  });
  if (link !== undefined) return resolveStatePath(resolvePath(dirname(path), link), depth + 1);
  // Missing: the directory must exist; the file is created on open.
  return join(await nodeFs.realpath(dirname(path)), basename(path));
}

/**
 * Reads a ledger file without changing anything (no lock, no compaction): for `scan` and dry runs.
 * A missing file reads as an empty ledger.
 */
export async function readFileLedger(path: string, fs: FileLedgerFs = nodeFs): Promise<LedgerContents> {
  const state = new LedgerState();
  const real = await resolveStatePath(path).catch((error: unknown) => {
    if (errorCode(error) === 'ENOENT') return path;
    throw error;
  });
  await state.load(real, fs);
  return state.contents();
}

/**
 * A `Ledger` in a local JSON file, for runs from a laptop (`run --state FILE`). Crash-safe: the
 * snapshot is only ever replaced by rename of a fully written, fsynced temporary file, and every
 * write is appended to a journal and fsynced before it is acknowledged. Opening replays the journal
 * (ignoring a torn last line), compacts it into the snapshot, and takes a lock file so that two
 * processes cannot use one ledger at once. Same conditional-write semantics as the other ledgers.
 */
export class FileLedger implements Ledger {
  private readonly state = new LedgerState();
  private readonly paths: ReturnType<typeof pathsOf>;
  private readonly fs: FileLedgerFs;
  private readonly compactAfter: number;
  private journal: nodeFs.FileHandle | undefined;
  private journalEntries = 0;
  private pending: PendingWrite[] = [];
  private flushing: Promise<void> | undefined;
  private broken: Error | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly lock: LockHolder,
    options: FileLedgerOptions,
  ) {
    this.paths = pathsOf(path);
    this.fs = options.fs ?? nodeFs;
    this.compactAfter = options.compactAfterEntries ?? 5000;
  }

  /** Opens (creating if missing) the ledger at `path`. Close it to release the lock. */
  static async open(path: string, options: FileLedgerOptions = {}): Promise<FileLedger> {
    const real = await resolveStatePath(path);
    const lock = await acquireLock(real, {
      ...(options.isProcessAlive ? { isProcessAlive: options.isProcessAlive } : {}),
    }).catch((error: unknown) => {
      if (error instanceof LockHeldError) throw new FileLedgerLockedError(path, error.pid ?? 0);
      throw error;
    });
    const ledger = new FileLedger(real, lock, options);
    try {
      await ledger.state.load(real, ledger.fs);
      await removeStaleTemporaryFiles(real, ledger.fs);
      await ledger.compact();
    } catch (error) {
      await lock.release().catch(() => undefined);
      throw error;
    }
    return ledger;
  }

  async readAccount(accountId: string): Promise<AccountLedger> {
    await this.idle();
    return this.state.readAccount(accountId);
  }

  putKey(record: KeyRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    const id = keyId(record);
    return this.enqueue('key', id, expectedVersion, (version) => ({
      put: 'key',
      record: stored(record, version),
    }));
  }

  putAccount(record: AccountRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    return this.enqueue('account', record.accountId, expectedVersion, (version) => ({
      put: 'account',
      record: stored(record, version),
    }));
  }

  async readDigest(digestId: string): Promise<DigestRecord | undefined> {
    await this.idle();
    return this.state.readDigest(digestId);
  }

  putDigest(record: DigestRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    return this.enqueue('digest', record.digestId, expectedVersion, (version) => ({
      put: 'digest',
      record: stored(record, version),
    }));
  }

  /** Everything stored (acknowledged writes only). */
  async contents(): Promise<LedgerContents> {
    await this.idle();
    return this.state.contents();
  }

  /** Waits for pending writes, folds the journal into the snapshot and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.idle();
    await this.compact();
    this.closed = true;
    this.broken = new FileLedgerWriteError(`the ledger ${this.path} is closed`);
    await this.lock.release();
  }

  private enqueue(
    kind: PendingWrite['kind'],
    id: string,
    expectedVersion: number | undefined,
    entry: PendingWrite['entry'],
  ): Promise<WriteResult> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      this.pending.push({
        kind,
        id,
        expectedVersion,
        entry,
        settle: (result) => (result instanceof Error ? reject(result) : resolve(result)),
      });
      this.startFlush();
    });
  }

  private startFlush(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      // A write queued after the loop's last check, while this promise was settling.
      if (this.pending.length > 0) this.startFlush();
    });
  }

  /** Group commit: every write queued meanwhile is decided in order, appended at once, fsynced once. */
  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      if (this.broken) {
        for (const write of batch) write.settle(this.broken);
        continue;
      }
      const results = batch.map((write) => this.state.apply(write));
      const lines = results.flatMap((r) => (r.entry ? [encodeJournalEntry(r.entry)] : []));
      try {
        if (lines.length > 0) await this.append(lines.join(''));
        for (const [i, write] of batch.entries()) write.settle(results[i]?.result ?? 'conflict');
        if (this.journalEntries >= this.compactAfter) await this.compact();
      } catch (error) {
        this.broken = new FileLedgerWriteError(
          `could not write the ledger ${this.path}: ${(error as Error).message}`,
          { cause: error },
        );
        for (const write of batch) write.settle(this.broken);
      }
    }
  }

  private async append(text: string): Promise<void> {
    this.journal ??= await this.fs.open(this.paths.journal, 'a');
    await this.journal.write(text);
    await this.journal.datasync();
    this.journalEntries += text.split('\n').length - 1;
  }

  /** Snapshot written beside the file, fsynced, renamed over it; only then is the journal dropped. */
  private async compact(): Promise<void> {
    const { snapshot, journal } = this.paths;
    const temporary = join(dirname(snapshot), `${basename(snapshot)}.${process.pid}.${Date.now()}.tmp`);
    const file = await this.fs.open(temporary, 'wx');
    try {
      await file.write(encodeSnapshot(this.state.contents()));
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await this.fs.rename(temporary, snapshot);
    } catch (error) {
      await this.fs.unlink(temporary).catch(() => undefined);
      throw error;
    }
    await syncDirectory(dirname(snapshot), this.fs);
    await this.journal?.close();
    this.journal = undefined;
    await this.fs.unlink(journal).catch(ignoreMissing);
    this.journalEntries = 0;
  }

  private async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.broken) throw this.broken;
  }
}

/** Records in memory, with the conditional-write rule of every ledger. */
class LedgerState {
  private readonly accounts = new Map<string, AccountRecord>();
  private readonly keys = new Map<string, KeyRecord>();
  private readonly digests = new Map<string, DigestRecord>();

  async load(path: string, fs: FileLedgerFs): Promise<void> {
    const { snapshot, journal } = pathsOf(path);
    const snapshotText = await readIfPresent(snapshot, fs);
    if (snapshotText !== undefined) {
      const contents = decodeSnapshot(snapshotText, snapshot);
      for (const account of contents.accounts) this.accounts.set(account.accountId, account);
      for (const key of contents.keys) this.keys.set(keyId(key), key);
      for (const digest of contents.digests ?? []) this.digests.set(digest.digestId, digest);
    }
    const journalText = await readIfPresent(journal, fs);
    if (journalText === undefined) return;
    for (const entry of decodeJournal(journalText, journal).entries) this.replay(entry);
  }

  /** Applies a journal entry unless the stored record is as new (the journal outlived a compaction). */
  private replay(entry: JournalEntry): void {
    if (entry.put === 'key') {
      const id = keyId(entry.record);
      if ((this.keys.get(id)?.version ?? 0) < entry.record.version) this.keys.set(id, entry.record);
    } else if (entry.put === 'digest') {
      const id = entry.record.digestId;
      if ((this.digests.get(id)?.version ?? 0) < entry.record.version) this.digests.set(id, entry.record);
    } else if ((this.accounts.get(entry.record.accountId)?.version ?? 0) < entry.record.version) {
      this.accounts.set(entry.record.accountId, entry.record);
    }
  }

  apply(write: PendingWrite): { result: WriteResult; entry?: JournalEntry } {
    const stores: Record<PendingWrite['kind'], Map<string, { version: number }>> = {
      key: this.keys,
      account: this.accounts,
      digest: this.digests,
    };
    const store = stores[write.kind];
    if (store.get(write.id)?.version !== write.expectedVersion) return { result: 'conflict' };
    const entry = write.entry((write.expectedVersion ?? 0) + 1);
    this.replay(entry);
    return { result: 'written', entry };
  }

  readAccount(accountId: string): AccountLedger {
    const account = this.accounts.get(accountId);
    const keys = [...this.keys.values()]
      .filter((k) => k.accountId === accountId)
      .map((k) => structuredClone(k));
    return account ? { account: structuredClone(account), keys } : { keys };
  }

  readDigest(digestId: string): DigestRecord | undefined {
    const digest = this.digests.get(digestId);
    return digest ? structuredClone(digest) : undefined;
  }

  contents(): LedgerContents {
    const digests = [...this.digests.values()];
    return structuredClone({
      accounts: [...this.accounts.values()],
      keys: [...this.keys.values()],
      ...(digests.length > 0 ? { digests } : {}),
    });
  }
}

function keyId(record: { accountId: string; accessKeyId: string }): string {
  return `${record.accountId}/${record.accessKeyId}`;
}

/** The record as stored: a copy, with fields set to undefined left out (as DynamoDB does). */
function stored<T extends object>(draft: T, version: number): T & { version: number } {
  const fields = Object.fromEntries(Object.entries(draft).filter(([, value]) => value !== undefined));
  return structuredClone({ ...fields, version }) as T & { version: number };
}

async function readIfPresent(path: string, fs: FileLedgerFs): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/** Temporary snapshots of a compaction that crashed before its rename; the real snapshot is intact. */
async function removeStaleTemporaryFiles(path: string, fs: FileLedgerFs): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await fs.readdir(dirname(path)).catch(() => []);
  const stale = names.filter((name) => name.startsWith(prefix) && /\.\d+\.\d+\.tmp$/.test(name));
  await Promise.all(stale.map((name) => fs.unlink(join(dirname(path), name)).catch(ignoreMissing)));
}

/** Makes a rename durable; some platforms (Windows) cannot open a directory, and lose nothing by skipping. */
async function syncDirectory(directory: string, fs: FileLedgerFs): Promise<void> {
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EACCES'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}
