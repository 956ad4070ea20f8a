import { addDays, daysFromTo } from '../../lambda/domain/dates';
import {
  chooseReadPath,
  firstScanOrder,
  reportIsStale,
  scanFromInventory,
  sweepBatch,
  sweepSlot,
  sweepsFirst,
  withUnlisted,
} from '../../lambda/domain/fast-read';
import { type InventoryUser, type ReportKeySlot } from '../../lambda/domain/inventory-read';
import { type KeyRecord } from '../../lambda/domain/ledger-records';

const T1 = '2026-10-01T14:03:07.000Z';
const T2 = '2026-11-20T23:30:00.000Z';

function record(accessKeyId: string, createdAt: string, extra: Partial<KeyRecord> = {}): KeyRecord {
  return {
    accountId: '111111111111',
    accessKeyId,
    userName: 'alice',
    createdAt,
    version: 1,
    firstSeenOn: '2026-11-01',
    newKeyAlert: 'sent',
    milestones: {},
    ...extra,
  };
}

const slot = (active: boolean, at?: string): ReportKeySlot => ({
  active,
  ...(at ? { lastRotated: new Date(at) } : {}),
});
const EMPTY = slot(false);

describe('scanFromInventory: the report is believed only where it matches the ledger one to one', () => {
  it.each([
    ['one key, same second', [slot(true, T1), EMPTY], [record('AKIA1', T1)], undefined, ['AKIA1:Active']],
    [
      'the report has the key off',
      [slot(false, T1), EMPTY],
      [record('AKIA1', T1)],
      undefined,
      ['AKIA1:Inactive'],
    ],
    [
      'two keys, either order',
      [slot(true, T2), slot(true, T1)],
      [record('AKIA1', T1), record('AKIA2', T2)],
      undefined,
      ['AKIA2:Active', 'AKIA1:Active'],
    ],
    [
      'a key the ledger does not know',
      [slot(true, T1), slot(true, T2)],
      [record('AKIA1', T1)],
      'report-disagrees',
      ['AKIA1:Active'],
    ],
    [
      'a key the report no longer has',
      [slot(true, T1), EMPTY],
      [record('AKIA1', T1), record('AKIA2', T2)],
      'report-disagrees',
      ['AKIA1:Active'],
    ],
    [
      'a gone key is not expected',
      [EMPTY, EMPTY],
      [record('AKIA1', T1, { goneOn: '2026-11-02' })],
      undefined,
      [],
    ],
    [
      'same CreateDate twice: ambiguous',
      [slot(true, T1), slot(true, T1)],
      [record('AKIA1', T1), record('AKIA2', T1)],
      'report-disagrees',
      [],
    ],
    ['an active key without a date', [slot(true), EMPTY], [record('AKIA1', T1)], 'report-disagrees', []],
    [
      'a different second',
      [slot(true, '2026-10-01T14:03:08.000Z'), EMPTY],
      [record('AKIA1', T1)],
      'report-disagrees',
      [],
    ],
  ])('%s', (_name, slots, records, look, keys) => {
    const result = scanFromInventory(
      {
        reportGeneratedAt: new Date('2026-12-01T08:00:00Z'),
        users: [
          {
            userName: 'alice',
            tags: { type: 'engineer' },
            report: { userName: 'alice', keys: [slots[0]!, slots[1]!], mfaActive: false },
          },
        ],
      },
      records,
    );
    expect(result.needsLook.get('alice')).toBe(look);
    expect(result.scan.users[0]!.keys.map((k) => `${k.accessKeyId}:${k.status}`)).toEqual(keys);
    expect(result.scan.users[0]!.tags).toEqual({ type: 'engineer' });
  });

  it('looks at a user created after the report', () => {
    const result = scanFromInventory(
      { reportGeneratedAt: new Date('2026-12-01T08:00:00Z'), users: [{ userName: 'new', tags: {} }] },
      [],
    );
    expect(result.needsLook.get('new')).toBe('not-in-report');
  });
});

describe('chooseReadPath', () => {
  const base = { today: '2026-12-10', fastPath: true, fullSweepDays: 7, readerSupportsFastPath: true };
  it.each([
    ['no account record', undefined, base, 'first-scan'],
    ['not baselined', { accountId: 'a', version: 1 }, base, 'first-scan'],
    [
      'baselined, never swept (upgrade)',
      { accountId: 'a', version: 1, baselinedOn: '2026-12-01' },
      base,
      'full-sweep',
    ],
    [
      'swept 6 days ago',
      { accountId: 'a', version: 1, baselinedOn: '2026-12-01', lastFullScanOn: '2026-12-04' },
      base,
      'fast',
    ],
    [
      'swept 7 days ago',
      { accountId: 'a', version: 1, baselinedOn: '2026-12-01', lastFullScanOn: '2026-12-03' },
      base,
      'full-sweep',
    ],
    [
      'a sweep left unfinished yesterday, swept 3 days ago',
      {
        accountId: 'a',
        version: 1,
        baselinedOn: '2026-12-01',
        lastFullScanOn: '2026-12-07',
        sweepCursor: 'mallory',
      },
      base,
      'full-sweep',
    ],
    [
      'fast path off',
      { accountId: 'a', version: 1, baselinedOn: '2026-12-01', lastFullScanOn: '2026-12-09' },
      { ...base, fastPath: false },
      'disabled',
    ],
    [
      'reader without it',
      { accountId: 'a', version: 1, baselinedOn: '2026-12-01', lastFullScanOn: '2026-12-09' },
      { ...base, readerSupportsFastPath: false },
      'not-supported',
    ],
  ])('%s', (_name, account, facts, expected) => {
    const choice = chooseReadPath({ ...facts, account });
    expect(choice.path === 'fast' ? 'fast' : choice.reason).toBe(expected);
  });

  it('spreads the weekly sweeps of accounts onboarded together evenly over the week, each at most 7 days apart', () => {
    const ids = Array.from({ length: 70 }, (_, i) => String(100_000_000_000 + i));
    const lastSweep = new Map(ids.map((id) => [id, '2026-12-01']));
    const perDay: number[] = [];
    let widestGap = 0;
    for (let day = 1; day <= 60; day++) {
      const today = addDays('2026-12-01', day);
      // Runs are missed on days 20 and 21 (an outage): the age bound catches up afterwards.
      if (day === 20 || day === 21) continue;
      let swept = 0;
      for (const id of ids) {
        const account = {
          accountId: id,
          version: 1,
          baselinedOn: '2026-12-01',
          lastFullScanOn: lastSweep.get(id)!,
        };
        if (chooseReadPath({ ...base, today, account }).path === 'exhaustive') {
          widestGap = Math.max(widestGap, daysFromTo(lastSweep.get(id)!, today));
          lastSweep.set(id, today);
          swept++;
        }
      }
      if (day <= 7) perDay.push(swept);
    }
    expect(perDay).toEqual([10, 10, 10, 10, 10, 10, 10]);
    // 7 in steady state; 9 only across the two missed days.
    expect(widestGap).toBe(9);
  });

  it('gives an account the same sweep day every cycle, numeric or not', () => {
    expect(sweepSlot('123456789012', 7)).toBe(123456789012 % 7);
    expect(sweepSlot('sandbox', 7)).toBe(sweepSlot('sandbox', 7));
    expect(sweepSlot('sandbox', 7)).toBeLessThan(7);
  });

  it('starts the accounts that sweep today first, in their order, the rest after in theirs', () => {
    const today = '2027-01-05';
    const todaySlot = daysFromTo('1970-01-01', today) % 7;
    const ids = Array.from({ length: 21 }, (_, i) => String(100_000_000_000 + i));
    const sweeping = ids.filter((id) => sweepSlot(id, 7) === todaySlot);
    const accounts = ids.map((id) => ({ id }));
    const ordered = sweepsFirst(accounts, { fastPath: true, fullSweepDays: 7 }, today).map((a) => a.id);
    expect(sweeping).toHaveLength(3);
    expect(ordered).toEqual([...sweeping, ...ids.filter((id) => !sweeping.includes(id))]);
    // Every account read user by user: no account is longer than another, the order stays.
    expect(sweepsFirst(accounts, { fastPath: false, fullSweepDays: 7 }, today)).toEqual(accounts);
  });

  it('calls a report stale only when it predates the last read', () => {
    const account = { accountId: 'a', version: 1, lastReadAt: '2026-12-10T08:00:00.000Z' };
    expect(reportIsStale(new Date('2026-12-10T07:59:59Z'), account)).toBe(true);
    expect(reportIsStale(new Date('2026-12-10T08:00:00Z'), account)).toBe(false);
    expect(reportIsStale(new Date('2026-12-01T00:00:00Z'), undefined)).toBe(false);
  });
});

describe('sweepBatch: the users a run lists for its part of the full sweep', () => {
  const users = ['carol', 'alice', 'dave', 'Bob', 'bob', 'erin'];
  it.each([
    [
      'a new sweep lists everyone, in code-point order',
      undefined,
      [],
      ['Bob', 'alice', 'bob', 'carol', 'dave', 'erin'],
    ],
    ['resumes at the cursor, the cursor user included', 'carol', [], ['carol', 'dave', 'erin']],
    ['a cursor user deleted since still resumes at its place', 'cz', [], ['dave', 'erin']],
    ['skips users already listed live today', undefined, ['alice', 'dave'], ['Bob', 'bob', 'carol', 'erin']],
    ['nothing after the last user', 'zed', [], []],
  ])('%s', (_name, cursor, looked, expected) => {
    expect(sweepBatch(users, cursor, new Set(looked))).toEqual(expected);
  });
});

describe('firstScanOrder: who a first scan lists first', () => {
  const user = (userName: string, ...slots: ReportKeySlot[]): InventoryUser => ({
    userName,
    tags: {},
    report: { userName, keys: [slots[0] ?? EMPTY, slots[1] ?? EMPTY], mfaActive: false },
  });
  const users: InventoryUser[] = [
    user('young', slot(true, T2)),
    user('two-keys', slot(true, T2), slot(false, T1)),
    user('old', slot(true, T1)),
    user('no-date', slot(true)),
    { userName: 'newer-than-report', tags: {} },
    user('also-old', slot(true, T1)),
  ];

  it('puts the oldest key first, ties by name, undated users last, and only the names asked for', () => {
    const all = new Set(users.map((u) => u.userName));
    expect(firstScanOrder(users, all)).toEqual([
      'also-old',
      'old',
      'two-keys',
      'young',
      'newer-than-report',
      'no-date',
    ]);
    expect(firstScanOrder(users, new Set(['young', 'old']))).toEqual(['old', 'young']);
  });
});

describe('withUnlisted', () => {
  const scan = {
    users: ['ann', 'ben', 'cat'].map((userName) => ({ userName, tags: {}, keys: [] })),
    failedUsers: [{ userName: 'dan', message: 'AccessDenied' }],
  };

  it('takes the users not listed out of the scan and names them, leaving failures as they are', () => {
    expect(withUnlisted(scan, ['ben', 'cat'])).toEqual({
      users: [{ userName: 'ann', tags: {}, keys: [] }],
      failedUsers: scan.failedUsers,
      unlistedUsers: ['ben', 'cat'],
    });
    expect(withUnlisted(scan, [])).toBe(scan);
  });
});
