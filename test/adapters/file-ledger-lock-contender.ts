/**
 * Child process for the file ledger's lock test: for each line `<path> <startAt>` on stdin, waits
 * until the clock reaches `startAt` (so two contenders try in the same millisecond), opens the
 * ledger at `<path>` and keeps it open, printing `acquired` or `locked`. Exits when stdin closes.
 */
import { createInterface } from 'node:readline';

import { FileLedger, FileLedgerLockedError } from '../../lambda/adapters/file-ledger';

const held: FileLedger[] = [];

async function attempt(line: string): Promise<void> {
  const [path = '', startAt = '0'] = line.split(' ');
  while (Date.now() < Number(startAt)) {
    // Spin rather than sleep: a timer would add a millisecond or more of jitter.
  }
  try {
    held.push(await FileLedger.open(path));
    process.stdout.write('acquired\n');
  } catch (error) {
    process.stdout.write(error instanceof FileLedgerLockedError ? 'locked\n' : `error ${String(error)}\n`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => void attempt(line));
process.stdin.on('end', () => process.exit(0));
process.stdout.write('ready\n');
