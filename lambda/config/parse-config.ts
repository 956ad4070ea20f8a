import { type z } from 'zod';

import { type EnforcerConfig, EnforcerConfigSchema } from './schema';

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

export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${formatPath(issue.path) || '(root)'}: ${issue.message}`);
}

/**
 * Validates raw config (already JSON-decoded). `source` names where it came from (a file path,
 * an environment variable) so the error says where to look.
 */
export function parseConfig(raw: unknown, source = 'config'): EnforcerConfig {
  const result = EnforcerConfigSchema.safeParse(raw);
  if (!result.success)
    throw new ConfigValidationError(source, formatIssues(result.error), { cause: result.error });
  return result.data;
}

/** Parses a JSON string, reporting a syntax error with the source named. */
export function parseConfigJson(json: string, source: string): EnforcerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigValidationError(source, [`not valid JSON: ${(error as Error).message}`], {
      cause: error,
    });
  }
  return parseConfig(raw, source);
}
