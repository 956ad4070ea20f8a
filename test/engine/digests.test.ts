import { type EnforcerConfigInput } from '../../lambda/config/schema';
import { runSucceeded } from '../../lambda/engine/run-report';
import { EngineHarness, PROD, STAGING } from './engine-harness';

// The harness starts on Friday 2027-01-01 at 09:00 UTC.
const WEEKLY_ON_FRIDAYS: Partial<EnforcerConfigInput> = {
  slack: { infraChannel: 'C0INFRA01', runDigest: 'when-notable' },
  digest: { weekly: { enabled: true, day: 'fri', hourUtc: 0 } },
};

const isWeekly = (text: string): boolean => text.startsWith('Week to ');
const isDaily = (text: string): boolean => text.startsWith('Run of ');

/** A world whose first (baseline) run was the day before; Slack forgotten. */
async function baselined(h: EngineHarness): Promise<void> {
  h.clock.advanceDays(-1);
  await h.run();
  h.clock.advanceDays(1);
  h.slack.clear();
}

describe('engine: the weekly digest (issue 10 item 2)', () => {
  it('is posted by the run on its day, once: a same-day re-run posts nothing at all', async () => {
    const h = new EngineHarness(WEEKLY_ON_FRIDAYS);
    h.engineer('alice', 'U0ALICE01', 100);
    h.engineer('bob', 'U0BOB0001', 10, STAGING);
    await baselined(h);

    const first = await h.run();
    const sent = h.slack.deliveries.length;
    const again = await h.run();

    expect(h.channel().filter(isWeekly)).toEqual([
      expect.stringContaining(
        'Week to 2027-01-01 at about 09:00 UTC: 2 accounts, 2 active keys, 50% compliant, 1 overdue.',
      ),
    ]);
    expect(first.actions.filter((a) => a.kind === 'weekly-digest')).toEqual([
      expect.objectContaining({ outcome: 'done' }),
    ]);
    expect(h.slack.deliveries).toHaveLength(sent);
    expect(again.actions.filter((a) => a.kind === 'weekly-digest' || a.kind === 'run-digest')).toEqual([]);
    expect(runSucceeded(again)).toBe(true);
  });

  it('computes the change since last week from the snapshot in the ledger', async () => {
    const h = new EngineHarness({
      ...WEEKLY_ON_FRIDAYS,
      slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    });
    h.engineer('alice', 'U0ALICE01', 100, PROD, { 'key-rotation-exempt-until': '2027-01-20' });
    h.engineer('bob', 'U0BOB0001', 10, STAGING);
    await baselined(h);
    await h.run();
    expect((await h.ledger.readDigest('weekly/2027-01-01'))?.snapshot).toMatchObject({
      on: '2027-01-01',
      totals: { activeKeys: 2, compliant: 1, overdue: 1, exemptions: 1 },
      accounts: { [PROD.id]: { overdue: 1 }, [STAGING.id]: { overdue: 0 } },
    });

    h.clock.advanceDays(7);
    h.key(STAGING, 'bob', -7); // a second key for bob, created today
    h.slack.clear();
    await h.run();

    const [digest] = h.channel().filter(isWeekly);
    expect(digest).toContain(
      'Week to 2027-01-08 at about 09:00 UTC: 2 accounts, 3 active keys, 67% compliant (+17 pts since 2027-01-01), 1 overdue (±0).',
    );
    expect(digest).toContain(
      'staging (222222222222): 2 active keys (+1) · 100% compliant (±0 pts) · 0 overdue (±0)',
    );
    expect(digest).toContain('changes since the digest of 2027-01-01');
  });

  it('is posted by the next run when the run on its day came before its hour', async () => {
    const h = new EngineHarness({
      ...WEEKLY_ON_FRIDAYS,
      digest: { weekly: { enabled: true, day: 'fri', hourUtc: 12 } },
    });
    h.engineer('alice', 'U0ALICE01', 10);
    await baselined(h);

    await h.run(); // Friday 09:00, before 12:00
    const onFriday = h.channel().filter(isWeekly);
    h.clock.advanceDays(1);
    await h.run(); // Saturday

    expect(onFriday).toEqual([]);
    expect(h.channel().filter(isWeekly)).toEqual([expect.stringContaining('Week to 2027-01-02')]);
    await expect(h.ledger.readDigest('weekly/2027-01-01')).resolves.toMatchObject({ state: 'posted' });
  });

  it('does not count a key this run deactivated as active or overdue', async () => {
    const h = new EngineHarness({
      ...WEEKLY_ON_FRIDAYS,
      slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    });
    h.engineer('alice', 'U0ALICE01', 86);
    h.engineer('bob', 'U0BOB0001', 10);
    await baselined(h);
    h.clock.advanceDays(-5);
    await h.run(); // the 86-day reminder, five days before the deadline
    h.clock.advanceDays(5 + 7); // the next Friday: alice's key is 98 days old and due
    h.slack.clear();

    const report = await h.run();

    expect(report.summary.deactivations).toBe(1);
    expect(h.channel().filter(isWeekly)).toEqual([
      expect.stringContaining('1 active key, 100% compliant, 0 overdue.'),
    ]);
  });

  it('is tried again by the next run when Slack did not take it', async () => {
    const h = new EngineHarness({
      ...WEEKLY_ON_FRIDAYS,
      slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    });
    h.engineer('alice', 'U0ALICE01', 10);
    await baselined(h);
    h.slack.setOutage(true);

    const failed = await h.run();
    h.slack.setOutage(false);
    h.clock.advanceDays(1);
    await h.run();

    expect(failed.errors).toEqual([expect.stringContaining('posting the weekly digest')]);
    expect(runSucceeded(failed)).toBe(false);
    expect(h.channel().filter(isWeekly)).toHaveLength(1);
    await expect(h.ledger.readDigest('weekly/2027-01-01')).resolves.toMatchObject({ state: 'posted' });
  });

  it('is planned, not posted or recorded, in a dry run', async () => {
    const h = new EngineHarness(WEEKLY_ON_FRIDAYS);
    h.engineer('alice', 'U0ALICE01', 10);
    await baselined(h);
    const before = h.ledger.contents();

    const report = await h.run({ dryRun: true });

    expect(h.slack.attempts).toEqual([]);
    expect(h.ledger.contents()).toEqual(before);
    expect(report.actions.filter((a) => a.kind === 'weekly-digest')).toEqual([
      expect.objectContaining({
        outcome: 'planned',
        messages: [
          expect.objectContaining({ text: expect.stringMatching(/^\[DRY RUN\] Week to 2027-01-01/) }),
        ],
      }),
    ]);
  });

  it('is not posted when it is off', async () => {
    const h = new EngineHarness({ ...WEEKLY_ON_FRIDAYS, digest: { weekly: { enabled: false } } });
    h.engineer('alice', 'U0ALICE01', 100);
    await baselined(h);

    await h.run();

    expect(h.channel().filter(isWeekly)).toEqual([]);
    await expect(h.ledger.readDigest('weekly/2027-01-01')).resolves.toBeUndefined();
  });
});

describe('engine: the daily digest posts only what is new that day (SPEC §2)', () => {
  const DAILY_ONLY: Partial<EnforcerConfigInput> = {
    slack: { infraChannel: 'C0INFRA01', runDigest: 'when-notable' },
    digest: { weekly: { enabled: false } },
  };

  it('lists an untagged user and an exemption the day they appear, then only newer ones', async () => {
    const h = new EngineHarness(DAILY_ONLY);
    h.engineer('alice', 'U0ALICE01', 10);
    await baselined(h);
    h.iam.addUser(PROD.id, 'untagged-bot', {});
    h.key(PROD, 'untagged-bot', 10);
    h.engineer('carol', 'U0CAROL01', 20, STAGING, { 'key-rotation-exempt-until': '2027-02-01' });

    await h.run();
    const firstDay = h.channel().filter(isDaily);
    h.clock.advanceDays(1);
    h.slack.clear();
    h.iam.addUser(STAGING.id, 'legacy-batch', {});
    h.key(STAGING, 'legacy-batch', 30);
    await h.run();
    const secondDay = h.channel().filter(isDaily);

    expect(firstDay).toHaveLength(1);
    expect(firstDay[0]).toContain(
      'New input problems (1):\nmissing-type (1):\n- 111111111111 · untagged-bot',
    );
    expect(firstDay[0]).toContain('New exemptions (1):\ncarol in staging (222222222222) until 2027-02-01');
    expect(secondDay).toHaveLength(1);
    expect(secondDay[0]).toContain(
      'New input problems (1):\nmissing-type (1):\n- 222222222222 · legacy-batch',
    );
    expect(secondDay[0]).not.toContain('untagged-bot');
    expect(secondDay[0]).not.toContain('New exemptions');
    expect(secondDay[0]).toContain('Standing: 1 exemption in force, 1 input problem;');
  });

  it('posts nothing on a day that brought nothing new, standing problems or not', async () => {
    const h = new EngineHarness(DAILY_ONLY);
    h.iam.addUser(PROD.id, 'untagged-bot', {});
    h.key(PROD, 'untagged-bot', 10);
    await baselined(h);
    h.clock.advanceDays(1);

    const report = await h.run();

    expect(report.problems).toHaveLength(1);
    expect(h.slack.deliveries).toEqual([]);
  });

  it('posts once a day: a same-day re-run that acted posts no second digest', async () => {
    const h = new EngineHarness({ ...DAILY_ONLY, slack: { infraChannel: 'C0INFRA01', runDigest: 'always' } });
    h.engineer('alice', 'U0ALICE01', 10);
    await baselined(h);
    await h.run();
    h.engineer('bob', 'U0BOB0001', 76); // a reminder is due only for the second run

    const again = await h.run();

    expect(again.summary.reminders).toBe(1);
    expect(h.channel().filter(isDaily)).toHaveLength(1);
    await expect(h.ledger.readDigest('daily/2027-01-01')).resolves.toMatchObject({ state: 'posted' });
  });

  it('remembers each item with the date it was first seen, on the account record', async () => {
    const h = new EngineHarness(DAILY_ONLY);
    h.iam.addUser(PROD.id, 'untagged-bot', {});
    h.key(PROD, 'untagged-bot', 10);
    await baselined(h);
    await h.run();

    const { account } = await h.ledger.readAccount(PROD.id);

    expect(account?.itemsSeen).toEqual({ 'problem/missing-type/untagged-bot/': '2026-12-31' });
  });
});
