import { parseConfig } from '../../lambda/config/parse-config';
import { DeliveryService } from '../../lambda/engine/delivery';
import { type SlackMessage } from '../../lambda/domain/slack-message';
import { notifierFor, INFRA_CHANNEL, OWNER } from '../adapters/slack/notifier-fixture';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack-server';

const message = (text: string): SlackMessage => ({ text, blocks: [] });
const ctx = {
  today: '2027-01-01',
  rotation: { docsUrl: 'https://docs.example/rotate', awsVaultProfileHint: '<profile>' },
  policy: parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: INFRA_CHANNEL } }).policy,
};

describe('key threads through the real Slack Web API client (issue 11 item 2)', () => {
  let slack: FakeSlack;

  beforeEach(async () => {
    slack = await startFakeSlack({ members: [OWNER], channels: [INFRA_CHANNEL] });
  });

  afterEach(() => slack.close());

  it('opens a thread, then updates its parent and replies with thread_ts', async () => {
    const delivery = new DeliveryService(notifierFor(slack), ctx, false);

    const first = await delivery.postInThread(message('day 76'), message('state 76'));
    const second = await delivery.postInThread(message('day 81'), message('state 81'), first.thread);

    const ts = first.thread?.ts;
    expect(slack.posts().map((p) => [p.text, p.threadTs])).toEqual([
      ['state 76', undefined],
      ['day 76', ts],
      ['day 81', ts],
    ]);
    expect(slack.requestsTo('chat.update').map((r) => [r.body.ts, r.body.text])).toEqual([[ts, 'state 81']]);
    expect(second).toMatchObject({ deliveredTo: 'channel' });
    expect(second.thread).toBeUndefined();
  });

  it('posts a new parent when chat.update answers message_not_found, and hands back its ts', async () => {
    const delivery = new DeliveryService(notifierFor(slack), ctx, false);
    const first = await delivery.postInThread(message('day 76'), message('state 76'));
    slack.deleteMessage(first.thread?.ts ?? '');

    const second = await delivery.postInThread(message('day 81'), message('state 81'), first.thread);

    const [, , parent, reply] = slack.posts();
    expect(second.thread).toEqual({ ts: parent?.ts });
    expect(parent).toMatchObject({ text: 'state 81' });
    expect(parent?.threadTs).toBeUndefined();
    expect(reply).toMatchObject({ text: 'day 81', threadTs: parent?.ts });
    expect(second.failure).toBeUndefined();
  });
});
