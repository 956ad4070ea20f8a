import { channelMessage, ownerMessage } from '../../../lambda/domain/messages';
import { type UserClass } from '../../../lambda/domain/model';
import {
  at,
  dmFor,
  type ExemptionState,
  type Kind,
  LATE_CREATE,
  messageContext,
  newKeyScenario,
  OWNERS,
  policySubject,
  readable,
  scenario,
} from './golden-scenarios';

/**
 * Golden text for every message kind × user class × exemption state (issue 11 item 1). The
 * snapshots are the product's words: review them as text, not as test output.
 */
const KINDS: readonly Kind[] = ['remind', 'overdue', 'final-notice', 'deactivate', 'notice-retry', 'thanks'];
const CLASSES: readonly UserClass[] = ['engineer', 'machine', 'unknown'];
const EXEMPTIONS: readonly ExemptionState[] = ['none', 'active', 'ended'];

const CASES = KINDS.flatMap((kind) =>
  CLASSES.flatMap((userClass) =>
    EXEMPTIONS.flatMap((exemption) => {
      const found = scenario(kind, userClass, exemption);
      return found ? [{ name: `${kind} · ${userClass} · exemption ${exemption}`, userClass, ...found }] : [];
    }),
  ),
);

describe('golden messages', () => {
  it.each(CASES.filter((c) => c.userClass !== 'unknown'))('DM: $name', ({ decision, today }) => {
    expect(readable(ownerMessage(decision, messageContext(today)))).toMatchSnapshot();
  });

  it.each(CASES)('channel: $name', ({ decision, today, userClass }) => {
    expect(readable(channelMessage(decision, messageContext(today), dmFor(userClass)))).toMatchSnapshot();
  });

  it.each(CLASSES)('channel: new-key · %s', (userClass) => {
    const { decision, today } = newKeyScenario(userClass);

    expect(readable(channelMessage(decision, messageContext(today), dmFor(userClass)))).toMatchSnapshot();
  });
});

describe('golden channel posts where the DM did not reach the owner', () => {
  const found = scenario('remind', 'engineer', 'none')!;
  const unknownEngineer = { ...OWNERS.unknown, declaredType: 'engineer' };
  const subjectOf = (owner: typeof OWNERS.unknown) => policySubject({ owner, now: at(found.today) });

  it.each([
    ['DM rejected (user_not_found)', found.decision, { status: 'unreachable', code: 'user_not_found' }],
    [
      'machine user without slack-id',
      {
        ...found.decision,
        subject: subjectOf({ ...OWNERS.machine, slackId: undefined }),
        directMessage: false,
      },
      { status: 'not-attempted' },
    ],
    [
      'engineer with a malformed slack-id',
      {
        ...found.decision,
        subject: subjectOf(unknownEngineer),
        directMessage: false,
        history: { problems: [{ code: 'invalid-slack-id' }] },
      },
      { status: 'not-attempted' },
    ],
    [
      'engineer without slack-id',
      {
        ...found.decision,
        subject: subjectOf(unknownEngineer),
        directMessage: false,
        history: { problems: [{ code: 'missing-slack-id' }] },
      },
      { status: 'not-attempted' },
    ],
  ] as const)('%s', (_name, decision, dm) => {
    expect(readable(channelMessage(decision, messageContext(found.today), dm))).toMatchSnapshot();
  });
});

describe('a key created at 23:30 UTC, runs at 08:00 UTC', () => {
  const today = '2025-06-02';
  const subject = policySubject({ owner: OWNERS.engineer, now: at(today), created: LATE_CREATE });
  const decision = { kind: 'remind', subject, milestone: 76, skipped: [], directMessage: true } as const;

  it('names the run on the day after its 91st birthday as the one that deactivates it', () => {
    const { text } = ownerMessage(decision, messageContext(today));

    expect(subject.deadline).toBe('2025-06-17');
    expect(text).toContain(
      'It will be deactivated by the daily run on 2025-06-17 at about 08:00 UTC (15 days left)',
    );
    expect(text).toContain('It turns 91 days old on 2025-06-16 at 23:30 UTC, after that day');
    expect(readable(ownerMessage(decision, messageContext(today)))).toMatchSnapshot();
  });
});

describe('a schedule at 08:00 Europe/Berlin', () => {
  const today = '2025-06-02';
  const subject = policySubject({ owner: OWNERS.engineer, now: at(today), created: LATE_CREATE });
  const decision = { kind: 'remind', subject, milestone: 76, skipped: [], directMessage: true } as const;
  const berlin = { ...messageContext(today), runTime: { hour: 8, minute: 0, timeZone: 'Europe/Berlin' } };

  it('names the UTC time of the run that acts from the schedule (summer time), not from today', () => {
    const { text } = ownerMessage(decision, berlin);

    expect(text).toContain('by the daily run on 2025-06-17 at about 06:00 UTC (15 days left)');
  });
});

describe('machine user steps', () => {
  const found = scenario('remind', 'machine', 'none');

  it('addresses the owner, not the machine, and never suggests aws-vault', () => {
    const { text } = ownerMessage(found!.decision, messageContext(found!.today));

    expect(text).toContain('To the owner of machine user ci-deploy');
    expect(text).not.toContain('Hi ci-deploy');
    expect(text).not.toContain('aws-vault');
  });

  it('gives create, update the secret, verify, deactivate, each in its own code block', () => {
    const { blocks } = ownerMessage(found!.decision, messageContext(found!.today));
    const help = blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : [])).join('\n');
    const codeBlocks = [...help.matchAll(/```([^`]*)```/g)].map((match) => match[1]);

    expect(codeBlocks).toEqual([
      'aws iam create-access-key --user-name ci-deploy',
      'aws secretsmanager put-secret-value --secret-id &lt;SECRET-ID&gt; --secret-string file://new-key.json',
      'aws iam get-access-key-last-used --access-key-id &lt;NEW-KEY-ID&gt;',
      'aws iam update-access-key --user-name ci-deploy --access-key-id AKIAIOSFODNN7EXAMPLE --status Inactive',
    ]);
  });
});
