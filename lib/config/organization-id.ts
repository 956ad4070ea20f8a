import { type AppConfig } from './app-config';

/**
 * The AWS Organizations id that bounds the hub's access to member roles, if one is configured.
 * `organization.organizationId` first; `deploy.memberRole.organizationId` bounds the member roles'
 * trust to the same organisation.
 */
export function organizationIdOf(config: Pick<AppConfig, 'deploy' | 'engine'>): string | undefined {
  return config.engine.organization?.organizationId ?? config.deploy.memberRole.organizationId;
}
