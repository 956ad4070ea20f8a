import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileLedger } from '../../lambda/adapters/file-ledger';
import { type ActionRecord } from '../../lambda/engine/run-report';
import { cli, testDeps } from './cli-harness';

const golden = (name: string): string => readFileSync(join(__dirname, 'golden', name), 'utf8');
const withFiles = () => testDeps({ fileLedger: (path) => FileLedger.open(path) });

describe('audit: the ledger’s audit trail after a run (issue 10 item 4)', () => {
  let dir: string;
  let state: string;
  let runActions: ActionRecord[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ake-audit-'));
    state = join(dir, 'state.json');
    const run = await cli(['run', '--demo', '--state', state, '--format', 'json'], withFiles());
    runActions = (JSON.parse(run.stdout) as { actions: ActionRecord[] }).actions;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the golden CSV', async () => {
    const result = await cli(['audit', '--demo', '--state', state, '--since', '2027-03-01'], withFiles());
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(golden('audit.csv'));
  });

  it('exports the golden JSON', async () => {
    const result = await cli(
      ['audit', '--demo', '--state', state, '--since', '2027-03-01', '--format', 'json'],
      withFiles(),
    );
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(golden('audit.json')));
  });

  it('lists exactly the key actions the run took, and the exemption in force', async () => {
    const result = await cli(
      ['audit', '--demo', '--state', state, '--since', '2027-03-01', '--format', 'json'],
      withFiles(),
    );
    const audited = (JSON.parse(result.stdout) as { actions: { accessKeyId: string; action: string }[] })
      .actions;
    const taken = runActions.filter(
      (a) =>
        a.outcome === 'done' &&
        a.accessKeyId &&
        ['remind', 'final-notice', 'deactivate', 'thanks'].includes(a.kind),
    );
    expect(
      audited
        .filter((a) => a.action !== 'exemption')
        .map((a) => a.accessKeyId)
        .sort(),
    ).toEqual(taken.map((a) => a.accessKeyId).sort());
    expect(audited.filter((a) => a.action === 'exemption')).toHaveLength(1);
  });

  it('adds nothing on a same-day re-run, and --since leaves out what came before', async () => {
    await cli(['run', '--demo', '--state', state], withFiles());
    const again = await cli(['audit', '--demo', '--state', state, '--since', '2027-03-01'], withFiles());
    expect(again.stdout).toBe(golden('audit.csv'));
    const later = await cli(['audit', '--demo', '--state', state, '--since', '2027-03-02'], withFiles());
    expect(later.stdout).toBe('at,accountId,accountName,userName,accessKeyId,action,to,detail\n');
  });

  it('refuses a bad date and a missing ledger with exit 2', async () => {
    expect((await cli(['audit', '--demo', '--since', '2027-02-30', '--state', state])).code).toBe(2);
    const noLedger = await cli(['audit', '--demo', '--since', '2027-03-01']);
    expect(noLedger.code).toBe(2);
    expect(noLedger.stderr).toContain('audit reads the ledger: give --state FILE or --table NAME');
  });
});
