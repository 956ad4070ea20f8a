import {
  channelMessage,
  type MessageContext,
  ownerMessage,
  realtimeNewKeyMessage,
} from '../../../lambda/domain/messages';
import { ACTION, decodeKeyRef, encodeKeyRef } from '../../../lambda/domain/interactive/key-ref';
import { decideRealtimeEvent } from '../../../lambda/domain/realtime-event';
import { type Block, type ButtonElement, type SlackMessage } from '../../../lambda/domain/slack-message';
import { slackRejection } from '../../../lambda/simulation/slack-limits';
import { createAccessKeyEvent } from '../../realtime/events';
import {
  ACCOUNT,
  context,
  deactivate,
  finalNotice,
  KEY_ID,
  machine,
  newKey,
  remind,
  subject,
} from './fixtures';

const interactive: MessageContext = context({ interactive: true });

function buttons(message: SlackMessage): ButtonElement[] {
  return message.blocks.flatMap((block: Block) => (block.type === 'actions' ? block.elements : []));
}

describe('buttons on the messages (issue 11 item 3)', () => {
  it.each([
    ['a reminder', remind()],
    ['a final notice', finalNotice()],
  ])('%s to the owner offers "I’ve rotated" and "Ask for more time" about that key', (_name, decision) => {
    const message = ownerMessage(decision, interactive);

    expect(buttons(message).map((b) => [b.action_id, b.text.text])).toEqual([
      [ACTION.rotated, "I've rotated – check now"],
      [ACTION.moreTime, 'Ask for more time'],
    ]);
    for (const button of buttons(message))
      expect(decodeKeyRef(button.value)).toEqual({
        accountId: ACCOUNT.id,
        userName: 'alice',
        accessKeyId: KEY_ID,
      });
    expect(slackRejection(message)).toBeUndefined();
    expect(message.blocks.at(-2)?.type).toBe('actions');
  });

  it('offers no more time for a key whose class is never deactivated', () => {
    const message = ownerMessage(
      remind({ subject: subject({ owner: machine({ slackId: 'U0OWNER01' }), deactivates: false }) }),
      interactive,
    );
    expect(buttons(message).map((b) => b.action_id)).toEqual([ACTION.rotated]);
  });

  it.each([
    ['interactivity is off', context()],
    ['it is a dry run', context({ interactive: true, dryRun: true })],
  ])('shows no buttons when %s', (_name, ctx) => {
    expect(buttons(ownerMessage(remind(), ctx))).toEqual([]);
    expect(buttons(channelMessage(newKey(), ctx, { status: 'not-attempted' }))).toEqual([]);
  });

  it('keeps buttons out of the channel mirror and the deactivation notice', () => {
    expect(buttons(channelMessage(remind(), interactive, { status: 'sent' }))).toEqual([]);
    expect(buttons(ownerMessage(deactivate(), interactive))).toEqual([]);
  });

  it('asks about a new key with "It was me" and a confirmed "Not me – deactivate"', () => {
    const decision = newKey();
    const message = channelMessage(decision, interactive, { status: 'not-attempted' });
    const [mine, notMine] = buttons(message);

    expect(mine).toMatchObject({ action_id: ACTION.newKeyMine, text: { text: 'It was me' } });
    expect(notMine).toMatchObject({
      action_id: ACTION.newKeyNotMine,
      text: { text: 'Not me – deactivate' },
      style: 'danger',
      confirm: { confirm: { text: 'Deactivate' }, deny: { text: 'Cancel' } },
    });
    expect(notMine?.confirm?.text.text).toContain(decision.subject.key.accessKeyId);
    expect(slackRejection(message)).toBeUndefined();
  });

  it('asks the same on the real-time alert, about the key in the event', () => {
    const event = decideRealtimeEvent(createAccessKeyEvent());
    if (event.kind !== 'new-key') throw new Error('fixture event is not a new key');
    const message = realtimeNewKeyMessage(event, { id: event.accountId, name: 'production' }, interactive);

    expect(buttons(message).map((b) => [b.action_id, decodeKeyRef(b.value)])).toEqual([
      [
        ACTION.newKeyMine,
        { accountId: event.accountId, userName: 'bob', accessKeyId: event.key.accessKeyId },
      ],
      [
        ACTION.newKeyNotMine,
        { accountId: event.accountId, userName: 'bob', accessKeyId: event.key.accessKeyId },
      ],
    ]);
  });
});

describe('key references in button values', () => {
  const ref = { accountId: '111122223333', userName: 'svc+deploy@ci.example', accessKeyId: KEY_ID };

  it('round-trip, IAM’s whole user-name alphabet included', () => {
    expect(decodeKeyRef(encodeKeyRef(ref))).toEqual(ref);
    expect(encodeKeyRef(ref).length).toBeLessThan(100);
  });

  it.each([
    ['another version', `2|111122223333|alice|${KEY_ID}`],
    ['a short account id', `1|1111|alice|${KEY_ID}`],
    ['an extra field', `1|111122223333|alice|${KEY_ID}|x`],
    ['a user name IAM would refuse', `1|111122223333|al ice|${KEY_ID}`],
    ['a lowercase key id', '1|111122223333|alice|akiaiosfodnn7example'],
    ['nothing', ''],
  ])('refuse %s', (_name, value) => {
    expect(decodeKeyRef(value)).toBeUndefined();
  });
});
