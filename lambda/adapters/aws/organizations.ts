import {
  type Account as OrganizationsAccount,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

import { type Account } from '../../config/schema';
import { awsErrorCode, awsErrorDetail } from './errors';
import { type RetryOptions, withRetry } from './retry';

/** Which accounts of the organisation are watched (the config's `organization` section). */
export interface DiscoveryFilter {
  readonly includeOus?: readonly string[];
  readonly excludeOus?: readonly string[];
  readonly excludeAccounts?: readonly string[];
}

/** The discovery failed: the run must fail loudly rather than run on fewer accounts than it should. */
export class AccountDiscoveryError extends Error {
  override readonly name = 'AccountDiscoveryError';
  constructor(
    readonly operation: string,
    readonly roleArn: string,
    cause: unknown,
  ) {
    super(
      `Cannot discover accounts from AWS Organizations: ${operation} as ${roleArn} failed: ` +
        `${awsErrorCode(cause)}: ${awsErrorDetail(cause)}`,
      { cause },
    );
  }
}

/** Credentials of the management read role; assignable to an SDK client's `credentials`. */
export interface ReadRoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Props of {@link OrganizationAccounts}. */
export interface OrganizationAccountsProps {
  readonly sts: STSClient;
  /** The read-only role in the management (or delegated administrator) account. */
  readonly managementRoleArn: string;
  /** Region the client is created in; Organizations resolves it to its partition's global endpoint. */
  readonly region: string;
  /** Backoff on throttling (Organizations allows a few requests per second per account). */
  readonly retry: Pick<RetryOptions, 'sleep' | 'deadline'>;
  /** @default a new `OrganizationsClient` with these credentials and SDK retries off: {@link withRetry} retries, once */
  readonly clientFactory?: (credentials: ReadRoleCredentials, region: string) => OrganizationsClient;
  /** @default "access-key-enforcer-discovery" */
  readonly sessionName?: string;
}

/**
 * Only `ACTIVE` accounts can be assumed into and read. `State` replaces `Status` (retired in
 * September 2026, per the SDK's docs); `Status` is read only when `State` is missing. This skips
 * `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED` and `PENDING_ACTIVATION`.
 */
export function isWatchable(account: OrganizationsAccount): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

/**
 * The accounts of an AWS Organization, read through the management read role: every active
 * account, or those under `includeOus` (nested OUs walked, since `ListAccountsForParent` returns
 * only direct children), less `excludeOus` (and their nested OUs) and `excludeAccounts`.
 */
export class OrganizationAccounts {
  constructor(private readonly props: OrganizationAccountsProps) {}

  async list(filter: DiscoveryFilter = {}): Promise<Account[]> {
    const client = await this.client();
    const excludedOus = new Set(filter.excludeOus ?? []);
    let found: OrganizationsAccount[];
    if (!filter.includeOus && excludedOus.size === 0) {
      found = await this.pages('organizations:ListAccounts', (NextToken) =>
        client
          .send(new ListAccountsCommand({ NextToken }))
          .then((out) => ({ items: out.Accounts, next: out.NextToken })),
      );
    } else {
      // Excluding an OU needs the tree: ListAccounts does not say where an account sits.
      const starts = filter.includeOus ?? (await this.rootIds(client));
      found = [];
      for (const parent of starts) found.push(...(await this.walk(client, parent, excludedOus)));
    }
    const excludedAccounts = new Set(filter.excludeAccounts ?? []);
    const byId = new Map<string, Account>();
    for (const account of found) {
      if (!account.Id || !isWatchable(account) || excludedAccounts.has(account.Id)) continue;
      byId.set(account.Id, account.Name ? { id: account.Id, name: account.Name } : { id: account.Id });
    }
    return [...byId.values()];
  }

  private async rootIds(client: OrganizationsClient): Promise<string[]> {
    const roots = await this.pages('organizations:ListRoots', (NextToken) =>
      client
        .send(new ListRootsCommand({ NextToken }))
        .then((out) => ({ items: out.Roots, next: out.NextToken })),
    );
    return roots.flatMap((root) => (root.Id ? [root.Id] : []));
  }

  /** Depth first with an explicit stack: an organisation may nest OUs five levels deep. */
  private async walk(
    client: OrganizationsClient,
    start: string,
    excludedOus: ReadonlySet<string>,
  ): Promise<OrganizationsAccount[]> {
    const accounts: OrganizationsAccount[] = [];
    const stack = excludedOus.has(start) ? [] : [start];
    for (let parent = stack.pop(); parent !== undefined; parent = stack.pop()) {
      const ParentId = parent;
      accounts.push(
        ...(await this.pages('organizations:ListAccountsForParent', (NextToken) =>
          client
            .send(new ListAccountsForParentCommand({ ParentId, NextToken }))
            .then((out) => ({ items: out.Accounts, next: out.NextToken })),
        )),
      );
      const children = await this.pages('organizations:ListOrganizationalUnitsForParent', (NextToken) =>
        client
          .send(new ListOrganizationalUnitsForParentCommand({ ParentId, NextToken }))
          .then((out) => ({ items: out.OrganizationalUnits, next: out.NextToken })),
      );
      for (const child of children) if (child.Id && !excludedOus.has(child.Id)) stack.push(child.Id);
    }
    return accounts;
  }

  private async pages<T>(
    operation: string,
    send: (token: string | undefined) => Promise<{ items?: T[] | undefined; next?: string | undefined }>,
  ): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(operation, () => send(token));
      items.push(...(page.items ?? []));
      token = page.next;
    } while (token);
    return items;
  }

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await withRetry(operation, send, this.props.retry);
    } catch (error) {
      throw new AccountDiscoveryError(operation, this.props.managementRoleArn, error);
    }
  }

  private async client(): Promise<OrganizationsClient> {
    const { sts, managementRoleArn, region } = this.props;
    const output = await this.call('sts:AssumeRole', () =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: managementRoleArn,
          RoleSessionName: this.props.sessionName ?? 'access-key-enforcer-discovery',
        }),
      ),
    );
    const c = output.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
      throw new AccountDiscoveryError(
        'sts:AssumeRole',
        managementRoleArn,
        new Error('no credentials returned'),
      );
    }
    const credentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
    const factory =
      this.props.clientFactory ??
      ((creds: ReadRoleCredentials, clientRegion: string) =>
        new OrganizationsClient({ credentials: creds, region: clientRegion, maxAttempts: 1 }));
    return factory(credentials, region);
  }
}
