import { type FakeSlack, slackError, startFakeSlack } from '../../support/fake-slack-server';
import {
  INFRA_CHANNEL,
  notifierFor,
  OWNER,
  recordingSleep,
  reminder,
  textContaining,
} from './notifier-fixture';

/** Retries, rate limits, the Lambda's remaining time and channel pacing. */
describe('SlackNotifier limits', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack({ members: [OWNER], channels: [INFRA_CHANNEL] });
  });

  afterEach(() => slack.close());

  it('waits out a 429 Retry-After and then succeeds', async () => {
    const notifier = notifierFor(slack);
    slack.script('chat.postMessage', [slackError('ratelimited', 429, { 'Retry-After': '1' })]);

    const result = await notifier.postToChannel(reminder);

    const [limited, retried] = slack.requestsTo('chat.postMessage');
    expect(result).toMatchObject({ ok: true });
    expect(retried!.receivedAt - limited!.receivedAt).toBeGreaterThanOrEqual(990);
    expect(slack.messages()).toHaveLength(1);
  });

  it('gives up after maxRetries rate-limited attempts and reports unavailable', async () => {
    const { sleep, sleeps } = recordingSleep();
    const notifier = notifierFor(slack, { sleep, maxRetries: 3 });
    slack.script(
      'chat.postMessage',
      Array.from({ length: 4 }, () => slackError('ratelimited', 429, { 'Retry-After': '2' })),
    );

    const result = await notifier.postToChannel(reminder);

    expect(result).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'ratelimited',
      retryAfterMs: 2000,
    });
    expect(sleeps).toEqual([2000, 2000, 2000]);
    expect(notifier.callCounts()).toEqual({ 'chat.postMessage': 4 });
  });

  it('does not wait for a Retry-After longer than the time left', async () => {
    const { sleep, sleeps } = recordingSleep();
    const notifier = notifierFor(slack, { sleep, remainingTimeMs: () => 5000 + 2000, safetyMarginMs: 5000 });
    slack.script('chat.postMessage', [slackError('ratelimited', 429, { 'Retry-After': '30' })]);

    const result = await notifier.postToChannel(reminder);

    // The outbox sender puts the message back for Slack's Retry-After instead (issue 12 item 4).
    expect(result).toMatchObject({
      ok: false,
      reason: 'unavailable',
      code: 'ratelimited',
      retryAfterMs: 30_000,
    });
    expect(sleeps).toEqual([]);
    expect(slack.requests).toHaveLength(1);
  });

  it('retries HTTP 500s and reports unavailable when they persist', async () => {
    const notifier = notifierFor(slack, { maxRetries: 3 });
    slack.script(
      'chat.postMessage',
      Array.from({ length: 4 }, () => ({ status: 500, body: 'upstream error' })),
    );

    const result = await notifier.postToChannel(reminder);

    expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'http_500' });
    expect(slack.requestsTo('chat.postMessage')).toHaveLength(4);
  });

  it('recovers when a 500 is followed by success', async () => {
    const notifier = notifierFor(slack);
    slack.script('conversations.open', [{ status: 503, body: 'busy' }]);

    const result = await notifier.sendDirect(OWNER, reminder);

    expect(result).toMatchObject({ ok: true });
    expect(slack.requestsTo('conversations.open')).toHaveLength(2);
  });

  it('reports a refused connection as unavailable', async () => {
    const gone = await startFakeSlack();
    await gone.close();
    const notifier = notifierFor(slack, { apiUrl: gone.url, maxRetries: 1 });

    const result = await notifier.postToChannel(reminder);

    expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'ECONNREFUSED' });
  });

  it('reports a request Slack does not answer in time as unavailable', async () => {
    const notifier = notifierFor(slack, { requestTimeoutMs: 100, maxRetries: 0 });
    slack.script('conversations.open', [{ delayMs: 5000 }]);

    const result = await notifier.sendDirect(OWNER, reminder);

    expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'request_timeout' });
  });

  it('cuts requests and retries short to fit the time left', async () => {
    const notifier = notifierFor(slack, { remainingTimeMs: () => 5000 + 300, safetyMarginMs: 5000 });
    slack.script(
      'chat.postMessage',
      Array.from({ length: 4 }, () => ({ delayMs: 5000 })),
    );
    const startedAt = Date.now();

    const result = await notifier.postToChannel(reminder);

    expect(result).toMatchObject({ ok: false, reason: 'unavailable', code: 'request_timeout' });
    expect(Date.now() - startedAt).toBeLessThan(1500);
  });

  it('does not call Slack when no time is left', async () => {
    const notifier = notifierFor(slack, { remainingTimeMs: () => 4000, safetyMarginMs: 5000 });

    const results = [await notifier.sendDirect(OWNER, reminder), await notifier.postToChannel(reminder)];

    expect(results).toEqual([
      {
        ok: false,
        reason: 'unavailable',
        code: 'no_time_left',
        message: textContaining('out of time'),
      },
      {
        ok: false,
        reason: 'unavailable',
        code: 'no_time_left',
        message: textContaining('out of time'),
      },
    ]);
    expect(slack.requests).toHaveLength(0);
  });

  it('keeps consecutive channel posts at least channelMinIntervalMs apart (injected clock)', async () => {
    let now = 0;
    const sleeps: number[] = [];
    const sleep = (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    };
    const notifier = notifierFor(slack, { channelMinIntervalMs: 1100, now: () => now, sleep });

    for (let i = 0; i < 3; i += 1) await notifier.postToChannel(reminder);
    await notifier.sendDirect(OWNER, reminder);

    expect(sleeps).toEqual([1100, 1100]);
    expect(slack.messages()).toHaveLength(4);
  });

  it('keeps concurrent channel posts at least channelMinIntervalMs apart (real time)', async () => {
    const notifier = notifierFor(slack, { channelMinIntervalMs: 200 });
    // The first request also opens the connection, which would blur the first gap.
    await notifier.postToChannel(reminder);

    await Promise.all([1, 2, 3].map(() => notifier.postToChannel(reminder)));

    const arrivals = slack.requestsTo('chat.postMessage').map((r) => r.receivedAt);
    const gaps = arrivals.slice(2).map((t, i) => t - arrivals[i + 1]!);
    // Measured where the server reads each request, which a loaded machine delays by tens of
    // milliseconds; unpaced posts would arrive about 0 ms apart, so the margin still tells them apart.
    expect(gaps).toHaveLength(2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
  });

  it('does not wait for a channel slot that comes after the time left', async () => {
    let now = 0;
    const notifier = notifierFor(slack, {
      channelMinIntervalMs: 1100,
      now: () => now,
      sleep: () => Promise.resolve(),
      remainingTimeMs: () => 5000 + 500 - now,
      safetyMarginMs: 5000,
    });

    const first = await notifier.postToChannel(reminder);
    now = 100;
    const second = await notifier.postToChannel(reminder);

    expect([first, second]).toEqual([
      expect.objectContaining({ ok: true }),
      expect.objectContaining({ code: 'no_time_left' }),
    ]);
    expect(slack.requests).toHaveLength(1);
  });
});
