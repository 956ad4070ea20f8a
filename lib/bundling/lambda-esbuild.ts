import { dirname, join } from 'node:path';

import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';

/** File name of the bundle inside the asset; the Lambda handler string is `index.handler`. */
export const BUNDLE_FILE = 'index.js';

/**
 * zod's `locales/index.js` barrel holds its 64 locales (about 264 KB), and the zod namespace keeps
 * all of them alive through `z.locales`. The Lambdas speak English only: `lambda/config/zod.ts`
 * registers `z.locales.en` (zod/mini registers no locale itself), so the barrel is replaced by one
 * that holds English alone, the same `locales/en.js` module, and every other locale is left out.
 */
export const zodLocalesStub: Plugin = {
  name: 'zod-locales-stub',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/locales\/index\.c?js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? {
            path: 'zod-locales',
            namespace: 'zod-locales-stub',
            // Where the real barrel is, so that its `./en.js` resolves to the same module classic zod imports.
            pluginData: dirname(join(args.resolveDir, args.path)),
          }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales-stub' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      loader: 'js',
      resolveDir: String(args.pluginData),
    }));
  },
};

/**
 * `z.fromJSONSchema` (12 KB) builds schemas from JSON Schema at run time; ours are all written in
 * TypeScript, so the Lambda gets a stand-in that says so if anything ever calls it.
 */
export const zodFromJsonSchemaStub: Plugin = {
  name: 'zod-from-json-schema-stub',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/from-json-schema\.c?js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: 'zod-from-json-schema', namespace: 'zod-from-json-schema-stub' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-from-json-schema-stub' }, () => ({
      contents:
        'export function fromJSONSchema() { throw new Error("z.fromJSONSchema is not bundled in the enforcer Lambdas"); }',
      loader: 'js',
    }));
  },
};

/**
 * A Lambda gets its credentials from its environment (the SDK's first provider); the SDK's default
 * chain also carries IAM Identity Center (SSO) and `aws login` providers, which with the OIDC,
 * SSO and sign-in clients they load cost about 45 KB and can never apply in Lambda. They are
 * replaced by providers that pass to the next link of the chain, as the real ones do when no such
 * profile is configured.
 */
export const unusedCredentialProvidersStub: Plugin = {
  name: 'unused-credential-providers-stub',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-sdk\/credential-provider-(sso|login)$/ }, (args) => ({
      path: args.path,
      namespace: 'unused-credential-provider',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'unused-credential-provider' }, (args) => ({
      contents: [
        `import { CredentialsProviderError } from '@smithy/core/config';`,
        `const skip = () => async () => { throw new CredentialsProviderError(${JSON.stringify(`${args.path} is not bundled in the enforcer Lambdas`)}, { tryNextLink: true }); };`,
        'export const fromSSO = skip;',
        'export const fromLoginCredentials = skip;',
      ].join('\n'),
      loader: 'js',
      resolveDir: __dirname,
    }));
  },
};

/**
 * Bolt's `App` (issue 11 item 3) requires its HTTP and Socket Mode receivers at load time, and with
 * them Express, body-parser's character sets, the WebSocket client and `undici`: 1.5 MB of a
 * 1.6 MB bundle. The interactivity Lambda always passes its own `AwsLambdaReceiver`, so App never
 * constructs them; they are replaced by classes that say so if anything ever does.
 */
export const boltUnusedReceiversStub: Plugin = {
  name: 'bolt-unused-receivers-stub',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/receivers\/(HTTPReceiver|SocketModeReceiver)(\.js)?$/ }, (args) =>
      /[\\/]node_modules[\\/]@slack[\\/]bolt[\\/]/.test(args.importer)
        ? { path: args.path, namespace: 'bolt-unused-receiver' }
        : undefined,
    );
    pluginBuild.onLoad({ filter: /.*/, namespace: 'bolt-unused-receiver' }, (args) => ({
      contents: [
        `class UnusedReceiver { constructor() { throw new Error(${JSON.stringify(`${args.path} is not bundled in the enforcer Lambdas: pass AwsLambdaReceiver`)}); } }`,
        'module.exports = { __esModule: true, default: UnusedReceiver };',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/**
 * The one set of esbuild options for every enforcer Lambda, used by the stacks and the bench.
 * The AWS SDK is bundled, so the Lambda runs the versions the tests ran.
 */
export function lambdaBuildOptions(entry: string, outdir: string): BuildOptions {
  return {
    entryPoints: { index: entry },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    minify: true,
    // The SDK's ESM builds tree-shake; its CommonJS builds keep every command and serializer.
    mainFields: ['module', 'main'],
    // Beside the bundle, never inside it: Node reads it only when a stack trace is printed.
    sourcemap: 'external',
    // Stack traces keep file and line without shipping our sources a second time.
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [zodLocalesStub, zodFromJsonSchemaStub, unusedCredentialProvidersStub, boltUnusedReceiversStub],
  };
}

/** Builds one Lambda bundle into `outdir/index.js` (plus its `.map`). */
export async function buildLambdaBundle(entry: string, outdir: string): Promise<Metafile> {
  const result = await build(lambdaBuildOptions(entry, outdir));
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  return result.metafile;
}

/** Path of the bundle file in a built asset directory. */
export function bundlePath(outdir: string): string {
  return join(outdir, BUNDLE_FILE);
}
