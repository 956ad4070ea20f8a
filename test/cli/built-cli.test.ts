import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildSync } from 'esbuild';

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

  it('prints help for every command', () => {
    for (const command of [[], ['scan'], ['run'], ['doctor'], ['demo']]) {
      const result = run(...command, '--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('Usage: access-key-enforcer');
    }
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
});
