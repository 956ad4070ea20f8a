import { type FakeSlack, slackError, startFakeSlack } from '../../support/fake-slack-server';
import { INFRA_CHANNEL, notifierFor, OWNER, reminder, textContaining } from './notifier-fixture';

describe('SlackNotifier delivery and failure classification', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack({ members: [OWNER], channels: [INFRA_CHANNEL] });
  });

  afterEach(() => slack.close());

  it('DMs a member by opening a conversation and posting text and blocks to it', async () => {
    const notifier = notifierFor(slack);

    const result = await notifier.sendDirect(OWNER, reminder);

    expect(result).toMatchObject({ ok: true });
    expect(slack.requestsTo('conversations.open').map((r) => r.body)).toEqual([{ users: OWNER }]);
    expect(slack.messages()).toEqual([
      { channel: `D${OWNER}`, text: reminder.text, blocks: reminder.blocks },
    ]);
  });

  it('posts to the infra channel', async () => {
    const notifier = notifierFor(slack);

    const result = await notifier.postToChannel(reminder);

    expect(result).toMatchObject({ ok: true });
    expect(slack.messages()).toEqual([
      { channel: INFRA_CHANNEL, text: reminder.text, blocks: reminder.blocks },
    ]);
  });

  it('opens a DM conversation once per member for the life of the notifier', async () => {
    const notifier = notifierFor(slack);

    await notifier.sendDirect(OWNER, reminder);
    await notifier.sendDirect(OWNER, reminder);
    await notifier.postToChannel(reminder);

    expect(notifier.callCounts()).toEqual({ 'conversations.open': 1, 'chat.postMessage': 3 });
    expect(slack.requestsTo('conversations.open')).toHaveLength(1);
  });

  it.each([
    ['user_not_found', 'conversations.open'],
    ['users_not_found', 'conversations.open'],
    ['invalid_users', 'conversations.open'],
    ['user_not_visible', 'conversations.open'],
    ['user_disabled', 'conversations.open'],
    ['cannot_dm_bot', 'conversations.open'],
    ['account_inactive', 'conversations.open'],
    ['channel_not_found', 'chat.postMessage'],
    ['is_archived', 'chat.postMessage'],
    ['messages_tab_disabled', 'chat.postMessage'],
  ])('reports %s from %s on a DM as owner-unreachable', async (code, method) => {
    const notifier = notifierFor(slack);
    slack.script(method, [slackError(code)]);

    const result = await notifier.sendDirect(OWNER, reminder);

    expect(result).toEqual({
      ok: false,
      reason: 'owner-unreachable',
      code,
      message: textContaining(code),
    });
    expect(notifier.configurationError()).toBeUndefined();
  });

  it('reports an unknown member id as owner-unreachable without posting', async () => {
    const notifier = notifierFor(slack);

    const result = await notifier.sendDirect('U0NOBODY1', reminder);

    expect(result).toMatchObject({ ok: false, reason: 'owner-unreachable', code: 'user_not_found' });
    expect(slack.requestsTo('chat.postMessage')).toHaveLength(0);
  });

  it.each(['service_unavailable', 'fatal_error', 'internal_error', 'request_timeout', 'ratelimited'])(
    'reports %s as unavailable',
    async (code) => {
      const notifier = notifierFor(slack);
      slack.script('chat.postMessage', [slackError(code)]);

      const result = await notifier.postToChannel(reminder);

      expect(result).toMatchObject({ ok: false, reason: 'unavailable', code });
    },
  );

  it.each([
    'invalid_auth',
    'not_authed',
    'token_revoked',
    'token_expired',
    'account_inactive',
    'missing_scope',
    'not_in_channel',
    'not_allowed_token_type',
    'team_access_not_granted',
    'is_archived',
    'channel_not_found',
  ])('reports %s on the infra channel as misconfigured', async (code) => {
    const notifier = notifierFor(slack);
    slack.script('chat.postMessage', [slackError(code)]);

    const result = await notifier.postToChannel(reminder);

    expect(result).toMatchObject({ ok: false, reason: 'misconfigured', code });
  });

  it('reports a missing infra channel as misconfigured but a missing DM channel as owner-unreachable', async () => {
    const misnamed = notifierFor(slack, { infraChannel: 'C0MISSING' });
    const dm = notifierFor(slack);
    slack.script('chat.postMessage', [slackError('channel_not_found')]);

    const dmResult = await dm.sendDirect(OWNER, reminder);
    const channelResult = await misnamed.postToChannel(reminder);

    expect([dmResult, channelResult]).toEqual([
      expect.objectContaining({ reason: 'owner-unreachable', code: 'channel_not_found' }),
      expect.objectContaining({ reason: 'misconfigured', code: 'channel_not_found' }),
    ]);
  });

  it('names the scope to add when one is missing', async () => {
    const notifier = notifierFor(slack);
    slack.script('conversations.open', [{ body: { ok: false, error: 'missing_scope', needed: 'im:write' } }]);

    const result = await notifier.sendDirect(OWNER, reminder);

    expect(result).toMatchObject({ reason: 'misconfigured', message: textContaining('im:write') });
  });

  it('stops calling Slack after the first configuration error and returns that error again', async () => {
    const notifier = notifierFor(slack, { token: 'xoxb-revoked-or-wrong' });

    const first = await notifier.postToChannel(reminder);
    const later = [await notifier.sendDirect(OWNER, reminder), await notifier.postToChannel(reminder)];

    expect(first).toEqual({
      ok: false,
      reason: 'misconfigured',
      code: 'invalid_auth',
      message: textContaining('invalid_auth'),
    });
    expect(later).toEqual([first, first]);
    expect(notifier.configurationError()).toEqual(first);
    expect(slack.requests).toHaveLength(1);
  });

  it('keeps calling Slack after an owner is unreachable', async () => {
    const notifier = notifierFor(slack);

    await notifier.sendDirect('U0NOBODY1', reminder);
    const next = await notifier.postToChannel(reminder);

    expect(next).toMatchObject({ ok: true });
    expect(notifier.configurationError()).toBeUndefined();
  });
});
