import { type SlackMessage } from '../../lambda/domain/slack-message';
import { ManualClock } from '../../lambda/simulation/manual-clock';
import { SimulatedSlack, slackFailure } from '../../lambda/simulation/simulated-slack';

const MEMBER = 'U0123ABCD';
const LEFT = 'U0LEFT0001';
const HELLO: SlackMessage = {
  text: 'hello',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
};

function workspace(): { slack: SimulatedSlack; clock: ManualClock } {
  const clock = new ManualClock('2025-03-01T09:00:00Z');
  return { slack: new SimulatedSlack({ clock, members: [MEMBER], inactiveMembers: [LEFT] }), clock };
}

describe('SimulatedSlack', () => {
  it('delivers a DM to a member, stamped with the clock', async () => {
    const { slack, clock } = workspace();
    clock.advanceDays(2);
    await expect(slack.sendDirect(MEMBER, HELLO)).resolves.toMatchObject({ ok: true });
    expect(slack.messagesTo(MEMBER)).toEqual([
      {
        at: new Date('2025-03-03T09:00:00Z'),
        to: { kind: 'dm', slackId: MEMBER },
        message: HELLO,
        ts: '1740992400.000001',
      },
    ]);
  });

  it('posts to the channel', async () => {
    const { slack } = workspace();
    await slack.postToChannel(HELLO);
    expect(slack.channelMessages().map((d) => d.to)).toEqual([{ kind: 'channel' }]);
  });

  it.each([
    ['a well-formed id that is not a member', 'U9NOTHERE1', 'user_not_found'],
    ['a lowercase id', 'u0123abcd', 'user_not_found'],
    ['an empty id', '', 'user_not_found'],
    ['a deactivated member', LEFT, 'account_inactive'],
  ])('cannot reach %s', async (_name, slackId, code) => {
    const { slack } = workspace();
    const result = await slack.sendDirect(slackId, HELLO);
    expect(result).toEqual({
      ok: false,
      reason: 'owner-unreachable',
      code,
      message: `Slack API error: ${code}`,
    });
    expect(slack.deliveries).toEqual([]);
    expect(slack.attempts).toHaveLength(1);
  });

  it.each(['ratelimited', 'service_unavailable'] as const)(
    'fails every send as unavailable during an outage (%s)',
    async (code) => {
      const { slack } = workspace();
      slack.setOutage(true, code);
      const results = [await slack.sendDirect(MEMBER, HELLO), await slack.postToChannel(HELLO)];
      expect(results).toEqual([slackFailure('unavailable', code), slackFailure('unavailable', code)]);
    },
  );

  it('delivers again when the outage ends', async () => {
    const { slack } = workspace();
    slack.setOutage(true);
    slack.setOutage(false);
    await expect(slack.postToChannel(HELLO)).resolves.toMatchObject({ ok: true });
  });

  it('fails every send as misconfigured with a bad token, until restored', async () => {
    const { slack } = workspace();
    slack.misconfigure();
    const before = await slack.postToChannel(HELLO);
    slack.restore();
    const after = await slack.postToChannel(HELLO);
    expect([before, after]).toEqual([
      slackFailure('misconfigured', 'invalid_auth'),
      { ok: true, ts: '1740819600.000001' },
    ]);
  });

  it('fails exactly the next n sends', async () => {
    const { slack } = workspace();
    slack.failNext(2, slackFailure('unavailable', 'internal_error'));
    const results = [
      await slack.postToChannel(HELLO),
      await slack.sendDirect(MEMBER, HELLO),
      await slack.postToChannel(HELLO),
    ];
    expect(results.map((r) => r.ok)).toEqual([false, false, true]);
  });

  it('can fail only DMs, leaving the channel working', async () => {
    const { slack } = workspace();
    slack.failNext(1, slackFailure('owner-unreachable', 'channel_not_found'), 'dm');
    const channel = await slack.postToChannel(HELLO);
    const dm = await slack.sendDirect(MEMBER, HELLO);
    expect([channel.ok, dm]).toEqual([true, slackFailure('owner-unreachable', 'channel_not_found')]);
  });

  it.each<[string, SlackMessage, string]>([
    ['no text and no blocks', { text: ' ', blocks: [] }, 'no_text'],
    ['text over 40,000 characters', { text: 'x'.repeat(40001), blocks: [] }, 'msg_too_long'],
    [
      'a header over 150 characters',
      { text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] },
      'invalid_blocks',
    ],
    [
      'a section over 3,000 characters',
      { text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] },
      'invalid_blocks',
    ],
    [
      'eleven section fields',
      { text: 't', blocks: [{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'f' }) }] },
      'invalid_blocks',
    ],
    ['an empty section', { text: 't', blocks: [{ type: 'section' }] }, 'invalid_blocks'],
    ['51 blocks', { text: 't', blocks: Array(51).fill({ type: 'divider' }) }, 'invalid_blocks'],
  ])('refuses a message with %s, as the Slack API does', async (_name, message, code) => {
    const { slack } = workspace();
    await expect(slack.postToChannel(message)).resolves.toEqual(slackFailure('misconfigured', code));
  });

  it.each<[string, SlackMessage]>([
    [
      'a 150-character header',
      { text: 't', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(150) } }] },
    ],
    ['50 blocks', { text: 't', blocks: Array(50).fill({ type: 'divider' }) }],
    ['text only', { text: 'plain', blocks: [] }],
  ])('accepts a message with %s', async (_name, message) => {
    const { slack } = workspace();
    await expect(slack.postToChannel(message)).resolves.toMatchObject({ ok: true });
  });

  it('reaches a member added later, and not one deactivated later', async () => {
    const { slack } = workspace();
    slack.addMember('U0NEW00001');
    slack.deactivateMember(MEMBER);
    const results = [await slack.sendDirect('U0NEW00001', HELLO), await slack.sendDirect(MEMBER, HELLO)];
    expect(results).toEqual([
      { ok: true, ts: '1740819600.000001' },
      slackFailure('owner-unreachable', 'account_inactive'),
    ]);
  });

  it('forgets recorded messages on clear but keeps failure switches', async () => {
    const { slack } = workspace();
    await slack.postToChannel(HELLO);
    slack.setOutage(true);
    slack.clear();
    const result = await slack.postToChannel(HELLO);
    expect([slack.deliveries, result.ok]).toEqual([[], false]);
  });
});
