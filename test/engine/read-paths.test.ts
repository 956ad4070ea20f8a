import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { type AccountReader, ReadIncompleteError } from '../../lambda/ports';
import { EngineHarness, PROD, STAGING, START } from './engine-harness';

type Report = Awaited<ReturnType<EngineHarness['run']>>;

/** The prod account's exhaustive read in a report, if it had one. */
const prodRead = (report: Report | undefined) =>
  report!.exhaustiveReads.find((r) => r.account.id === PROD.id);

/** The user lists of every partial key read of prod, in order: what each run's part listed. */
const partialListings = (h: EngineHarness): (readonly string[])[] =>
  h.iam.calls.flatMap((c) =>
    c.op === 'readUserKeys' && c.accountId === PROD.id && c.partial ? [c.userNames] : [],
  );

/** Which path reads each account, and why, as the run report tells an operator (issue 9). */
describe('read paths', () => {
  const reasons = (report: Report): Record<string, string> =>
    Object.fromEntries(report.exhaustiveReads.map((r) => [r.account.id, r.reason]));

  it('reads a new account exhaustively, then by the report, sweeping it on its day of each fullSweepDays cycle', async () => {
    const h = new EngineHarness({ read: { fullSweepDays: 3 } });
    h.engineer('alice', 'U0ALICE01', 10);
    // Both ids are 0 mod 3, and 2027-01-02 is day 0 of a 3-day cycle (days since 1970 mod 3).
    const [first, second, third, fourth, fifth] = await h.runDays(5);
    expect(reasons(first!)).toEqual({ [PROD.id]: 'first-scan', [STAGING.id]: 'first-scan' });
    expect(reasons(second!)).toEqual({ [PROD.id]: 'full-sweep', [STAGING.id]: 'full-sweep' });
    expect(third!.summary.readPaths).toEqual({ fast: 2, exhaustive: 0 });
    expect(fourth!.summary.readPaths).toEqual({ fast: 2, exhaustive: 0 });
    expect(reasons(fifth!)).toEqual({ [PROD.id]: 'full-sweep', [STAGING.id]: 'full-sweep' });
  });

  it('falls back to the exhaustive read when the report cannot be had, and says why', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 70);
    await h.runDays(1);
    h.iam.failCredentialReport(PROD.id, 'limit-exceeded');
    const [report] = await h.runDays(7);
    expect(report!.exhaustiveReads).toEqual([
      expect.objectContaining({
        account: PROD,
        reason: 'report-unavailable',
        detail: expect.stringMatching(/limit-exceeded/),
      }),
    ]);
    expect(report!.summary.readPaths).toEqual({ fast: 1, exhaustive: 1 });
    // The fallback decided alice's 76-day reminder all the same.
    expect(h.dms('U0ALICE01')).toHaveLength(1);
  });

  it('never fails an account over the fast path: an unexpected error falls back to the exhaustive read', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 70);
    await h.runDays(1);
    const iam = h.iam;
    const report = await runEnforcement(h.config, {
      reader: {
        readAccount: (account) => iam.readAccount(account),
        readInventory: () =>
          Promise.reject(new TypeError("Cannot read properties of undefined (reading '$metadata')")),
        readUserKeys: (account, names) => iam.readUserKeys(account, names),
      },
      deactivator: iam,
      notifier: h.slack,
      ledger: h.ledger,
      clock: h.clock,
    });
    expect(report.summary.accountsFailed).toBe(0);
    expect(report.exhaustiveReads.map((r) => [r.reason, r.detail])).toEqual([
      ['report-unavailable', expect.stringMatching(/^fast path failed: Cannot read properties/)],
      ['report-unavailable', expect.stringMatching(/^fast path failed: Cannot read properties/)],
    ]);
  });

  it('does not trust a report generated before the last run read the account', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 10);
    await h.runDays(1);
    h.iam.generateCredentialReport(PROD.id);
    h.clock.advanceDays(0.01);
    await h.run();
    h.clock.advanceDays(0.05);
    const rerun = await h.run();
    // Staging's report was generated during the previous read, so it holds everything that read saw.
    expect(reasons(rerun)).toEqual({ [PROD.id]: 'report-stale' });
  });

  it('lists live only the users with something to do, and deactivates only what it listed', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 89);
    h.engineer('bob', 'U0BOB0001', 20);
    for (let i = 0; i < 20; i++) h.engineer(`quiet${i}`, 'U0BOB0001', i);
    await h.runDays(1);
    h.iam.clearCalls();
    // Five days: the accounts' weekly sweep day (2027-01-07) is outside them.
    const reports = await h.runDays(5);
    const live = h.iam.calls.flatMap((c) => (c.op === 'readUserKeys' ? c.userNames : []));
    expect(new Set(live)).toEqual(new Set(['alice']));
    expect(reports.reduce((n, r) => n + r.summary.deactivations, 0)).toBe(1);
    expect(h.iam.calls.filter((c) => c.op === 'readAccount')).toEqual([]);
  });

  it('alerts a key created after the report on the next day, and at once when the report is fresh', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 10);
    await h.runDays(1);
    h.iam.generateCredentialReport(PROD.id);
    h.clock.advanceDays(0.05);
    h.iam.createAccessKey(PROD.id, 'alice', h.clock.now());
    h.clock.advanceDays(0.05);
    const sameDay = await h.run();
    expect(sameDay.summary.newKeys).toBe(0);
    h.clock.advanceDays(0.9);
    const nextDay = await h.run();
    expect(nextDay.summary.newKeys).toBe(1);
  });

  it('resumes a full sweep too large for one run where it stopped, deciding every key each day meanwhile', async () => {
    const h = new EngineHarness({ read: { fullSweepDays: 3 } });
    h.engineer('alice', 'U0ALICE01', 75);
    for (const name of ['fay', 'ben', 'eve', 'cat', 'dan']) h.engineer(name, 'U0BOB0001', 10);
    await h.runDays(1);
    // Each day the time left lists two users of the sweep, as throttling would.
    h.iam.limitPartialReads(PROD.id, 2);
    h.iam.clearCalls();
    const [sweepDay, next, last] = await h.runDays(3);

    expect(prodRead(sweepDay)).toEqual({
      account: PROD,
      reason: 'full-sweep',
      detail: 'swept 2 of 5 users; resumes at "dan" next run',
      continues: true,
    });
    // The sweep's day decided everything all the same: alice's key turned 76 days old that day.
    expect(sweepDay!.summary.accountsIncomplete).toBe(0);
    expect(h.dms('U0ALICE01')).toHaveLength(1);
    // Off its sweep day, the unfinished sweep goes on from the cursor.
    expect(prodRead(next)?.detail).toBe('swept 2 of 3 users from "dan"; resumes at "fay" next run');
    expect(prodRead(last)?.detail).toBe('swept the last 1 users from "fay"; every user listed');
    const swept = partialListings(h);
    expect(swept).toEqual([['ben', 'cat', 'dan', 'eve', 'fay'], ['dan', 'eve', 'fay'], ['fay']]);
    const record = (await h.ledger.readAccount(PROD.id)).account;
    expect(record?.lastFullScanOn).toBe('2027-01-04');
    expect(record).not.toHaveProperty('sweepCursor');
    expect(
      [sweepDay, next, last].map((r) => r!.summary.accountsIncomplete + r!.summary.accountsFailed),
    ).toEqual([0, 0, 0]);
  });

  it('keeps the sweep cursor of an unfinished sweep between runs, and the sweep date unchanged', async () => {
    const h = new EngineHarness({ read: { fullSweepDays: 3 } });
    for (const name of ['ben', 'cat', 'dan']) h.engineer(name, 'U0BOB0001', 10);
    await h.runDays(1);
    h.iam.limitPartialReads(PROD.id, 1);
    await h.runDays(1);
    const record = (await h.ledger.readAccount(PROD.id)).account;
    expect(record).toMatchObject({ lastFullScanOn: '2027-01-01', sweepCursor: 'cat' });
    expect(record?.lastReadAt).toBe('2027-01-02T09:00:00.000Z');
  });

  it('goes on with a first scan too large for one run, oldest keys first, and baselines when it is done', async () => {
    const h = new EngineHarness();
    for (const name of ['ben', 'cat', 'dan', 'eve']) h.engineer(name, 'U0BOB0001', 10);
    h.engineer('zoe', 'U0ALICE01', 80);
    h.iam.limitPartialReads(PROD.id, 2);
    const [first, second, third, fourth] = await h.runDays(4);

    expect(prodRead(first)).toEqual({
      account: PROD,
      reason: 'first-scan',
      detail: 'listed 2 of 5 users not yet recorded, oldest keys first; the first scan goes on next run',
      continues: true,
    });
    // zoe's 80-day key was listed first and reminded on the first day.
    expect(first!.summary.reminders).toBe(1);
    expect(h.dms('U0ALICE01')[0]).toMatch(/is 80 days old/);
    expect(prodRead(second)?.detail).toBe(
      'listed 2 of 3 users not yet recorded, oldest keys first; the first scan goes on next run',
    );
    expect(prodRead(third)?.detail).toBe(
      'listed the last 1 users not yet recorded; the first scan is complete',
    );
    expect(prodRead(fourth)).toBeUndefined();
    const listed = partialListings(h);
    expect(listed.slice(0, 3)).toEqual([['zoe', 'ben', 'cat', 'dan', 'eve'], ['cat', 'dan', 'eve'], ['eve']]);
    // One summary, on the day the last user was listed, and no key ever alerted as new.
    const summaries = h.channel().filter((text) => text.startsWith('First scan of prod'));
    expect(summaries).toHaveLength(1);
    expect(third!.actions.filter((a) => a.kind === 'baseline' && a.accountId === PROD.id)).toHaveLength(1);
    expect([first, second, third, fourth].map((r) => r!.summary.newKeys)).toEqual([0, 0, 0, 0]);
    expect((await h.ledger.readAccount(PROD.id)).account).toMatchObject({
      baselinedOn: '2027-01-03',
      lastFullScanOn: '2027-01-03',
    });
    expect((await h.ledger.readAccount(PROD.id)).keys).toHaveLength(5);
  });

  it('keeps what a first scan over several runs recorded on the account (rule findings) when it baselines', async () => {
    const h = new EngineHarness({ rules: {} });
    const bobKey = h.engineer('bob', 'U0BOB0001', 10);
    h.engineer('carol', 'U0ALICE01', 20);
    h.iam.limitPartialReads(PROD.id, 1);
    await h.runDays(1);
    // bob, not listed yet, leaves: the next run baselines with the findings unchanged.
    h.iam.deleteAccessKey(PROD.id, 'bob', bobKey);
    h.iam.deleteUser(PROD.id, 'bob');
    const [second] = await h.runDays(2);
    const mfaDms = () => h.dms('U0ALICE01').filter((text) => /MFA/.test(text));

    expect(second!.actions.filter((a) => a.kind === 'baseline' && a.accountId === PROD.id)).toHaveLength(1);
    const record = (await h.ledger.readAccount(PROD.id)).account;
    expect(record?.baselinedOn).toBe('2027-01-02');
    expect(Object.keys(record?.ruleFindings ?? {}).length).toBeGreaterThan(0);
    // Told about MFA once, not again after the baseline as if the finding were new.
    expect(mfaDms()).toHaveLength(1);
  });

  it('lists at the first scan the users the report shows without keys too: a report hours old misses none', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 10);
    h.iam.addUser(PROD.id, 'bob', { type: 'engineer', 'slack-id': 'U0BOB0001', 'full-name': 'bob' });
    // IAM reuses a report for 4 hours: the first run's was generated an hour before it, bob keyless then.
    const start = h.clock.now();
    h.clock.set(start.getTime() - 3_600_000);
    h.iam.generateCredentialReport(PROD.id);
    h.clock.set(start.getTime());
    h.iam.createAccessKey(PROD.id, 'bob', new Date(start.getTime() - 1_800_000));

    const [first, second] = await h.runDays(2);

    // bob's key existed before the first scan: recorded silently in the baseline, never "new".
    expect([first!.summary.newKeys, second!.summary.newKeys]).toEqual([0, 0]);
    expect(h.channel().find((text) => text.startsWith('First scan of prod'))).toMatch(/2 users, 2 keys/);
    expect((await h.ledger.readAccount(PROD.id)).keys.map((k) => k.userName).sort()).toEqual([
      'alice',
      'bob',
    ]);
  });

  it('alerts a key created while a first scan over several runs is still going on', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 30);
    for (const name of ['ben', 'cat', 'dan']) h.engineer(name, 'U0BOB0001', 10);
    h.iam.limitPartialReads(PROD.id, 1);
    await h.runDays(1);
    // alice was listed first (oldest key) and recorded; her new key is news at once.
    h.iam.createAccessKey(PROD.id, 'alice', h.clock.now());
    h.clock.advanceDays(0.01);
    h.iam.generateCredentialReport(PROD.id);
    const [second] = await h.runDays(1);

    expect((await h.ledger.readAccount(PROD.id)).account?.baselinedOn).toBeUndefined();
    expect(second!.summary.newKeys).toBe(1);
    expect(h.channel().filter((text) => text.startsWith('New access key'))).toHaveLength(1);
  });

  it("keeps a sweep day's decisions when its listing runs out of time before it starts", async () => {
    const h = new EngineHarness({ read: { fullSweepDays: 3 } });
    h.engineer('alice', 'U0ALICE01', 75);
    for (const name of ['ben', 'cat']) h.engineer(name, 'U0BOB0001', 10);
    await h.runDays(1);
    const iam = h.iam;
    const reader: AccountReader = {
      readAccount: (account) => iam.readAccount(account),
      readInventory: (account) => iam.readInventory!(account),
      readUserKeys: (account, names, options) =>
        options?.partial
          ? Promise.reject(new ReadIncompleteError(account.id, 'AssumeRole: out of time; resumes next run'))
          : iam.readUserKeys(account, names),
    };

    const report = await runEnforcement(h.config, {
      reader,
      deactivator: iam,
      notifier: h.slack,
      ledger: h.ledger,
      clock: h.clock,
    });

    expect(report.summary.accountsIncomplete).toBe(0);
    expect(prodRead(report)?.detail).toBe('swept 0 of 2 users; resumes at "ben" next run');
    // alice's 76-day reminder was decided on the report and her live look all the same.
    expect(h.dms('U0ALICE01')).toHaveLength(1);
    expect((await h.ledger.readAccount(PROD.id)).account?.sweepCursor).toBe('ben');
  });

  it('tells the channel in the run digest whose first scan goes on next run, and how far it got', async () => {
    const h = new EngineHarness({ slack: { infraChannel: 'C0INFRA01', runDigest: 'always' } });
    for (const name of ['ben', 'cat', 'dan']) h.engineer(name, 'U0BOB0001', 10);
    h.iam.limitPartialReads(PROD.id, 1);

    const [first] = await h.runDays(1);

    expect(prodRead(first)).toMatchObject({ continues: true });
    const digest = h.channel().find((text) => text.includes('Reads going on next run (1)'));
    expect(digest).toMatch(
      /prod.*listed 1 of 3 users not yet recorded, oldest keys first; the first scan goes on next run/,
    );
  });

  it('names in the baseline summary an engineer with two keys listed on an earlier run of a long first scan', async () => {
    const h = new EngineHarness();
    h.engineer('zoe', 'U0ALICE01', 40);
    h.key(PROD, 'zoe', 30);
    h.engineer('ben', 'U0BOB0001', 10);
    h.iam.limitPartialReads(PROD.id, 1);

    await h.runDays(2);

    const summary = h.channel().find((text) => text.startsWith('First scan of prod'));
    expect(summary).toMatch(/More than one active key \(1\): zoe/);
  });

  it('says the first scan waits for a user that could not be read, and goes on', async () => {
    const h = new EngineHarness();
    for (const name of ['ben', 'cat']) h.engineer(name, 'U0BOB0001', 10);
    h.iam.failUser(PROD.id, 'cat', 'AccessDenied');

    const [first] = await h.runDays(1);

    expect(prodRead(first)).toEqual({
      account: PROD,
      reason: 'first-scan',
      detail: 'listed 2 users not yet recorded; the baseline waits for 1 user(s) that could not be read: cat',
      continues: true,
    });
    expect((await h.ledger.readAccount(PROD.id)).account?.baselinedOn).toBeUndefined();
  });

  it('still remembers the read when the baseline could not be written', async () => {
    const h = new EngineHarness();
    h.engineer('ben', 'U0BOB0001', 10);
    const putAccount = h.ledger.putAccount.bind(h.ledger);
    let refused = false;
    h.ledger.putAccount = (record, version) => {
      if (record.baselinedOn !== undefined && record.accountId === PROD.id && !refused) {
        refused = true;
        return Promise.reject(new Error('ProvisionedThroughputExceededException'));
      }
      return putAccount(record, version);
    };

    const [first] = await h.runDays(1);

    expect(first!.actions.find((a) => a.kind === 'baseline' && a.accountId === PROD.id)?.outcome).toBe(
      'failed',
    );
    const record = (await h.ledger.readAccount(PROD.id)).account;
    expect(record?.baselinedOn).toBeUndefined();
    expect(record).toMatchObject({ lastReadAt: START.toISOString(), firstReadAt: START.toISOString() });
  });

  it('reads every user, user by user, when the fast path is off', async () => {
    const h = new EngineHarness({ read: { fastPath: false } });
    h.engineer('alice', 'U0ALICE01', 10);
    const [, second] = await h.runDays(2);
    expect(reasons(second!)).toEqual({ [PROD.id]: 'disabled', [STAGING.id]: 'disabled' });
  });
});
