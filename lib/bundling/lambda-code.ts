import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';

const BUILD_SCRIPT = join(__dirname, 'build-lambda-bundle.ts');

/**
 * esbuild in a child process, for one entry. Its `entry` and `files` are plain fields on purpose:
 * CDK caches a bundling by the JSON of its options and the source directory, and a function
 * (`tryBundle`) does not show in JSON. Every entry here shares `lambda/` as its source directory,
 * so without these fields a stack's second function would be handed the first one's bundle.
 */
class EsbuildBundling implements ILocalBundling {
  constructor(
    readonly entry: string,
    readonly files: Readonly<Record<string, string>>,
  ) {}

  tryBundle(outputDir: string): boolean {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', BUILD_SCRIPT, this.absoluteEntry, outputDir],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    if (run.status !== 0) throw new Error(`bundling ${this.entry} failed (exit ${String(run.status)})`);
    for (const [name, source] of Object.entries(this.files)) copyFileSync(source, join(outputDir, name));
    return true;
  }

  private get absoluteEntry(): string {
    return join(PROJECT_ROOT, this.entry);
  }
}

const PROJECT_ROOT = join(__dirname, '..', '..');

/**
 * Lambda code bundled by the local esbuild with {@link lambdaBuildOptions}. Not a
 * `NodejsFunction`: it runs the esbuild CLI, which cannot take the plugin that drops zod's
 * locales. The bundle is hashed by its output, so an unchanged bundle is not redeployed.
 * `files` (asset name → source path) are copied next to `index.js`, e.g. the engine config.
 */
export function lambdaCode(entry: string, files: Readonly<Record<string, string>> = {}): Code {
  return Code.fromAsset(dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds or throws (no Docker, by design).
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
      // Relative to the repository, so the cache key does not depend on where it is checked out.
      local: new EsbuildBundling(relative(PROJECT_ROOT, entry), files),
    },
  });
}
