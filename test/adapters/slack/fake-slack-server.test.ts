import { WebClient } from '@slack/web-api';

import {
  FAKE_SLACK_BOT_USER_ID,
  type FakeSlack,
  slackError,
  startFakeSlack,
} from '../../support/fake-slack-server';

/** The stand-in must answer the way Slack does, or tests built on it prove nothing. */
describe('fake Slack server', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack({ members: ['U0ALICE01'] });
  });

  afterEach(() => slack.close());

  function client(token = slack.token): WebClient {
    return new WebClient(token, { slackApiUrl: slack.url, retryConfig: { retries: 0 } });
  }

  it('listens on loopback with an /api/ base URL', () => {
    expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
  });

  it('answers auth.test with the bot identity', async () => {
    const result = await client().auth.test();

    expect(result).toMatchObject({ ok: true, user_id: FAKE_SLACK_BOT_USER_ID, team: 'Fake Workspace' });
  });

  it('opens a DM channel for a member and refuses an unknown user', async () => {
    const opened = await client().conversations.open({ users: 'U0ALICE01' });
    const refused = client().conversations.open({ users: 'U0BOB0001' });

    expect(opened.channel).toEqual({ id: 'DU0ALICE01' });
    await expect(refused).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('records a posted message with its blocks decoded', async () => {
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*hi*' } }];

    const posted = await client().chat.postMessage({ channel: 'C0ANY0001', text: 'hi', blocks });

    expect(posted).toMatchObject({
      ok: true,
      channel: 'C0ANY0001',
      ts: expect.stringMatching(/^\d+\.\d{6}$/) as string,
    });
    expect(slack.messages()).toEqual([{ channel: 'C0ANY0001', text: 'hi', blocks }]);
    expect(slack.requests[0]).toMatchObject({
      method: 'chat.postMessage',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  });

  it('parses JSON bodies too', async () => {
    await fetch(`${slack.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.token}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0ANY0001', text: 'json' }),
    });

    expect(slack.messages()).toEqual([{ channel: 'C0ANY0001', text: 'json', blocks: undefined }]);
  });

  it('rejects a wrong token with invalid_auth', async () => {
    await expect(client('xoxb-wrong').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
  });

  it('rejects a post to a channel it was told does not exist', async () => {
    const strict = await startFakeSlack({ channels: ['C0INFRA01'] });
    const strictClient = new WebClient(strict.token, { slackApiUrl: strict.url });

    const refused = strictClient.chat.postMessage({ channel: 'C0OTHER01', text: 'x' });

    await expect(refused).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await strict.close();
  });

  it('answers an unknown method with unknown_method', async () => {
    await expect(client().apiCall('no.such.method')).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });
  });

  it('plays scripted answers in order, then falls back to the default', async () => {
    slack.script('auth.test', [slackError('fatal_error'), { body: { ok: true, user_id: 'U0SCRIPTED' } }]);

    const first = client().auth.test();
    await expect(first).rejects.toMatchObject({ data: { error: 'fatal_error' } });
    const answers = [await client().auth.test(), await client().auth.test()];

    expect(answers.map((a) => a.user_id)).toEqual(['U0SCRIPTED', FAKE_SLACK_BOT_USER_ID]);
  });

  it('forgets requests and scripts on reset', async () => {
    slack.script('auth.test', [slackError('fatal_error')]);
    await client().conversations.open({ users: 'U0ALICE01' });

    slack.reset();
    const answer = await client().auth.test();

    expect(answer.ok).toBe(true);
    expect(slack.requests.map((r) => r.method)).toEqual(['auth.test']);
  });
});
