import { spawn, spawnSync } from 'node:child_process';
import * as nodeFs from 'node:fs/promises';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import {
  FileLedger,
  FileLedgerCorruptError,
  type FileLedgerFs,
  FileLedgerLockedError,
  readFileLedger,
} from '../../lambda/adapters/file-ledger';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { type Ledger } from '../../lambda/ports';
import { fullKeyDraft, ledgerContract, minimalKeyDraft } from '../support/ledger-contract';

const ACCOUNT = '111111111111';
const directories: string[] = [];
const open: FileLedger[] = [];

function newPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'file-ledger-'));
  directories.push(directory);
  return join(directory, 'state.json');
}

async function openLedger(path = newPath(), fs?: FileLedgerFs, compactAfterEntries?: number) {
  const ledger = await FileLedger.open(path, {
    ...(fs ? { fs } : {}),
    ...(compactAfterEntries ? { compactAfterEntries } : {}),
  });
  open.push(ledger);
  return ledger;
}

/** What a process that died leaves behind: its lock, naming a process that no longer exists. */
function leaveLockOfDeadProcess(path: string): void {
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  const generations = readdirSync(dirname(path))
    .filter((name) => /\.lock\.\d+$/.test(name))
    .map((name) => Number(name.split('.').pop()));
  writeFileSync(`${path}.lock.${Math.max(1, ...generations)}`, `${dead}\n`);
}

/** A file system that fails from the `nth` call to `call` on, as if the process died there. */
function crashingFs(call: string, nth: number): FileLedgerFs {
  let calls = 0;
  const crashAt = (name: string, path: string): boolean =>
    name === call && !path.endsWith('.lock') && ++calls === nth;
  let dead = false;
  const guard =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (dead || crashAt(name, String(args[0]))) {
        dead = true;
        return Promise.reject(new Error(`simulated crash at ${name}`));
      }
      return fn(...args);
    };
  return {
    readFile: guard('readFile', (path: string, encoding: 'utf8') => nodeFs.readFile(path, encoding)),
    open: guard('open', (path: string, flags: string) => nodeFs.open(path, flags)),
    rename: guard('rename', (from: string, to: string) => nodeFs.rename(from, to)),
    unlink: guard('unlink', (path: string) => nodeFs.unlink(path)),
    readdir: guard('readdir', (path: string) => nodeFs.readdir(path)),
  };
}

async function writeThreeVersions(ledger: Ledger): Promise<void> {
  await ledger.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-07' }, undefined);
  await ledger.putKey(minimalKeyDraft(), undefined);
  await ledger.putKey(fullKeyDraft(), 1);
}

const expectedAfterThreeWrites = {
  account: { accountId: ACCOUNT, baselinedOn: '2025-01-07', version: 1 },
  keys: [{ ...fullKeyDraft(), version: 2 }],
};

afterEach(async () => {
  // Newest first, so a ledger a test abandoned (a simulated crash) cannot overwrite its successor.
  for (const ledger of open.splice(0).reverse()) await ledger.close().catch(() => undefined);
});

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

ledgerContract('FileLedger', () => openLedger());

ledgerContract('FileLedger, read back from disk', async () => {
  const path = newPath();
  const ledger = await openLedger(path);
  return {
    putKey: (record, expected) => ledger.putKey(record, expected),
    putAccount: (record, expected) => ledger.putAccount(record, expected),
    putDigest: (record, expected) => ledger.putDigest(record, expected),
    readAccount: async (accountId) => new MemoryLedger(await readFileLedger(path)).readAccount(accountId),
    readDigest: async (digestId) => new MemoryLedger(await readFileLedger(path)).readDigest(digestId),
  };
});

describe('FileLedger on disk', () => {
  it('creates the state file when it is missing', async () => {
    const path = newPath();

    await openLedger(path);

    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      format: 'access-key-enforcer/ledger',
      formatVersion: 1,
      accounts: [],
      keys: [],
    });
  });

  it('keeps every record across close and reopen, with the journal folded into the snapshot', async () => {
    const path = newPath();
    const first = await openLedger(path);
    await writeThreeVersions(first);

    await first.close();
    const reopened = await openLedger(path);

    await expect(reopened.readAccount(ACCOUNT)).resolves.toStrictEqual(expectedAfterThreeWrites);
    expect(existsSync(`${path}.journal`)).toBe(false);
  });

  it('keeps acknowledged writes of a process that died without closing', async () => {
    const path = newPath();
    await writeThreeVersions(await openLedger(path));
    leaveLockOfDeadProcess(path);

    const recovered = await readFileLedger(path);
    const reopened = await openLedger(path);

    expect(recovered.keys).toStrictEqual(expectedAfterThreeWrites.keys);
    await expect(reopened.readAccount(ACCOUNT)).resolves.toStrictEqual(expectedAfterThreeWrites);
  });

  it.each([
    { step: 'between writing the temporary snapshot and renaming it', call: 'rename' },
    { step: 'between renaming the snapshot and deleting the journal', call: 'unlink' },
  ])('recovers every acknowledged write after a crash $step', async ({ call }) => {
    const path = newPath();
    // The first call of each happens on open; the second is the compaction after three writes.
    const fs = crashingFs(call, 2);
    const ledger = await openLedger(path, fs, 3);
    await writeThreeVersions(ledger);
    await expect(
      ledger.putKey(minimalKeyDraft({ accessKeyId: 'AKIA0000000000000009' }), undefined),
    ).rejects.toThrow('simulated crash');
    leaveLockOfDeadProcess(path);

    const reopened = await openLedger(path);

    await expect(reopened.readAccount(ACCOUNT)).resolves.toStrictEqual(expectedAfterThreeWrites);
    expect(readdirSync(join(path, '..')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('ignores a torn last journal line and compacts it away on open', async () => {
    const path = newPath();
    await writeThreeVersions(await openLedger(path));
    await nodeFs.appendFile(`${path}.journal`, '{"put":"key","record":{"accountId":"1111');
    leaveLockOfDeadProcess(path);

    const reopened = await openLedger(path);

    await expect(reopened.readAccount(ACCOUNT)).resolves.toStrictEqual(expectedAfterThreeWrites);
    expect(existsSync(`${path}.journal`)).toBe(false);
  });

  it('refuses a journal damaged before its last line and leaves the files untouched', async () => {
    const path = newPath();
    await writeThreeVersions(await openLedger(path));
    const lines = readFileSync(`${path}.journal`, 'utf8').split('\n');
    const damaged = [lines[0], '{"put":"key","rec', ...lines.slice(1)].join('\n');
    await nodeFs.writeFile(`${path}.journal`, damaged);
    leaveLockOfDeadProcess(path);

    await expect(FileLedger.open(path)).rejects.toThrow(FileLedgerCorruptError);
    expect(readFileSync(`${path}.journal`, 'utf8')).toBe(damaged);
    await expect(FileLedger.open(path)).rejects.toThrow(FileLedgerCorruptError); // not FileLedgerLockedError
  });

  it('refuses a file that is not a ledger rather than overwriting it', async () => {
    const path = newPath();
    await nodeFs.writeFile(path, '{"accounts": "not mine"}');

    await expect(FileLedger.open(path)).rejects.toThrow(
      /state\.json is not a valid access-key-enforcer state file/,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"accounts": "not mine"}');
  });

  it('refuses a second user of the same file while the first holds it', async () => {
    const path = newPath();
    await openLedger(path);

    await expect(FileLedger.open(path)).rejects.toThrow(FileLedgerLockedError);
  });

  it('reads a missing file as an empty ledger without creating it', async () => {
    const path = newPath();

    await expect(readFileLedger(path)).resolves.toEqual({ accounts: [], keys: [] });
    expect(existsSync(path)).toBe(false);
  });
});

describe('FileLedger killed mid-write', () => {
  const writer = join(__dirname, 'file-ledger-crash-writer.ts');

  /** Runs the writer until it has acknowledged `writes` writes, kills it, returns the last version per key. */
  async function killAfter(
    path: string,
    writes: number,
  ): Promise<{ acknowledged: Map<string, number>; seen: number }> {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', writer, path], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged = new Map<string, number>();
    let seen = 0;
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => resolve());
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [key, version] = line.split(' ');
          acknowledged.set(key ?? '', Number(version));
          seen += 1;
        }
        if (seen >= writes) child.kill('SIGKILL');
      });
    });
    return { acknowledged, seen };
  }

  it.each([13, 47, 101])(
    'reopens intact with every acknowledged write after a kill at write %i or later',
    async (writes) => {
      const path = newPath();

      const { acknowledged, seen } = await killAfter(path, writes);
      const reopened = await openLedger(path);

      const { keys } = await reopened.readAccount(ACCOUNT);
      const versions = new Map(keys.map((k) => [k.accessKeyId, k.version]));
      for (const [key, version] of acknowledged) {
        // The write after the last acknowledged one may or may not have reached the disk.
        expect([version, version + 1]).toContain(versions.get(key));
      }
      expect(seen).toBeGreaterThanOrEqual(writes);
      expect(keys.every((k) => k.userName.startsWith('writer-'))).toBe(true);
    },
  );
});

describe('FileLedger lock between processes', () => {
  const TRIALS = 20;
  const contenderScript = join(__dirname, 'file-ledger-lock-contender.ts');

  /** A long-lived child that tries to open the ledger at each path it is sent. */
  function startContender() {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', contenderScript], {
      cwd: join(__dirname, '..', '..'),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const waiting: ((line: string) => void)[] = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) waiting.shift()?.(line);
    });
    const next = () => new Promise<string>((resolve) => waiting.push(resolve));
    return {
      ready: next(),
      attempt: (path: string, startAt: number) => {
        const reply = next();
        child.stdin.write(`${path} ${startAt}\n`);
        return reply;
      },
      stop: () => new Promise<void>((resolve) => child.once('exit', () => resolve()).stdin.end()),
    };
  }

  /** A ledger whose lock was left by a process killed with SIGKILL while holding it. */
  async function ledgerLeftByKilledProcess(): Promise<string> {
    const path = newPath();
    const child = spawn(
      process.execPath,
      ['-r', 'tsx/cjs', join(__dirname, 'file-ledger-crash-writer.ts'), path],
      {
        cwd: join(__dirname, '..', '..'),
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve) => {
      child.stdout.once('data', () => child.kill('SIGKILL'));
      child.on('exit', () => resolve());
    });
    return path;
  }

  it('lets exactly one of two processes take over a stale lock, in every trial', async () => {
    const template = await ledgerLeftByKilledProcess();
    const contenders = [startContender(), startContender()];
    try {
      await Promise.all(contenders.map((c) => c.ready));
      const outcomes: string[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        const directory = mkdtempSync(join(tmpdir(), 'file-ledger-lock-'));
        directories.push(directory);
        cpSync(dirname(template), directory, { recursive: true });
        const path = join(directory, 'state.json');
        const startAt = Date.now() + 20;

        const replies = await Promise.all(contenders.map((c) => c.attempt(path, startAt)));

        outcomes.push(replies.sort().join('+'));
      }
      expect(outcomes).toEqual(Array.from({ length: TRIALS }, () => 'acquired+locked'));
    } finally {
      await Promise.all(contenders.map((c) => c.stop()));
    }
  }, 20_000);
});

describe('FileLedger reached through a symlink', () => {
  /** `real/state.json` and `link.json` → it, as when two operators configure different paths. */
  function symlinkedState(createTarget: boolean): { real: string; link: string } {
    const directory = mkdtempSync(join(tmpdir(), 'file-ledger-link-'));
    directories.push(directory);
    mkdirSync(join(directory, 'real'));
    const real = join(directory, 'real', 'state.json');
    if (createTarget) writeFileSync(real, readFileSync(newPathWithEmptyLedger(), 'utf8'));
    const link = join(directory, 'link.json');
    symlinkSync(join('real', 'state.json'), link);
    return { real, link };
  }

  function newPathWithEmptyLedger(): string {
    const path = newPath();
    writeFileSync(
      path,
      JSON.stringify({ format: 'access-key-enforcer/ledger', formatVersion: 1, accounts: [], keys: [] }),
    );
    return path;
  }

  it.each([
    { first: 'link', second: 'real' },
    { first: 'real', second: 'link' },
  ] as const)(
    'refuses the $second path while the $first path holds the same file',
    async ({ first, second }) => {
      const paths = symlinkedState(true);
      await openLedger(paths[first]);

      await expect(FileLedger.open(paths[second])).rejects.toThrow(FileLedgerLockedError);
    },
  );

  it.each([{ target: 'existing' }, { target: 'missing' }])(
    'keeps the symlink a symlink to the updated file after compaction ($target target)',
    async ({ target }) => {
      const { real, link } = symlinkedState(target === 'existing');
      const ledger = await openLedger(link, undefined, 2);
      await writeThreeVersions(ledger);

      await ledger.close();

      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(readlinkSync(link)).toBe(join('real', 'state.json'));
      expect(JSON.parse(readFileSync(real, 'utf8'))).toMatchObject({ keys: expectedAfterThreeWrites.keys });
      expect(readdirSync(dirname(link)).sort()).toEqual(['link.json', 'real']);
      await expect(readFileLedger(link)).resolves.toStrictEqual({
        accounts: [expectedAfterThreeWrites.account],
        keys: expectedAfterThreeWrites.keys,
      });
    },
  );

  it('reads through the symlink the journal an unclosed run left beside the real file', async () => {
    const { link } = symlinkedState(true);
    await writeThreeVersions(await openLedger(link));

    await expect(readFileLedger(link)).resolves.toStrictEqual({
      accounts: [expectedAfterThreeWrites.account],
      keys: expectedAfterThreeWrites.keys,
    });
  });
});

describe('FileLedger lock leftovers', () => {
  it('removes lock candidates and release markers left by a process that died', async () => {
    const path = newPath();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(`${path}.lock-candidate-${dead}-abc`, `${dead}\n`);
    writeFileSync(`${path}.lock.1.${dead}-abc.released`, 'released\n');

    await openLedger(path);

    expect(readdirSync(dirname(path)).filter((name) => name.includes(String(dead)))).toEqual([]);
  });
});
