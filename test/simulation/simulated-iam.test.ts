import { type AccountRef } from '../../lambda/domain/model';
import { SimulatedIam } from '../../lambda/simulation/simulated-iam';
import { SimulatedIamError } from '../../lambda/simulation/simulated-iam-error';

const PROD: AccountRef = { id: '111111111111', name: 'prod' };
const CREATED = new Date('2025-01-01T10:00:00Z');

function worldWithOneKey(): { iam: SimulatedIam; keyId: string } {
  const iam = new SimulatedIam({ seed: 'test' });
  iam.addAccount(PROD.id);
  iam.addUser(PROD.id, 'jane.doe', { type: 'engineer', 'slack-id': 'U0123ABCD' });
  const keyId = iam.createAccessKey(PROD.id, 'jane.doe', CREATED).accessKeyId;
  return { iam, keyId };
}

function thrownCode(call: () => unknown): string | undefined {
  try {
    call();
  } catch (error) {
    return (error as SimulatedIamError).code;
  }
  return undefined;
}

async function rejection(promise: Promise<unknown>): Promise<SimulatedIamError> {
  try {
    await promise;
  } catch (error) {
    return error as SimulatedIamError;
  }
  throw new Error('expected a rejection');
}

describe('SimulatedIam', () => {
  describe('reading', () => {
    it('lists users with ARN, tags and keys', async () => {
      const { iam, keyId } = worldWithOneKey();
      const scan = await iam.readAccount(PROD);
      expect(scan).toEqual({
        users: [
          {
            userName: 'jane.doe',
            arn: 'arn:aws:iam::111111111111:user/jane.doe',
            tags: { type: 'engineer', 'slack-id': 'U0123ABCD' },
            keys: [{ accessKeyId: keyId, status: 'Active', createDate: CREATED }],
          },
        ],
        failedUsers: [],
      });
    });

    it('returns copies: changing a snapshot does not change the world', async () => {
      const { iam } = worldWithOneKey();
      const first = await iam.readAccount(PROD);
      const user = first.users[0]!;
      (user.tags as Record<string, string>).type = 'machine';
      user.keys[0]!.createDate.setUTCFullYear(1999);
      (user.keys as unknown[]).length = 0;
      (first.users as unknown[]).length = 0;
      const second = await iam.readAccount(PROD);
      expect(second.users[0]!.tags.type).toBe('engineer');
      expect(second.users[0]!.keys[0]!.createDate).toEqual(CREATED);
    });

    it('records every call in order', async () => {
      const { iam, keyId } = worldWithOneKey();
      await iam.readAccount(PROD);
      await iam.deactivateKey(PROD, 'jane.doe', keyId);
      expect(iam.calls).toEqual([
        { op: 'readAccount', accountId: PROD.id },
        { op: 'deactivateKey', accountId: PROD.id, userName: 'jane.doe', accessKeyId: keyId },
      ]);
    });
  });

  describe('access keys', () => {
    it('issues unique, well-formed key ids', () => {
      const iam = new SimulatedIam();
      iam.addAccount(PROD.id);
      const ids = Array.from({ length: 300 }, (_, i) => {
        iam.addUser(PROD.id, `user-${i}`);
        return [
          iam.createAccessKey(PROD.id, `user-${i}`, CREATED).accessKeyId,
          iam.createAccessKey(PROD.id, `user-${i}`, CREATED).accessKeyId,
        ];
      }).flat();
      expect(new Set(ids).size).toBe(600);
      expect(ids.every((id) => /^AKIA[A-Z2-7]{16}$/.test(id))).toBe(true);
    });

    it('refuses a third key, like the IAM quota', () => {
      const { iam } = worldWithOneKey();
      iam.createAccessKey(PROD.id, 'jane.doe', CREATED);
      expect(thrownCode(() => iam.createAccessKey(PROD.id, 'jane.doe', CREATED))).toBe('LimitExceeded');
    });

    it('lets a person re-activate, record use of, and delete a key', () => {
      const { iam, keyId } = worldWithOneKey();
      const usedAt = new Date('2025-02-01T00:00:00Z');
      iam.setKeyStatus(PROD.id, 'jane.doe', keyId, 'Inactive');
      iam.setKeyStatus(PROD.id, 'jane.doe', keyId, 'Active');
      iam.setKeyLastUsed(PROD.id, 'jane.doe', keyId, usedAt);
      expect(iam.findKey(keyId)).toEqual({
        accountId: PROD.id,
        userName: 'jane.doe',
        key: { accessKeyId: keyId, status: 'Active', createDate: CREATED, lastUsedDate: usedAt },
      });
      iam.deleteAccessKey(PROD.id, 'jane.doe', keyId);
      expect(iam.findKey(keyId)).toBeUndefined();
    });

    it('refuses to delete a user that still has keys, as IAM does', () => {
      const { iam } = worldWithOneKey();
      expect(thrownCode(() => iam.deleteUser(PROD.id, 'jane.doe'))).toBe('DeleteConflict');
    });
  });

  describe('tags', () => {
    it('sets and removes tags', () => {
      const { iam } = worldWithOneKey();
      iam.setTag(PROD.id, 'jane.doe', 'full-name', 'Jane Doe');
      iam.removeTag(PROD.id, 'jane.doe', 'slack-id');
      expect(iam.getUser(PROD.id, 'jane.doe')?.tags).toEqual({ type: 'engineer', 'full-name': 'Jane Doe' });
    });

    it.each([
      ['a 257-character value', 'full-name', 'x'.repeat(257), 'InvalidInput'],
      ['a value with characters IAM refuses', 'slack-id', '<@U0123ABCD>', 'InvalidInput'],
      ['an empty key', '', 'x', 'InvalidInput'],
    ])('refuses %s', (_name, key, value, code) => {
      const { iam } = worldWithOneKey();
      expect(thrownCode(() => iam.setTag(PROD.id, 'jane.doe', key, value))).toBe(code);
    });

    it('accepts the longest value IAM accepts, and an empty one', () => {
      const { iam } = worldWithOneKey();
      iam.setTag(PROD.id, 'jane.doe', 'full-name', 'é'.repeat(256));
      iam.setTag(PROD.id, 'jane.doe', 'slack-id', '');
      expect(iam.getUser(PROD.id, 'jane.doe')?.tags).toEqual({
        type: 'engineer',
        'slack-id': '',
        'full-name': 'é'.repeat(256),
      });
    });

    it('refuses a 51st tag', () => {
      const iam = new SimulatedIam();
      iam.addAccount(PROD.id);
      const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`tag-${i}`, 'v']));
      iam.addUser(PROD.id, 'tagged', fifty);
      expect(thrownCode(() => iam.setTag(PROD.id, 'tagged', 'one-more', 'v'))).toBe('LimitExceeded');
    });
  });

  describe('deactivation', () => {
    it('sets the key Inactive and keeps it', async () => {
      const { iam, keyId } = worldWithOneKey();
      await iam.deactivateKey(PROD, 'jane.doe', keyId);
      expect(iam.getUser(PROD.id, 'jane.doe')?.keys).toEqual([
        { accessKeyId: keyId, status: 'Inactive', createDate: CREATED },
      ]);
      expect(iam.deactivations).toEqual([{ accountId: PROD.id, userName: 'jane.doe', accessKeyId: keyId }]);
    });

    it('accepts deactivating an Inactive key again, like UpdateAccessKey', async () => {
      const { iam, keyId } = worldWithOneKey();
      await iam.deactivateKey(PROD, 'jane.doe', keyId);
      await iam.deactivateKey(PROD, 'jane.doe', keyId);
      expect(iam.deactivations).toHaveLength(2);
    });

    it.each([
      [
        'account',
        { id: '999999999999', name: 'ghost' },
        'jane.doe',
        'key',
        'AccessDenied',
        /ghost \(999999999999\)/,
      ],
      ['user', PROD, 'john.roe', 'key', 'NoSuchEntity', /user with name john.roe cannot be found/],
      ['key', PROD, 'jane.doe', 'AKIANOSUCHKEY', 'NoSuchEntity', /Access Key with id AKIANOSUCHKEY/],
    ])('fails clearly for an unknown %s', async (_what, account, userName, keyArg, code, message) => {
      const { iam, keyId } = worldWithOneKey();
      const accessKeyId = keyArg === 'key' ? keyId : keyArg;
      const error = await rejection(iam.deactivateKey(account, userName, accessKeyId));
      expect(error).toBeInstanceOf(SimulatedIamError);
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(iam.deactivations).toEqual([]);
    });

    it('clears the record of calls without touching the world', async () => {
      const { iam, keyId } = worldWithOneKey();
      await iam.deactivateKey(PROD, 'jane.doe', keyId);
      iam.clearCalls();
      expect([iam.calls, iam.deactivations]).toEqual([[], []]);
      expect(iam.findKey(keyId)?.key.status).toBe('Inactive');
    });
  });

  describe('fault injection', () => {
    it('fails a whole account with AccessDenied on AssumeRole, naming the account', async () => {
      const { iam } = worldWithOneKey();
      iam.failAccount(PROD.id);
      const error = await rejection(iam.readAccount(PROD));
      expect(error.code).toBe('AccessDenied');
      expect(error.message).toBe(
        'Cannot read account prod (111111111111): not authorized to perform: sts:AssumeRole on resource: ' +
          'arn:aws:iam::111111111111:role/AccessKeyEnforcerMember',
      );
    });

    it('keeps an injected error as the cause and still names the account', async () => {
      const { iam } = worldWithOneKey();
      const cause = new Error('Rate exceeded');
      iam.failAccount(PROD.id, cause);
      const error = await rejection(iam.readAccount(PROD));
      expect(error.message).toBe('Cannot read account prod (111111111111): Rate exceeded');
      expect(error.cause).toBe(cause);
    });

    it('reads the account again once healed', async () => {
      const { iam } = worldWithOneKey();
      iam.failAccount(PROD.id, 'boom');
      iam.healAccount(PROD.id);
      await expect(iam.readAccount(PROD)).resolves.toEqual(expect.objectContaining({ failedUsers: [] }));
    });

    it('fails an account outside the simulation like a missing member role', async () => {
      const iam = new SimulatedIam();
      const error = await rejection(iam.readAccount({ id: '222222222222', name: '222222222222' }));
      expect(error.code).toBe('AccessDenied');
      expect(error.message).toMatch(/^Cannot read account 222222222222: /);
    });

    it('lists a failed user under failedUsers and not under users', async () => {
      const { iam } = worldWithOneKey();
      iam.addUser(PROD.id, 'odd.user');
      iam.failUser(PROD.id, 'odd.user', 'ListUserTags: Throttling');
      const scan = await iam.readAccount(PROD);
      expect(scan.users.map((u) => u.userName)).toEqual(['jane.doe']);
      expect(scan.failedUsers).toEqual([{ userName: 'odd.user', message: 'ListUserTags: Throttling' }]);
    });

    it('fails one deactivation, leaves the key Active, and records the attempt', async () => {
      const { iam, keyId } = worldWithOneKey();
      iam.failDeactivation(PROD.id, keyId, 'Throttling: Rate exceeded');
      const error = await rejection(iam.deactivateKey(PROD, 'jane.doe', keyId));
      expect(error.message).toBe('Cannot deactivate key in prod (111111111111): Throttling: Rate exceeded');
      expect(iam.findKey(keyId)?.key.status).toBe('Active');
      expect(iam.deactivations).toEqual([]);
      expect(iam.calls).toHaveLength(1);
    });

    it('heals every injected failure at once', async () => {
      const { iam, keyId } = worldWithOneKey();
      iam.failAccount(PROD.id);
      iam.failUser(PROD.id, 'jane.doe', 'nope');
      iam.failDeactivation(PROD.id, keyId);
      iam.healAll();
      await iam.deactivateKey(PROD, 'jane.doe', keyId);
      expect((await iam.readAccount(PROD)).users).toHaveLength(1);
    });

    it('refuses to fail a user that does not exist, to catch typos in tests', () => {
      const { iam } = worldWithOneKey();
      expect(() => iam.failUser(PROD.id, 'jnae.doe', 'x')).toThrow(SimulatedIamError);
    });
  });
});
