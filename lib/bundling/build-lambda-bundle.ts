/**
 * Child-process entry for CDK's synchronous local bundling: esbuild plugins only run under its
 * asynchronous API. Usage: `node --import tsx build-lambda-bundle.ts <entry> <outdir>`.
 */
import { buildLambdaBundle } from './lambda-esbuild';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: build-lambda-bundle <entry> <outdir>');
  process.exit(2);
}
buildLambdaBundle(entry, outdir).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
