import { ownerMessage } from '../../../lambda/domain/messages';
import {
  context,
  deactivate,
  engineer,
  expectWithinSlackLimits,
  finalNotice,
  KEY_ID,
  machine,
  noticeRetry,
  remind,
  subject,
  subjectLater,
  thanks,
} from './fixtures';

describe('ownerMessage', () => {
  describe('reminder', () => {
    it('names the person, user, account, key, age, deadline and days left', () => {
      const { text } = ownerMessage(remind(), context());

      expect(text).toMatchSnapshot();
      expect(text).toContain('Hi Alice Example, your AWS access key AKIAIOSFODNN7EXAMPLE is 76 days old');
      expect(text).toContain('IAM user: alice');
      expect(text).toContain('Account: prod (111122223333)');
      expect(text).toContain('Age: 76 days');
      expect(text).toContain('Deadline: 2025-06-16 (UTC), 15 days left');
    });

    it('explains how to rotate without deleting the old key first', () => {
      const { text } = ownerMessage(remind(), context());

      expect(text).toContain('Rotate: aws-vault rotate prod-admin');
      expect(text).toContain('aws iam create-access-key --user-name alice');
      expect(text).toContain(
        `aws iam update-access-key --user-name alice --access-key-id ${KEY_ID} --status Inactive`,
      );
      expect(text).not.toContain('delete-access-key');
      expect(text).toContain('Guide: https://wiki.example.com/rotate-keys?team=infra&amp;v=2');
    });

    it('leaves a profile placeholder it does not know for the reader', () => {
      const ctx = context({ rotation: { docsUrl: 'https://example.com', awsVaultProfileHint: '<profile>' } });

      const { text } = ownerMessage(remind(), ctx);

      expect(text).toContain('Rotate: aws-vault rotate &lt;profile&gt;');
    });

    it('says deactivation is paused while an exemption is in force', () => {
      const decision = remind({
        exemptUntil: '2025-07-15',
        withheld: { reason: 'exempt', until: '2025-07-15' },
      });

      const { text } = ownerMessage(decision, context());

      expect(text).toMatchSnapshot();
      expect(text).toContain('Deactivation is paused until 2025-07-15 by the exemption tag');
      expect(text.match(/paused until/g)).toHaveLength(1);
    });

    it('tells a machine user to rotate anyway when policy never deactivates it', () => {
      const decision = remind({
        subject: subject({ userName: 'ci-deployer', owner: machine({ slackId: 'U0CI00001' }) }),
        withheld: { reason: 'user-class' },
      });

      const { text } = ownerMessage(decision, context());

      expect(text).toMatchSnapshot();
      expect(text).toContain('Machine users are not deactivated by policy; rotate it anyway.');
    });

    it('does not mention milestones skipped after missed runs', () => {
      const { text } = ownerMessage(remind({ milestone: 86, skipped: [76, 81] }), context());

      expect(text).not.toContain('skipped');
    });

    it.each([
      [1, 'please rotate it within 1 day.', 'Deadline: 2025-06-16 (UTC), 1 day left'],
      [0, 'please rotate it today.', 'Deadline: 2025-06-16 (UTC), today'],
      [-3, 'past its rotation deadline: please rotate it.', 'Deadline: 2025-06-16 (UTC), 3 days ago'],
    ])('words a deadline %i days away', (daysLeft, request, deadline) => {
      const decision = remind({ subject: subject({ daysLeft }), withheld: { reason: 'user-class' } });

      const { text } = ownerMessage(decision, context());

      expect(text).toContain(request);
      expect(text).toContain(deadline);
    });
  });

  it('gives a key first seen past its deadline a final notice with the new deadline', () => {
    const { text } = ownerMessage(finalNotice(), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain('is 120 days old, past the 91-day limit');
    expect(text).toContain('it will be deactivated on 2025-06-06 (UTC), 5 days left');
    expect(text).toContain('aws iam create-access-key --user-name alice');
  });

  it('tells the owner the key was set inactive, not deleted, and how to get going again', () => {
    const { text } = ownerMessage(deactivate(), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain('your AWS access key AKIAIOSFODNN7EXAMPLE was deactivated today (2025-06-01)');
    expect(text).toContain('The key is set Inactive, not deleted.');
    expect(text).toContain('To get going again: create a new key');
    expect(text).toContain('Deadline: 2025-06-01 (UTC), today');
  });

  it('tells the owner a re-activated key was deactivated again', () => {
    const { text } = ownerMessage(
      deactivate({ reason: 'reactivated', subject: subjectLater(30) }),
      context(),
    );

    expect(text).toMatchSnapshot();
    expect(text).toContain('someone re-activated it, so it was deactivated again today');
  });

  it('says a late deactivation notice is about an earlier run', () => {
    const { text } = ownerMessage(noticeRetry(), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain('deactivated in an earlier run');
    expect(text).toContain('The key is set Inactive, not deleted.');
  });

  it.each(['deactivated', 'deleted'] as const)('thanks the owner who %s the old key', (how) => {
    const { text } = ownerMessage(thanks({ how }), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain(`Thanks, Alice Example! You ${how} your old AWS access key ${KEY_ID}`);
    expect(text).toContain('11 days before the deadline');
    expect(text.split('\n')).toHaveLength(1);
  });

  it('marks a dry run in the text, the header and the footer', () => {
    const message = ownerMessage(remind(), context({ dryRun: true }));

    expect(message.text).toMatchSnapshot();
    expect(message.text.startsWith('[DRY RUN] ')).toBe(true);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[DRY RUN] Access key reminder (day 76): 15 days left' },
    });
    expect(JSON.stringify(message.blocks.at(-1))).toContain('DRY RUN');
  });

  it('escapes a full-name tag so that it cannot mention the whole channel', () => {
    const owner = engineer({ fullName: '<!channel> & co', displayName: '<!channel> & co' });

    const message = ownerMessage(remind({ subject: subject({ owner }) }), context());

    expect(message.text).toContain('Hi &lt;!channel&gt; &amp; co,');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('builds Block Kit with a header, the facts as fields, the rotation help and a footer', () => {
    const message = ownerMessage(remind(), context());

    expect(message.blocks.map((block) => block.type)).toEqual([
      'header',
      'section',
      'section',
      'divider',
      'section',
      'context',
    ]);
    const fields = message.blocks[2]?.type === 'section' ? message.blocks[2].fields : undefined;
    expect(fields).toContainEqual({ type: 'mrkdwn', text: `*Access key*\n\`${KEY_ID}\`` });
    expectWithinSlackLimits(message);
  });
});
