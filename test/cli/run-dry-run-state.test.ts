import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AwsIamGateway } from '../../lambda/adapters/aws/iam-gateway';
import { FileLedger } from '../../lambda/adapters/file-ledger';
import { installFakeOrg } from '../adapters/aws/fake-org';
import { cli, testDeps } from './cli-harness';

const ACCOUNT = '222222222222';
const NOW = new Date('2027-03-01T09:00:00.000Z');

/** A real (not --demo) dry run: config file, mocked AWS, and the production file ledger wiring. */
function dryRun(dir: string, state: string) {
  const configPath = join(dir, 'enforcer.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({ accounts: [{ id: ACCOUNT, name: 'prod' }], slack: { infraChannel: 'C0INFRA01' } }),
  );
  const org = installFakeOrg({
    [ACCOUNT]: [
      {
        userName: 'alice',
        tags: { type: 'engineer', 'slack-id': 'U0OWNER01' },
        keys: [{ id: 'AKIAALICE00000000001', status: 'Active', created: new Date('2026-11-20T08:00:00Z') }],
      },
    ],
  });
  const deps = testDeps({
    clock: { now: () => NOW },
    iam: (config, options) =>
      new AwsIamGateway({
        memberRoleName: config.memberRoleName,
        sts: org.sts,
        iamClientFactory: org.iamClientFactory,
        includeLastUsed: options.includeLastUsed,
      }),
    fileLedger: (path) => FileLedger.open(path),
  });
  return cli(['run', '--dry-run', '--config', configPath, '--state', state], deps);
}

describe('run --dry-run with a state file (SPEC §6: a dry run records nothing)', () => {
  let dir: string;
  const open: FileLedger[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ake-dry-run-'));
  });

  afterEach(async () => {
    for (const ledger of open.splice(0)) await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not create a missing state file', async () => {
    const state = join(dir, 'state.json');

    const result = await dryRun(dir, state);

    expect(result.code).toBe(0);
    expect(readdirSync(dir)).toEqual(['enforcer.config.json']);
  });

  it('leaves an existing state file byte for byte as it was, and takes no lock', async () => {
    const state = join(dir, 'state.json');
    await (await FileLedger.open(state)).close();
    const before = { text: readFileSync(state, 'utf8'), modified: statSync(state).mtimeMs };
    const locksBefore = lockFiles(dir);
    await new Promise((resolve) => setTimeout(resolve, 20));

    const result = await dryRun(dir, state);

    expect(result.code).toBe(0);
    expect({ text: readFileSync(state, 'utf8'), modified: statSync(state).mtimeMs }).toEqual(before);
    // The lock leaves a released `state.json.lock.<n>` behind by design; a dry run adds or changes none.
    expect(lockFiles(dir)).toEqual(locksBefore);
  });

  it('plans even while a real run holds the state file', async () => {
    const state = join(dir, 'state.json');
    open.push(await FileLedger.open(state));

    const result = await dryRun(dir, state);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DRY RUN');
    expect(result.stdout).toContain('AKIAALICE00000000001');
  });
});

describe('--as-of refuses dates that do not exist', () => {
  it.each(['2027-02-30', '2027-02-31', '2027-13-01'])('refuses %s with exit 2', async (date) => {
    const result = await cli(['scan', '--demo', '--as-of', date]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--as-of ${date}: expected a date like 2027-01-31`);
  });
});

/** Every lock file beside the state file, with its content, so a taken lock shows as a change. */
function lockFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => name.startsWith('state.json.lock'))
      .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
  );
}

describe('run --as-of is a preview only', () => {
  it('refuses run --as-of without --dry-run with exit 2, before touching anything', async () => {
    const result = await cli([
      'run',
      '--demo',
      '--as-of',
      '2027-04-10',
      '--state',
      '/nonexistent/dir/state.json',
    ]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--as-of 2027-04-10 needs --dry-run');
    expect(result.stdout).toBe('');
  });

  it('accepts run --dry-run --as-of', async () => {
    const result = await cli(['run', '--demo', '--dry-run', '--as-of', '2027-04-10']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DRY RUN');
  });
});

describe('a state file that is not a ledger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'enforcer-corrupt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 naming the file, and leaves it untouched', async () => {
    const state = join(dir, 'state.json');
    writeFileSync(state, '{ this is not json');

    const result = await dryRun(dir, state);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${state} is not a valid access-key-enforcer state file`);
    expect(readFileSync(state, 'utf8')).toBe('{ this is not json');
  });
});
