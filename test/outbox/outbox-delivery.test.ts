import { METRIC } from '../../lambda/config/environment';
import { slackFailure } from '../../lambda/simulation';
import { HOUR_MS } from '../../lambda/domain/dates';
import { draftOf } from '../../lambda/domain/record-transitions';
import { updateKeyRecord } from '../../lambda/interactive/key-record-update';
import { OutboxWorld, PROD } from './outbox-world';

/** Issue 12 item 4: the act step queues, the sender delivers, the ledger counts only deliveries. */
describe('the Slack outbox, from the act step through the queue to Slack', () => {
  let world: OutboxWorld;
  afterEach(() => world.close());

  it('queues a reminder without sending or marking it; the milestone is done only when the sender delivers it', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 76);

    const report = await world.run();

    expect(report.actions.filter((a) => a.kind === 'remind')).toEqual([
      expect.objectContaining({ outcome: 'queued', milestone: 76, messages: [] }),
    ]);
    expect(report.summary.reminders).toBe(1);
    expect(world.slack.deliveries).toEqual([]);
    const queued = await world.key(keyId);
    expect(queued?.milestones).toEqual({});
    expect(queued?.noticeDeliveredOn).toBeUndefined();
    expect(queued?.queued?.['milestone-76']).toMatchObject({ on: '2027-03-01' });

    world.clock.set(world.clock.now().getTime() + 90_000);
    await world.drain();

    expect(world.dms('U0ALICE01')).toEqual([expect.stringContaining('76 days old')]);
    const delivered = await world.key(keyId);
    expect(delivered?.milestones['76']).toMatchObject({
      outcome: 'sent',
      deliveredTo: 'owner',
      deliveredAt: '2027-03-01T08:01:30.000Z',
      ts: world.slack.messagesTo('U0ALICE01')[0]?.ts,
    });
    expect(delivered?.noticeDeliveredOn).toBe('2027-03-01');
    expect(delivered?.queued).toBeUndefined();
    expect(delivered?.lease).toBeUndefined();
    expect(delivered?.audit).toEqual([
      { at: '2027-03-01T08:01:30.000Z', action: 'reminder', to: ['dm:U0ALICE01', 'channel'], detail: '76' },
    ]);
    expect(world.metric(METRIC.outboxDelivered)).toBe(2); // and the account's baseline summary
  });

  it('threads the channel copy under the key’s parent, and later notices under the parent the sender recorded', async () => {
    world = await OutboxWorld.start({ config: { outbox: { maxMessageAgeHours: 48 } } });
    const keyId = world.engineer('alice', 'U0ALICE01', 76);
    await world.run();
    await world.drain();
    const parentTs = (await world.key(keyId))?.channelThread?.ts;

    world.clock.advanceDays(5);
    await world.run();
    await world.drain();

    const parents = world.slack.channelTopLevel().filter((d) => d.message.text.includes(keyId));
    expect(parents.map((d) => d.ts)).toEqual([parentTs]);
    expect(world.slack.threadReplies(parentTs).map((d) => d.message.text.split(':')[0])).toEqual([
      'Reminder (day 76)',
      'Reminder (day 81)',
    ]);
  });

  it('queues nothing twice when act runs again the same day, and sends each notice once', async () => {
    world = await OutboxWorld.start();
    world.engineer('alice', 'U0ALICE01', 76);
    world.engineer('bob', 'U0BOB0001', 81);
    await world.run({ runId: 'first' });

    world.clock.set(world.clock.now().getTime() + 2 * HOUR_MS);
    const again = await world.run({ runId: 'second' });

    expect(again.actions.filter((a) => a.kind === 'remind').map((a) => a.outcome)).toEqual([
      'in-flight',
      'in-flight',
    ]);
    expect(again.summary.reminders).toBe(0);
    expect(world.queue.accepted).toHaveLength(3); // two reminders and the account's baseline summary
    await world.drain();
    expect(world.dms('U0ALICE01')).toHaveLength(1);
    expect(world.dms('U0BOB0001')).toHaveLength(1);

    const third = await world.run({ runId: 'third' });
    expect(third.actions.filter((a) => a.kind === 'remind')).toEqual([]);
    expect(world.queue.accepted).toHaveLength(3);
  });

  it('sends once a notice that the single Lambda delivers while it is queued, and clears its mark', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 76);
    await world.run();

    await world.run({ inProcess: true }); // a manual run of the single Lambda, deployed alongside
    await world.drain();

    expect(world.dms('U0ALICE01')).toHaveLength(1);
    expect((await world.key(keyId))?.queued).toBeUndefined();
    expect(world.logged('outbox message already delivered; not sent again')).toHaveLength(1);
  });

  it('sends once a notice that two days queued: the later copy finds it delivered', async () => {
    world = await OutboxWorld.start({ config: { outbox: { maxMessageAgeHours: 72 } } });
    world.engineer('alice', 'U0ALICE01', 76);
    await world.run();
    world.clock.advanceDays(1);

    await world.run();
    await world.drain();

    expect(world.queue.accepted.filter((m) => m.body.includes('milestone-76'))).toHaveLength(2);
    expect(world.dms('U0ALICE01')).toHaveLength(1);
    expect(world.logged('outbox message already delivered; not sent again')).toHaveLength(1);
    expect(world.queue.depth).toBe(0);
  });

  it('reports a message older than the age limit instead of sending it; the next run queues it again', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 76);
    await world.run();

    world.clock.set(world.clock.now().getTime() + 25 * HOUR_MS);
    await world.drain();

    expect(world.slack.deliveries).toEqual([]);
    expect(world.metric(METRIC.outboxStale)).toBe(2); // the reminder and the baseline summary
    expect(world.logged('outbox message stale; not sent, the next run decides again')).toEqual([
      expect.objectContaining({ ageHours: 25 }),
      expect.objectContaining({ ageHours: 25 }),
    ]);
    const record = await world.key(keyId);
    expect(record?.milestones).toEqual({});
    expect(record?.queued).toBeUndefined();
    expect(world.queue.depth).toBe(0);

    await world.run();
    await world.drain();
    expect(world.dms('U0ALICE01')).toEqual([expect.stringContaining('77 days old')]);
  });

  it('counts minimum notice from delivery: a final notice delivered two days late holds deactivation two days', async () => {
    world = await OutboxWorld.start({ config: { outbox: { maxMessageAgeHours: 72 } } });
    const keyId = world.engineer('alice', 'U0ALICE01', 95);
    const first = await world.run();
    expect(first.actions.find((a) => a.kind === 'final-notice')?.outcome).toBe('queued');
    world.clock.advanceDays(2);
    await world.drain();
    expect((await world.key(keyId))?.noticeDeliveredOn).toBe('2027-03-03');

    const deactivatedOn: string[] = [];
    for (let day = 2; day <= 8; day++) {
      const report = await world.run();
      if (report.actions.some((a) => a.kind === 'deactivate' && a.outcome === 'done'))
        deactivatedOn.push(report.summary.today);
      await world.drain();
      world.clock.advanceDays(1);
    }

    // Queued on 03-01 with the deadline 03-06; delivered 03-03, so not before 03-08.
    expect(deactivatedOn).toEqual(['2027-03-08']);
    expect(world.dms('U0ALICE01')).toEqual([
      expect.stringContaining('past the 91-day limit: it will be deactivated by the daily run on 2027-03-06'),
      expect.stringContaining('deactivated'),
    ]);
  });

  it('finishes a DM whose channel mirror failed with the mirror alone, on the message’s retry', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 76);
    await world.run();
    // The thread's parent fails, so the DM's mirror is not posted; the baseline summary comes after.
    world.slack.failNext(1, slackFailure('unavailable', 'service_unavailable'), 'channel');

    await world.drain();

    expect(world.dms('U0ALICE01')).toHaveLength(1);
    const mirrors = world.slack.channelMessages().filter((d) => d.message.text.includes('Reminder (day 76)'));
    expect(mirrors).toHaveLength(1);
    const record = await world.key(keyId);
    expect(record?.milestones['76']).toMatchObject({ outcome: 'sent', deliveredTo: 'owner' });
    expect(record?.milestones['76']?.pendingMirror).toBeUndefined();
    expect(record?.queued).toBeUndefined();
    expect(world.logged('outbox message not sent; retried')).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/milestone-76$/) as string,
        reason: 'slack',
        receiveCount: 1,
        retryInSeconds: 30,
      }),
    ]);
  });

  it('keeps a message Slack keeps failing, with a growing delay, then moves it to the dead-letter queue', async () => {
    world = await OutboxWorld.start({ maxReceiveCount: 3 });
    const keyId = world.engineer('alice', undefined, 76);
    await world.run();
    world.slack.setOutage(true);

    await world.drain();

    const retries = world.logged('outbox message not sent; retried').filter((l) => l.id !== undefined);
    expect(retries.filter((l) => String(l.id).endsWith('milestone-76')).map((l) => l.retryInSeconds)).toEqual(
      [30, 60, 120],
    );
    expect(world.deadLetters.depth).toBe(2); // the reminder and the baseline summary
    const record = await world.key(keyId);
    expect(record?.milestones).toEqual({});
    // SPEC §2: the outage's clock starts at the first failed attempt.
    expect(record?.noticeFirstFailedAt).toBe('2027-03-01T08:00:00.000Z');
  });

  it('tries a message again later while a run holds its key, and sends it once the run lets go', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 76);
    await world.run();
    const held = await world.key(keyId);
    const { version, ...draft } = held!;
    await world.ledger.putKey(
      { ...draft, lease: { runId: 'other-run', expiresAt: '2027-03-01T08:01:00.000Z' } },
      version,
    );

    await world.drain();

    expect(world.logged('outbox message not sent; retried')).toEqual([
      expect.objectContaining({ reason: 'key-busy', retryInSeconds: 30 }),
      expect.objectContaining({ reason: 'key-busy', retryInSeconds: 60 }),
    ]);
    expect(world.dms('U0ALICE01')).toHaveLength(1);
    expect(world.clock.now().getTime() - Date.parse('2027-03-01T08:00:00.000Z')).toBeGreaterThanOrEqual(
      90_000,
    );
  });

  it('queues a deactivation’s notice after the key is Inactive; the notice is recorded when delivered', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 86);
    await world.run();
    await world.drain();
    world.clock.advanceDays(5);

    const report = await world.run();

    expect(report.actions.find((a) => a.kind === 'deactivate')).toMatchObject({
      outcome: 'done',
      detail: 'notice queued for Slack',
    });
    expect(world.iam.findKey(keyId)?.key.status).toBe('Inactive');
    expect((await world.key(keyId))?.deactivationNoticePending).toBe(true);
    await world.drain();
    const record = await world.key(keyId);
    expect(record?.deactivationNoticePending).toBe(false);
    expect(record?.audit?.map((e) => e.action)).toEqual(['reminder', 'deactivated', 'deactivation-notice']);
  });

  it('posts a channel post once when the sender dies after posting it and its batch comes back', async () => {
    world = await OutboxWorld.start();
    world.engineer('alice', 'U0ALICE01', 76);
    await world.run();

    const drained = await world.drain({ diesAfter: (invocation) => invocation === 1 });

    expect(drained.failedInvocations).toBe(1);
    // The key's thread parent, and the account's first-scan summary, which has no key record.
    expect(world.slack.channelTopLevel().map((d) => d.message.text)).toEqual([
      expect.stringContaining('reminded at 76 days'),
      expect.stringContaining('First scan of prod'),
    ]);
    expect(world.dms('U0ALICE01')).toHaveLength(1);
    expect(world.logged('outbox message already delivered; not sent again')).toHaveLength(2);
    expect(world.queue.depth).toBe(0);
  });

  it('does not send a queued reminder whose key got an exemption approved after it was queued; the next run reminds with it', async () => {
    world = await OutboxWorld.start();
    const keyId = world.engineer('alice', 'U0ALICE01', 76);
    await world.run();
    world.clock.set(world.clock.now().getTime() + 60_000);
    // What Approve writes (lambda/interactive/exemption-flow.ts), while the reminder waits in the queue.
    const approvedAt = world.clock.now().toISOString();
    const recorded = await updateKeyRecord(world.ledger, PROD.id, keyId, world.clock.now(), (record) => ({
      ...draftOf(record),
      approvedExemption: {
        until: '2027-04-15',
        reason: 'migration',
        requestedBy: 'U0ALICE01',
        approvedBy: 'U0BOSS001',
        approvedAt,
      },
    }));
    expect(recorded.kind).toBe('written');

    await world.drain();

    expect(world.dms('U0ALICE01')).toEqual([]);
    expect(world.logged('outbox message superseded; not sent, the next run decides again')).toEqual([
      expect.objectContaining({ reason: 'an exemption until 2027-04-15 was approved after it was queued' }),
    ]);
    const record = await world.key(keyId);
    expect(record?.queued).toBeUndefined();
    expect(record?.milestones).toEqual({});

    world.clock.advanceDays(1);
    await world.run();
    await world.drain();
    expect(world.dms('U0ALICE01')).toEqual([expect.stringContaining('2027-04-15')]);
  });
});
