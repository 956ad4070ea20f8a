import { readFileSync } from 'node:fs';

import { ConfigValidationError, describeJsonError, parseConfig } from '../config/parse-config';
import { type EnforcerConfig } from '../config/schema';
import { tryParseUtcDate } from '../domain/dates';
import { CliUsageError } from './cli-io';

/**
 * Reads the same `enforcer.config.json` the CDK app uses. Its `deploy` section is for `cdk synth`
 * only; the rest is the engine config, validated by the Lambda's own schema.
 */
export function loadEngineConfig(
  path: string,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): EnforcerConfig {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(
      code === 'ENOENT'
        ? `Config file ${path} not found. Pass --config PATH, or create it from the README ("Fill in enforcer.config.json").`
        : `Cannot read config file ${path}: ${(error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`Config file ${path}: ${describeJsonError(text, error)}`);
  }
  const { deploy: _deploy, ...engine } =
    typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  let config: EnforcerConfig;
  try {
    config = parseConfig(engine, path);
  } catch (error) {
    if (error instanceof ConfigValidationError) throw new CliUsageError(error.message);
    throw error;
  }
  // Discovery runs in the Lambda, through the management read role; the CLI reads only what is
  // listed, and must not look like a clean run over zero accounts.
  if (config.accounts.length === 0) {
    throw new CliUsageError(
      `Config file ${path}: accounts is empty; the CLI does not discover accounts from AWS Organizations. List the accounts to check in accounts[] (or pass a config that does)`,
    );
  }
  return config;
}

/** Keeps only the accounts named by `--account` (an id or a config `name`), refusing any it does not list. */
export function selectAccounts(config: EnforcerConfig, wanted: readonly string[]): EnforcerConfig {
  if (wanted.length === 0) return config;
  const matches = (account: EnforcerConfig['accounts'][number], value: string): boolean =>
    account.id === value || account.name === value;
  const unknown = wanted.filter((value) => !config.accounts.some((a) => matches(a, value)));
  if (unknown.length > 0) {
    const listed = config.accounts.map((a) => (a.name ? `${a.id} (${a.name})` : a.id)).join(', ');
    throw new CliUsageError(`--account ${unknown.join(', ')}: not in the config's accounts (${listed})`);
  }
  return { ...config, accounts: config.accounts.filter((a) => wanted.some((value) => matches(a, value))) };
}

/** `--as-of YYYY-MM-DD`, checked. */
export function parseAsOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Date.parse rolls 2027-02-30 over into March; the engine would then refuse it with exit 1.
  if (!tryParseUtcDate(value)) {
    throw new CliUsageError(`--as-of ${value}: expected a date like 2027-01-31`);
  }
  return value;
}
