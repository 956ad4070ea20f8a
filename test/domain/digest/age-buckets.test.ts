import { parseConfig } from '../../../lambda/config/parse-config';
import { PolicySchema } from '../../../lambda/config/schema';
import { DAY_MS } from '../../../lambda/domain/dates';
import { accountKeyFacts, withoutDeactivated } from '../../../lambda/domain/digest/account-key-facts';
import { ageBuckets, bucketOf } from '../../../lambda/domain/digest/age-buckets';
import { type AccountScan } from '../../../lambda/domain/model';

const config = parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } });
const account = { id: '111111111111', name: 'prod' };
const NOW = new Date('2027-03-15T09:00:00.000Z');
const LABELS = ['0–30', '31–60', '61–75', '76–90', 'over 90'];

function scanOf(...createDates: Date[]): AccountScan {
  return {
    users: [
      {
        userName: 'alice',
        tags: { type: 'engineer', 'slack-id': 'U0ALICE01' },
        keys: createDates.map((createDate, i) => ({
          accessKeyId: `AKIA${String(i).padStart(16, '0')}`,
          status: 'Active' as const,
          createDate,
        })),
      },
    ],
    failedUsers: [],
  };
}

/** The range label a key of this creation time lands in, through the digest's own counting. */
function bucketLabel(createDate: Date, now = NOW): string {
  const facts = accountKeyFacts({ account, scan: scanOf(createDate), ledger: { keys: [] }, config, now });
  return LABELS[facts.byAge.findIndex((count) => count === 1)] ?? 'none';
}

describe('the weekly digest age ranges', () => {
  it('are 0–30, 31–60, 61–75, 76–90 and over 90 with the default policy', () => {
    expect(ageBuckets(config.policy).map((bucket) => bucket.label)).toEqual(LABELS);
  });

  it.each([
    [0, '0–30'],
    [30, '0–30'],
    [31, '31–60'],
    [60, '31–60'],
    [61, '61–75'],
    [75, '61–75'],
    [76, '76–90'],
    [90, '76–90'],
    [91, 'over 90'],
    [400, 'over 90'],
  ])('put a key %i whole days old in %s', (age, label) => {
    expect(bucketLabel(new Date(NOW.getTime() - age * DAY_MS))).toBe(label);
  });

  it('count a key created late in the UTC day by whole 24-hour days, as every message does', () => {
    // 91 calendar days before the 09:00 run, but at 23:30: only 90 whole days have passed.
    const lateInDay = new Date('2026-12-14T23:30:00.000Z');

    expect(bucketLabel(lateInDay)).toBe('76–90');
    expect(bucketLabel(lateInDay, new Date('2027-03-15T23:45:00.000Z'))).toBe('over 90');
  });

  it('follow the policy: the last range starts at the deactivation age', () => {
    const policy = PolicySchema.parse({ remindAtDays: [40, 50], deactivateAtDays: 55 });

    expect(ageBuckets(policy).map((bucket) => bucket.label)).toEqual(['0–30', '31–39', '40–54', 'over 54']);
    expect(bucketOf(ageBuckets(policy), 55)).toBe(3);
  });

  it('count inactive keys nowhere and overdue keys with what happens next', () => {
    const scan = scanOf(new Date(NOW.getTime() - 95 * DAY_MS), new Date(NOW.getTime() - 10 * DAY_MS));
    const inactive = {
      ...scan,
      users: [
        ...scan.users,
        {
          userName: 'bob',
          tags: {},
          keys: [{ accessKeyId: 'AKIAINACTIVE00000000', status: 'Inactive' as const, createDate: NOW }],
        },
      ],
    };

    const facts = accountKeyFacts({ account, scan: inactive, ledger: { keys: [] }, config, now: NOW });

    expect(facts).toMatchObject({ byAge: [1, 0, 0, 0, 1], activeKeys: 2, overdue: 1 });
    // First seen past its deadline: a final notice today, deactivation 5 days on (SPEC §2).
    expect(facts.overdueKeys).toEqual([
      expect.objectContaining({
        accessKeyId: 'AKIA0000000000000000',
        ageDays: 95,
        next: { action: 'final-notice', date: '2027-03-15' },
        deadline: '2027-03-20',
      }),
    ]);
  });

  it('drop the keys the run deactivated before the digest is posted', () => {
    const scan = scanOf(new Date(NOW.getTime() - 95 * DAY_MS), new Date(NOW.getTime() - 10 * DAY_MS));
    const facts = accountKeyFacts({ account, scan, ledger: { keys: [] }, config, now: NOW });

    const after = withoutDeactivated(
      facts,
      [{ accessKeyId: 'AKIA0000000000000000', ageDays: 95 }],
      config.policy,
    );

    expect(after).toEqual({ byAge: [1, 0, 0, 0, 0], activeKeys: 1, overdue: 0, overdueKeys: [] });
  });
});
