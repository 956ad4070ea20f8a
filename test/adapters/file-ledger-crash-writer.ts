/**
 * Child process for the file ledger's crash test: writes to the ledger at argv[2] without end,
 * closing and reopening it now and then (compaction), and prints `<key> <version>` after every
 * acknowledged write, until the test kills it.
 */
import { FileLedger } from '../../lambda/adapters/file-ledger';
import { minimalKeyDraft } from '../support/ledger-contract';

const KEYS = ['AKIA0000000000000001', 'AKIA0000000000000002', 'AKIA0000000000000003'];

async function main(path: string): Promise<void> {
  const versions = new Map<string, number>();
  for (let round = 0; ; round++) {
    const ledger = await FileLedger.open(path, { compactAfterEntries: 7 });
    for (let i = 0; i < 20; i++) {
      const accessKeyId = KEYS[(round + i) % KEYS.length] ?? '';
      const version = versions.get(accessKeyId);
      const draft = minimalKeyDraft({ accessKeyId, userName: `writer-${round}-${i}`.padEnd(200, '.') });
      if ((await ledger.putKey(draft, version)) !== 'written') throw new Error('unexpected conflict');
      versions.set(accessKeyId, (version ?? 0) + 1);
      process.stdout.write(`${accessKeyId} ${(version ?? 0) + 1}\n`);
    }
    await ledger.close();
  }
}

void main(process.argv[2] ?? '');
