/* eslint-disable jest/no-export -- a shared contract: its tests run from each implementation's test file. */
import {
  type DigestRecordDraft,
  type KeyRecord,
  type KeyRecordDraft,
  type WriteResult,
} from '../../lambda/domain/ledger-records';
import { type Ledger } from '../../lambda/ports';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';

/** A key draft with only the required fields. */
export function minimalKeyDraft(overrides: Partial<KeyRecordDraft> = {}): KeyRecordDraft {
  return {
    accountId: ACCOUNT,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    userName: 'alice',
    createdAt: '2025-01-06T09:30:00.000Z',
    firstSeenOn: '2025-01-07',
    newKeyAlert: 'sent',
    milestones: {},
    ...overrides,
  };
}

/** A key draft with every optional field set, including a falsy boolean. */
export function fullKeyDraft(overrides: Partial<KeyRecordDraft> = {}): KeyRecordDraft {
  return minimalKeyDraft({
    milestones: {
      '76': { outcome: 'skipped', on: '2025-03-24' },
      '81': { outcome: 'sent', on: '2025-03-28', deliveredTo: 'owner' },
      final: { outcome: 'sent', on: '2025-04-02', deliveredTo: 'channel' },
    },
    noticeDeliveredOn: '2025-03-28',
    finalDeadline: '2025-04-07',
    deactivatedByUsOn: '2025-04-07',
    deactivationNoticePending: false,
    secondKeyFlaggedOn: '2025-02-01',
    thankedOn: '2025-04-08',
    goneOn: '2025-04-09',
    lease: { runId: 'run-2025-04-09', expiresAt: '2025-04-09T06:15:00.000Z' },
    ...overrides,
  });
}

/** A weekly digest's record with every field set, its snapshot nested two levels deep. */
export function weeklyDigestDraft(overrides: Partial<DigestRecordDraft> = {}): DigestRecordDraft {
  return {
    digestId: 'weekly/2025-01-06',
    state: 'posted',
    runId: 'run-2025-01-06',
    claimedAt: '2025-01-06T09:00:00.000Z',
    postedAt: '2025-01-06T09:00:02.000Z',
    snapshot: {
      on: '2025-01-06',
      totals: { activeKeys: 12, compliant: 10, overdue: 2, exemptions: 1, findings: 3 },
      accounts: {
        [ACCOUNT]: { activeKeys: 12, compliant: 10, overdue: 2, exemptions: 1, findings: 3 },
        [OTHER_ACCOUNT]: { activeKeys: 0, compliant: 0, overdue: 0, exemptions: 0 },
      },
    },
    ...overrides,
  };
}

/** Keys come back in no promised order; compare them in one. */
export function byAccessKeyId(keys: readonly KeyRecord[]): KeyRecord[] {
  return [...keys].sort((a, b) => a.accessKeyId.localeCompare(b.accessKeyId));
}

/** One kind of record, so that the conditional-write rules are checked for both. */
interface RecordKind {
  readonly kind: string;
  put(ledger: Ledger, expectedVersion: number | undefined): Promise<WriteResult>;
  versions(ledger: Ledger): Promise<number[]>;
}

const recordKinds: readonly RecordKind[] = [
  {
    kind: 'key',
    put: (ledger, expected) => ledger.putKey(minimalKeyDraft(), expected),
    versions: async (ledger) => (await ledger.readAccount(ACCOUNT)).keys.map((k) => k.version),
  },
  {
    kind: 'account',
    put: (ledger, expected) => ledger.putAccount({ accountId: ACCOUNT }, expected),
    versions: async (ledger) => {
      const read = await ledger.readAccount(ACCOUNT);
      return read.account ? [read.account.version] : [];
    },
  },
  {
    kind: 'digest',
    put: (ledger, expected) =>
      ledger.putDigest(
        { digestId: 'daily/2025-01-07', state: 'claimed', runId: 'r', claimedAt: '2025-01-07T09:00:00.000Z' },
        expected,
      ),
    versions: async (ledger) => {
      const digest = await ledger.readDigest('daily/2025-01-07');
      return digest ? [digest.version] : [];
    },
  },
];

/** [stored version (0 = absent), expected version, result, stored versions after]. */
const conditionalWrites: readonly [number, number | undefined, WriteResult, number[]][] = [
  [0, undefined, 'written', [1]],
  [0, 0, 'conflict', []],
  [0, 1, 'conflict', []],
  [1, undefined, 'conflict', [1]],
  [1, 0, 'conflict', [1]],
  [1, 1, 'written', [2]],
  [1, 2, 'conflict', [1]],
  [2, 1, 'conflict', [2]],
  [2, 2, 'written', [3]],
];

const conditionalWriteCases = recordKinds.flatMap((kind) =>
  conditionalWrites.map(([stored, expected, result, after]) => ({
    record: kind.kind,
    kind,
    state: stored === 0 ? 'absent' : `at version ${stored}`,
    stored,
    expected,
    result,
    after,
  })),
);

/**
 * The behaviour every `Ledger` must have, run against each implementation so that the in-memory
 * ledger used by tests and the demo cannot drift from the DynamoDB one. `makeLedger` returns a
 * new, empty ledger on every call.
 */
export function ledgerContract(name: string, makeLedger: () => Ledger | Promise<Ledger>): void {
  describe(`${name} honours the Ledger contract`, () => {
    let ledger: Ledger;

    beforeEach(async () => {
      ledger = await makeLedger();
    });

    it('reads an unknown account as no account record and no keys', async () => {
      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({ keys: [] });
    });

    it('reads back a key record with every field exactly, at version 1', async () => {
      await ledger.putKey(fullKeyDraft(), undefined);

      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({
        keys: [{ ...fullKeyDraft(), version: 1 }],
      });
    });

    it('keeps absent optional fields absent', async () => {
      await ledger.putKey(minimalKeyDraft(), undefined);

      const { keys } = await ledger.readAccount(ACCOUNT);

      expect(keys).toStrictEqual([{ ...minimalKeyDraft(), version: 1 }]);
    });

    it('reads back the account record together with its keys', async () => {
      await ledger.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-07' }, undefined);
      await ledger.putKey(minimalKeyDraft(), undefined);

      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({
        account: { accountId: ACCOUNT, baselinedOn: '2025-01-07', version: 1 },
        keys: [{ ...minimalKeyDraft(), version: 1 }],
      });
    });

    it('reads back the rule finding notices on the account record, ids with slashes, an empty map too', async () => {
      const ruleFindings = {
        'mfa-missing/111111111111/bob': { firstSeenOn: '2025-01-07', notifiedOn: '2025-01-07' },
        'unused-key/111111111111/alice/AKIAIOSFODNN7EXAMPLE': {
          firstSeenOn: '2025-01-01',
          notifiedOn: '2025-01-01',
          remindedOn: '2025-01-31',
        },
      };
      await ledger.putAccount({ accountId: ACCOUNT, ruleFindings }, undefined);
      await expect(ledger.readAccount(ACCOUNT)).resolves.toMatchObject({
        account: { ruleFindings, version: 1 },
      });

      await ledger.putAccount({ accountId: ACCOUNT, ruleFindings: {} }, 1);
      await expect(ledger.readAccount(ACCOUNT)).resolves.toMatchObject({
        account: { ruleFindings: {}, version: 2 },
      });
    });

    it.each(conditionalWriteCases)(
      '$record record $state, written expecting $expected: $result',
      async ({ kind, stored, expected, result, after }) => {
        for (let version = 0; version < stored; version++)
          await kind.put(ledger, version === 0 ? undefined : version);

        const written = await kind.put(ledger, expected);

        expect(written).toBe(result);
        expect(await kind.versions(ledger)).toEqual(after);
      },
    );

    it('leaves the stored record untouched when a write conflicts', async () => {
      await ledger.putKey(minimalKeyDraft({ userName: 'first' }), undefined);

      await ledger.putKey(minimalKeyDraft({ userName: 'second' }), undefined);

      const { keys } = await ledger.readAccount(ACCOUNT);
      expect(keys).toStrictEqual([{ ...minimalKeyDraft({ userName: 'first' }), version: 1 }]);
    });

    it('replaces the whole record on update, dropping fields the draft no longer has', async () => {
      await ledger.putKey(fullKeyDraft(), undefined);

      await ledger.putKey(minimalKeyDraft(), 1);

      const { keys } = await ledger.readAccount(ACCOUNT);
      expect(keys).toStrictEqual([{ ...minimalKeyDraft(), version: 2 }]);
    });

    it('drops a field that an update sets to undefined', async () => {
      await ledger.putKey(fullKeyDraft(), undefined);

      await ledger.putKey(fullKeyDraft({ lease: undefined }), 1);

      const { keys } = await ledger.readAccount(ACCOUNT);
      expect(keys[0]?.lease).toBeUndefined();
    });

    it('keeps accounts apart, even for the same access key id', async () => {
      await ledger.putKey(minimalKeyDraft({ userName: 'ours' }), undefined);
      await ledger.putKey(minimalKeyDraft({ accountId: OTHER_ACCOUNT, userName: 'theirs' }), undefined);
      await ledger.putAccount({ accountId: OTHER_ACCOUNT }, undefined);

      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({
        keys: [{ ...minimalKeyDraft({ userName: 'ours' }), version: 1 }],
      });
    });

    it('versions the account record and key records independently', async () => {
      await ledger.putAccount({ accountId: ACCOUNT }, undefined);
      await ledger.putKey(minimalKeyDraft(), undefined);
      await ledger.putKey(minimalKeyDraft(), 1);

      const result = await ledger.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-07' }, 1);

      expect(result).toBe('written');
      const read = await ledger.readAccount(ACCOUNT);
      expect([read.account?.version, read.keys[0]?.version]).toEqual([2, 2]);
    });

    it('returns every key of the account', async () => {
      const drafts = ['AKIA0000000000000003', 'AKIA0000000000000001', 'AKIA0000000000000002'].map(
        (accessKeyId) => minimalKeyDraft({ accessKeyId }),
      );
      for (const draft of drafts) await ledger.putKey(draft, undefined);

      const { keys } = await ledger.readAccount(ACCOUNT);

      expect(byAccessKeyId(keys)).toStrictEqual(byAccessKeyId(drafts.map((d) => ({ ...d, version: 1 }))));
    });

    it('reads an unknown digest as undefined', async () => {
      await expect(ledger.readDigest('weekly/2025-01-06')).resolves.toBeUndefined();
    });

    it('reads back a digest record with its nested snapshot exactly, at version 1', async () => {
      await ledger.putDigest(weeklyDigestDraft(), undefined);

      await expect(ledger.readDigest('weekly/2025-01-06')).resolves.toStrictEqual({
        ...weeklyDigestDraft(),
        version: 1,
      });
    });

    it('keeps digest records apart: by id, and out of every account', async () => {
      await ledger.putDigest(weeklyDigestDraft(), undefined);
      await ledger.putDigest(
        weeklyDigestDraft({ digestId: 'daily/2025-01-06', snapshot: undefined }),
        undefined,
      );

      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({ keys: [] });
      await expect(ledger.readDigest('weekly/2025-01-13')).resolves.toBeUndefined();
      await expect(ledger.readDigest('daily/2025-01-06')).resolves.not.toHaveProperty('snapshot');
    });

    it('lets exactly one of two runs claim a digest', async () => {
      const claims = ['run-a', 'run-b'].map((runId) =>
        weeklyDigestDraft({ runId, state: 'claimed', postedAt: undefined, snapshot: undefined }),
      );

      const results = await Promise.all(claims.map((claim) => ledger.putDigest(claim, undefined)));

      expect([...results].sort()).toEqual(['conflict', 'written']);
      await expect(ledger.readDigest('weekly/2025-01-06')).resolves.toMatchObject({
        runId: claims[results.indexOf('written')]?.runId,
        version: 1,
      });
    });

    it.each([
      { race: 'create', stored: 0, expected: undefined },
      { race: 'update', stored: 1, expected: 1 },
    ])('lets exactly one of two concurrent writers $race a record', async ({ stored, expected }) => {
      for (let version = 0; version < stored; version++)
        await ledger.putKey(minimalKeyDraft(), version === 0 ? undefined : version);
      const racing = [minimalKeyDraft({ userName: 'writer-a' }), minimalKeyDraft({ userName: 'writer-b' })];

      const results = await Promise.all(racing.map((draft) => ledger.putKey(draft, expected)));

      expect([...results].sort()).toEqual(['conflict', 'written']);
      const winner = racing[results.indexOf('written')];
      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({
        keys: [{ ...winner, version: stored + 1 }],
      });
    });
  });
}
