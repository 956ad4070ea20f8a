import { type EnforcerConfig, EnforcerConfigSchema } from './schema';
import { type core } from './zod';

/** A config that does not match the schema; the message names every offending field. */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Invalid config (${source}):\n  - ${issues.join('\n  - ')}`, options);
  }
}

/** Renders a zod path the way a user would write it: `policy.remindAtDays[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    return out ? `${out}.${name}` : name;
  }, '');
}

/**
 * One line per issue, naming the field. An unknown key gets the closest known one, when the
 * schema is given and a known key is a typo away (`acounts` -> did you mean "accounts"?).
 * Typed with zod's core, which classic zod and zod/mini share, so it takes the schemas and
 * errors of either: the app config (`lib/config/app-config.ts`) holds both.
 */
export function formatIssues(error: core.$ZodError, schema?: core.$ZodType): string[] {
  return error.issues.map((issue) => {
    const line = `${formatPath(issue.path) || '(root)'}: ${issue.message}`;
    if (issue.code !== 'unrecognized_keys' || !schema) return line;
    const known = keysAt(schema, issue.path);
    const hints = issue.keys.flatMap((key) => {
      const match = closest(key, known);
      return match ? [`"${key}": did you mean "${match}"?`] : [];
    });
    return hints.length ? `${line} (${hints.join('; ')})` : line;
  });
}

interface SchemaInternals {
  readonly shape?: Record<string, core.$ZodType>;
  readonly def?: {
    readonly innerType?: core.$ZodType;
    readonly in?: core.$ZodType;
    readonly element?: core.$ZodType;
  };
}

/** The keys an object schema at `path` accepts, looking through defaults, optionals and transforms. */
function keysAt(schema: core.$ZodType, path: readonly PropertyKey[]): string[] {
  let current: SchemaInternals | undefined = schema as unknown as SchemaInternals;
  const unwrap = (): void => {
    for (let i = 0; i < 10 && current && !current.shape; i += 1) {
      const inner: core.$ZodType | undefined = current.def?.innerType ?? current.def?.in;
      current = inner as unknown as SchemaInternals | undefined;
    }
  };
  for (const part of path) {
    if (typeof part === 'number') {
      current = current?.def?.element as unknown as SchemaInternals | undefined;
      continue;
    }
    unwrap();
    current = current?.shape?.[String(part)] as unknown as SchemaInternals | undefined;
  }
  unwrap();
  return Object.keys(current?.shape ?? {});
}

/** The known key within 2 edits (or differing only in case), if there is exactly one best. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.min(2, Math.max(1, Math.floor(key.length / 3))) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/**
 * A JSON syntax error as a person reads it: line and column (1-based), not a character offset.
 * Node 20 reports only `at position N`; the line and column are computed from the text.
 */
export function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message)?.[1];
  const offset =
    position === undefined ? (message.includes('end of JSON') ? text.length : undefined) : Number(position);
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '');
  if (offset === undefined) return `not valid JSON: ${reason}`;
  const before = text.slice(0, offset).split('\n');
  const line = before.length;
  const column = (before[before.length - 1] ?? '').length + 1;
  return `not valid JSON at line ${line}, column ${column}: ${reason}`;
}

/**
 * Validates raw config (already JSON-decoded). `source` names where it came from (a file path,
 * an environment variable) so the error says where to look.
 */
export function parseConfig(raw: unknown, source = 'config'): EnforcerConfig {
  const result = EnforcerConfigSchema.safeParse(raw);
  if (!result.success)
    throw new ConfigValidationError(source, formatIssues(result.error, EnforcerConfigSchema), {
      cause: result.error,
    });
  return result.data;
}

/** Parses a JSON string, reporting a syntax error with the source named. */
export function parseConfigJson(json: string, source: string): EnforcerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigValidationError(source, [describeJsonError(json, error)], { cause: error });
  }
  return parseConfig(raw, source);
}
