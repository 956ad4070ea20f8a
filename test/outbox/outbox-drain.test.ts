import { ChannelPacer } from '../../lambda/adapters/slack/channel-pacer';
import { SlackNotifier } from '../../lambda/adapters/slack/slack-notifier';
import { METRIC } from '../../lambda/config/environment';
import {
  type FakeSlack,
  type RecordedRequest,
  slackError,
  startFakeSlack,
} from '../support/fake-slack-server';
import { OutboxWorld, PROD } from './outbox-world';

const KEYS = 2000;
const INFRA_CHANNEL = 'C0INFRA01';
const CHANNEL_INTERVAL_MS = 1100;

const member = (i: number): string => `U${String(i).padStart(8, '0')}`;

/** Requests to the infra channel (posts and edits), in the order Slack saw them. */
function channelRequests(slack: FakeSlack): RecordedRequest[] {
  return slack.requests.filter(
    (r) =>
      (r.method === 'chat.postMessage' || r.method === 'chat.update') && r.body.channel === INFRA_CHANNEL,
  );
}

/**
 * Issue 12's outbox test: a first rollout's 2,000 reminders, queued by the act step, drain through
 * the real Slack adapter against the loopback Slack at the channel's pace while Slack answers 429
 * now and then: every owner gets one DM, every key one thread with its reply, nothing is left in
 * the queue or its dead-letter queue. Time is the test's clock: the pacer's and Retry-After's
 * waits move it, so the drain's 70-odd minutes of Slack time take seconds.
 */
describe('the outbox draining 2,000 reminders through the Slack adapter', () => {
  let world: OutboxWorld;
  let slack: FakeSlack;

  beforeAll(async () => {
    world = await OutboxWorld.start();
    slack = await startFakeSlack({
      members: Array.from({ length: KEYS / 2 }, (_, i) => member(2 * i)),
      channels: [INFRA_CHANNEL],
      clock: () => world.clock.now().getTime(),
    });
    // Half with a Slack id (DM, then the channel's thread), half without (the channel only).
    for (let i = 0; i < KEYS; i++)
      world.engineer(`user-${String(i).padStart(4, '0')}`, i % 2 === 0 ? member(i) : undefined, 76);
  });
  afterAll(async () => {
    await slack.close();
    await world.close();
  });

  // About 25 s alone on this machine (6,000 requests to the loopback Slack, 2,000 to SQS).
  const TIMEOUT_MS = 180_000;

  it(
    'delivers each exactly once, in order per key, never faster than the channel allows, 429s and all',
    async () => {
      const report = await world.run();
      expect(report.actions.filter((a) => a.kind === 'remind' && a.outcome === 'queued')).toHaveLength(KEYS);
      expect(slack.requests).toHaveLength(0);
      const queuedAt = world.clock.now().getTime();

      // As the deployed sender: a notifier per invocation, one pacer for the container.
      const sleep = (ms: number): Promise<void> => {
        world.clock.set(world.clock.now().getTime() + ms);
        return Promise.resolve();
      };
      const now = (): number => world.clock.now().getTime();
      const pacer = new ChannelPacer({ minIntervalMs: CHANNEL_INTERVAL_MS, now, sleep });
      const notifier = () =>
        new SlackNotifier({
          token: slack.token,
          apiUrl: slack.url,
          infraChannel: INFRA_CHANNEL,
          pacer,
          now,
          sleep,
          retryMinDelayMs: 1,
          retryMaxDelayMs: 5,
        });
      const drained = await world.drain({
        notifier,
        beforeInvoke: (n) => {
          // One 429 the notifier waits out; now and then four in a row, which it gives back to the
          // sender, whose messages then return to the queue after Retry-After.
          const limited = (retryAfter: string) =>
            slackError('ratelimited', 429, { 'Retry-After': retryAfter });
          if (n % 40 === 0) slack.script('chat.postMessage', [limited('3')]);
          if (n % 150 === 0)
            slack.script(
              'chat.postMessage',
              Array.from({ length: 4 }, () => limited('7')),
            );
        },
      });

      // Nothing lost, nothing left.
      expect(drained.failedInvocations).toBe(0);
      expect(world.queue.depth).toBe(0);
      expect(world.deadLetters.depth).toBe(0);
      const { keys } = await world.ledger.readAccount(PROD.id);
      expect(
        keys.filter((k) => k.milestones['76']?.outcome === 'sent' && k.queued === undefined),
      ).toHaveLength(KEYS);

      // Nothing repeated: one DM per owner with a Slack id, one thread per key with one reply.
      const accepted = slack.posts();
      const dms = accepted.filter((p) => p.channel.startsWith('D'));
      expect(new Set(dms.map((p) => p.channel)).size).toBe(KEYS / 2);
      expect(dms).toHaveLength(KEYS / 2);
      const inChannel = accepted.filter((p) => p.channel === INFRA_CHANNEL);
      const replies = inChannel.filter((p) => p.threadTs !== undefined);
      const parents = inChannel.filter((p) => p.threadTs === undefined && String(p.text).includes('AKIA'));
      expect(replies).toHaveLength(KEYS);
      expect(parents).toHaveLength(KEYS);

      // In order per key: each reply follows its own parent, which is the thread the ledger records.
      const position = new Map(accepted.map((p, i) => [p.ts, i]));
      for (const key of keys) {
        const parentTs = key.channelThread?.ts ?? '';
        const reply = replies.filter((r) => r.threadTs === parentTs);
        expect(reply).toHaveLength(1);
        expect(position.get(parentTs)).toBeLessThan(position.get(reply[0]!.ts)!);
      }

      // At the channel's pace, 429s included: no two channel calls closer than the interval.
      const calls = channelRequests(slack);
      const gaps = calls.slice(1).map((r, i) => r.receivedAt - calls[i]!.receivedAt);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(CHANNEL_INTERVAL_MS);
      expect(slack.requests.filter((r) => r.response.status === 429).length).toBeGreaterThan(0);
      expect(world.metric(METRIC.outboxRetried)).toBeGreaterThan(0);

      // The backlog drains at about the channel's rate: its calls back to back, plus the 429 waits.
      const drainMs = world.clock.now().getTime() - queuedAt;
      expect(drainMs).toBeLessThan(calls.length * CHANNEL_INTERVAL_MS * 1.1);
      expect(drainMs).toBeGreaterThanOrEqual((calls.length - 1) * CHANNEL_INTERVAL_MS);
    },
    TIMEOUT_MS,
  );
});
