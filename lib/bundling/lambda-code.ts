import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';

const BUILD_SCRIPT = join(__dirname, 'build-lambda-bundle.ts');

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
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(process.execPath, ['--import', 'tsx', BUILD_SCRIPT, entry, outputDir], {
            stdio: ['ignore', 'inherit', 'inherit'],
          });
          if (run.status !== 0) throw new Error(`bundling ${entry} failed (exit ${String(run.status)})`);
          for (const [name, source] of Object.entries(files)) copyFileSync(source, join(outputDir, name));
          return true;
        },
      },
    },
  });
}
