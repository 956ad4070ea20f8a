import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

import { REPO_ROOT } from './cdk-app';

export const SYNTH_TIMEOUT_MS = 180_000;

/**
 * The real `cdk synth` (the pinned CLI in devDependencies), offline: no AWS credentials, no
 * network, no Docker; the handler is bundled by the local esbuild.
 */
export function synthApp(outdir: string, context: Record<string, string> = {}): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CI: 'true' };
  delete env.AWS_PROFILE;
  const contextArgs = Object.entries(context).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  return spawnSync(
    process.execPath,
    [CDK_CLI, 'synth', '--quiet', '--no-notices', '--no-version-reporting', '-o', outdir, ...contextArgs],
    { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: SYNTH_TIMEOUT_MS - 10_000 },
  );
}

const CDK_CLI = join(REPO_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
