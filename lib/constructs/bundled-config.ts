import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Stage } from 'aws-cdk-lib';
import { type IConstruct } from 'constructs';

import { CONFIG_FILE_NAME } from '../../lambda/config/environment';

/**
 * The asset files of a function that reads the engine config: the config JSON as
 * {@link CONFIG_FILE_NAME}, next to `index.js` (for `lambdaCode`).
 *
 * Why a file copied into the asset rather than a generated module esbuild inlines: the config
 * stays a plain JSON file in the asset (readable in `cdk.out` and the Lambda console, validated by
 * the handler with errors naming the file), no generated source has to exist for `tsc` and ESLint,
 * and the copy runs in the same local bundling, so `cdk synth` still needs no Docker. The asset
 * hash is taken from the bundled output, so a config change is a new code version.
 */
export function configFiles(scope: IConstruct, configJson: string): Record<string, string> {
  return { [CONFIG_FILE_NAME]: writeConfigSource(scope, configJson) };
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
