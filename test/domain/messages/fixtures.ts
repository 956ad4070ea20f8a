import { PolicySchema } from '../../../lambda/config/schema';
import { addDays } from '../../../lambda/domain/dates';
import {
  type BaselineDecision,
  type BreakerTrip,
  type DeactivateDecision,
  type DeactivationNoticeRetryDecision,
  type FinalNoticeDecision,
  type InputProblem,
  type KeySubject,
  type NewKeyDecision,
  type RemindDecision,
  type SecondKeyDecision,
  type ThanksDecision,
} from '../../../lambda/domain/decisions';
import { type MessageContext, type RunDigest } from '../../../lambda/domain/messages';
import { type AccessKeyInfo, type AccountRef, type Owner } from '../../../lambda/domain/model';
import { type SlackMessage } from '../../../lambda/domain/slack-message';

/**
 * Hand-built decisions for message tests. Every date is fixed: the key was created on 2025-03-17,
 * so on 2025-06-01 it is 76 days old with its 91-day deadline on 2025-06-16, 15 days away.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
export const TODAY = '2025-06-01';
export const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const ACCOUNT: AccountRef = { id: '111122223333', name: 'prod' };

export function context(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    today: TODAY,
    rotation: {
      docsUrl: 'https://wiki.example.com/rotate-keys?team=infra&v=2',
      awsVaultProfileHint: '<account-name>-admin',
    },
    policy: PolicySchema.parse({}),
    ...overrides,
  };
}

export function engineer(overrides: Partial<Owner> = {}): Owner {
  return {
    userClass: 'engineer',
    declaredType: 'engineer',
    slackId: 'U0123ABCD',
    fullName: 'Alice Example',
    displayName: 'Alice Example',
    ...overrides,
  };
}

export function machine(overrides: Partial<Owner> = {}): Owner {
  return { userClass: 'machine', declaredType: 'machine', displayName: 'ci-deployer', ...overrides };
}

export function unknownOwner(overrides: Partial<Owner> = {}): Owner {
  return { userClass: 'unknown', displayName: 'legacy-batch', ...overrides };
}

export function accessKey(overrides: Partial<AccessKeyInfo> = {}): AccessKeyInfo {
  return {
    accessKeyId: KEY_ID,
    status: 'Active',
    createDate: new Date('2025-03-17T09:30:00Z'),
    ...overrides,
  };
}

export function subject(overrides: Partial<KeySubject> = {}): KeySubject {
  return {
    account: ACCOUNT,
    userName: 'alice',
    owner: engineer(),
    key: accessKey(),
    ageDays: 76,
    deadline: '2025-06-16',
    daysLeft: 15,
    ...overrides,
  };
}

/** A subject `days` older than the 76-day one: created and due `days` earlier, seen on the same day. */
export function subjectLater(days: number, overrides: Partial<KeySubject> = {}): KeySubject {
  return subject({
    key: accessKey({ createDate: new Date(Date.parse('2025-03-17T09:30:00Z') - days * DAY_MS) }),
    ageDays: 76 + days,
    deadline: addDays('2025-06-16', -days),
    daysLeft: 15 - days,
    ...overrides,
  });
}

export function remind(overrides: Partial<RemindDecision> = {}): RemindDecision {
  return {
    kind: 'remind',
    subject: subject(),
    milestone: 76,
    skipped: [],
    directMessage: true,
    ...overrides,
  };
}

export function finalNotice(overrides: Partial<FinalNoticeDecision> = {}): FinalNoticeDecision {
  return {
    kind: 'final-notice',
    subject: subject({ ageDays: 120, deadline: '2025-06-06', daysLeft: 5 }),
    skipped: [76, 81, 86],
    directMessage: true,
    ...overrides,
  };
}

export function deactivate(overrides: Partial<DeactivateDecision> = {}): DeactivateDecision {
  return {
    kind: 'deactivate',
    subject: subjectLater(15),
    skipped: [],
    reason: 'deadline',
    directMessage: true,
    ...overrides,
  };
}

export function noticeRetry(
  overrides: Partial<DeactivationNoticeRetryDecision> = {},
): DeactivationNoticeRetryDecision {
  return { kind: 'deactivation-notice-retry', subject: subjectLater(17), directMessage: true, ...overrides };
}

export function thanks(overrides: Partial<ThanksDecision> = {}): ThanksDecision {
  return { kind: 'thanks', subject: subjectLater(4), how: 'deactivated', directMessage: true, ...overrides };
}

export function newKey(overrides: Partial<NewKeyDecision> = {}): NewKeyDecision {
  return {
    kind: 'new-key',
    subject: subject({
      userName: 'bob',
      owner: engineer({ slackId: 'U0BOB0001', fullName: 'Bob Builder', displayName: 'Bob Builder' }),
      key: accessKey({
        accessKeyId: 'AKIAI44QH8DHBEXAMPLE',
        createDate: new Date('2025-06-01T08:15:42.123Z'),
      }),
      ageDays: 0,
      deadline: '2025-08-31',
      daysLeft: 91,
    }),
    alert: true,
    otherActiveKeys: [],
    ...overrides,
  };
}

export function secondKey(overrides: Partial<SecondKeyDecision> = {}): SecondKeyDecision {
  return {
    kind: 'second-key',
    account: ACCOUNT,
    userName: 'alice',
    owner: engineer(),
    activeKeys: [
      accessKey({ accessKeyId: 'AKIAJUNIOR0000000002', createDate: new Date('2025-05-30T12:00:00Z') }),
      accessKey(),
    ],
    keysToFlag: ['AKIAJUNIOR0000000002'],
    announce: true,
    ...overrides,
  };
}

export function baseline(overrides: Partial<BaselineDecision> = {}): BaselineDecision {
  return {
    kind: 'baseline',
    account: ACCOUNT,
    users: 12,
    keys: 15,
    activeKeys: 13,
    keysDueSoon: 3,
    keysPastDeadline: 2,
    ownerUnknownUsers: ['legacy-batch', 'old-reporting'],
    secondKeyUsers: ['alice'],
    ...overrides,
  };
}

/** `count` deactivations withheld by the breaker, each for a different user. */
export function breakerTrip(count: number, limit = 20): BreakerTrip {
  const withheld = Array.from({ length: count }, (_, i) =>
    deactivate({
      subject: subjectLater(20, {
        userName: `user-${String(i).padStart(4, '0')}`,
        owner: engineer({ slackId: `U${String(i).padStart(8, '0')}`, displayName: `Person ${i}` }),
        key: accessKey({ accessKeyId: `AKIA${String(i).padStart(16, '0')}` }),
      }),
    }),
  );
  return { limit, withheld };
}

/** Every block within Slack's limits: at most 50 blocks, section and context text <= 3000 characters. */
export function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  const texts = message.blocks.flatMap((block) => {
    if (block.type === 'section') return [block.text?.text ?? '', ...(block.fields ?? []).map((f) => f.text)];
    if (block.type === 'context') return block.elements.map((element) => element.text);
    if (block.type === 'header') return [block.text.text];
    return [];
  });
  expect(Math.max(...texts.map((text) => text.length))).toBeLessThanOrEqual(3000);
}

/** All mrkdwn a reader can see: blocks and the `text` fallback. */
export function allText(message: SlackMessage): string {
  return JSON.stringify(message.blocks) + message.text;
}

export function digest(overrides: Partial<RunDigest> = {}): RunDigest {
  return {
    accountsOk: 3,
    accountsFailed: [
      {
        account: { id: '444455556666', name: 'sandbox' },
        message: 'AccessDenied: cannot assume AccessKeyEnforcerMember',
      },
    ],
    users: 40,
    keys: 52,
    reminders: 4,
    deactivations: 1,
    newKeys: 2,
    newExemptions: [{ account: ACCOUNT, userName: 'etl-runner', until: '2025-07-15' }],
    newProblems: [
      { accountId: ACCOUNT.id, userName: 'legacy-batch', code: 'missing-type', message: 'no type tag' },
      {
        accountId: ACCOUNT.id,
        userName: 'bob',
        code: 'invalid-slack-id',
        message: 'slack-id "<!channel>" is not a Slack member id',
      },
    ],
    newFindings: [
      {
        id: 'mfa-missing/111122223333/carol',
        rule: 'mfa-missing',
        account: ACCOUNT,
        userName: 'carol',
        summary: 'carol has a console password but no MFA device',
        advice: 'Enable an MFA device for carol.',
      },
    ],
    standing: { exemptions: 2, problems: 7, findings: 3 },
    weeklyDigestDay: 'Mondays',
    errors: [],
    ...overrides,
  };
}

/** `count` input problems spread over three codes, each with a long message. */
export function manyProblems(count: number): InputProblem[] {
  const codes = ['missing-type', 'missing-slack-id', 'invalid-exemption'] as const;
  return Array.from({ length: count }, (_, i) => ({
    accountId: ACCOUNT.id,
    userName: `user-${String(i).padStart(4, '0')}`,
    code: codes[i % codes.length]!,
    message: `tag value ${'x'.repeat(120)} is not usable`,
  }));
}
