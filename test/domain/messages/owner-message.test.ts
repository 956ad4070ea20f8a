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
      expect(text).toContain('It will be deactivated by the daily run on 2025-06-16 UTC (15 days left)');
      expect(text).toContain('IAM user: alice');
      expect(text).toContain('Account: prod (111122223333)');
      expect(text).toContain('Age: 76 days');
      expect(text).toContain('Deactivation run: 2025-06-16 UTC, 15 days left');
    });

    it('explains how to rotate, verifying the new key before deactivating the old one', () => {
      const { text } = ownerMessage(remind(), context());

      expect(text).toContain('one command does it all: aws-vault rotate prod-admin');
      expect(text).toContain('1. Create the new key: aws iam create-access-key --user-name alice');
      expect(text).toContain('aws iam get-access-key-last-used --access-key-id &lt;NEW-KEY-ID&gt;');
      expect(text).toContain(
        `4. Only then deactivate the old key: aws iam update-access-key --user-name alice --access-key-id ${KEY_ID} --status Inactive`,
      );
      expect(text).not.toContain('delete-access-key');
      expect(text).toContain('Guide: https://wiki.example.com/rotate-keys?team=infra&amp;v=2');
    });

    it('leaves a profile placeholder it does not know for the reader', () => {
      const ctx = context({ rotation: { docsUrl: 'https://example.com', awsVaultProfileHint: '<profile>' } });

      const { text } = ownerMessage(remind(), ctx);

      expect(text).toContain('aws-vault rotate &lt;profile&gt;');
    });

    it('says deactivation is paused while an exemption is in force', () => {
      const decision = remind({
        exemptUntil: '2025-07-15',
        withheld: { reason: 'exempt', until: '2025-07-15' },
      });

      const { text } = ownerMessage(decision, context());

      expect(text).toMatchSnapshot();
      expect(text).toContain('An exemption on the IAM user is in force until 2025-07-15');
      expect(text).toContain(
        'When the exemption ends, it will be deactivated by the daily run on 2025-06-16 UTC',
      );
      expect(text.match(/in force until/g)).toHaveLength(1);
    });

    it('tells a machine user to rotate anyway when policy never deactivates it', () => {
      const decision = remind({
        subject: subject({
          userName: 'ci-deployer',
          owner: machine({ slackId: 'U0CI00001' }),
          deactivates: false,
        }),
        withheld: { reason: 'user-class' },
      });

      const { text } = ownerMessage(decision, context());

      expect(text).toMatchSnapshot();
      expect(text).toContain('To the owner of machine user ci-deployer: its AWS access key');
      expect(text).toContain('Machine users are not deactivated by policy, so nothing happens automatically');
      expect(text).not.toContain('aws-vault');
    });

    it('does not mention milestones skipped after missed runs', () => {
      const { text } = ownerMessage(remind({ milestone: 86, skipped: [76, 81] }), context());

      expect(text).not.toContain('skipped');
    });

    it.each([
      [
        1,
        'deactivated by the daily run on 2025-06-16 UTC (1 day left)',
        'Deactivation run: 2025-06-16 UTC, 1 day left',
      ],
      [
        0,
        'deactivated by the daily run on 2025-06-16 UTC (today)',
        'Deactivation run: 2025-06-16 UTC, today',
      ],
      [
        -3,
        'past its deactivation date (2025-06-16): any daily run may now deactivate it',
        'Deactivation run: 2025-06-16 UTC, 3 days ago',
      ],
    ])('words a deadline %i days away', (daysLeft, request, deadline) => {
      const decision = remind({ subject: subject({ daysLeft }) });

      const { text } = ownerMessage(decision, context());

      expect(text).toContain(request);
      expect(text).toContain(deadline);
    });
  });

  it('gives a key first seen past its deadline a final notice with the new deadline', () => {
    const { text } = ownerMessage(finalNotice(), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain('is 120 days old, past the 91-day limit');
    expect(text).toContain('it will be deactivated by the daily run on 2025-06-06 UTC (5 days left)');
    expect(text).toContain('aws iam create-access-key --user-name alice');
  });

  it('tells the owner the key was set inactive, not deleted, and how to get going again', () => {
    const { text } = ownerMessage(deactivate(), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain(
      "your AWS access key AKIAIOSFODNN7EXAMPLE was deactivated by today's run, 2025-06-01 UTC; it is 91 days old",
    );
    expect(text).toContain('The key is set Inactive, not deleted.');
    expect(text).toContain('How to get going again:');
    expect(text).toContain('1. Create a new key, in the IAM console or with other credentials');
    expect(text).toContain('Deactivated: 2025-06-01 UTC');
    expect(text).not.toContain('Deadline');
  });

  it('tells the owner a re-activated key was deactivated again', () => {
    const { text } = ownerMessage(
      deactivate({ reason: 'reactivated', subject: subjectLater(30) }),
      context(),
    );

    expect(text).toMatchSnapshot();
    expect(text).toContain("someone re-activated it, so today's run, 2025-06-01 UTC, deactivated it again");
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
      text: { type: 'plain_text', text: '[DRY RUN] Access key reminder (day 76): deactivation in 15 days' },
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
