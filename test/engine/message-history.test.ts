import { addDays, utcDate } from '../../lambda/domain/dates';
import { type SlackDelivery } from '../../lambda/simulation';
import { EngineHarness, PROD, START } from './engine-harness';

/** Everything a reader sees of a message: the fallback text and every block's text. */
function words(delivery: SlackDelivery): string {
  return JSON.stringify(delivery.message.blocks) + delivery.message.text;
}

/**
 * The engine tells the message builders what it knows of a key's past (issue 11 item 1), so the
 * words match what happened: a first sight is not a "catch-up after missed runs", a malformed
 * `slack-id` is named as such, and a deactivation after an exemption says that it ended.
 */
describe('messages that know the key history', () => {
  it('a key first seen past a reminder day says so, and a real gap in runs is a catch-up', async () => {
    const world = new EngineHarness();
    world.engineer('alice', 'U0ALICE01', 84);
    world.engineer('bob', 'U0BOB0001', 70);

    await world.run();
    world.clock.advanceDays(12);
    await world.run();

    const channel = world.slack.channelMessages();
    const firstDay = channel.filter((d) => d.at.getTime() === START.getTime()).map(words);
    const alice = firstDay.filter((text) => text.includes('alice'));
    const bob = channel.map(words).filter((text) => text.includes('bob'));
    expect(alice.join('\n')).toContain('First sight of this key');
    expect(alice.join('\n')).not.toContain('Catch-up after missed runs');
    expect(bob.join('\n')).toContain('Catch-up after missed runs: reminder for day 76 skipped.');
  });

  it('a malformed slack-id is named as malformed, not as a missing tag', async () => {
    const world = new EngineHarness();
    world.engineer('carol', 'carol@example.com', 77);

    await world.run();

    const channel = world.slack.channelMessages().map(words).join('\n');
    expect(channel).toContain('the slack-id tag on this user is not a Slack member id like U0123ABCD');
  });

  it('a deactivation held back by an exemption says when the exemption ended', async () => {
    const world = new EngineHarness();
    const until = addDays(utcDate(START), 3);
    world.engineer('dave', 'U0BOB0001', 88, PROD, { 'key-rotation-exempt-until': until });

    await world.runDays(6);

    const deactivated = world.slack
      .messagesTo('U0BOB0001')
      .map(words)
      .find((text) => text.includes('deactivated by today'));
    expect(deactivated).toContain(
      `The exemption on the IAM user ended on ${until}, so today's run deactivated the key.`,
    );
  });
});
