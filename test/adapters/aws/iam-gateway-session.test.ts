import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DeleteAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';

import { AwsIamGatewayOptionError, KeyDeactivationError } from '../../../lambda/adapters/aws/errors';
import { AwsIamGateway, type AwsIamGatewayOptions } from '../../../lambda/adapters/aws/iam-gateway';
import { type FakeOrgOptions, iamError, installFakeOrg, makeUsers, noSuchUser, stsError } from './fake-org';

const ACCOUNT = { id: '222222222222', name: 'prod' };
const NOW = new Date('2026-03-01T12:00:00Z');

let fake: ReturnType<typeof installFakeOrg>;
function restoreMocks(): void {
  fake.stsMock.restore();
  fake.iamMock.restore();
}

function setUp(options: FakeOrgOptions = {}, extra: Partial<AwsIamGatewayOptions> = {}): AwsIamGateway {
  fake = installFakeOrg(
    { [ACCOUNT.id]: makeUsers(2) },
    { expiration: new Date(NOW.getTime() + 3_600_000), ...options },
  );
  return new AwsIamGateway({
    memberRoleName: 'AccessKeyEnforcerMember',
    sts: fake.sts,
    iamClientFactory: fake.iamClientFactory,
    sleep: () => Promise.resolve(),
    clock: { now: () => NOW },
    ...extra,
  });
}

describe('AwsIamGateway.deactivateKey', () => {
  afterEach(restoreMocks);

  it('sets the key Inactive for the right user and never deletes it', async () => {
    const iam = setUp();

    await iam.deactivateKey(ACCOUNT, 'user-0001', 'AKIAEXAMPLE0001');

    expect(fake.iamMock).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    expect(fake.iamMock).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'user-0001',
      AccessKeyId: 'AKIAEXAMPLE0001',
      Status: 'Inactive',
    });
    expect(fake.iamMock).toHaveReceivedCommandTimes(DeleteAccessKeyCommand, 0);
  });

  it('retries a throttled UpdateAccessKey', async () => {
    let throttles = 2;
    const iam = setUp({
      fault: (r) =>
        r.operation === 'iam:UpdateAccessKey' && throttles-- > 0
          ? iamError('Throttling', 'Rate exceeded')
          : undefined,
    });

    await iam.deactivateKey(ACCOUNT, 'user-0001', 'AKIAEXAMPLE0001');

    expect(fake.callCounts()[ACCOUNT.id]?.['iam:UpdateAccessKey']).toBe(3);
  });

  it('reports a key that cannot be deactivated with account, user, key and code', async () => {
    const iam = setUp({
      fault: (r) => (r.operation === 'iam:UpdateAccessKey' ? noSuchUser('user-0001') : undefined),
    });

    await expect(iam.deactivateKey(ACCOUNT, 'user-0001', 'AKIAEXAMPLE0001')).rejects.toMatchObject({
      name: 'KeyDeactivationError',
      accountId: ACCOUNT.id,
      userName: 'user-0001',
      accessKeyId: 'AKIAEXAMPLE0001',
      code: 'NoSuchEntity',
      message:
        'account 222222222222: iam:UpdateAccessKey (Inactive) for AKIAEXAMPLE0001 of user user-0001 failed: ' +
        'NoSuchEntity (The user with name user-0001 cannot be found.)',
    });
    await expect(iam.deactivateKey(ACCOUNT, 'user-0001', 'AKIAEXAMPLE0001')).rejects.toBeInstanceOf(
      KeyDeactivationError,
    );
  });

  it('has no code path that deletes a key', () => {
    const dir = join(__dirname, '../../../lambda/adapters/aws');

    const sources = readdirSync(dir).map((file) => readFileSync(join(dir, file), 'utf8'));

    expect(sources.filter((source) => /DeleteAccessKey/.test(source))).toEqual([]);
  });
});

describe('AwsIamGateway sessions', () => {
  afterEach(restoreMocks);

  it('assumes the role once for a read and a deactivation in the same account', async () => {
    const iam = setUp();

    await iam.readAccount(ACCOUNT);
    await iam.deactivateKey(ACCOUNT, 'user-0000', 'AKIA2222222222220000A');

    expect(fake.stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
    expect(fake.stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::222222222222:role/AccessKeyEnforcerMember',
      RoleSessionName: 'access-key-enforcer',
      DurationSeconds: 3600,
    });
    expect(fake.factoryCalls).toHaveLength(1);
  });

  it('shares one pending AssumeRole between concurrent callers', async () => {
    const iam = setUp();

    await Promise.all([iam.readAccount(ACCOUNT), iam.deactivateKey(ACCOUNT, 'user-0000', 'AKIA1')]);

    expect(fake.stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it.each([
    ['well before expiry', 60 * 60_000, 1],
    ['just over 5 minutes before expiry', 5 * 60_000 + 1, 1],
    ['5 minutes before expiry', 5 * 60_000, 2],
    ['after expiry', -1, 2],
  ])(
    'assumes again only when credentials are within 5 minutes of expiry (%s)',
    async (_, msLeft, assumes) => {
      let now = NOW;
      const iam = setUp({ expiration: new Date(NOW.getTime() + 60 * 60_000) }, { clock: { now: () => now } });
      await iam.deactivateKey(ACCOUNT, 'user-0000', 'AKIA1');

      now = new Date(NOW.getTime() + 60 * 60_000 - msLeft);
      await iam.deactivateKey(ACCOUNT, 'user-0000', 'AKIA1');

      expect(fake.stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, assumes);
    },
  );

  it('tries AssumeRole again on the next call after a failure', async () => {
    let denials = 1;
    const iam = setUp({
      fault: (r) =>
        r.operation === 'sts:AssumeRole' && denials-- > 0 ? stsError('AccessDenied', 'denied') : undefined,
    });
    await expect(iam.readAccount(ACCOUNT)).rejects.toMatchObject({ name: 'AccountAccessError' });

    const scan = await iam.readAccount(ACCOUNT);

    expect(scan.users).toHaveLength(2);
    expect(fake.stsMock).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
  });

  it.each([
    ['aws', 'arn:aws:iam::222222222222:role/Member', 'us-east-1'],
    ['aws-us-gov', 'arn:aws-us-gov:iam::222222222222:role/Member', 'us-gov-west-1'],
    ['aws-cn', 'arn:aws-cn:iam::222222222222:role/Member', 'cn-north-1'],
  ] as const)('in partition %s assumes %s and builds IAM for %s', async (partition, roleArn, region) => {
    const iam = setUp({}, { partition, memberRoleName: 'Member' });

    await iam.readAccount(ACCOUNT);

    expect(fake.stsMock).toHaveReceivedCommandWith(AssumeRoleCommand, { RoleArn: roleArn });
    expect(fake.factoryCalls).toEqual([{ accountId: ACCOUNT.id, region }]);
  });
});

describe('AwsIamGateway options', () => {
  it.each([
    [{ sessionDurationSeconds: 899 }, 'sessionDurationSeconds must be an integer from 900 to 3600, got 899'],
    [
      { sessionDurationSeconds: 3601 },
      'sessionDurationSeconds must be an integer from 900 to 3600, got 3601',
    ],
    [{ maxAttempts: 0 }, 'maxAttempts must be an integer from 1 to 100, got 0'],
    [{ userConcurrency: 0 }, 'userConcurrency must be an integer from 1 to 64, got 0'],
    [{ userConcurrency: 1.5 }, 'userConcurrency must be an integer from 1 to 64, got 1.5'],
  ])('refuses %j', (options, message) => {
    const build = () => new AwsIamGateway({ memberRoleName: 'Member', sts: new STSClient({}), ...options });

    expect(build).toThrow(new AwsIamGatewayOptionError(message));
  });

  it.each([900, 3600])('accepts a session of %i seconds', (sessionDurationSeconds) => {
    const build = () =>
      new AwsIamGateway({ memberRoleName: 'Member', sts: new STSClient({}), sessionDurationSeconds });

    expect(build).not.toThrow();
  });
});
