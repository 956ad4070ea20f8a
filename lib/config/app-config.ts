import { readFileSync } from 'node:fs';

import { ConfigValidationError, describeJsonError, formatIssues } from '../../lambda/config/parse-config';
import { readConfigText } from '../../lambda/config/config-file';
import { type EnforcerConfig, EnforcerConfigSchema } from '../../lambda/config/schema';
import * as z from '../../lambda/config/zod';
import { type DeployConfig, DeployConfigSchema } from './deploy-config';

/**
 * One file, `enforcer.config.json`, holds both the engine config and the `deploy` section, so a
 * team edits one place. Both parts are validated together: every bad field is named at once.
 * The engine's schema is a zod/mini one (the Lambda's), so it is extended with zod/mini's
 * `z.extend`; the `deploy` section inside it is classic zod, which zod/mini parses like its own
 * (both are zod's core).
 */
export const AppConfigSchema = z.extend(EnforcerConfigSchema, { deploy: DeployConfigSchema });

/**
 * Without an organisation id the hub's role names every member role ARN (about 60 characters
 * each) in one inline policy, and IAM caps a role's inline policies at 10,240 characters.
 */
export const MAX_ACCOUNTS_WITHOUT_ORGANIZATION_ID = 100;

/** A validated config file, split into what the Lambda gets and what only the stacks use. */
export interface AppConfig {
  /** The engine config with defaults filled in, for the stacks' own decisions. */
  readonly engine: EnforcerConfig;
  /**
   * The engine section exactly as written (everything but `deploy`), as compact JSON: the file
   * bundled with the Lambda (`CONFIG_FILE_NAME`). Defaults are left to the Lambda, which parses it with the same schema.
   */
  readonly engineJson: string;
  /** The `deploy` section with defaults filled in. */
  readonly deploy: DeployConfig;
}

/**
 * Validates a decoded config file. `source` names where it came from so the error says where to
 * look; each issue names its field (`deploy.hubAccountId: must be a 12-digit AWS account id`).
 */
export function parseAppConfig(raw: unknown, source = 'config'): AppConfig {
  const result = AppConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigValidationError(source, formatIssues(result.error, AppConfigSchema), {
      cause: result.error,
    });
  }
  const { deploy, ...engine } = result.data;
  // The schema accepted `raw`, so it is a plain object with a `deploy` key.
  const { deploy: _deploy, ...engineInput } = raw as Record<string, unknown>;
  const engineJson = JSON.stringify(engineInput);
  const organizationId = engine.organization?.organizationId ?? deploy.memberRole.organizationId;
  if (engine.organization && !organizationId) {
    // Discovered accounts are unknown at synth: only an org-wide statement lets the hub assume into them.
    throw new ConfigValidationError(source, [
      'organization.organizationId: required with organization (or set deploy.memberRole.organizationId): ' +
        "the hub's role may then assume the member role in any account of the organisation",
    ]);
  }
  if (engine.accounts.length > MAX_ACCOUNTS_WITHOUT_ORGANIZATION_ID && !organizationId) {
    throw new ConfigValidationError(source, [
      `deploy.memberRole.organizationId: required with more than ${MAX_ACCOUNTS_WITHOUT_ORGANIZATION_ID} accounts ` +
        `(${engine.accounts.length} configured): without it the hub's role lists one member role ARN per account, ` +
        "over IAM's 10,240-character limit for a role's inline policies",
    ]);
  }
  return { engine, engineJson, deploy };
}

/** Reads and validates a config file; a missing file or bad JSON is a `ConfigValidationError` too. */
export function loadAppConfig(
  path: string,
  readFile: (path: string) => string = (file) => readFileSync(file, 'utf8'),
): AppConfig {
  const text = readConfigText(path, readFile);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigValidationError(path, [describeJsonError(text, error)], { cause: error });
  }
  return parseAppConfig(raw, path);
}
