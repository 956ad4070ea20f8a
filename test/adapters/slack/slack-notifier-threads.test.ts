import { type FakeSlack, slackError, startFakeSlack } from '../../support/fake-slack-server';
import { INFRA_CHANNEL, notifierFor, OWNER, reminder } from './notifier-fixture';

const state = {
  text: 'AKIAIOSFODNN7EXAMPLE: 81 days old, next: deactivation',
  blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*81 days*' } }],
};

describe('SlackNotifier threads in the infra channel', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack({ members: [OWNER], channels: [INFRA_CHANNEL] });
  });

  afterEach(() => slack.close());

  it('returns the ts of a channel post so that it can become a thread parent', async () => {
    const result = await notifierFor(slack).postToChannel(reminder);

    const [posted] = slack.posts();
    expect(result).toEqual({ ok: true, ts: posted?.ts });
    expect(posted?.threadTs).toBeUndefined();
  });

  it('posts a reply with thread_ts of its parent', async () => {
    const notifier = notifierFor(slack);
    const parent = await notifier.postToChannel(state);
    const parentTs = parent.ok ? parent.ts : undefined;

    const reply = await notifier.postToChannel(reminder, { threadTs: parentTs ?? '' });

    expect(reply.ok).toBe(true);
    expect(slack.posts().map((p) => p.threadTs)).toEqual([undefined, parentTs]);
    expect(slack.requestsTo('chat.postMessage')[1]?.body.thread_ts).toBe(parentTs);
  });

  it('updates the parent with chat.update in the infra channel', async () => {
    const notifier = notifierFor(slack);
    const parent = await notifier.postToChannel(reminder);
    const ts = parent.ok ? (parent.ts ?? '') : '';

    const result = await notifier.updateChannelMessage(ts, state);

    expect(result).toEqual({ ok: true, ts });
    expect(slack.requestsTo('chat.update').map((r) => r.body)).toEqual([
      { channel: INFRA_CHANNEL, ts, text: state.text, blocks: state.blocks },
    ]);
    expect(notifier.callCounts()).toEqual({ 'chat.postMessage': 1, 'chat.update': 1 });
  });

  it.each(['message_not_found', 'cant_update_message'])(
    'reports a parent that cannot be updated (%s) as thread-lost, not as a broken setup',
    async (code) => {
      const notifier = notifierFor(slack);
      slack.script('chat.update', [slackError(code)]);

      const result = await notifier.updateChannelMessage('1700000000.000001', state);
      const next = await notifier.postToChannel(reminder);

      expect(result).toMatchObject({ ok: false, reason: 'thread-lost', code });
      expect(notifier.configurationError()).toBeUndefined();
      expect(next.ok).toBe(true);
    },
  );

  it('reports a reply to a deleted parent as thread-lost', async () => {
    const notifier = notifierFor(slack);
    const parent = await notifier.postToChannel(state);
    const ts = parent.ok ? (parent.ts ?? '') : '';
    slack.deleteMessage(ts);

    const reply = await notifier.postToChannel(reminder, { threadTs: ts });
    const update = await notifier.updateChannelMessage(ts, state);

    expect(reply).toMatchObject({ ok: false, reason: 'thread-lost', code: 'thread_not_found' });
    expect(update).toMatchObject({ ok: false, reason: 'thread-lost', code: 'message_not_found' });
  });

  it('retries a rate-limited chat.update after Retry-After', async () => {
    const sleeps: number[] = [];
    const notifier = notifierFor(slack, {
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    const parent = await notifier.postToChannel(state);
    const ts = parent.ok ? (parent.ts ?? '') : '';
    slack.script('chat.update', [slackError('ratelimited', 429, { 'Retry-After': '1' })]);

    const result = await notifier.updateChannelMessage(ts, reminder);

    expect(result.ok).toBe(true);
    expect(sleeps).toContain(1000);
    expect(slack.requestsTo('chat.update')).toHaveLength(2);
  });
});
