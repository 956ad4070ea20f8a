import { type FakeSlack, slackError, startFakeSlack } from '../../support/fake-slack-server';
import { INFRA_CHANNEL, notifierFor, OWNER, reminder, textContaining } from './notifier-fixture';

/** SPEC §7: the bot token never appears in logs, errors or anything but the Authorization header. */
describe('SlackNotifier token handling', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack({ members: [OWNER], channels: [INFRA_CHANNEL] });
  });

  afterEach(() => slack.close());

  it('sends the token only in the Authorization header of every request', async () => {
    const notifier = notifierFor(slack);
    slack.script('chat.postMessage', [{ status: 500, body: 'oops' }]);

    await notifier.sendDirect(OWNER, reminder);
    await notifier.sendDirect('U0NOBODY1', reminder);
    await notifier.postToChannel(reminder);

    const authorizations = slack.requests.map((r) => r.headers.authorization);
    const everythingElse = slack.requests.map((r) =>
      JSON.stringify({ url: r.url, body: r.rawBody, headers: { ...r.headers, authorization: undefined } }),
    );
    expect(authorizations).toEqual(slack.requests.map(() => `Bearer ${slack.token}`));
    expect(slack.requests).toHaveLength(5);
    expect(everythingElse.filter((text) => text.includes(slack.token))).toEqual([]);
  });

  it('redacts the token from Slack error text it returns', async () => {
    const notifier = notifierFor(slack);
    slack.script('chat.postMessage', [slackError(`fatal_error for ${slack.token}`)]);
    slack.script('conversations.open', [
      { body: { ok: false, error: 'missing_scope', needed: slack.token } },
    ]);

    const results = [await notifier.postToChannel(reminder), await notifier.sendDirect(OWNER, reminder)];

    expect(JSON.stringify(results)).not.toContain(slack.token);
    expect(results).toEqual([
      expect.objectContaining({
        code: 'fatal_error for [redacted]',
        message: textContaining('[redacted]'),
      }),
      expect.objectContaining({ code: 'missing_scope', message: textContaining('[redacted]') }),
    ]);
  });

  it('passes only redacted WebClient errors to the logger it is given', async () => {
    const logged: string[] = [];
    const notifier = notifierFor(slack, { logger: { error: (line) => logged.push(line) } });
    slack.script('conversations.open', [
      {
        body: {
          ok: true,
          channel: { id: `D${OWNER}` },
          response_metadata: { messages: [`[ERROR] token ${slack.token}`] },
        },
      },
    ]);

    await notifier.sendDirect(OWNER, reminder);

    expect(logged).toEqual([textContaining('token [redacted]')]);
  });

  it('keeps WebClient off the console by default', async () => {
    const consoleCalls = (['debug', 'info', 'log', 'warn', 'error'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation(() => undefined),
    );
    const gone = await startFakeSlack();
    await gone.close();
    const notifier = notifierFor(slack, { apiUrl: gone.url, maxRetries: 1 });
    slack.script('chat.postMessage', [slackError('ratelimited', 429, { 'Retry-After': '0' })]);

    await notifier.postToChannel(reminder);
    await notifierFor(slack).postToChannel(reminder);

    expect(consoleCalls.flatMap((spy) => spy.mock.calls)).toEqual([]);
    consoleCalls.forEach((spy) => spy.mockRestore());
  });
});
