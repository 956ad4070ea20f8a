import {
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';

import { AccountAccessError } from '../../../lambda/adapters/aws/errors';
import { ReadIncompleteError } from '../../../lambda/ports';
import { type AccountScan } from '../../../lambda/domain/model';
import { AwsIamGateway, type AwsIamGatewayOptions } from '../../../lambda/adapters/aws/iam-gateway';
import {
  type Fault,
  HUB_PRINCIPAL,
  iamError,
  installFakeOrg,
  makeUsers,
  noSuchUser,
  stsError,
} from './fake-org';

const ACCOUNT = { id: '222222222222', name: 'prod' };

let fake: ReturnType<typeof installFakeOrg>;
afterEach(() => {
  fake.stsMock.restore();
  fake.iamMock.restore();
});

function gateway(extra: Partial<AwsIamGatewayOptions> = {}): AwsIamGateway {
  return new AwsIamGateway({
    memberRoleName: 'AccessKeyEnforcerMember',
    sts: fake.sts,
    iamClientFactory: fake.iamClientFactory,
    sleep: () => Promise.resolve(),
    // The SDK's adaptive rate waits in real time; these tests are about the retry decisions.
    rateFor: () => ({ getSendToken: () => Promise.resolve(), updateClientSendingRate: () => undefined }),
    ...extra,
  });
}

/** Fails `operation` (for `userName`, when given) with `error` the first `times` requests. */
function failing(operation: string, error: Error, times = Infinity, userName?: string): Fault {
  let left = times;
  return (request) => {
    if (request.operation !== operation || (userName && request.input.UserName !== userName))
      return undefined;
    if (left <= 0) return undefined;
    left--;
    return error;
  };
}

describe('AwsIamGateway.readAccount', () => {
  it('reads every user of a 2,500-user account across 25 pages with tags and keys', async () => {
    const users = makeUsers(2500);
    fake = installFakeOrg({ [ACCOUNT.id]: users }, { pageSize: 100 });
    const iam = gateway();

    const scan = await iam.readAccount(ACCOUNT);

    expect(scan.failedUsers).toEqual([]);
    expect(scan.users).toHaveLength(2500);
    expect(scan.users.map((u) => u.userName)).toEqual(users.map((u) => u.userName));
    expect(scan.users.map((u) => u.tags)).toEqual(users.map((u) => u.tags));
    expect(scan.users.map((u) => u.keys.map((k) => [k.accessKeyId, k.status, k.createDate]))).toEqual(
      users.map((u) => u.keys.map((k) => [k.id, k.status, k.created])),
    );
    // 1 AssumeRole + ceil(N / pageSize) ListUsers + N ListUserTags + N ListAccessKeys
    // = 1 + ceil(2500 / 100) + 2500 + 2500 = 5026 requests (no GetAccessKeyLastUsed by default).
    expect(fake.callCounts()).toEqual({
      [ACCOUNT.id]: {
        'sts:AssumeRole': 1,
        'iam:ListUsers': 25,
        'iam:ListUserTags': 2500,
        'iam:ListAccessKeys': 2500,
      },
    });
    expect(fake.iamMock).toHaveReceivedCommandTimes(ListUsersCommand, 25);
    expect(fake.iamMock).toHaveReceivedCommandTimes(GetAccessKeyLastUsedCommand, 0);
    expect(fake.iamMock).toHaveReceivedCommandTimes(DeleteAccessKeyCommand, 0);
  });

  it('adds one GetAccessKeyLastUsed per key when includeLastUsed is on', async () => {
    const users = [
      {
        userName: 'alice',
        tags: {},
        keys: [{ id: 'AKIA1', status: 'Active' as const, created: new Date(0), lastUsed: new Date(5) }],
      },
      { userName: 'bob', tags: {}, keys: [{ id: 'AKIA2', status: 'Active' as const, created: new Date(0) }] },
    ];
    fake = installFakeOrg({ [ACCOUNT.id]: users });
    const iam = gateway({ includeLastUsed: true });

    const scan = await iam.readAccount(ACCOUNT);

    expect(scan.users.map((u) => u.keys[0])).toEqual([
      { accessKeyId: 'AKIA1', status: 'Active', createDate: new Date(0), lastUsedDate: new Date(5) },
      { accessKeyId: 'AKIA2', status: 'Active', createDate: new Date(0) },
    ]);
    expect(fake.callCounts()[ACCOUNT.id]?.['iam:GetAccessKeyLastUsed']).toBe(2);
  });

  it('follows Marker pagination of tags and keys, and reads Expired keys as Inactive', async () => {
    const keys = ['A', 'B', 'C'].map((s, i) => ({
      id: `AKIA${s}`,
      status: i === 2 ? ('Expired' as const) : ('Active' as const),
      created: new Date(i),
    }));
    const tags = { type: 'engineer', 'slack-id': 'U1', 'full-name': 'Ada', team: 'infra', x: 'y' };
    fake = installFakeOrg({ [ACCOUNT.id]: [{ userName: 'ada', tags, keys }] }, { userPageSize: 2 });
    const iam = gateway();

    const scan = await iam.readAccount(ACCOUNT);

    expect(scan.users[0]?.tags).toEqual(tags);
    expect(scan.users[0]?.keys.map((k) => k.status)).toEqual(['Active', 'Active', 'Inactive']);
    expect(fake.callCounts()[ACCOUNT.id]).toMatchObject({ 'iam:ListUserTags': 3, 'iam:ListAccessKeys': 2 });
  });

  it('lists a user deleted mid-scan in failedUsers and reads the others', async () => {
    fake = installFakeOrg(
      { [ACCOUNT.id]: makeUsers(3) },
      { fault: failing('iam:ListAccessKeys', noSuchUser('user-0001'), Infinity, 'user-0001') },
    );

    const scan = await gateway().readAccount(ACCOUNT);

    expect(scan.users.map((u) => u.userName)).toEqual(['user-0000', 'user-0002']);
    expect(scan.failedUsers).toEqual([
      {
        userName: 'user-0001',
        message: 'iam:ListAccessKeys failed: NoSuchEntity (The user with name user-0001 cannot be found.)',
      },
    ]);
  });

  it('lists a user whose tags are denied in failedUsers without retrying', async () => {
    const denied = iamError('AccessDenied', 'not authorized to perform: iam:ListUserTags', 403);
    fake = installFakeOrg(
      { [ACCOUNT.id]: makeUsers(2) },
      { fault: failing('iam:ListUserTags', denied, Infinity, 'user-0000') },
    );
    const iam = gateway();

    const scan = await iam.readAccount(ACCOUNT);

    expect(scan.failedUsers).toEqual([
      {
        userName: 'user-0000',
        message: 'iam:ListUserTags failed: AccessDenied (not authorized to perform: iam:ListUserTags)',
      },
    ]);
    expect(scan.users.map((u) => u.userName)).toEqual(['user-0001']);
    expect(fake.callCounts()[ACCOUNT.id]?.['iam:ListUserTags']).toBe(2);
  });

  it('fails only the account whose role cannot be assumed, naming account, role and code', async () => {
    const denied = stsError(
      'AccessDenied',
      `User: ${HUB_PRINCIPAL} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/AccessKeyEnforcerMember`,
    );
    fake = installFakeOrg(
      { '222222222222': makeUsers(2), '333333333333': makeUsers(2), '444444444444': makeUsers(3) },
      {
        fault: (r) =>
          r.operation === 'sts:AssumeRole' && r.accountId === '333333333333' ? denied : undefined,
      },
    );
    const iam = gateway();

    const results = await Promise.allSettled(
      ['222222222222', '333333333333', '444444444444'].map((id) => iam.readAccount({ id, name: id })),
    );

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const [ok1, failed, ok2] = results as [
      PromiseFulfilledResult<AccountScan>,
      PromiseRejectedResult,
      PromiseFulfilledResult<AccountScan>,
    ];
    expect(ok1.value.users).toHaveLength(2);
    expect(ok2.value.users).toHaveLength(3);
    expect(failed.reason).toBeInstanceOf(AccountAccessError);
    expect(failed.reason).toMatchObject({
      accountId: '333333333333',
      code: 'AccessDenied',
      operation: 'sts:AssumeRole',
      message:
        'account 333333333333: sts:AssumeRole on arn:aws:iam::333333333333:role/AccessKeyEnforcerMember ' +
        `failed: AccessDenied (${denied.message})`,
    });
    expect(fake.stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 3);
  });

  it('fails the account when ListUsers is denied', async () => {
    fake = installFakeOrg(
      { [ACCOUNT.id]: makeUsers(2) },
      { fault: failing('iam:ListUsers', iamError('AccessDenied', 'no iam:ListUsers', 403)) },
    );

    await expect(gateway().readAccount(ACCOUNT)).rejects.toMatchObject({
      name: 'AccountAccessError',
      accountId: ACCOUNT.id,
      operation: 'iam:ListUsers',
      code: 'AccessDenied',
      message:
        'account 222222222222: iam:ListUsers as arn:aws:iam::222222222222:role/AccessKeyEnforcerMember ' +
        'failed: AccessDenied (no iam:ListUsers)',
    });
  });

  it.each([
    ['Throttling', 400],
    ['ThrottlingException', 400],
    ['TooManyRequestsException', 429],
    ['RequestLimitExceeded', 400],
    ['ServiceFailure', 500],
    ['ServiceUnavailable', 503],
  ])('retries %s with growing backoff until it succeeds', async (code, status) => {
    const sleep = jest.fn(() => Promise.resolve());
    fake = installFakeOrg(
      { [ACCOUNT.id]: makeUsers(1) },
      { fault: failing('iam:ListUsers', iamError(code, 'Rate exceeded', status), 3) },
    );
    const iam = gateway({ sleep, random: () => 0.5 });

    const scan = await iam.readAccount(ACCOUNT);

    expect(scan.users).toHaveLength(1);
    expect(fake.callCounts()[ACCOUNT.id]?.['iam:ListUsers']).toBe(4);
    // Full jitter below bounds of 100, 200, 400 ms; random 0.5 sleeps half of each.
    expect(sleep.mock.calls).toEqual([[50], [100], [200]]);
  });

  it('reports the account incomplete, not failed, when throttling outlasts the time budget', async () => {
    let left = 1_000;
    const sleep = jest.fn((ms: number) => ((left -= ms), Promise.resolve()));
    fake = installFakeOrg(
      { [ACCOUNT.id]: makeUsers(1) },
      { fault: failing('iam:ListUsers', iamError('Throttling', 'Rate exceeded')) },
    );
    const iam = gateway({ sleep, random: () => 0.5, maxAttempts: 2 });

    const error = await iam.readAccount(ACCOUNT, { remainingTimeMs: () => left }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ReadIncompleteError);
    expect(error).not.toBeInstanceOf(AccountAccessError);
    expect(error).toMatchObject({ accountId: ACCOUNT.id });
    expect((error as Error).message).toMatch(/^account 222222222222: ran out of time during iam:ListUsers/);
    // Backoffs 50, 100, 200, 400 ms fit in 1,000 ms; the next (800) does not. maxAttempts does not apply.
    expect(sleep.mock.calls).toEqual([[50], [100], [200], [400]]);
    expect(fake.callCounts()[ACCOUNT.id]?.['iam:ListUsers']).toBe(5);
  });

  it('reports the account incomplete, never failed, when one user stays throttled past the budget', async () => {
    let left = 5_000;
    fake = installFakeOrg(
      { [ACCOUNT.id]: makeUsers(3) },
      { fault: failing('iam:ListUserTags', iamError('Throttling', 'Rate exceeded'), Infinity, 'user-0001') },
    );
    const iam = gateway({ maxAttempts: 3, sleep: (ms) => ((left -= ms), Promise.resolve()) });

    await expect(iam.readAccount(ACCOUNT, { remainingTimeMs: () => left })).rejects.toMatchObject({
      name: 'ReadIncompleteError',
      accountId: ACCOUNT.id,
    });
  });

  it('never reads more users at once than userConcurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    fake = installFakeOrg({ [ACCOUNT.id]: makeUsers(40) });
    fake.iamMock.on(ListUserTagsCommand).callsFake(async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return { Tags: [] };
    });

    await gateway({ userConcurrency: 3 }).readAccount(ACCOUNT);

    expect(peak).toBe(3);
    expect(fake.iamMock).toHaveReceivedCommandTimes(ListAccessKeysCommand, 40);
  });
});
