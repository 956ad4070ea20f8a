import { type SlackMessage } from '../../lambda/domain/slack-message';
import { assumedRole, createAccessKeyEvent, KEY_ID, MEMBER_ACCOUNT } from './events';
import { HUB, RealtimeWorld } from './realtime-world';

function words(message: SlackMessage | undefined): string {
  return message ? JSON.stringify(message.blocks) + message.text : '';
}

/**
 * Issue 11: the real-time alert names the key's owner from the user's tags, read through the
 * member role, and asks them "was this you?"; the daily run, which then skips the key, never would.
 */
describe('the owner in real-time new-key alerts', () => {
  let world: RealtimeWorld;

  beforeEach(async () => {
    world = new RealtimeWorld();
    await world.baseline();
    world.createKey();
  });

  it('names the owner next to the creator and asks them, once, whether they created the key', async () => {
    await world.realtime(createAccessKeyEvent({ caller: assumedRole('Admin', 'alice') }));

    const alert = words(world.slack.channelMessages()[0]?.message);
    expect(alert).toContain('*Owner*\\nbob (<@U0BOB0001>)');
    expect(alert).toContain('<@U0BOB0001>, did you create this key? If not, say so here at once.');
    expect(alert).toContain('The creator is not bob itself');
    expect(world.tagReads()).toBe(1);
  });

  it('says so when the user has no usable slack-id, and mentions nobody', async () => {
    world.iam.setTag(MEMBER_ACCOUNT, 'bob', 'slack-id', 'bob@example.com');

    await world.realtime(createAccessKeyEvent());

    const alert = words(world.slack.channelMessages()[0]?.message);
    expect(alert).toContain('(owner unknown: no usable slack-id tag)');
    expect(alert).not.toContain('<@');
  });

  it('still alerts when the tags cannot be read, and says why the owner is missing', async () => {
    world.iam.failUser(MEMBER_ACCOUNT, 'bob', 'Rate exceeded');

    const outcome = await world.realtime(createAccessKeyEvent());

    expect(outcome.outcome).toBe('alerted');
    const alert = words(world.slack.channelMessages()[0]?.message);
    expect(alert).toContain("could not read the user's tags");
    expect(alert).toContain('The owner could not be looked up: Rate exceeded.');
  });

  it('reads no tags for a duplicate delivery of the event', async () => {
    const event = createAccessKeyEvent();
    await world.realtime(event);
    await world.realtime(event);

    expect(world.tagReads()).toBe(1);
    expect(world.slack.channelMessages()).toHaveLength(1);
  });
});

describe('real-time alerts with Organizations discovery', () => {
  const discovered = { enabled: true, managementRoleArn: 'arn:aws:iam::999999999999:role/OrgRead' };

  it('alerts for an account of the organisation that is not listed in accounts', async () => {
    const world = new RealtimeWorld({ accounts: [HUB], organization: discovered });
    world.createKey();

    const outcome = await world.realtime(createAccessKeyEvent());

    expect(outcome).toMatchObject({ outcome: 'alerted', accountId: MEMBER_ACCOUNT, accessKeyId: KEY_ID });
    expect(words(world.slack.channelMessages()[0]?.message)).toContain(`in ${MEMBER_ACCOUNT}, created by`);
  });

  it('ignores an account the organization section excludes', async () => {
    const world = new RealtimeWorld({
      accounts: [HUB],
      organization: { ...discovered, excludeAccounts: [MEMBER_ACCOUNT] },
    });
    world.createKey();

    const outcome = await world.realtime(createAccessKeyEvent());

    expect(outcome).toMatchObject({ outcome: 'ignored', reason: 'account-not-watched' });
    expect(world.slack.channelMessages()).toHaveLength(0);
  });
});
