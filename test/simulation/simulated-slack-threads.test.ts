import { type SlackMessage } from '../../lambda/domain/slack-message';
import { ManualClock } from '../../lambda/simulation/manual-clock';
import { SimulatedSlack, slackFailure } from '../../lambda/simulation/simulated-slack';

const PARENT: SlackMessage = { text: 'key state', blocks: [] };
const REPLY: SlackMessage = { text: 'reminder', blocks: [] };
const NEWER: SlackMessage = { text: 'key state, later', blocks: [] };

function slackAndParent(): Promise<{ slack: SimulatedSlack; ts: string }> {
  const slack = new SimulatedSlack({ clock: new ManualClock('2025-03-01T09:00:00Z') });
  return slack.postToChannel(PARENT).then((r) => ({ slack, ts: r.ok ? (r.ts ?? '') : '' }));
}

describe('SimulatedSlack threads', () => {
  it('gives every accepted post a distinct ts', async () => {
    const { slack, ts } = await slackAndParent();
    const second = await slack.postToChannel(REPLY);
    expect(second).toEqual({ ok: true, ts: '1740819600.000002' });
    expect(ts).toBe('1740819600.000001');
  });

  it('keeps replies apart from top-level posts', async () => {
    const { slack, ts } = await slackAndParent();
    await slack.postToChannel(REPLY, { threadTs: ts });
    expect(slack.channelTopLevel().map((d) => d.message)).toEqual([PARENT]);
    expect(slack.threadReplies(ts).map((d) => d.message)).toEqual([REPLY]);
  });

  it('updates a channel message in place, keeping its ts', async () => {
    const { slack, ts } = await slackAndParent();
    await expect(slack.updateChannelMessage(ts, NEWER)).resolves.toEqual({ ok: true });
    expect(slack.channelMessage(ts)).toEqual(NEWER);
    expect(slack.updates.map((u) => u.ts)).toEqual([ts]);
    expect(slack.channelTopLevel()).toHaveLength(1);
  });

  it('refuses to update or reply to a deleted parent', async () => {
    const { slack, ts } = await slackAndParent();
    slack.deleteMessage(ts);
    await expect(slack.updateChannelMessage(ts, NEWER)).resolves.toEqual(
      slackFailure('thread-lost', 'message_not_found'),
    );
    await expect(slack.postToChannel(REPLY, { threadTs: ts })).resolves.toEqual(
      slackFailure('thread-lost', 'thread_not_found'),
    );
    expect(slack.threadReplies()).toEqual([]);
  });

  it('applies outages to updates as to posts', async () => {
    const { slack, ts } = await slackAndParent();
    slack.setOutage(true);
    await expect(slack.updateChannelMessage(ts, NEWER)).resolves.toMatchObject({ reason: 'unavailable' });
    expect(slack.channelMessage(ts)).toEqual(PARENT);
  });
});
