import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileLedger } from '../../lambda/adapters/file-ledger';
import { EXIT_HELP } from '../../lambda/cli/exit-help';
import { cli, testDeps } from './cli-harness';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const PROMPT = '$ npm run -s cli -- ';

interface Example {
  readonly args: string[];
  readonly expected: string[];
}

/** Every `$ npm run -s cli -- …` in a README text block, with the lines shown after it. */
function examples(): Example[] {
  const found: Example[] = [];
  for (const block of README.matchAll(/```text\n([\s\S]*?)```/g)) {
    let current: { args: string[]; expected: string[] } | undefined;
    for (const line of (block[1] ?? '').trimEnd().split('\n')) {
      if (line.startsWith(PROMPT)) {
        current = { args: line.slice(PROMPT.length).split(' '), expected: [] };
        found.push(current);
      } else {
        current?.expected.push(line);
      }
    }
  }
  return found;
}

/** `…` stands for any text within a line; a line that is only `…` stands for any number of lines. */
function matches(expected: readonly string[], actual: readonly string[]): boolean {
  const pattern = (line: string): RegExp =>
    new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/…/g, '.*')}$`);
  const memo = new Map<string, boolean>();
  const from = (e: number, a: number): boolean => {
    const key = `${e}:${a}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    const line = expected[e];
    if (line === undefined) result = a === actual.length;
    else if (line.trim() === '…')
      result = actual.slice(a).some((_, k) => from(e + 1, a + k)) || from(e + 1, actual.length);
    else result = a < actual.length && pattern(line).test(actual[a] ?? '') && from(e + 1, a + 1);
    memo.set(key, result);
    return result;
  };
  return from(0, 0);
}

describe('the README shows what the CLI prints (issue 13: every documented command, its real output)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ake-readme-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('documents at least the scan, run and doctor examples', () => {
    expect(examples().map((e) => e.args[0])).toEqual(expect.arrayContaining(['scan', 'run', 'doctor']));
  });

  // In README order: the second `run --state` example relies on the first one's state file.
  it.each(examples().map((e) => [e.args.join(' '), e] as const))('%s', async (_, example) => {
    const args = example.args.map((arg, i) => (example.args[i - 1] === '--state' ? join(dir, arg) : arg));

    const result = await cli(args, testDeps({ fileLedger: (path) => FileLedger.open(path) }));

    const actual = result.stdout.trimEnd().split('\n');
    const shown = example.expected.join('\n');
    // On a mismatch the whole output is compared, so the failure shows what to put in the README.
    expect(matches(example.expected, actual) ? shown : result.stdout.trimEnd()).toBe(shown);
  });

  it('lists the exit codes each command prints in --help', async () => {
    for (const command of ['scan', 'run', 'doctor', 'digest', 'demo'] as const) {
      const help = (await cli([command, '--help'])).stdout;
      const lines = EXIT_HELP[command].map((line) => `  ${line}`).join('\n');

      expect(help).toContain(`Exit codes:\n${lines}\n`);
      expect(README).toContain(`${command}\n${lines}\n`);
    }
  });
});
