import { type AppConfig } from './app-config';

/**
 * The AWS Organizations id that bounds the hub's access to member roles, if one is configured.
 * `deploy.memberRole.organizationId` already bounds the member roles' trust to it.
 */
export function organizationIdOf(config: Pick<AppConfig, 'deploy'>): string | undefined {
  return config.deploy.memberRole.organizationId;
}
