import { type AccountRecord, type DigestRecord, type KeyRecord } from '../domain/ledger-records';
import { type LedgerContents } from './memory-ledger';
import * as z from '../config/zod';

/**
 * The on-disk format of the file ledger: a snapshot (one JSON document, replaced atomically) and a
 * journal (one JSON record per line, appended). Records are stored whole, with their version, so
 * replaying a line is idempotent: a line is applied only when it is newer than what is stored.
 */

/** Written into every snapshot so a stranger file is refused rather than overwritten. */
export const SNAPSHOT_FORMAT = 'access-key-enforcer/ledger';
export const SNAPSHOT_FORMAT_VERSION = 1;

/** The state file could not be read as a ledger; nothing was changed. */
export class FileLedgerCorruptError extends Error {
  override readonly name = 'FileLedgerCorruptError';
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(
      `${path} is not a valid access-key-enforcer state file: ${reason}. ` +
        'It was left untouched; restore it from a backup or move it away to start a new ledger.',
      options,
    );
  }
}

// Only what the ledger relies on is checked; other fields pass through as written.
const VersionSchema = z.number().check(z.int(), z.gte(1));
const AccountRecordSchema = z.looseObject({
  accountId: z.string().check(z.minLength(1)),
  version: VersionSchema,
});
const KeyRecordSchema = z.looseObject({
  accountId: z.string().check(z.minLength(1)),
  accessKeyId: z.string().check(z.minLength(1)),
  userName: z.string(),
  createdAt: z.string(),
  firstSeenOn: z.string(),
  newKeyAlert: z.string(),
  milestones: z.record(z.string(), z.unknown()),
  version: VersionSchema,
});

const DigestRecordSchema = z.looseObject({
  digestId: z.string().check(z.minLength(1)),
  state: z.string(),
  version: VersionSchema,
});

const SnapshotSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  accounts: z.array(AccountRecordSchema),
  keys: z.array(KeyRecordSchema),
  // Optional and left out when empty: a file without digests is the same file it always was.
  digests: z.optional(z.array(DigestRecordSchema)),
});

const JournalEntrySchema = z.discriminatedUnion('put', [
  z.strictObject({ put: z.literal('key'), record: KeyRecordSchema }),
  z.strictObject({ put: z.literal('account'), record: AccountRecordSchema }),
  z.strictObject({ put: z.literal('digest'), record: DigestRecordSchema }),
]);

/** One journal line: a record as it was written. */
export type JournalEntry =
  | { readonly put: 'key'; readonly record: KeyRecord }
  | { readonly put: 'account'; readonly record: AccountRecord }
  | { readonly put: 'digest'; readonly record: DigestRecord };

/** A stable, readable snapshot: records sorted so that two saves of the same state are identical. */
export function encodeSnapshot(contents: LedgerContents): string {
  const accounts = [...contents.accounts].sort((a, b) => compare(a.accountId, b.accountId));
  const keys = [...contents.keys].sort(
    (a, b) => compare(a.accountId, b.accountId) || compare(a.accessKeyId, b.accessKeyId),
  );
  const digests = [...(contents.digests ?? [])].sort((a, b) => compare(a.digestId, b.digestId));
  const snapshot = {
    format: SNAPSHOT_FORMAT,
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    accounts,
    keys,
    ...(digests.length > 0 ? { digests } : {}),
  };
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

export function decodeSnapshot(text: string, path: string): LedgerContents {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new FileLedgerCorruptError(path, `not JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new FileLedgerCorruptError(path, `${where}: ${issue?.message ?? 'unexpected shape'}`, {
      cause: parsed.error,
    });
  }
  // The schema checked the fields the ledger relies on; the rest are the records as written.
  return parsed.data as unknown as LedgerContents;
}

export function encodeJournalEntry(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** What a journal held: its entries, and whether a torn tail (an unfinished write) was dropped. */
export interface DecodedJournal {
  readonly entries: readonly JournalEntry[];
  readonly tornTail: boolean;
}

/**
 * Reads a journal. Only the tail can be torn (every write is one append, acknowledged after
 * fsync), so lines after the last good one that do not parse, or a last line without its newline,
 * are an unfinished write and dropped. A bad line followed by good ones is real damage: refused.
 */
export function decodeJournal(text: string, path: string): DecodedJournal {
  const lines = text.split('\n');
  // Text after the last newline was never completely written.
  const unterminated = lines.pop() ?? '';
  const decoded = lines.map((line) => decodeLine(line));
  let end = decoded.length;
  while (end > 0 && decoded[end - 1] === undefined) end -= 1;
  const entries: JournalEntry[] = [];
  for (let i = 0; i < end; i++) {
    const entry = decoded[i];
    if (entry === undefined) {
      if (lines[i]?.trim() === '') continue;
      throw new FileLedgerCorruptError(`${path}`, `journal line ${i + 1} is damaged and later lines are not`);
    }
    entries.push(entry);
  }
  const droppedLines = lines.slice(end).some((line) => line.trim() !== '');
  return { entries, tornTail: unterminated !== '' || droppedLines };
}

function decodeLine(line: string): JournalEntry | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed = JournalEntrySchema.safeParse(JSON.parse(line));
    return parsed.success ? (parsed.data as unknown as JournalEntry) : undefined;
  } catch {
    return undefined;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
