import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Stage } from 'aws-cdk-lib';
import { type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type IConstruct } from 'constructs';

import { CONFIG_FILE_NAME } from '../../lambda/config/environment';

/**
 * The bundling of a function that reads the engine config: `base` plus a hook that copies the
 * config JSON into the asset as {@link CONFIG_FILE_NAME}, next to `index.js`.
 *
 * Why a file copied by `afterBundling` rather than a generated module esbuild inlines: the config
 * stays a plain JSON file in the asset (readable in `cdk.out` and the Lambda console, validated by
 * the handler with errors naming the file), no generated source has to exist for `tsc` and ESLint,
 * and the hook runs in the same local esbuild bundling, so `cdk synth` still needs no Docker. The
 * asset hash is taken from the bundled output, so a config change is a new code version.
 */
export function bundlingWithConfig(
  scope: IConstruct,
  base: BundlingOptions,
  configJson: string,
): BundlingOptions {
  const source = writeConfigSource(scope, configJson);
  return {
    ...base,
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (_inputDir: string, outputDir: string) => [
        `cp ${shellQuote(source)} ${shellQuote(join(outputDir, CONFIG_FILE_NAME))}`,
      ],
    },
  };
}

/**
 * Writes the JSON once per distinct content into the cloud assembly directory, which `cdk synth`
 * owns (a temporary directory in tests), so nothing is left in the working tree.
 */
function writeConfigSource(scope: IConstruct, configJson: string): string {
  const outdir = Stage.of(scope)?.outdir;
  if (!outdir) throw new Error(`${scope.node.path}: a bundled config needs a Stage (an App) with an outdir`);
  const digest = createHash('sha256').update(configJson).digest('hex').slice(0, 16);
  const dir = join(outdir, 'enforcer-config');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${digest}.json`);
  writeFileSync(file, configJson);
  return file;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
