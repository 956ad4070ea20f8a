import { type KeyRecordDraft } from '../../lambda/domain/ledger-records';
import { claimNewKey, REALTIME_LEASE_MINUTES } from '../../lambda/realtime/new-key-claim';
import { slackFailure } from '../../lambda/simulation';
import {
  assumedRole,
  createAccessKeyEvent,
  EVENT_TIME,
  failedCreateAccessKeyEvent,
  KEY_ID,
  MEMBER_ACCOUNT,
} from './events';
import { RealtimeWorld } from './realtime-world';

const ADMIN_SESSION_ARN = `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/Admin/alice@example.com`;

describe('real-time new-key alerts', () => {
  let world: RealtimeWorld;

  beforeEach(async () => {
    world = new RealtimeWorld();
    await world.baseline();
    world.createKey();
  });

  it('posts one channel alert naming the creator, source IP and user agent', async () => {
    const event = createAccessKeyEvent({
      caller: assumedRole('Admin', 'alice@example.com'),
      sourceIp: '198.51.100.23',
      userAgent: 'aws-cli/2.15.30 Python/3.11.8',
    });

    const outcome = await world.realtime(event);

    expect(outcome).toEqual({
      outcome: 'alerted',
      accountId: MEMBER_ACCOUNT,
      accessKeyId: KEY_ID,
      userName: 'bob',
      createdBySomeoneElse: true,
    });
    const texts = world.channelTexts();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain(ADMIN_SESSION_ARN);
    expect(texts[0]).toContain('198.51.100.23');
    expect(texts[0]).toContain('aws-cli/2.15.30 Python/3.11.8');
    expect(texts[0]).toContain(`New access key ${KEY_ID} for IAM user bob in production (${MEMBER_ACCOUNT})`);
  });

  it('records the key as alerted in real time, holding no lease', async () => {
    await world.realtime(createAccessKeyEvent());

    expect(await world.record()).toEqual({
      accountId: MEMBER_ACCOUNT,
      accessKeyId: KEY_ID,
      userName: 'bob',
      createdAt: new Date(EVENT_TIME).toISOString(),
      firstSeenOn: '2027-01-10',
      newKeyAlert: 'realtime',
      milestones: {},
      version: 2,
    });
  });

  it('flags a key created by someone other than its user, and not one the user made itself', async () => {
    await world.realtime(createAccessKeyEvent({ caller: assumedRole('Admin', 'alice') }));
    await world.realtime(createAccessKeyEvent({ keyId: 'AKIAEXAMPLEBOB000002', eventId: 'other' }));

    const [byAdmin, byBob] = world.slack.channelMessages().map((delivery) => delivery.message);
    expect(byAdmin?.text).toContain('The creator is not bob itself');
    expect(byAdmin?.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: 'New access key, created by someone else' },
    });
    expect(byBob?.text).not.toContain('The creator is not bob itself');
  });

  it('alerts once when the same event is delivered twice', async () => {
    const event = createAccessKeyEvent();

    await world.realtime(event);
    const second = await world.realtime(event);

    expect(world.channelTexts()).toHaveLength(1);
    expect(second).toMatchObject({
      outcome: 'already-known',
      detail: 'already in the ledger (new-key alert: realtime)',
    });
  });

  it('asks for no Slack token when it has nothing to post', async () => {
    await world.realtime(createAccessKeyEvent());
    world.notifierRequests = 0;

    await world.realtime(createAccessKeyEvent());
    await world.realtime(failedCreateAccessKeyEvent('AccessDenied', 'bob'));

    expect(world.notifierRequests).toBe(0);
  });

  it('is not alerted again by the daily run', async () => {
    await world.realtime(createAccessKeyEvent());
    world.slack.clear();

    const report = await world.dailyRun();

    expect(world.channelTexts()).toEqual([]);
    expect(report.summary.newKeys).toBe(0);
    expect((await world.record())?.newKeyAlert).toBe('realtime');
  });

  it('leaves the key alone when the daily run alerted first', async () => {
    await world.dailyRun();
    world.slack.clear();

    const outcome = await world.realtime(createAccessKeyEvent());

    expect(outcome).toMatchObject({
      outcome: 'already-known',
      detail: 'already in the ledger (new-key alert: sent)',
    });
    expect(world.channelTexts()).toEqual([]);
  });

  describe('when Slack is down', () => {
    beforeEach(() => {
      world.slack.setOutage(true);
    });

    it('leaves the alert pending, holding no lease', async () => {
      const outcome = await world.realtime(createAccessKeyEvent());

      expect(outcome).toMatchObject({
        outcome: 'alert-pending',
        failure: { code: 'service_unavailable' },
      });
      const record = await world.record();
      expect(record?.newKeyAlert).toBe('pending');
      expect(record?.lease).toBeUndefined();
    });

    it('lets the next daily run alert, once', async () => {
      await world.realtime(createAccessKeyEvent());
      world.slack.setOutage(false);

      await world.dailyRun();
      world.clock.advanceDays(1);
      await world.dailyRun();

      const texts = world.channelTexts();
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(`New access key ${KEY_ID} for IAM user bob`);
      expect((await world.record())?.newKeyAlert).toBe('sent');
    });

    it('lets a retry of the event post the alert with the creator, once', async () => {
      const event = createAccessKeyEvent({ caller: assumedRole('Admin', 'alice@example.com') });
      await world.realtime(event);
      world.slack.setOutage(false);

      const retry = await world.realtime(event);
      await world.dailyRun();

      expect(retry).toMatchObject({ outcome: 'alerted' });
      const texts = world.channelTexts();
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(ADMIN_SESSION_ARN);
      expect((await world.record())?.newKeyAlert).toBe('realtime');
    });

    it('treats a notifier that cannot be built (no token) as a failed post', async () => {
      world.slack.setOutage(false);
      const unreadable = Object.assign(new Error('GetSecretValue failed: AccessDeniedException'), {
        name: 'SlackTokenError',
      });

      const outcome = await world.realtime(createAccessKeyEvent(), () => Promise.reject(unreadable));

      expect(outcome).toMatchObject({ outcome: 'alert-pending', failure: { code: 'SlackTokenError' } });
      expect((await world.record())?.newKeyAlert).toBe('pending');
    });
  });

  it('takes over an alert the daily run could not post', async () => {
    world.slack.failNext(1, slackFailure('unavailable', 'ratelimited'), 'channel');
    await world.dailyRun();

    const outcome = await world.realtime(createAccessKeyEvent());
    await world.dailyRun();

    expect(outcome).toMatchObject({ outcome: 'alerted' });
    expect(world.channelTexts()).toHaveLength(1);
    expect((await world.record())?.newKeyAlert).toBe('realtime');
  });

  describe('after an invocation died between recording the key and posting', () => {
    beforeEach(async () => {
      // What the dead invocation left: the key recorded as owed, under its lease.
      const now = world.clock.now();
      const lease = {
        runId: 'realtime:crashed-event',
        expiresAt: new Date(now.getTime() + REALTIME_LEASE_MINUTES * 60_000).toISOString(),
      };
      await claimNewKey(world.ledger, bobsKeyRecord(), lease, now);
    });

    it('sends nothing while the lease holds, from either path', async () => {
      const outcome = await world.realtime(createAccessKeyEvent());
      const report = await world.dailyRun();

      expect(outcome).toMatchObject({
        outcome: 'already-known',
        detail: expect.stringContaining('realtime:crashed-event holds it') as unknown,
      });
      expect(report.problems.map((problem) => problem.code)).toEqual(['key-busy']);
      expect(world.channelTexts()).toEqual([]);
    });

    it('alerts once, from the daily run, after the lease ran out', async () => {
      world.advanceMinutes(REALTIME_LEASE_MINUTES + 1);

      await world.dailyRun();
      await world.dailyRun();

      const texts = world.channelTexts();
      expect(texts).toHaveLength(1);
      expect(texts[0]).toContain(KEY_ID);
    });
  });

  it('escapes what the caller chose, so it cannot notify the channel or add a link', async () => {
    const event = createAccessKeyEvent({
      caller: assumedRole('Admin', 'x<!channel>'),
      userAgent: 'curl/8 <!channel> <https://evil.example|docs> & `rm`',
      sourceIp: '<!here>',
    });

    await world.realtime(event);

    const [message] = world.slack.channelMessages().map((delivery) => delivery.message);
    const everything = JSON.stringify(message);
    expect(everything).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    expect(message?.text).toContain('curl/8 &lt;!channel&gt; &lt;https://evil.example|docs&gt; &amp;');
    expect(message?.text).toContain('&lt;!here&gt;');
  });

  it('ignores a failed call without touching the ledger', async () => {
    const outcome = await world.realtime(failedCreateAccessKeyEvent('AccessDenied', 'bob'));

    expect(outcome).toMatchObject({ outcome: 'ignored', reason: 'failed-call' });
    expect(await world.record()).toBeUndefined();
  });

  it('ignores an account the enforcer does not watch', async () => {
    const event = createAccessKeyEvent({ detail: { recipientAccountId: '444444444444' } });

    const outcome = await world.realtime({ ...event, account: '444444444444' });

    expect(outcome).toMatchObject({ outcome: 'ignored', reason: 'account-not-watched' });
    expect(world.channelTexts()).toEqual([]);
  });

  it('records and sends nothing in a dry run, but says what it would post', async () => {
    const dry = new RealtimeWorld({ dryRun: true });
    dry.createKey();

    const outcome = await dry.realtime(createAccessKeyEvent());

    expect(outcome).toMatchObject({
      outcome: 'planned',
      text: expect.stringContaining('[DRY RUN]') as unknown,
    });
    expect(dry.slack.attempts).toEqual([]);
    expect(await dry.record()).toBeUndefined();
  });
});

function bobsKeyRecord(): KeyRecordDraft {
  return {
    accountId: MEMBER_ACCOUNT,
    accessKeyId: KEY_ID,
    userName: 'bob',
    createdAt: new Date(EVENT_TIME).toISOString(),
    firstSeenOn: '2027-01-10',
    newKeyAlert: 'pending',
    milestones: {},
  };
}
