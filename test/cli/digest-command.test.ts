import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileLedger } from '../../lambda/adapters/file-ledger';
import { cli, testDeps } from './cli-harness';

const withFiles = () => testDeps({ fileLedger: (path) => FileLedger.open(path) });

describe('digest: the weekly compliance digest as text (issue 10 item 2)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ake-digest-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--demo prints the demo organisation’s third Monday, with the change since the week before', async () => {
    const result = await cli(['digest', '--demo']);

    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^Week to 2027-03-15 at about 09:00 UTC: 3 accounts, \d+ active keys, \d+% compliant \([−+±]\d+ pts since 2027-03-08\)/,
    );
    expect(lines).toContain('All accounts:');
    expect(result.stdout).toMatch(/^ {2}over 90 days +█+░* +\d+ +\d+%$/m);
    expect(result.stdout).toContain('Exemptions in force (1):');
    expect(result.stdout).not.toMatch(/&lt;|&gt;|&amp;/);
  });

  it('is what docs/digests.md pastes as its example', async () => {
    const docs = readFileSync(join(__dirname, '..', '..', 'docs', 'digests.md'), 'utf8');

    const result = await cli(['digest', '--demo']);

    expect(docs).toContain(`\`\`\`text\n${result.stdout}\`\`\``);
  });

  it('previews from a state file without sending, changing or recording anything', async () => {
    const state = join(dir, 'state.json');
    await cli(['run', '--demo', '--state', state], withFiles());
    const before = readFileSync(state, 'utf8');

    const result = await cli(['digest', '--demo', '--state', state, '--as-of', '2027-03-04'], withFiles());

    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('[DRY RUN] Week to 2027-03-04')).toBe(true);
    // The state's weekly digest is this week's own: there is no earlier week to compare with.
    expect(result.stdout).toContain('first weekly digest: nothing earlier to compare with');
    expect(readFileSync(state, 'utf8')).toBe(before);
  });

  it('refuses two ledgers', async () => {
    const result = await cli(['digest', '--demo', '--state', 'a.json', '--table', 'ledger']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--state and --table: choose one ledger');
  });
});
