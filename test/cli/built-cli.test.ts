import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildSync } from 'esbuild';

import { startIamStandIn } from '../support/iam-stand-in';

/** The CLI as it ships: bundled by esbuild like `npm run build:cli`, run as its own process. */
describe('the built access-key-enforcer command', () => {
  const bundle = join(mkdtempSync(join(tmpdir(), 'ake-cli-build-')), 'cli.js');

  beforeAll(() => {
    buildSync({
      entryPoints: [join(__dirname, '..', '..', 'bin', 'cli.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: bundle,
      logLevel: 'silent',
    });
  });

  const run = (...args: string[]) =>
    spawnSync(process.execPath, [bundle, ...args], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
      timeout: 30_000,
    });

  it('prints help for every command, with its exit codes', () => {
    for (const command of [[], ['scan'], ['run'], ['doctor'], ['demo']]) {
      const result = run(...command, '--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Usage: access-key-enforcer');
      expect(result.stdout).toMatch(/Exit codes:\n {2}0 {2}.+\n/);
    }
  });

  it('runs --demo --state twice without a Slack token: the state file is written, the second run sends nothing', () => {
    const state = join(mkdtempSync(join(tmpdir(), 'ake-demo-state-')), 'state.json');

    const first = run('run', '--demo', '--state', state);
    const second = run('run', '--demo', '--state', state);

    expect(first.status).toBe(0);
    expect(first.stderr).not.toContain('SLACK_BOT_TOKEN');
    expect(first.stdout).toMatch(/messages sent [1-9]\d*/);
    expect(existsSync(state)).toBe(true);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('messages sent 0: nothing new to tell anyone today');
    expect(second.stdout).toContain('reminders 0 · deactivations 0 · new keys 0');
  });

  it('doctor names the second key to deactivate instead of AKIA…', () => {
    const result = run('doctor', '--demo');

    expect(result.stdout).toContain(
      '--user-name wei.chen --access-key-id AKIAX7A54WY77N4VY5ZR --status Inactive',
    );
    expect(result.stdout).not.toContain('AKIA…');
  });

  it('prints scan --demo --format json with numbers as numbers, parseable as it comes from stdout', () => {
    const result = run('scan', '--demo', '--format', 'json');

    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as { asOf: string; keys: Record<string, unknown>[] };
    expect(parsed.keys.length).toBeGreaterThan(0);
    for (const key of parsed.keys) {
      expect(typeof key.ageDays).toBe('number');
      expect(Number.isInteger(key.ageDays)).toBe(true);
      expect(typeof key.accessKeyId).toBe('string');
      expect(key.nextAction === null || typeof key.nextAction === 'string').toBe(true);
    }
  });

  it('prints its version', () => {
    expect(run('--version')).toMatchObject({ status: 0, stdout: '0.1.0\n' });
  });

  it('refuses an unknown flag with exit 2 and a message on stderr', () => {
    const result = run('scan', '--nope');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("unknown option '--nope'");
    expect(result.stdout).toBe('');
  });

  it('refuses a missing config with exit 2, saying what to do', () => {
    const result = run('scan');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Config file enforcer.config.json not found. Pass --config PATH');
  });

  it('runs the demo and prints a timeline', () => {
    const result = run('demo', '--days', '8');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('=== Day 7 ·');
    expect(result.stdout).toContain('Deactivated again');
  });

  it('doctors the demo organisation: warnings, exit 0', () => {
    const result = run('doctor', '--demo');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('! engineer wei.chen has 2 active keys');
  });

  describe('scan when AWS refuses (SPEC §5: reported, never shown as a clean result)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ake-cli-denied-'));
    const config = join(dir, 'enforcer.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        accounts: [{ id: '111111111111', name: 'shared-services' }],
        slack: { infraChannel: 'C0123ABCD' },
      }),
    );
    /** No real AWS profile, no instance metadata: whatever the SDK tries stays on this machine. */
    const isolated = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_CONFIG_FILE: join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_REGION: 'us-east-1',
    };
    /** Async, because the stand-in answering the CLI lives in this process. */
    const runAsync = (env: Record<string, string>, ...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [bundle, ...args],
          { cwd: dir, env: { ...isolated, ...env }, timeout: 30_000 },
          (error, stdout, stderr) => {
            const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            resolve({ status, stdout, stderr });
          },
        );
      });

    it.each<[string, unknown]>([
      ['table', expect.stringContaining('No result: none of the 1 account(s) could be read')],
      ['json', expect.stringContaining('"complete": false')],
      ['csv', ''],
    ])(
      'denied AssumeRole (%s): exit 1, no clean-looking stdout, the error once with a fix',
      async (format, stdout) => {
        // The stand-in serves no account, so AssumeRole into 111111111111 is AccessDenied, as from AWS.
        const standIn = await startIamStandIn({ org: new Map() });
        try {
          const result = await runAsync(
            {
              AWS_ENDPOINT_URL: standIn.endpoint,
              AWS_ACCESS_KEY_ID: 'AKIAOPERATOR00000001',
              AWS_SECRET_ACCESS_KEY: 'operator-secret',
            },
            'scan',
            '--config',
            config,
            '--format',
            format,
          );

          expect(result.status).toBe(1);
          expect(result.stdout).not.toMatch(/0 keys|0 overdue/);
          expect(result.stdout).toEqual(stdout);
          expect(result.stderr).toContain(
            'error: account 111111111111 (shared-services): sts:AssumeRole on arn:aws:iam::111111111111:role/AccessKeyEnforcerMember failed: AccessDenied',
          );
          expect(result.stderr.match(/account 111111111111/g)).toHaveLength(1);
          expect(result.stderr).toContain('fix: deploy the member role in 111111111111');
          expect(result.stderr).not.toContain('NodeVersionSupportWarning');
        } finally {
          await standIn.close();
        }
      },
    );

    it('no credentials at all: exit 1, nothing clean on stdout, the credentials fix', () => {
      const result = spawnSync(process.execPath, [bundle, 'scan', '--config', config], {
        cwd: dir,
        // A closed loopback port: should anything get past the credential chain, it goes nowhere.
        env: { ...isolated, AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
        encoding: 'utf8',
        timeout: 30_000,
      });

      expect(result.status).toBe(1);
      expect(result.stdout).not.toMatch(/0 keys|0 overdue/);
      expect(result.stderr).toMatch(
        /error: account 111111111111 \(shared-services\): sts:AssumeRole .* failed: CredentialsProviderError/,
      );
      expect(result.stderr).toContain('fix: your AWS credentials are missing or expired');
      expect(result.stderr).not.toContain('account 111111111111: account');
    });
  });
});
