import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

import { errorCode, ignoreMissing } from './fs-errors';

/**
 * An exclusive lock beside a file, safe against two processes taking over a stale lock at once.
 *
 * Why not unlink-then-create (or `proper-lockfile`, whose takeover is stat, rmdir, mkdir): two
 * processes that both judge the old lock stale can each delete it and each create a new one, the
 * second deleting the first's fresh lock. Here a lock is never replaced: each holder creates the next
 * generation `FILE.lock.<n+1>` with an exclusive create (`link` of a fully written file, which fails
 * if the name exists), so of all processes that saw generation `n` free exactly one wins `n+1`.
 * The generation is the holder's fencing token. The newest generation is never deleted (release
 * marks it released), so generations only grow and a process with an old view cannot win a number
 * that is already taken; a winner that finds a newer generation than its own backs off.
 */
export interface LockHolder {
  /** The generation this holder won; larger than every earlier holder's. */
  readonly token: number;
  /** Marks the lock released; the next `acquire` may take it. */
  release(): Promise<void>;
}

/** Another live process holds the lock. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(
    readonly lockFile: string,
    readonly pid: number | undefined,
  ) {
    super(`${lockFile} is held by ${pid === undefined ? 'another process' : `pid ${pid}`}`);
  }
}

export interface AcquireLockOptions {
  /** Whether a process id is still running, to recognise a lock left by a crash. @default process.kill(pid, 0) */
  readonly isProcessAlive?: (pid: number) => boolean;
}

const RELEASED = 'released';
const MAX_ATTEMPTS = 20;

/** The lock files of `file`: `<file>.lock.<generation>`. */
export function lockPrefix(file: string): string {
  return `${file}.lock.`;
}

/** Takes the lock on `file` (a real path; callers resolve symlinks first) or throws `LockHeldError`. */
export async function acquireLock(file: string, options: AcquireLockOptions = {}): Promise<LockHolder> {
  const alive = options.isProcessAlive ?? isProcessAlive;
  const directory = dirname(file);
  const candidate = join(directory, `${basename(file)}.lock-candidate-${process.pid}-${randomSuffix()}`);
  await nodeFs.writeFile(candidate, `${process.pid}\n`, { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const newest = await newestGeneration(file);
      if (newest !== undefined) {
        const holder = await readHolder(lockPath(file, newest));
        if (holder === 'gone') continue; // a newer holder cleaned it up: look again
        if (holder !== RELEASED && alive(holder)) throw new LockHeldError(lockPath(file, newest), holder);
      }
      const token = (newest ?? 0) + 1;
      try {
        await nodeFs.link(candidate, lockPath(file, token));
      } catch (error) {
        if (errorCode(error) === 'EEXIST') continue; // someone else won this generation
        throw error;
      }
      // Won `token`; but a process with an old view may have won a number that a newer holder had
      // already cleaned up. The newest generation decides.
      if ((await newestGeneration(file)) !== token) {
        await nodeFs.unlink(lockPath(file, token)).catch(ignoreMissing);
        continue;
      }
      await removeGenerationsBelow(file, token);
      await removeLeftoversOfDeadProcesses(file, alive);
      return holderOf(file, token);
    }
    throw new LockHeldError(`${lockPrefix(file)}*`, undefined);
  } finally {
    await nodeFs.unlink(candidate).catch(ignoreMissing);
  }
}

function holderOf(file: string, token: number): LockHolder {
  let released = false;
  return {
    token,
    release: async () => {
      if (released) return;
      released = true;
      // Replaced by rename, so a reader sees either our pid or "released", never an empty file.
      const marker = `${lockPath(file, token)}.${process.pid}-${randomSuffix()}.released`;
      await nodeFs.writeFile(marker, `${RELEASED}\n`);
      await nodeFs.rename(marker, lockPath(file, token));
    },
  };
}

function lockPath(file: string, generation: number): string {
  return `${lockPrefix(file)}${generation}`;
}

async function generations(file: string): Promise<number[]> {
  const prefix = basename(lockPrefix(file));
  const names = await nodeFs.readdir(dirname(file));
  return names
    .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)));
}

async function newestGeneration(file: string): Promise<number | undefined> {
  const all = await generations(file);
  return all.length === 0 ? undefined : Math.max(...all);
}

async function removeGenerationsBelow(file: string, token: number): Promise<void> {
  const older = (await generations(file)).filter((generation) => generation < token);
  await Promise.all(older.map((g) => nodeFs.unlink(lockPath(file, g)).catch(ignoreMissing)));
}

/** Candidates and release markers of processes killed between writing and linking or renaming them. */
async function removeLeftoversOfDeadProcesses(file: string, alive: (pid: number) => boolean): Promise<void> {
  const names = await nodeFs.readdir(dirname(file));
  const candidate = new RegExp(`^${escapeRegExp(basename(file))}\\.lock(?:-candidate-|\\.\\d+\\.)(\\d+)-`);
  const stale = names.filter((name) => {
    const pid = Number(candidate.exec(name)?.[1] ?? Number.NaN);
    return Number.isInteger(pid) && pid !== process.pid && !alive(pid);
  });
  await Promise.all(stale.map((name) => nodeFs.unlink(join(dirname(file), name)).catch(ignoreMissing)));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The pid in a lock file, `released`, or `gone` if it was removed meanwhile. */
async function readHolder(path: string): Promise<number | typeof RELEASED | 'gone'> {
  let text: string;
  try {
    text = await nodeFs.readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return 'gone';
    throw error;
  }
  if (text.trim() === RELEASED) return RELEASED;
  const pid = Number.parseInt(text, 10);
  // Written whole before it was linked into place, so anything else is not ours: treat as released.
  return Number.isInteger(pid) && pid > 0 ? pid : RELEASED;
}

function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}
