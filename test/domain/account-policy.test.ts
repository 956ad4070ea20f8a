import { decideAccount } from '../../lambda/domain/account-policy';
import { applyCircuitBreaker } from '../../lambda/domain/circuit-breaker';
import { type AccountPlan, type Decision } from '../../lambda/domain/decisions';
import { type AccountLedger } from '../../lambda/domain/ledger-records';
import { type IamUserSnapshot } from '../../lambda/domain/model';
import {
  ACCOUNT,
  BASELINED,
  dateOnDay,
  engineer,
  key,
  onDay,
  record,
  sent,
  testConfig,
} from './policy-fixtures';

function plan(
  users: IamUserSnapshot[],
  ledger: AccountLedger = BASELINED,
  age = 10,
  failedUsers: { userName: string; message: string }[] = [],
): AccountPlan {
  return decideAccount({
    account: ACCOUNT,
    scan: { users, failedUsers },
    ledger,
    config: testConfig(),
    now: onDay(age),
  });
}

const kinds = (decisions: readonly Decision[]): string[] => decisions.map((d) => d.kind);
const KEY2 = 'AKIAAAAAAAAAAAAAAAA2';

describe('decideAccount: baseline and new keys (SPEC §4)', () => {
  it('records every key silently on the first scan and posts one summary', () => {
    const users = [engineer(), engineer({ userName: 'bob', keys: [key({ accessKeyId: KEY2 })] })];
    const result = plan(users, { keys: [] });
    expect(kinds(result.decisions)).toEqual(['new-key', 'new-key', 'baseline']);
    expect(
      result.decisions.filter((d) => d.kind === 'new-key').every((d) => d.kind === 'new-key' && !d.alert),
    ).toBe(true);
    expect(result.decisions.at(-1)).toMatchObject({ kind: 'baseline', users: 2, keys: 2, activeKeys: 2 });
  });

  it('alerts once on a key created after the baseline', () => {
    const result = plan([engineer({ keys: [key(), key({ accessKeyId: KEY2, createDate: onDay(9) })] })], {
      ...BASELINED,
      keys: [record()],
    });
    expect(result.decisions).toContainEqual(
      expect.objectContaining({
        kind: 'new-key',
        alert: true,
        subject: expect.objectContaining({ key: expect.objectContaining({ accessKeyId: KEY2 }) }),
      }),
    );
  });

  it('flags an engineer with two active keys once per key, listing both', () => {
    const users = [engineer({ keys: [key(), key({ accessKeyId: KEY2 })] })];
    const first = plan(users, { ...BASELINED, keys: [record(), record({ accessKeyId: KEY2 })] });
    expect(first.decisions).toContainEqual(
      expect.objectContaining({
        kind: 'second-key',
        keysToFlag: [record().accessKeyId, KEY2],
        announce: true,
      }),
    );
    const flagged = plan(users, {
      ...BASELINED,
      keys: [
        record({ secondKeyFlaggedOn: dateOnDay(10) }),
        record({ accessKeyId: KEY2, secondKeyFlaggedOn: dateOnDay(10) }),
      ],
    });
    expect(kinds(flagged.decisions)).not.toContain('second-key');
  });

  it('does not flag machine users with two keys', () => {
    const users = [engineer({ tags: { type: 'machine' }, keys: [key(), key({ accessKeyId: KEY2 })] })];
    expect(
      kinds(plan(users, { ...BASELINED, keys: [record(), record({ accessKeyId: KEY2 })] }).decisions),
    ).not.toContain('second-key');
  });

  it('folds second keys found by the baseline into its summary', () => {
    const result = plan([engineer({ keys: [key(), key({ accessKeyId: KEY2 })] })], { keys: [] });
    expect(result.decisions).toContainEqual(expect.objectContaining({ kind: 'second-key', announce: false }));
    expect(result.decisions.at(-1)).toMatchObject({ kind: 'baseline', secondKeyUsers: ['alice'] });
  });
});

describe('decideAccount: deleted keys', () => {
  it('thanks the owner of a reminded key that was deleted, then forgets it', () => {
    const ledger = {
      ...BASELINED,
      keys: [record({ milestones: { '76': sent(76) }, noticeDeliveredOn: dateOnDay(76) })],
    };
    const result = plan([engineer({ keys: [] })], ledger, 78);
    expect(kinds(result.decisions)).toEqual(['thanks', 'key-gone']);
    expect(result.decisions[0]).toMatchObject({
      how: 'deleted',
      directMessage: true,
      subject: { owner: { slackId: 'U0ALICE01' } },
    });
  });

  it('forgets a deleted key that was never reminded without a message', () => {
    expect(kinds(plan([engineer({ keys: [] })], { ...BASELINED, keys: [record()] }).decisions)).toEqual([
      'key-gone',
    ]);
  });

  it('does not treat the keys of a user that failed to read as deleted', () => {
    const result = plan([], { ...BASELINED, keys: [record()] }, 10, [
      { userName: 'alice', message: 'AccessDenied' },
    ]);
    expect(result.decisions).toEqual([]);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'user-read-failed', userName: 'alice' }),
    ]);
  });
});

describe('decideAccount: a first scan that takes several runs (issue 9)', () => {
  const decideWith = (users: IamUserSnapshot[], ledger: AccountLedger, unlistedUsers: string[]) =>
    decideAccount({
      account: ACCOUNT,
      scan: { users, failedUsers: [], unlistedUsers },
      ledger,
      config: testConfig(),
      now: onDay(10),
    });

  it('records the users it listed silently and holds the baseline until every user is listed', () => {
    const result = decideWith(
      [engineer({ userName: 'bob', keys: [key({ accessKeyId: KEY2 })] })],
      { keys: [] },
      ['alice'],
    );
    expect(kinds(result.decisions)).toEqual(['new-key']);
    expect(result.decisions[0]).toMatchObject({ kind: 'new-key', alert: false });
    expect(result.problems).toEqual([]);
  });

  it('does not take the keys of a user not listed yet for deleted', () => {
    const result = decideWith([], { keys: [record()] }, ['alice']);
    expect(result.decisions).toEqual([]);
  });

  it('announces a second key created after the first read, though the baseline is not complete', () => {
    const ledger: AccountLedger = {
      account: { accountId: ACCOUNT.id, version: 1, firstReadAt: onDay(5).toISOString() },
      keys: [record()],
    };
    const users = [engineer({ keys: [key(), key({ accessKeyId: KEY2, createDate: onDay(9) })] })];

    const result = decideWith(users, ledger, ['bob']);

    expect(result.decisions).toContainEqual(expect.objectContaining({ kind: 'new-key', alert: true }));
    expect(result.decisions).toContainEqual(expect.objectContaining({ kind: 'second-key', announce: true }));
  });

  it('completes the baseline once nobody is left unlisted', () => {
    expect(kinds(decideWith([engineer()], { keys: [record()] }, []).decisions)).toEqual(['baseline']);
  });
});

describe('decideAccount: bad input never hides the rest (SPEC §5)', () => {
  const good = engineer({ userName: 'good', keys: [key({ accessKeyId: 'AKIAGOOD000000000001' })] });

  it.each<[string, IamUserSnapshot, string]>([
    [
      'empty tags',
      engineer({ userName: 'bad', tags: { type: '', 'slack-id': '' }, keys: [key({ accessKeyId: KEY2 })] }),
      'missing-type',
    ],
    [
      'lowercase slack id',
      engineer({
        userName: 'bad',
        tags: { type: 'engineer', 'slack-id': 'u0123abcd' },
        keys: [key({ accessKeyId: KEY2 })],
      }),
      'invalid-slack-id',
    ],
    [
      '500-char values',
      engineer({
        userName: 'bad',
        tags: { type: 'engineer', 'slack-id': 'U0123ABCD', 'full-name': 'n'.repeat(500) },
        keys: [key({ accessKeyId: KEY2 })],
      }),
      'invalid-tag-value',
    ],
    [
      'unknown type',
      engineer({ userName: 'bad', tags: { type: 'robot' }, keys: [key({ accessKeyId: KEY2 })] }),
      'unknown-type',
    ],
    [
      'future CreateDate',
      engineer({ userName: 'bad', keys: [key({ accessKeyId: KEY2, createDate: onDay(400) })] }),
      'future-create-date',
    ],
    [
      'invalid CreateDate',
      engineer({ userName: 'bad', keys: [key({ accessKeyId: KEY2, createDate: new Date('nope') })] }),
      'future-create-date',
    ],
    [
      'garbage exemption',
      engineer({
        userName: 'bad',
        tags: { type: 'engineer', 'slack-id': 'U0123ABCD', 'key-rotation-exempt-until': 'soon' },
        keys: [key({ accessKeyId: KEY2 })],
      }),
      'invalid-exemption',
    ],
  ])('%s: reported, and the good user is still reminded', (_name, bad, code) => {
    const result = plan([bad, good], BASELINED, 76);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code, userName: 'bad', accountId: ACCOUNT.id }),
    );
    expect(result.decisions).toContainEqual(
      expect.objectContaining({ kind: 'remind', subject: expect.objectContaining({ userName: 'good' }) }),
    );
  });

  it('processes a duplicated key id once and reports the duplicate', () => {
    const result = plan([engineer(), engineer({ userName: 'bob' })], BASELINED, 76);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'duplicate-key-id', userName: 'bob' })]);
    expect(result.decisions.filter((d) => d.kind === 'remind')).toHaveLength(1);
  });

  it('skips a key another live run holds, and reports it', () => {
    const lease = { runId: 'other', expiresAt: onDay(77).toISOString() };
    const result = plan([engineer()], { ...BASELINED, keys: [record({ lease })] }, 76);
    expect(result.decisions).toEqual([]);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'key-busy' })]);
  });

  it('ignores an expired lease left by a run that crashed', () => {
    const lease = { runId: 'crashed', expiresAt: onDay(75).toISOString() };
    expect(kinds(plan([engineer()], { ...BASELINED, keys: [record({ lease })] }, 76).decisions)).toEqual([
      'remind',
    ]);
  });

  it('lists every exemption in force', () => {
    const exempt = engineer({
      tags: { type: 'engineer', 'slack-id': 'U0123ABCD', 'key-rotation-exempt-until': dateOnDay(40) },
    });
    expect(plan([exempt]).exemptions).toEqual([
      { account: ACCOUNT, userName: 'alice', until: dateOnDay(40) },
    ]);
  });
});

describe('applyCircuitBreaker', () => {
  function plansWithDeactivations(count: number): AccountPlan[] {
    const users = Array.from({ length: count }, (_, i) =>
      engineer({ userName: `user${i}`, keys: [key({ accessKeyId: `AKIA${String(i).padStart(16, '0')}` })] }),
    );
    const ledger = {
      ...BASELINED,
      keys: users.map((u, i) =>
        record({
          userName: u.userName,
          accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
          milestones: { '76': sent(76), '81': sent(81), '86': sent(86) },
          noticeDeliveredOn: dateOnDay(76),
        }),
      ),
    };
    return [plan(users, ledger, 91)];
  }

  it.each([
    [20, 20, false],
    [21, 20, true],
    [0, 0, false],
    [1, 0, true],
  ])('%i deactivations with a limit of %i: tripped=%s', (count, limit, tripped) => {
    const result = applyCircuitBreaker(plansWithDeactivations(count), limit);
    expect(result.trip !== undefined).toBe(tripped);
    const remaining = result.plans.flatMap((p) => p.decisions).filter((d) => d.kind === 'deactivate');
    expect(remaining).toHaveLength(tripped ? 0 : count);
    expect(result.trip?.withheld ?? []).toHaveLength(tripped ? count : 0);
  });
});
