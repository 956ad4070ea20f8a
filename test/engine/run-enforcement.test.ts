import { AsOfWithoutDryRunError } from '../../lambda/engine/run-enforcement';
import { runSucceeded } from '../../lambda/engine/run-report';
import { MemoryRunStore, type RunStore } from '../../lambda/engine/steps/run-store';
import { ReadIncompleteError } from '../../lambda/ports';
import { type RunReport } from '../../lambda/engine/run-report';
import { EngineHarness, PROD, STAGING } from './engine-harness';

const doneKinds = (report: RunReport): string[] =>
  report.actions
    .filter((a) => a.outcome === 'done' && a.messages.length > 0)
    .map((a) => `${a.kind}${a.milestone ? `:${a.milestone}` : ''}`);

/** First run records the baseline; tests start from a baselined org unless they say otherwise. */
async function baselined(h: EngineHarness): Promise<void> {
  h.clock.advanceDays(-1);
  await h.run();
  h.clock.advanceDays(1);
  h.slack.clear();
}

describe('runEnforcement: reminders', () => {
  // Issue 11: an owner who got the DM is not pinged again by its channel mirror.
  it('DMs the owner at day 76 and mirrors it to the channel without a mention', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);

    const report = await h.run();

    expect(doneKinds(report)).toEqual(['remind:76']);
    expect(h.dms('U0ALICE01')).toEqual([expect.stringContaining(keyId)]);
    expect(h.channel()).toEqual([expect.stringContaining(keyId)]);
    expect(h.channel().join('\n')).not.toContain('<@U0ALICE01>');
    expect(report.summary).toMatchObject({ reminders: 1, accountsOk: 2, accountsFailed: 0, errors: 0 });
  });

  it('sends nothing new when run twice on the same day', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    await h.run();
    h.slack.clear();

    const again = await h.run();

    expect(h.slack.deliveries).toEqual([]);
    expect(again.summary.reminders).toBe(0);
  });

  it('sends one catch-up reminder after missed runs, not three', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 70);
    await baselined(h);
    h.clock.advanceDays(17); // runs on days 76..86 never happened

    const report = await h.run();

    expect(doneKinds(report)).toEqual(['remind:86']);
    expect(h.dms('U0ALICE01')).toHaveLength(1);
    expect(await h.ledger.readAccount(PROD.id)).toMatchObject({
      keys: [
        {
          milestones: {
            '76': { outcome: 'skipped' },
            '81': { outcome: 'skipped' },
            '86': { outcome: 'sent' },
          },
        },
      ],
    });
  });

  it('keeps a reminder pending while Slack is down and sends it once when Slack is back', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    h.slack.setOutage(true);

    const down = await h.run();
    h.slack.setOutage(false);
    h.clock.advanceDays(1);
    const back = await h.run();
    const after = await h.run();

    expect(down.summary.reminders).toBe(0);
    expect(down.errors).toEqual([expect.stringContaining('unavailable')]);
    expect(doneKinds(back)).toEqual(['remind:76']);
    expect(after.summary.reminders).toBe(0);
    expect(h.dms('U0ALICE01')).toHaveLength(1);
  });

  it('falls back to the channel when the owner cannot be reached, and counts it as delivered', async () => {
    const h = new EngineHarness();
    h.engineer('ghost', 'U0GHOST01', 76);
    await baselined(h);

    const report = await h.run();

    expect(report.summary.reminders).toBe(1);
    expect(h.channel()).toEqual([expect.stringContaining('could not reach owner (user_not_found)')]);
    expect((await h.ledger.readAccount(PROD.id)).keys[0]?.milestones['76']).toMatchObject({
      deliveredTo: 'channel',
    });
  });

  it('reports a broken Slack configuration once, and marks nothing done', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    h.engineer('bob', 'U0BOB0001', 81, STAGING);
    await baselined(h);
    h.slack.misconfigure('invalid_auth');

    const report = await h.run();

    expect(report.configurationError).toContain('invalid_auth');
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(1);
    expect(report.summary.reminders).toBe(0);
    expect((await h.ledger.readAccount(PROD.id)).keys[0]?.milestones).toEqual({});
  });
});

describe('runEnforcement: deactivation', () => {
  it('deactivates at day 91 after notice, tells owner and channel, and never deletes', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);

    const report = await h.run();

    expect(doneKinds(report)).toEqual(['deactivate']);
    expect(h.iam.deactivations).toEqual([expect.objectContaining({ accessKeyId: keyId })]);
    expect(h.iam.findKey(keyId)).toMatchObject({ key: { status: 'Inactive' } });
    expect(h.dms('U0ALICE01').at(-1)).toContain('deactivated');
  });

  it('deactivates on time even when Slack is down, and sends the notice at the next run', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    h.slack.setOutage(true);

    const down = await h.run();
    h.slack.setOutage(false);
    h.clock.advanceDays(1);
    const back = await h.run();

    expect(h.iam.findKey(keyId)).toMatchObject({ key: { status: 'Inactive' } });
    expect(down.summary.deactivations).toBe(1);
    expect(doneKinds(back)).toEqual(['deactivation-notice-retry']);
    expect(h.iam.deactivations).toHaveLength(1);
  });

  it('leaves the key active and retries when IAM refuses the change', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    h.iam.failDeactivation(PROD.id, keyId, 'AccessDenied');

    const failed = await h.run();
    h.iam.healDeactivation(PROD.id, keyId);
    h.clock.advanceDays(1);
    const retried = await h.run();

    expect(failed.actions).toContainEqual(expect.objectContaining({ kind: 'deactivate', outcome: 'failed' }));
    expect(failed.errors).toEqual([expect.stringContaining(keyId)]);
    expect(doneKinds(retried)).toEqual(['deactivate']);
  });

  it('deactivates a re-activated key again and tells the channel who owns it', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    await h.run();
    h.iam.setKeyStatus(PROD.id, 'alice', keyId, 'Active');
    h.clock.advanceDays(1);
    h.slack.clear();

    const report = await h.run();

    expect(doneKinds(report)).toEqual(['deactivate']);
    expect(h.channel()).toEqual([
      expect.stringMatching(/re-?activated[\s\S]*alice|alice[\s\S]*re-?activated/i),
    ]);
  });

  it('trips the circuit breaker: deactivates none and posts the list', async () => {
    const h = new EngineHarness({ policy: { maxDeactivationsPerRun: 1 } });
    const keys = [h.engineer('alice', 'U0ALICE01', 86), h.engineer('bob', 'U0BOB0001', 86, STAGING)];
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    h.slack.clear();

    const report = await h.run();

    expect(report.breaker?.withheld).toHaveLength(2);
    expect(h.iam.deactivations).toEqual([]);
    expect(h.channel()).toEqual([expect.stringContaining(keys[0]!)]);
    expect(h.channel()[0]).toContain(keys[1]!);
  });

  it('lets a reviewed run go past the breaker', async () => {
    const h = new EngineHarness({ policy: { maxDeactivationsPerRun: 1 } });
    h.engineer('alice', 'U0ALICE01', 86);
    h.engineer('bob', 'U0BOB0001', 86, STAGING);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);

    const report = await h.run({ maxDeactivations: 2 });

    expect(report.summary.deactivations).toBe(2);
  });
});

describe('runEnforcement: failures, modes and concurrency', () => {
  it('reports failure when Slack is fully down, after processing everything', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    h.engineer('bob', 'U0BOB0001', 76, STAGING);
    await baselined(h);
    h.slack.setOutage(true);

    const report = await h.run();

    expect(report.summary.errors).toBe(2);
    expect(runSucceeded(report)).toBe(false);
  });

  it('reports failure when UpdateAccessKey is denied by an SCP', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    h.iam.failDeactivation(PROD.id, keyId, 'AccessDenied');

    const report = await h.run();

    expect(runSucceeded(report)).toBe(false);
  });

  it('reports failure when the circuit breaker trips', async () => {
    const h = new EngineHarness({ policy: { maxDeactivationsPerRun: 1 } });
    h.engineer('alice', 'U0ALICE01', 86);
    h.engineer('bob', 'U0BOB0001', 86, STAGING);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);

    const report = await h.run();

    expect(report.breaker).toBeDefined();
    expect(runSucceeded(report)).toBe(false);
  });

  it('reports an account that ran out of time as incomplete, not failed, and the run as failed', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    h.iam.failAccount(
      STAGING.id,
      new ReadIncompleteError(STAGING.id, 'ran out of time after 120 of 300 users'),
    );

    const report = await h.run();

    expect(report.failedAccounts).toEqual([]);
    expect(report.incompleteAccounts).toEqual([
      { account: STAGING, message: expect.stringContaining('ran out of time') },
    ]);
    expect(report.summary).toMatchObject({ accountsOk: 1, accountsFailed: 0, accountsIncomplete: 1 });
    expect(runSucceeded(report)).toBe(false);
  });

  it('never says "Errors: 0" in the digest when an account failed', async () => {
    const h = new EngineHarness({ slack: { infraChannel: 'C0INFRA01', runDigest: 'always' } });
    await baselined(h);
    h.iam.failAccount(STAGING.id, 'AccessDenied on sts:AssumeRole');

    const report = await h.run();

    expect(runSucceeded(report)).toBe(false);
    const digest = h.slack.channelMessages().map((d) => JSON.stringify(d.message));
    expect(digest).toHaveLength(1);
    expect(digest[0]).not.toMatch(/Errors\W+0\b/);
  });

  it('processes the other accounts when one cannot be read, and reports it', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    h.engineer('bob', 'U0BOB0001', 76, STAGING);
    await baselined(h);
    h.iam.failAccount(STAGING.id, 'AccessDenied on sts:AssumeRole');

    const report = await h.run();

    expect(report.failedAccounts).toEqual([
      { account: STAGING, message: expect.stringContaining(STAGING.id) },
    ]);
    expect(report.summary).toMatchObject({ accountsOk: 1, accountsFailed: 1, reminders: 1 });
    expect(h.dms('U0ALICE01')).toHaveLength(1);
  });

  it('changes, sends and records nothing in a dry run, but reports what it would do', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 95);
    const before = h.ledger.contents();

    const report = await h.run({ dryRun: true });

    expect(h.slack.attempts).toEqual([]);
    expect(h.iam.deactivations).toEqual([]);
    expect(h.ledger.contents()).toEqual(before);
    expect(report.summary.calls['ledger.putKey']).toBeUndefined();
    expect(report.summary.newKeys).toBe(0); // the baseline records keys silently, dry run or not
    expect(report.actions).toContainEqual(
      expect.objectContaining({
        kind: 'final-notice',
        outcome: 'planned',
        messages: expect.arrayContaining([
          expect.objectContaining({ to: { kind: 'dm', slackId: 'U0ALICE01' } }),
        ]),
      }),
    );
  });

  it('acts as of another date when asked', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 60);
    await baselined(h);

    const report = await h.run({ asOf: '2027-01-17', dryRun: true });

    expect(report.summary.today).toBe('2027-01-17');
    expect(report.actions).toContainEqual(
      expect.objectContaining({ kind: 'remind', milestone: 76, outcome: 'planned' }),
    );
  });

  it('refuses an as-of date on a run that is not a dry run, before reading or sending anything', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 60);
    await baselined(h);
    const before = await h.ledger.readAccount(PROD.id);

    await expect(h.run({ asOf: '2027-02-10' })).rejects.toThrow(AsOfWithoutDryRunError);

    expect(h.slack.deliveries).toEqual([]);
    expect(await h.ledger.readAccount(PROD.id)).toEqual(before);
  });

  it('posts nothing on a same-day re-run, the run digest included, despite standing problems', async () => {
    const h = new EngineHarness({ slack: { infraChannel: 'C0INFRA01', runDigest: 'when-notable' } });
    h.engineer('alice', 'U0ALICE01', 76);
    h.iam.addUser(PROD.id, 'untagged-bot', {});
    h.key(PROD, 'untagged-bot', 10);
    await baselined(h);
    await h.run();
    h.slack.clear();

    const again = await h.run();

    expect(again.problems.length).toBeGreaterThan(0);
    expect(h.slack.deliveries).toEqual([]);
  });

  it('never lets two overlapping runs send the same reminder twice', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    h.engineer('bob', 'U0BOB0001', 81, STAGING);
    await baselined(h);

    const [first, second] = await Promise.all([h.run({ runId: 'a' }), h.run({ runId: 'b' })]);

    expect(first.summary.reminders + second.summary.reminders).toBe(2);
    expect(h.dms('U0ALICE01')).toHaveLength(1);
    expect(h.dms('U0BOB0001')).toHaveLength(1);
  });

  it('alerts the channel once about a key created after the baseline', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 10);
    await baselined(h);
    const newKey = h.key(PROD, 'alice', 0);

    await h.run();
    h.clock.advanceDays(1);
    await h.run();

    expect(h.channel().filter((t) => t.includes(newKey) && /new access key/i.test(t))).toHaveLength(1);
  });

  it('posts one baseline summary per account instead of a flood of new-key alerts', async () => {
    const h = new EngineHarness();
    for (let i = 0; i < 30; i++) h.engineer(`user${i}`, 'U0ALICE01', 5, i % 2 ? PROD : STAGING);

    const report = await h.run();

    expect(report.summary.newKeys).toBe(0);
    expect(h.channel()).toHaveLength(2);
    expect(h.channel().every((t) => /first scan/i.test(t))).toBe(true);
  });

  it("records each account's audit trail in its act step: the report step reads no plan (issue 12 at 1,000 accounts)", async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    const inner = new MemoryRunStore();
    const planReads: string[] = [];
    const store: RunStore = {
      put: (runId, document) => inner.put(runId, document),
      get: (runId, kind, accountId) => {
        if (kind === 'plan') planReads.push(accountId ?? '');
        return inner.get(runId, kind, accountId);
      },
    };

    await h.run({ store });

    // One read per account, by its act step; the report step used to read every plan again.
    expect(planReads.sort()).toEqual([PROD.id, STAGING.id].sort());
    const record = (await h.ledger.readAccount(PROD.id)).keys.find((k) => k.accessKeyId === keyId);
    expect(record?.audit?.map((entry) => entry.action)).toContain('reminder');
  });

  it('counts the calls made through each port', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);

    const report = await h.run();

    expect(report.summary.calls).toEqual({
      // Both accounts are baselined, so the fast path reads them: the report, then alice live.
      'iam.readInventory': 2,
      'iam.readUserKeys': 1,
      // Plus the audit trail (issue 10): the acted-on account read again, the reminder appended.
      'ledger.readAccount': 3,
      'ledger.putKey': 4, // claim, the DM recorded as soon as Slack took it, release, audit
      'ledger.putAccount': 2, // each account's read stamp
      'slack.sendDirect': 1,
      // Issue 11 item 2: the key's first notice opens its thread: the parent, then the reply.
      'slack.postToChannel': 2,
    });
    expect(report.summary.readPaths).toEqual({ fast: 2, exhaustive: 0 });
  });
});
