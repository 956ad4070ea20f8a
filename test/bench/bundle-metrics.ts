import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildLambdaBundle, bundlePath } from '../../lib/bundling/lambda-esbuild';

const HANDLER = join(__dirname, '..', '..', 'lambda', 'handler.ts');

/** Measured in the child, so only `require` is timed, not node's own start. */
const REQUIRE_TIMER = `const t = process.hrtime.bigint(); require(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;

export interface BundleMetrics {
  readonly bytes: number;
  readonly medianInitMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The handler built with the stacks' own esbuild options, its size, and its cold `require` time. */
export async function measureBundle(starts: number): Promise<BundleMetrics> {
  const outdir = mkdtempSync(join(tmpdir(), 'access-key-enforcer-bench-'));
  try {
    await buildLambdaBundle(HANDLER, outdir);
    const file = bundlePath(outdir);
    const times: number[] = [];
    for (let i = 0; i < starts; i++) {
      const run = spawnSync(process.execPath, ['-e', REQUIRE_TIMER, file], {
        encoding: 'utf8',
        env: { ...process.env, AWS_REGION: 'us-east-1' },
      });
      if (run.status !== 0) throw new Error(`bundle failed to load: ${run.stderr}`);
      times.push(Number(run.stdout));
    }
    return { bytes: statSync(file).size, medianInitMs: median(times) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
