/**
 * The one way runtime code imports zod: `import * as z from '…/config/zod'`.
 *
 * - zod/mini, not classic zod (issue 9: cold start). Both build the same core schemas; classic
 *   adds its layer on top: about 90 chainable methods per schema type, a JSON Schema processor
 *   closure on every schema, a cycle memoizer on every object and array schema (only recursive
 *   schemas need it; none of ours is, and JSON input has no cycles), and the JSON Schema
 *   converters with them. zod's share of the daily bundle drops from 91 KB to 28 KB.
 *   Schemas are written in the functional form: `z.optional(x)`, `z._default(x, v)`,
 *   `x.check(z.regex(…), z.minLength(…), z.int(), z.refine(…))`. A check belongs on the schema
 *   inside `z._default`, never on the default: zod/mini's `check()` copies the definition, reading
 *   the default value once, and every parse would then share that one value.
 * - zod/mini registers no locale, so messages would read "Invalid input"; English is registered
 *   here, the same messages classic zod gives (the CDK's classic schemas would register it too).
 * - zod's JIT stays off. Classic zod compiles an object schema into a function (`new Function`)
 *   on its first parse, which pays off over thousands of parses of one schema; the enforcer parses
 *   each schema a handful of times per invocation, so that is only cold-start cost. zod/mini's
 *   object schemas are never compiled; `jitless` keeps it so for the classic schemas that share
 *   the process with these in `cdk synth` and the tests, and spares zod's probe of `new Function`.
 *   ES modules run this module before any module that imports it, so the settings are in force
 *   before any schema parses.
 * - A namespace import lets esbuild keep only the parts of zod the code uses (issue 9: bundle size).
 *   `lib/bundling/lambda-esbuild.ts` leaves every locale but English out of the bundle.
 */
import { config, locales } from 'zod/mini';

config(locales.en());
config({ jitless: true });

export * from 'zod/mini';
