import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FileLedger } from '../../lambda/adapters/file-ledger';
import { cli, testDeps } from './cli-harness';

/**
 * The first rollout (README): a first run sends final notices; five days later the wave of
 * deactivations meets the circuit breaker, and `--max-deactivations` lets one reviewed run past it.
 */
describe('run --max-deactivations (the Lambda payload maxDeactivations, from the CLI)', () => {
  let dir: string;
  let state: string;
  const deps = () => testDeps({ fileLedger: (path) => FileLedger.open(path) });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ake-max-deact-'));
    state = join(dir, 'state.json');
    const first = await cli(['run', '--demo', '--state', state], deps());
    if (first.code !== 0) throw new Error(`first run failed: ${first.stderr}`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const preview = (...flags: string[]) =>
    cli(['run', '--demo', '--dry-run', '--as-of', '2027-03-06', '--state', state, ...flags], deps());

  it('deactivates within the configured limit without the flag', async () => {
    const result = await preview();

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/deactivations [1-9]/);
    expect(result.stdout).not.toContain('circuit breaker');
  });

  it('applies the lower limit it is given for this run only', async () => {
    const result = await preview('--max-deactivations', '1');

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/circuit breaker: \d+ deactivations withheld \(limit 1\)/);
  });

  it.each(['-1', '1.5', 'many'])('refuses --max-deactivations %s with exit 2', async (value) => {
    const result = await cli(['run', '--demo', '--dry-run', '--max-deactivations', value]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a whole number, 0 or more');
  });
});
