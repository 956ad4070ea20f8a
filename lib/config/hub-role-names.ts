import { interactivityEnabled } from '../../lambda/config/interactivity-schema';
import { type AppConfig } from './app-config';
import { realtimeAlertsEnabled } from './deploy-config';

/**
 * The hub roles that assume member roles, by name. Member roles trust exact role ARNs (see
 * `MemberRole`), so every hub function that assumes them needs a name known before deployment:
 * the daily run's role, the real-time function's (it reads a new key's tags to name its owner) and
 * the buttons' endpoint's (it re-reads keys and sets one Inactive). A role name CloudFormation
 * generated would be refused by every member account.
 */
export interface HubRoleNames {
  readonly enforcer: string;
  readonly realtime: string;
  readonly interactivity: string;
}

const SUFFIX = { realtime: '-realtime', interactivity: '-buttons' } as const;

/** Longest `deploy.enforcerRoleName`: the other names add a suffix, and IAM allows 64 characters. */
export const ENFORCER_ROLE_NAME_MAX = 64 - Math.max(...Object.values(SUFFIX).map((suffix) => suffix.length));

export function hubRoleNames(config: AppConfig): HubRoleNames {
  const enforcer = config.deploy.enforcerRoleName;
  return { enforcer, realtime: enforcer + SUFFIX.realtime, interactivity: enforcer + SUFFIX.interactivity };
}

/** The hub roles besides the enforcer's that the member roles must trust: the deployed functions'. */
export function memberTrustedFunctionRoles(config: AppConfig): string[] {
  const names = hubRoleNames(config);
  return [
    ...(realtimeAlertsEnabled(config.deploy) ? [names.realtime] : []),
    ...(interactivityEnabled(config.engine.slack) ? [names.interactivity] : []),
  ];
}
