import { type Account, type EnforcerConfig } from '../config/schema';

/** Lists the organisation's accounts that the config's `organization` filters select. */
export type AccountDiscovery = (remainingTimeMs: () => number) => Promise<readonly Account[]>;

/** The accounts one run acts on, and why discovery failed if it did. */
export interface RunAccounts {
  readonly accounts: readonly Account[];
  /** Set when discovery failed: the explicit accounts still run, and the run then fails. */
  readonly discoveryFailure?: string;
}

/** Neither explicit accounts nor a working discovery: nothing to run on, and that is an error. */
export class NoAccountsError extends Error {
  override readonly name = 'NoAccountsError';
}

/**
 * Explicit `accounts[]` plus the discovered ones, deduplicated by id; an explicit name wins over
 * the name in Organizations. Discovery that fails is reported, never taken as "zero accounts".
 */
export async function resolveRunAccounts(
  config: Pick<EnforcerConfig, 'accounts' | 'organization'>,
  discover: AccountDiscovery | undefined,
  remainingTimeMs: () => number,
): Promise<RunAccounts> {
  if (config.organization?.enabled !== true) return { accounts: config.accounts };
  let discovered: readonly Account[];
  try {
    if (!discover) throw new Error('organization is configured but no account discovery is wired');
    discovered = await discover(remainingTimeMs);
  } catch (error) {
    const discoveryFailure = error instanceof Error ? error.message : String(error);
    if (config.accounts.length === 0) throw new NoAccountsError(`No accounts to run on: ${discoveryFailure}`);
    return { accounts: config.accounts, discoveryFailure };
  }
  const accounts = mergeAccounts(config.accounts, discovered);
  if (accounts.length === 0) {
    throw new NoAccountsError(
      'No accounts to run on: accounts[] is empty and discovery found no active account matching organization',
    );
  }
  return { accounts };
}

/** Explicit accounts first, in their order, then the discovered ones not listed explicitly. */
export function mergeAccounts(explicit: readonly Account[], discovered: readonly Account[]): Account[] {
  const namesInOrganizations = new Map(discovered.map((account) => [account.id, account.name]));
  const merged = new Map<string, Account>();
  for (const account of explicit) {
    const name = account.name ?? namesInOrganizations.get(account.id);
    merged.set(account.id, name === undefined ? { id: account.id } : { id: account.id, name });
  }
  for (const account of discovered) if (!merged.has(account.id)) merged.set(account.id, account);
  return [...merged.values()];
}
