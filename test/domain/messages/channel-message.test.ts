import { channelMessage, type DmOutcome } from '../../../lambda/domain/messages';
import {
  baseline,
  context,
  deactivate,
  engineer,
  expectWithinSlackLimits,
  finalNotice,
  KEY_ID,
  machine,
  newKey,
  noticeRetry,
  remind,
  secondKey,
  subject,
  subjectLater,
  thanks,
  unknownOwner,
} from './fixtures';

const SENT: DmOutcome = { status: 'sent' };
const NOT_ATTEMPTED: DmOutcome = { status: 'not-attempted' };
const UNREACHABLE: DmOutcome = { status: 'unreachable', code: 'user_not_found' };

describe('channelMessage', () => {
  describe('reminder mirror', () => {
    it('says the DM went out without pinging the owner a second time', () => {
      const message = channelMessage(remind(), context(), SENT);

      expect(message.text).toMatchSnapshot();
      expect(message.text).toContain(
        `Reminder (day 76): access key ${KEY_ID} of Alice Example is 76 days old.`,
      );
      expect(message.text).toContain(
        'It will be deactivated by the daily run on 2025-06-16 UTC (15 days left)',
      );
      expect(message.text).toContain('Deactivation run: 2025-06-16 UTC, 15 days left');
      expect(message.text).toContain('IAM user: alice · Account: prod (111122223333)');
      expect(message.text).toContain('The owner got this by DM.');
      expect(JSON.stringify(message)).not.toContain('<@');
      expectWithinSlackLimits(message);
    });

    it('leaves the rotation help to the DM when the owner got it', () => {
      const { text } = channelMessage(remind(), context(), SENT);

      expect(text).not.toContain('create-access-key');
    });

    it('marks an untagged user "owner unknown" and carries the rotation help itself', () => {
      const decision = remind({
        subject: subject({ userName: 'legacy-batch', owner: unknownOwner() }),
        directMessage: false,
      });

      const { text } = channelMessage(decision, context(), NOT_ATTEMPTED);

      expect(text).toMatchSnapshot();
      expect(text).toContain('of legacy-batch (owner unknown)');
      expect(text).toContain('owner unknown: tag this user with type (engineer or machine) and slack-id');
      expect(text).not.toContain('aws-vault');
      expect(text).toContain('aws iam create-access-key --user-name legacy-batch');
      expect(text).not.toContain('<@');
    });

    it('quotes an unrecognised type tag so the fix is obvious', () => {
      const owner = unknownOwner({ declaredType: 'enginer', slackId: 'U0TYPO001' });

      const { text } = channelMessage(remind({ subject: subject({ owner }) }), context(), NOT_ATTEMPTED);

      expect(text).toContain(
        'owner unknown: tag this user with type and slack-id (type tag is "enginer", which is neither engineer nor machine).',
      );
      expect(text).toContain('(<@U0TYPO001>)');
    });

    it("says the owner could not be reached, with Slack's error code", () => {
      const { text } = channelMessage(remind(), context(), { status: 'unreachable', code: 'user_not_found' });

      expect(text).toMatchSnapshot();
      expect(text).toContain('could not reach owner (user_not_found)');
      expect(text).toContain('aws-vault rotate prod-admin');
      expect(text).toContain('of Alice Example (<@U0123ABCD>)');
    });

    it.each([
      [
        'invalid-slack-id',
        'the slack-id tag on this user is not a Slack member id like U0123ABCD; correct it.',
      ],
      [
        'missing-slack-id',
        'this engineer user has no slack-id tag; add one (a Slack member id like U0123ABCD).',
      ],
    ] as const)('tells %s apart in "owner unknown"', (code, note) => {
      const owner = unknownOwner({ declaredType: 'engineer' });
      const decision = { ...remind({ subject: subject({ owner }) }), history: { problems: [{ code }] } };

      const { text } = channelMessage(decision, context(), NOT_ATTEMPTED);

      expect(text).toContain(`owner unknown: ${note}`);
    });

    it('names both slack-id fixes when it does not know which one applies', () => {
      const owner = unknownOwner({ declaredType: 'engineer' });

      const { text } = channelMessage(remind({ subject: subject({ owner }) }), context(), NOT_ATTEMPTED);

      expect(text).toContain('the slack-id tag on this engineer user is missing or is not a Slack member id');
    });

    it('says a machine user without slack-id hears nothing but this post', () => {
      const decision = remind({
        subject: subject({ userName: 'ci-deployer', owner: machine(), deactivates: false }),
        withheld: { reason: 'user-class' },
        directMessage: false,
      });

      const { text } = channelMessage(decision, context(), NOT_ATTEMPTED);

      expect(text).toMatchSnapshot();
      expect(text).toContain('No slack-id tag on this machine user, so no DM');
      expect(text).toContain('Machine users are not deactivated by policy, so nothing happens automatically');
      expect(text).not.toContain('aws-vault');
    });

    it('notes the exemption and the reminders skipped after missed runs', () => {
      const decision = {
        ...remind({ milestone: 86, skipped: [76, 81], exemptUntil: '2025-07-15' }),
        history: { firstSeenToday: false },
      };

      const { text } = channelMessage(decision, context(), SENT);

      expect(text).toContain('An exemption on the IAM user is in force until 2025-07-15');
      expect(text).toContain('Catch-up after missed runs: reminders for days 76 and 81 skipped.');
    });

    it('never says "missed runs" about a key first seen today', () => {
      const decision = { ...remind({ milestone: 86, skipped: [76, 81] }), history: { firstSeenToday: true } };

      const { text } = channelMessage(decision, context(), SENT);

      expect(text).not.toContain('missed runs');
      expect(text).toContain('First sight of this key: the reminders for days 76 and 81 were already past');
    });

    it('does not claim missed runs when it does not know why reminders were skipped', () => {
      const { text } = channelMessage(remind({ milestone: 86, skipped: [76, 81] }), context(), SENT);

      expect(text).not.toContain('Catch-up');
      expect(text).toContain('(missed runs, or the key was first seen after then)');
    });

    it('calls the day-91 notice of a key kept active overdue, not a reminder', () => {
      const decision = remind({
        subject: subjectLater(15, { deadline: '2025-07-16', daysLeft: 45 }),
        milestone: 91,
        exemptUntil: '2025-07-15',
        withheld: { reason: 'exempt', until: '2025-07-15' },
      });

      const { text, blocks } = channelMessage(decision, context(), SENT);

      expect(text).not.toContain('Reminder (day 91)');
      expect(text).toContain('Overdue, not deactivated:');
      expect(blocks[0]).toMatchObject({ text: { text: 'Overdue access key: exemption until 2025-07-15' } });
    });
  });

  it('mirrors a final notice with the new deadline', () => {
    const { text } = channelMessage(finalNotice(), context(), SENT);

    expect(text).toMatchSnapshot();
    expect(text).toContain(
      'was first seen past its deadline at 120 days old; it will be deactivated by the daily run on 2025-06-06 UTC (5 days left).',
    );
  });

  describe('deactivation', () => {
    it('names the key, the user, the account and the owner', () => {
      const message = channelMessage(deactivate(), context(), SENT);

      expect(message.text).toMatchSnapshot();
      expect(message.text).toContain(
        `Deactivated access key ${KEY_ID} of Alice Example at 91 days old, in today's run.`,
      );
      expect(message.text).toContain('IAM user: alice · Account: prod (111122223333)');
      expect(message.text).toContain('Deactivated: 2025-06-01 UTC');
      expect(message.text).toContain('The key is set Inactive, not deleted.');
      expectWithinSlackLimits(message);
    });

    it('says a re-activated key was switched back on by someone and names its owner', () => {
      const decision = deactivate({ reason: 'reactivated', subject: subjectLater(30) });

      const { text } = channelMessage(decision, context(), SENT);

      expect(text).toMatchSnapshot();
      expect(text).toContain('had been deactivated by the enforcer and someone re-activated it');
      expect(text).toContain(`access key ${KEY_ID} of Alice Example had been deactivated`);
      expect(text).not.toContain('<@');
    });

    it('says a late notice is about a deactivation in an earlier run', () => {
      const { text } = channelMessage(noticeRetry(), context(), SENT);

      expect(text).toMatchSnapshot();
      expect(text).toContain('deactivated in an earlier run');
    });
  });

  it.each(['deactivated', 'deleted'] as const)('notes a key the owner %s as rotated', (how) => {
    const { text } = channelMessage(thanks({ how }), context(), SENT);

    expect(text).toMatchSnapshot();
    expect(text).toContain(`Rotated: Alice Example ${how} old access key ${KEY_ID}`);
  });

  describe('new key', () => {
    it('asks a human to confirm a colleague created it', () => {
      const message = channelMessage(newKey(), context(), NOT_ATTEMPTED);

      expect(message.text).toMatchSnapshot();
      expect(message.text).toContain(
        'New access key AKIAI44QH8DHBEXAMPLE for IAM user bob in prod (111122223333).',
      );
      expect(message.text).toContain('Created (UTC): 2025-06-01T08:15:42Z');
      expect(message.text).toContain('Owner: Bob Builder (<@U0BOB0001>)');
      expect(message.text).toContain('Please confirm a colleague created it');
      expect(message.text).not.toContain('active keys');
      expectWithinSlackLimits(message);
    });

    it('counts the other active keys', () => {
      const { text } = channelMessage(newKey({ otherActiveKeys: [KEY_ID] }), context(), NOT_ATTEMPTED);

      expect(text).toContain(`bob now has 2 active keys (also ${KEY_ID}).`);
    });

    it('asks for tags when the owner is unknown', () => {
      const decision = newKey({ subject: subject({ userName: 'legacy-batch', owner: unknownOwner() }) });

      const { text } = channelMessage(decision, context(), NOT_ATTEMPTED);

      expect(text).toContain('owner unknown: tag this user');
    });
  });

  it('lists every active key with its age under the one-key rule', () => {
    const message = channelMessage(secondKey(), context(), NOT_ATTEMPTED);

    expect(message.text).toMatchSnapshot();
    expect(message.text).toContain(
      'Alice Example (<@U0123ABCD>) has 2 active access keys on IAM user alice in prod (111122223333); ' +
        'the rule is at most one active key.',
    );
    expect(message.text).toContain(`${KEY_ID}: created 2025-03-17, 76 days old`);
    expect(message.text).toContain('AKIAJUNIOR0000000002: created 2025-05-30, 2 days old (newly flagged)');
    expect(message.text).toContain(`--access-key-id ${KEY_ID} --status Inactive`);
    expect(
      message.text.indexOf('get-access-key-last-used --access-key-id AKIAJUNIOR0000000002'),
    ).toBeLessThan(message.text.indexOf('update-access-key'));
    expectWithinSlackLimits(message);
  });

  describe('baseline', () => {
    it("summarises an account's first scan in one message", () => {
      const message = channelMessage(baseline(), context(), NOT_ATTEMPTED);

      expect(message.text).toMatchSnapshot();
      expect(message.text).toContain('First scan of prod (111122223333): 12 users, 15 keys.');
      expect(message.text).toContain('Keys: 15 (13 active)');
      expect(message.text).toContain('owner unknown: tag these users (2): legacy-batch, old-reporting');
      expect(message.text).toContain('More than one active key (1): alice');
    });

    it('caps long user lists and counts the rest', () => {
      const users = Array.from({ length: 500 }, (_, i) => `untagged-user-${i}`);

      const message = channelMessage(baseline({ ownerUnknownUsers: users }), context(), NOT_ATTEMPTED);

      expect(message.text).toMatch(/untagged-user-\d+ and \d+ more/);
      expect(message.text.length).toBeLessThan(2000);
      expectWithinSlackLimits(message);
    });
  });

  it('escapes tag values so that they cannot mention the whole channel', () => {
    const owner = engineer({ fullName: '<!channel> <@U999>', displayName: '<!channel> <@U999>' });

    const message = channelMessage(remind({ subject: subject({ owner }) }), context(), UNREACHABLE);

    expect(message.text).toContain('&lt;!channel&gt; &lt;@U999&gt; (<@U0123ABCD>)');
    expect(JSON.stringify(message)).not.toMatch(/<!channel>|<@U999>/);
  });

  it('never turns a malformed slack id into a mention', () => {
    const owner = engineer({ slackId: '!here' });

    const { text } = channelMessage(remind({ subject: subject({ owner }) }), context(), UNREACHABLE);

    expect(text).not.toContain('<!here>');
    expect(text).toContain('Alice Example (!here)');
  });
});
