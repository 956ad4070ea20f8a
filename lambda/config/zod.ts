/**
 * The one way runtime code imports zod: `import * as z from '…/config/zod'`.
 *
 * - Zod compiles an object schema into a function (`new Function`) on its first parse, which pays
 *   off over thousands of parses of one schema. The enforcer parses each schema a handful of times
 *   per invocation (the config once, an event, a few queue messages), so the compilation is only
 *   cold-start cost, and without it the Lambdas evaluate no generated code. ES modules run this
 *   module before any module that imports it, so the setting is in force before any schema parses.
 * - A namespace import lets esbuild keep only the parts of zod the code uses: 88 KB less in every
 *   bundle than zod's `z` object, which holds all of it (issue 9: bundle size and cold start).
 */
import { config } from 'zod';

config({ jitless: true });

export * from 'zod';
