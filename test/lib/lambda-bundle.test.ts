import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildLambdaBundle, bundlePath } from '../../lib/bundling/lambda-esbuild';
import { REPO_ROOT } from './support/cdk-app';

const BUILD_TIMEOUT_MS = 120_000;
/**
 * The daily handler also carries the Security Hub client (issue 10): the ASFF schema it serialises
 * with spans every resource type Security Hub knows, about 180 KB minified, tree-shaking or not.
 * The real-time handler does not import it and keeps the old limit.
 */
const MAX_BUNDLE_BYTES: Readonly<Record<string, number>> = {
  'handler.ts': 1050 * 1024,
  'realtime-handler.ts': 800 * 1024,
};

/** Runs `script` in a fresh `node`, so the bundle is loaded the way Lambda loads it. */
function runNode(script: string): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_REGION: 'eu-west-1' };
  const run = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the Lambda bundles, built with the stacks’ esbuild options', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'access-key-enforcer-bundle-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each(['handler.ts', 'realtime-handler.ts'])(
    'bundles lambda/%s under its size limit, without zod’s locales, and it loads',
    async (entry) => {
      const outdir = tempDir();

      const metafile = await buildLambdaBundle(join(REPO_ROOT, 'lambda', entry), outdir);

      expect(statSync(bundlePath(outdir)).size).toBeLessThan(MAX_BUNDLE_BYTES[entry] ?? 0);
      const locales = Object.keys(metafile.inputs).filter((file) => /zod\/v4\/locales\//.test(file));
      expect(locales).toEqual([expect.stringMatching(/locales\/en\.js$/)]);
      const script = `const m = require(${JSON.stringify(bundlePath(outdir))}); process.stdout.write(typeof m.handler);`;
      expect(runNode(script)).toMatchObject({ status: 0, stdout: 'function' });
    },
    BUILD_TIMEOUT_MS,
  );

  it(
    'keeps zod’s English messages, so a config error still names the field',
    async () => {
      const outdir = tempDir();
      await buildLambdaBundle(join(REPO_ROOT, 'lambda', 'config', 'parse-config.ts'), outdir);
      const script = [
        `const { parseConfig } = require(${JSON.stringify(bundlePath(outdir))});`,
        `try { parseConfig({ accounts: 'none' }); } catch (e) { process.stdout.write(e.message); }`,
      ].join('\n');

      const result = runNode(script);

      expect(result.stdout).toMatch(/accounts: .*expected array/i);
    },
    BUILD_TIMEOUT_MS,
  );
});
