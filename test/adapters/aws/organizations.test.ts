import {
  type Account,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { AccountDiscoveryError, OrganizationAccounts } from '../../../lambda/adapters/aws/organizations';

const ROLE_ARN = 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead';
const orgs = mockClient(OrganizationsClient);
const sts = mockClient(STSClient);

function active(id: string, name = `acct-${id.slice(-3)}`): Account {
  return { Id: id, Name: name, State: 'ACTIVE', Status: 'ACTIVE' };
}

function discovery(): OrganizationAccounts {
  return new OrganizationAccounts({
    sts: new STSClient({ region: 'us-east-1' }),
    managementRoleArn: ROLE_ARN,
    region: 'us-east-1',
    retry: { sleep: () => Promise.resolve(), deadline: () => 60_000 },
  });
}

/** An OU tree: `ou-root-1` → … → `ou-lvl5`, one account at each level. */
const TREE: Record<string, { accounts: Account[]; ous: string[] }> = {
  'r-ab12': { accounts: [active('100000000000')], ous: ['ou-ab12-00000001'] },
  'ou-ab12-00000001': { accounts: [active('100000000001')], ous: ['ou-ab12-00000002', 'ou-ab12-0000000x'] },
  'ou-ab12-00000002': { accounts: [active('100000000002')], ous: ['ou-ab12-00000003'] },
  'ou-ab12-00000003': { accounts: [active('100000000003')], ous: ['ou-ab12-00000004'] },
  'ou-ab12-00000004': { accounts: [active('100000000004')], ous: ['ou-ab12-00000005'] },
  'ou-ab12-00000005': { accounts: [active('100000000005')], ous: [] },
  'ou-ab12-0000000x': { accounts: [active('100000000099')], ous: [] },
};

beforeEach(() => {
  orgs.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIA',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
  orgs.on(ListRootsCommand).resolves({ Roots: [{ Id: 'r-ab12' }] });
  for (const [parent, node] of Object.entries(TREE)) {
    orgs.on(ListAccountsForParentCommand, { ParentId: parent }).resolves({ Accounts: node.accounts });
    orgs
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: parent })
      .resolves({ OrganizationalUnits: node.ous.map((Id) => ({ Id })) });
  }
});

const ids = (accounts: readonly { id: string }[]): string[] => accounts.map((a) => a.id).sort();

describe('OrganizationAccounts', () => {
  it('assumes the management read role before reading Organizations', async () => {
    orgs.on(ListAccountsCommand).resolves({ Accounts: [active('100000000000', 'hub')] });

    const accounts = await discovery().list();

    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: ROLE_ARN });
    expect(accounts).toEqual([{ id: '100000000000', name: 'hub' }]);
  });

  it('lists the whole organisation with ListAccounts, following NextToken', async () => {
    orgs
      .on(ListAccountsCommand)
      .resolvesOnce({ Accounts: [active('100000000000')], NextToken: 'page-2' })
      .resolvesOnce({ Accounts: [active('100000000001')], NextToken: 'page-3' })
      .resolvesOnce({ Accounts: [active('100000000002')] });

    const accounts = await discovery().list();

    expect(ids(accounts)).toEqual(['100000000000', '100000000001', '100000000002']);
    expect(orgs).toHaveReceivedCommandTimes(ListAccountsCommand, 3);
    expect(orgs).toHaveReceivedNthCommandWith(2, ListAccountsCommand, { NextToken: 'page-2' });
  });

  it('walks nested OUs five deep from an included OU', async () => {
    const accounts = await discovery().list({ includeOus: ['ou-ab12-00000001'] });

    expect(ids(accounts)).toEqual([
      '100000000001',
      '100000000002',
      '100000000003',
      '100000000004',
      '100000000005',
      '100000000099',
    ]);
    expect(orgs).toHaveReceivedCommandTimes(ListAccountsCommand, 0);
  });

  it('follows NextToken on the accounts and the OUs of a parent', async () => {
    orgs
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-00000005' })
      .resolvesOnce({ Accounts: [active('100000000005')], NextToken: 't' })
      .resolvesOnce({ Accounts: [active('100000000006')] });
    orgs
      .on(ListOrganizationalUnitsForParentCommand, { ParentId: 'ou-ab12-00000004' })
      .resolvesOnce({ OrganizationalUnits: [], NextToken: 't' })
      .resolvesOnce({ OrganizationalUnits: [{ Id: 'ou-ab12-00000005' }] });

    const accounts = await discovery().list({ includeOus: ['ou-ab12-00000004'] });

    expect(ids(accounts)).toEqual(['100000000004', '100000000005', '100000000006']);
  });

  it('leaves out excluded OUs with everything nested in them, and excluded accounts', async () => {
    const accounts = await discovery().list({
      excludeOus: ['ou-ab12-00000003'],
      excludeAccounts: ['100000000099'],
    });

    expect(ids(accounts)).toEqual(['100000000000', '100000000001', '100000000002']);
    expect(orgs).toHaveReceivedCommandWith(ListRootsCommand, {});
    expect(orgs).not.toHaveReceivedCommandWith(ListAccountsForParentCommand, {
      ParentId: 'ou-ab12-00000004',
    });
  });

  it.each([
    ['SUSPENDED status', { Status: 'SUSPENDED' }],
    ['PENDING_CLOSURE status', { Status: 'PENDING_CLOSURE' }],
    ['SUSPENDED state', { State: 'SUSPENDED', Status: 'ACTIVE' }],
    ['PENDING_CLOSURE state', { State: 'PENDING_CLOSURE', Status: 'ACTIVE' }],
    ['CLOSED state', { State: 'CLOSED' }],
  ] as const)('skips an account with %s', async (_label, state) => {
    orgs.on(ListAccountsCommand).resolves({
      Accounts: [active('100000000000'), { Id: '100000000001', Name: 'going', ...state }],
    });

    expect(ids(await discovery().list())).toEqual(['100000000000']);
  });

  it('retries throttling', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    orgs
      .on(ListAccountsCommand)
      .rejectsOnce(throttled)
      .resolves({ Accounts: [active('100000000000')] });

    expect(ids(await discovery().list())).toEqual(['100000000000']);
    expect(orgs).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
  });

  it('fails with a clear error when Organizations denies access', async () => {
    const denied = Object.assign(new Error('not authorized to perform organizations:ListAccounts'), {
      name: 'AccessDeniedException',
    });
    orgs.on(ListAccountsCommand).rejects(denied);

    const error = await discovery()
      .list()
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

    expect(error).toBeInstanceOf(AccountDiscoveryError);
    expect((error as Error).message).toBe(
      `Cannot discover accounts from AWS Organizations: organizations:ListAccounts as ${ROLE_ARN} failed: ` +
        'AccessDeniedException: not authorized to perform organizations:ListAccounts',
    );
  });
});
