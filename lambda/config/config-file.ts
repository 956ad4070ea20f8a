import { readFileSync } from 'node:fs';

import { ConfigValidationError, parseConfigJson } from './parse-config';
import { type EnforcerConfig } from './schema';

/**
 * Reads and validates the engine config from a JSON file. A missing or unreadable file is a
 * {@link ConfigValidationError} naming the file, like a bad field, so start-up fails in one way.
 */
export function readConfigFile(
  path: string,
  readFile: (path: string) => string = (file) => readFileSync(file, 'utf8'),
): EnforcerConfig {
  const text = readConfigText(
    path,
    readFile,
    '; the CDK stack bundles it next to the handler (lib/constructs/bundled-config.ts)',
  );
  return parseConfigJson(text, path);
}

/** A config file's text; one that cannot be read is a {@link ConfigValidationError} naming it. */
export function readConfigText(path: string, readFile: (path: string) => string, hint = ''): string {
  try {
    return readFile(path);
  } catch (error) {
    throw new ConfigValidationError(path, [`cannot read the file: ${(error as Error).message}${hint}`], {
      cause: error,
    });
  }
}
