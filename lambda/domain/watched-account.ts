import { type EnforcerConfig } from '../config/schema';
import { type AccountRef } from './model';

/**
 * The account when this deployment watches it: a configured one, or with Organizations discovery
 * any account of the organisation that is not excluded. For event-driven paths (real-time alerts,
 * Slack buttons) that learn an account id from outside and have no run's account list.
 */
export function watchedAccount(config: EnforcerConfig, accountId: string): AccountRef | undefined {
  const listed = config.accounts.find((account) => account.id === accountId);
  if (listed) return { id: listed.id, name: listed.name ?? listed.id };
  const organization = config.organization;
  if (!organization?.enabled || organization.excludeAccounts?.includes(accountId)) return undefined;
  return { id: accountId, name: accountId };
}
