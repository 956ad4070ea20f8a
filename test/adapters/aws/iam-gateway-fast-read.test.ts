import { GetCredentialReportCommand, IAMClient } from '@aws-sdk/client-iam';

import { type AccountInventory } from '../../../lambda/domain/inventory-read';
import { PARTIAL_READ_RESERVE_MS } from '../../../lambda/adapters/aws/iam-gateway';
import { CredentialReportUnavailableError, ReadIncompleteError } from '../../../lambda/ports';
import {
  type IamStandIn,
  type IamStandInOptions,
  generateOrg,
  sessionAccessKeyId,
  startIamStandIn,
} from '../../support/iam-stand-in';
import { REGION, budget, gatewayFor, total } from './stand-in-gateway';

const ACCOUNT = { id: '222222222222', name: 'prod' };
const NOW = new Date('2027-01-01T09:00:00Z');
const MINUTE = 60_000;
/** Stand-in and gateway time scale where a test only needs the report's 1 s generation to pass quickly. */
const FAST = 20;

let standIn: IamStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Omit<IamStandInOptions, 'org'> & { users: number; extraTags?: number }) {
  const { users, extraTags, ...rest } = options;
  const org = generateOrg({
    accounts: { [ACCOUNT.id]: users },
    now: NOW,
    ...(extraTags ? { extraTags } : {}),
  });
  standIn = await startIamStandIn({ org, startTime: NOW, ...rest });
  return { org, users: org.get(ACCOUNT.id)!.users, standIn };
}

/** A clock the stand-in reads and the gateway's `sleep` advances: report timing independent of load. */
function manualClock(): { now: () => number; sleep: (ms: number) => Promise<void> } {
  let at = NOW.getTime();
  return {
    now: () => at,
    sleep: (ms) => {
      at += ms;
      return Promise.resolve();
    },
  };
}

function reportOf(inventory: AccountInventory, userName: string) {
  return inventory.users.find((u) => u.userName === userName)?.report;
}

async function unavailable(read: Promise<unknown>): Promise<CredentialReportUnavailableError> {
  const error = await read.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(CredentialReportUnavailableError);
  return error as CredentialReportUnavailableError;
}

describe('AwsIamGateway.readInventory through the real SDK against the stand-in', () => {
  it('follows Marker/IsTruncated on GetAccountAuthorizationDetails and keeps every tag', async () => {
    const { users, standIn: server } = await start({ users: 8, extraTags: 2, pageCap: 3, timeScale: FAST });

    const inventory = await gatewayFor(server, FAST).readInventory(ACCOUNT);

    expect(inventory.users.map((u) => [u.userName, u.tags])).toEqual(users.map((u) => [u.userName, u.tags]));
    expect(server.stats().calls[ACCOUNT.id]?.GetAccountAuthorizationDetails).toBe(3);
  });

  it('polls GenerateCredentialReport while IAM answers in progress, then reads the COMPLETE report', async () => {
    const clock = manualClock();
    const { users, standIn: server } = await start({
      users: 5,
      clock: clock.now,
      credentialReport: { generationDelayMs: 2000 },
    });

    const inventory = await gatewayFor(server, 1, { sleep: clock.sleep }).readInventory(ACCOUNT);

    expect(inventory.users.every((u) => u.report !== undefined)).toBe(true);
    expect(inventory.users).toHaveLength(users.length);
    // Started at 0, in progress at 1 s, complete at 3 s (waits 1 s then 2 s).
    expect(server.stats().calls[ACCOUNT.id]?.GenerateCredentialReport).toBe(3);
    expect(inventory.reportGeneratedAt.getTime() - NOW.getTime()).toBeLessThan(MINUTE);
  });

  it('is parsed by the SDK as CredentialReportNotReadyException while generation runs', async () => {
    const { standIn: server } = await start({
      users: 1,
      credentialReport: { faults: { [ACCOUNT.id]: { stuck: true } } },
    });
    await gatewayFor(server, 1, { credentialReportMaxWaitMs: 0 })
      .readInventory(ACCOUNT)
      .catch(() => undefined);
    const iam = new IAMClient({
      endpoint: server.endpoint,
      region: REGION,
      credentials: { accessKeyId: sessionAccessKeyId(ACCOUNT.id), secretAccessKey: 'x', sessionToken: 't' },
      maxAttempts: 1,
    });

    const error = await iam.send(new GetCredentialReportCommand({})).catch((e: unknown) => e);

    expect(error).toMatchObject({
      name: 'CredentialReportNotReadyException',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it.each([
    ['a report that never completes', 'in-progress', { stuck: true }],
    ['LimitExceeded from GenerateCredentialReport', 'limit-exceeded', { limitExceeded: true }],
    ['ReportNotPresent from GetCredentialReport', 'not-present', { getError: 'ReportNotPresent' }],
    ['ReportExpired from GetCredentialReport', 'not-present', { getError: 'ReportExpired' }],
    [
      'a report without access_key_2_last_rotated',
      'unparseable',
      { omitColumns: ['access_key_2_last_rotated'] },
    ],
  ] as const)('turns %s into CredentialReportUnavailableError(%p)', async (_, problem, fault) => {
    const scale = 50;
    const { standIn: server } = await start({
      users: 3,
      timeScale: scale,
      credentialReport: { faults: { [ACCOUNT.id]: fault } },
    });
    const iam = gatewayFor(server, scale, { credentialReportMaxWaitMs: 10_000 });

    const error = await unavailable(iam.readInventory(ACCOUNT));

    expect(error).toMatchObject({ accountId: ACCOUNT.id, problem });
    // An unusable report costs no GetAccountAuthorizationDetails.
    expect(server.stats().calls[ACCOUNT.id]?.GetAccountAuthorizationDetails).toBeUndefined();
  });

  it('gives up waiting for the report when the call budget would run out first', async () => {
    const { standIn: server } = await start({
      users: 3,
      credentialReport: { faults: { [ACCOUNT.id]: { stuck: true } } },
    });

    const error = await unavailable(
      gatewayFor(server).readInventory(ACCOUNT, { remainingTimeMs: () => 500 }),
    );

    expect(error.problem).toBe('in-progress');
    expect(server.stats().calls[ACCOUNT.id]?.GenerateCredentialReport).toBe(1);
  });

  it('reads columns by header name, whatever their order', async () => {
    const { standIn: server } = await start({ users: 6, timeScale: FAST });
    const inOrder = await gatewayFor(server, FAST).readInventory(ACCOUNT);
    server.setCredentialReportFault(ACCOUNT.id, { reverseColumns: true });

    const reversed = await gatewayFor(server, FAST).readInventory(ACCOUNT);

    expect(reversed).toEqual(inOrder);
  });

  it("reads IAM's edge values: N/A, no_information, an inactive key's date, and skips the root row", async () => {
    const { users, standIn: server } = await start({ users: 3, timeScale: FAST });
    const [withPassword, noKeys, twoKeys] = users as [
      (typeof users)[0],
      (typeof users)[0],
      (typeof users)[0],
    ];
    withPassword.password = { lastChanged: new Date('2026-06-01T10:00:00Z'), lastUsed: 'no_information' };
    withPassword.mfaActive = true;
    noKeys.keys.length = 0;
    twoKeys.keys.length = 0;
    twoKeys.keys.push(
      { accessKeyId: 'AKIANEWER', status: 'Active', createDate: new Date('2026-12-01T10:00:00Z') },
      {
        accessKeyId: 'AKIAOLDER',
        status: 'Inactive',
        createDate: new Date('2026-01-01T10:00:00Z'),
        lastUsedDate: new Date('2026-02-01T08:30:00Z'),
      },
    );

    const inventory = await gatewayFor(server, FAST).readInventory(ACCOUNT);

    expect(inventory.users.map((u) => u.userName)).toEqual(users.map((u) => u.userName));
    expect(reportOf(inventory, withPassword.userName)).toMatchObject({
      passwordEnabled: true,
      passwordLastChanged: new Date('2026-06-01T10:00:00Z'),
      mfaActive: true,
    });
    expect(reportOf(inventory, noKeys.userName)).toEqual({
      userName: noKeys.userName,
      arn: `arn:aws:iam::${ACCOUNT.id}:user/${noKeys.userName}`,
      keys: [{ active: false }, { active: false }],
      passwordEnabled: false,
      mfaActive: false,
    });
    // Slot 1 is the older key, even though it was listed second.
    expect(reportOf(inventory, twoKeys.userName)?.keys).toEqual([
      {
        active: false,
        lastRotated: new Date('2026-01-01T10:00:00Z'),
        lastUsed: new Date('2026-02-01T08:30:00Z'),
      },
      { active: true, lastRotated: new Date('2026-12-01T10:00:00Z') },
    ]);
  });

  it('serves the report as generated: a key or user created later is not in it', async () => {
    const { org, users, standIn: server } = await start({ users: 2, timeScale: FAST });
    const first = await gatewayFor(server, FAST).readInventory(ACCOUNT);
    const [user] = users;
    user!.keys.length = 0;
    user!.keys.push({ accessKeyId: 'AKIALATER', status: 'Active', createDate: new Date(server.now()) });
    org.get(ACCOUNT.id)!.users.push({
      userName: 'newcomer',
      userId: 'AIDANEW',
      createDate: new Date(server.now()),
      tags: { slackId: 'U1' },
      keys: [],
    });

    const second = await gatewayFor(server, FAST).readInventory(ACCOUNT);

    expect(second.reportGeneratedAt).toEqual(first.reportGeneratedAt);
    expect(reportOf(second, user!.userName)).toEqual(reportOf(first, user!.userName));
    expect(second.users.find((u) => u.userName === 'newcomer')).toEqual({
      userName: 'newcomer',
      arn: `arn:aws:iam::${ACCOUNT.id}:user/newcomer`,
      tags: { slackId: 'U1' },
    });
  });

  it('reports the GeneratedTime of a report older than the last run', async () => {
    const { standIn: server } = await start({
      users: 2,
      credentialReport: { faults: { [ACCOUNT.id]: { ageMs: 26 * 60 * MINUTE } } },
    });

    const inventory = await gatewayFor(server).readInventory(ACCOUNT);

    expect(NOW.getTime() - inventory.reportGeneratedAt.getTime()).toBeGreaterThanOrEqual(
      26 * 60 * MINUTE - 1000,
    );
    expect(server.stats().calls[ACCOUNT.id]?.GenerateCredentialReport).toBe(1);
  });
});

describe('a member role deployed before the fast path', () => {
  it.each(['GenerateCredentialReport', 'GetAccountAuthorizationDetails'])(
    'without %s makes the report unavailable (read user by user), not the account failed',
    async (action) => {
      const { standIn: server } = await start({
        users: 3,
        deniedActions: [action],
        credentialReport: { generationDelayMs: 0 },
      });
      const error = await unavailable(gatewayFor(server).readInventory(ACCOUNT));
      expect(error.problem).toBe('access-denied');
      expect(error.message).toMatch(new RegExp(`iam:${action} denied.*Redeploy the member role`));
    },
  );
});

describe('AwsIamGateway.readUserKeys through the real SDK against the stand-in', () => {
  it('leaves out a deleted user and lists an unreadable one in failedUsers', async () => {
    const {
      org,
      users,
      standIn: server,
    } = await start({ users: 4, userFaults: { 'user-0002': 'AccessDenied' } });
    const account = org.get(ACCOUNT.id)!;
    account.users.splice(
      account.users.findIndex((u) => u.userName === 'user-0001'),
      1,
    );
    const names = users.map((u) => u.userName).concat(['user-0001', 'user-0000']);

    const read = await gatewayFor(server).readUserKeys(ACCOUNT, [
      'user-0000',
      'user-0001',
      'user-0002',
      'user-0003',
      ...names,
    ]);

    expect([...read.keys.keys()].sort()).toEqual(['user-0000', 'user-0003']);
    expect(read.keys.get('user-0003')).toEqual(
      account.users[2]!.keys.map((k) => ({
        accessKeyId: k.accessKeyId,
        status: k.status,
        createDate: k.createDate,
      })),
    );
    expect(read.failedUsers).toEqual([
      {
        userName: 'user-0002',
        message: expect.stringContaining('iam:ListAccessKeys failed: AccessDenied') as string,
      },
    ]);
    // Each user once, duplicates asked for or not.
    expect(server.stats().calls[ACCOUNT.id]?.ListAccessKeys).toBe(4);
  });

  it('makes no request at all when nobody needs a fresh look', async () => {
    const { standIn: server } = await start({ users: 2 });
    const iam = gatewayFor(server);

    const read = await iam.readUserKeys(ACCOUNT, []);

    expect(read).toEqual({ keys: new Map(), failedUsers: [] });
    expect(iam.callCounts()).toEqual({});
  });

  it('reports an account incomplete when the budget is gone', async () => {
    const scale = 10;
    const { standIn: server } = await start({
      users: 30,
      throttle: { ratePerSecond: 1, burst: 1 },
      timeScale: scale,
    });
    const names = Array.from({ length: 30 }, (_, i) => `user-${String(i).padStart(4, '0')}`);

    const error = await gatewayFor(server, scale)
      .forInvocation(budget(3_000, scale).remainingTimeMs)
      .readUserKeys(ACCOUNT, names)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ReadIncompleteError);
  });
});

describe('a partial key read (the resumable full sweep)', () => {
  it('stops starting users when time runs short and returns the rest unread, in order, instead of failing', async () => {
    const scale = 25;
    const { standIn: server } = await start({
      users: 30,
      throttle: { ratePerSecond: 1, burst: 1 },
      timeScale: scale,
    });
    const names = Array.from({ length: 30 }, (_, i) => `user-${String(i).padStart(4, '0')}`);
    // 10 s of IAM time above the reserve the sweep leaves to the rest of the run.
    const time = budget(PARTIAL_READ_RESERVE_MS + 10_000, scale);

    // The SDK's limiter waits in unscaled real time; without it only the simulated clock counts.
    const unlimited = { getSendToken: () => Promise.resolve(), updateClientSendingRate: () => undefined };
    const read = await gatewayFor(server, scale, { rateFor: () => unlimited })
      .forInvocation(time.remainingTimeMs)
      .readUserKeys(ACCOUNT, names, { partial: true });

    const unread = read.unread ?? [];
    expect(read.failedUsers).toEqual([]);
    expect(read.keys.size).toBeGreaterThan(0);
    expect(unread.length).toBeGreaterThan(0);
    expect(read.keys.size + unread.length).toBe(30);
    expect(unread).toEqual(names.filter((name) => unread.includes(name)));
    expect(unread.some((name) => read.keys.has(name))).toBe(false);
    // Users in flight stop at the reserve too (less the SDK rate limiter's unscaled waits).
    expect(time.remainingTimeMs()).toBeGreaterThan(PARTIAL_READ_RESERVE_MS / 2);
  });

  it('always tries its first user, so that a run started short of time still moves on', async () => {
    const { standIn: server } = await start({ users: 12 });
    const names = Array.from({ length: 12 }, (_, i) => `user-${String(i).padStart(4, '0')}`);

    const read = await gatewayFor(server)
      .forInvocation(() => PARTIAL_READ_RESERVE_MS - 5_000)
      .readUserKeys(ACCOUNT, names, { partial: true });

    expect([...read.keys.keys()]).toEqual(['user-0000']);
    expect(read.unread).toEqual(names.slice(1));
  });

  it('reads everyone and returns an empty unread list when there is time', async () => {
    const { standIn: server } = await start({ users: 12 });
    const names = Array.from({ length: 12 }, (_, i) => `user-${String(i).padStart(4, '0')}`);

    const read = await gatewayFor(server).readUserKeys(ACCOUNT, names, { partial: true });

    expect(read.unread).toEqual([]);
    expect(read.keys.size).toBe(12);
  });
});

describe('the fast path read behind IAM throttling and its call count', () => {
  it('completes readInventory and 50 readUserKeys on a 500-user account throttled at 2 TPS', async () => {
    const scale = 25;
    const { standIn: server } = await start({
      users: 500,
      throttle: { ratePerSecond: 2, burst: 2 },
      timeScale: scale,
    });
    const iam = gatewayFor(server, scale);
    const time = budget(10 * MINUTE, scale);
    const names = Array.from({ length: 50 }, (_, i) => `user-${String(i * 10).padStart(4, '0')}`);

    const inventory = await iam.forInvocation(time.remainingTimeMs).readInventory(ACCOUNT);
    const read = await iam.forInvocation(time.remainingTimeMs).readUserKeys(ACCOUNT, names);

    const stats = server.stats();
    console.log(
      `fast read of 500 users + 50 key reads @2 TPS: ${(time.elapsed() / 1000).toFixed(1)} s simulated, ` +
        `${total(iam.callCounts()[ACCOUNT.id])} calls counted, ${total(stats.throttled[ACCOUNT.id])} throttled`,
    );
    expect(inventory.users).toHaveLength(500);
    expect(inventory.users.every((u) => u.report !== undefined)).toBe(true);
    expect(read.failedUsers).toEqual([]);
    expect(read.keys.size).toBe(50);
    expect(total(stats.throttled[ACCOUNT.id])).toBeGreaterThan(0);
    expect(total(iam.callCounts()[ACCOUNT.id])).toBe(total(stats.calls[ACCOUNT.id]) + total(stats.calls.hub));
  });

  it('reads a 5,000-user account in 1 AssumeRole, 3 Generate, 1 Get, 5 GetAccountAuthorizationDetails and 1 tag check', async () => {
    const clock = manualClock();
    const { standIn: server } = await start({
      users: 5000,
      clock: clock.now,
      // Between the second poll (at 1 s) and the third (at 3 s).
      credentialReport: { generationDelayMs: 2000 },
    });
    const iam = gatewayFor(server, 1, { sleep: clock.sleep });

    const inventory = await iam.readInventory(ACCOUNT);

    expect(inventory.users).toHaveLength(5000);
    expect(iam.callCounts()[ACCOUNT.id]).toEqual({
      'sts:AssumeRole': 1,
      'iam:GenerateCredentialReport': 3,
      'iam:GetCredentialReport': 1,
      'iam:GetAccountAuthorizationDetails': 5,
      'iam:ListUserTags': 1,
    });
  });

  it('distrusts authorization details whose tags differ from ListUserTags (an endpoint that drops them)', async () => {
    const { standIn: server } = await start({
      users: 20,
      detailsWithoutTags: true,
      credentialReport: { generationDelayMs: 0 },
    });
    const error = await unavailable(gatewayFor(server).readInventory(ACCOUNT));
    expect(error.problem).toBe('unparseable');
    expect(error.message).toMatch(/other tags than ListUserTags; read user by user/);
  });
});
