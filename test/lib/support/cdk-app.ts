import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { App } from 'aws-cdk-lib';

import { type AppConfig, parseAppConfig } from '../../../lib/config/app-config';
import { addEnforcerStacks, type EnforcerStacks } from '../../../lib/enforcer-app';

/** Repository root, where `cdk.json` and `enforcer.config.json` live. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

interface CdkJson {
  readonly app: string;
  readonly context: Record<string, unknown>;
}

/** `cdk.json` as the CLI reads it: the app command and the feature flags it passes as context. */
export function readCdkJson(): CdkJson {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as CdkJson;
}

/** A complete config file: three accounts, every optional `deploy` feature switched on. */
export function configInput(): Record<string, unknown> {
  return {
    accounts: [
      { id: '111111111111', name: 'hub' },
      { id: '222222222222', name: 'production' },
      { id: '333333333333' },
    ],
    slack: { infraChannel: 'C0123ABCD' },
    dryRun: true,
    deploy: {
      hubAccountId: '111111111111',
      region: 'eu-central-1',
      schedule: { cron: 'cron(30 6 ? * MON-FRI *)', timeZone: 'Europe/Berlin', missedRunAlarmHours: 74 },
      alarmEmail: 'infra@example.com',
      memberRole: {
        organizationId: 'o-a1b2c3d4e5',
        stackSet: { organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'] },
      },
    },
  };
}

/** `configInput()` with the buttons on: approvers by id and user group. */
export function interactivityConfig(deploy: Record<string, unknown> = {}): Record<string, unknown> {
  const input = configInput();
  return {
    ...input,
    slack: {
      infraChannel: 'C0123ABCD',
      interactivity: { approvers: { users: ['U0LEAD001'], userGroup: 'S0LEADS01' } },
    },
    deploy: { ...(input.deploy as Record<string, unknown>), ...deploy },
  };
}

/** `configInput()` with its `deploy` section shallowly replaced by `deploy`. */
export function configWithDeploy(deploy: Record<string, unknown>): Record<string, unknown> {
  const input = configInput();
  return { ...input, deploy: { ...(input.deploy as Record<string, unknown>), ...deploy } };
}

/**
 * The app as `bin/app.ts` builds it, with `cdk.json`'s feature flags and bundling skipped (the
 * real bundling is exercised once, in synth-app.test.ts).
 */
export function buildApp(raw: unknown = configInput()): {
  app: App;
  stacks: EnforcerStacks;
  config: AppConfig;
} {
  const app = new App({ context: { ...readCdkJson().context, 'aws:cdk:bundling-stacks': [] } });
  const config = parseAppConfig(raw, 'test config');
  return { app, stacks: addEnforcerStacks(app, config), config };
}
