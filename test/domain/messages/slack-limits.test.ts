import { channelMessage, ownerMessage } from '../../../lambda/domain/messages';
import {
  baseline,
  context,
  deactivate,
  expectWithinSlackLimits,
  finalNotice,
  newKey,
  noticeRetry,
  remind,
  secondKey,
  thanks,
} from './fixtures';

const ownerDecisions = [remind(), finalNotice(), deactivate(), noticeRetry(), thanks()];
const channelOnlyDecisions = [newKey(), secondKey(), baseline()];

describe('every message', () => {
  it.each([...ownerDecisions, ...channelOnlyDecisions].map((decision) => [decision.kind, decision] as const))(
    'for %s has a header, a footer and fits Slack limits in the channel',
    (_kind, decision) => {
      const message = channelMessage(decision, context(), { status: 'sent' });

      expect(message.blocks[0]?.type).toBe('header');
      expect(message.blocks.at(-1)).toEqual({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'access-key-enforcer · 2025-06-01' }],
      });
      expectWithinSlackLimits(message);
    },
  );

  it.each(ownerDecisions.map((decision) => [decision.kind, decision] as const))(
    'for %s fits Slack limits as a DM and leads with the key id',
    (_kind, decision) => {
      const message = ownerMessage(decision, context());

      expect(message.text.split('\n')[0]).toContain(decision.subject.key.accessKeyId);
      expectWithinSlackLimits(message);
    },
  );

  it('renders the same message twice for the same input', () => {
    expect(channelMessage(remind(), context(), { status: 'sent' })).toEqual(
      channelMessage(remind(), context(), { status: 'sent' }),
    );
  });
});
