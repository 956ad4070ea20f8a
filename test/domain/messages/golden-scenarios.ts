import { EnforcerConfigSchema } from '../../../lambda/config/schema';
import { utcDate, wholeDaysBetween } from '../../../lambda/domain/dates';
import { type KeySubject } from '../../../lambda/domain/decisions';
import { type ExemptionStatus } from '../../../lambda/domain/exemption';
import { buildSubject } from '../../../lambda/domain/key-policy';
import { type KeyRecord } from '../../../lambda/domain/ledger-records';
import {
  type ChannelDecision,
  type DmOutcome,
  type KeyHistory,
  type MessageContext,
  type OwnerDecision,
} from '../../../lambda/domain/messages';
import { type AccountRef, type Owner, type UserClass } from '../../../lambda/domain/model';
import { type SlackMessage } from '../../../lambda/domain/slack-message';

/**
 * Golden scenarios (issue 11): every subject is built by the policy's own `buildSubject`, so the
 * deadline in each golden text is the one the run would act on. Daily runs happen at 08:00 UTC.
 */
export const RUN_TIME = '08:00';
export const ACCOUNT: AccountRef = { id: '111122223333', name: 'prod' };
export const CONFIG = EnforcerConfigSchema.parse({
  accounts: [ACCOUNT],
  slack: { infraChannel: 'C0123ABCD' },
  rotation: { docsUrl: 'https://wiki.example.com/rotate-keys', awsVaultProfileHint: '<account-name>-admin' },
});
/** Created early in the UTC day: it turns 91 before the 08:00 run of that day. */
/** Machine users are not deactivated by default; a deployment can choose to. */
const MACHINES_DEACTIVATED = EnforcerConfigSchema.parse({
  ...CONFIG,
  userClasses: { ...CONFIG.userClasses, machine: { deactivate: true, directMessage: true } },
});
export const EARLY_CREATE = new Date('2025-03-17T06:00:00Z');
/** Created late in the UTC day: it turns 91 after that day's run, so the next day's run acts. */
export const LATE_CREATE = new Date('2025-03-17T23:30:00Z');
export const EXEMPT_UNTIL = '2025-07-15';

export type Kind = 'remind' | 'overdue' | 'final-notice' | 'deactivate' | 'notice-retry' | 'thanks';
export type ExemptionState = 'none' | 'active' | 'ended';

export const OWNERS: Readonly<Record<UserClass, Owner>> = {
  engineer: {
    userClass: 'engineer',
    declaredType: 'engineer',
    slackId: 'U0123ABCD',
    fullName: 'Alice Example',
    displayName: 'Alice Example',
  },
  machine: { userClass: 'machine', declaredType: 'machine', slackId: 'U0TEAM0001', displayName: 'ci-deploy' },
  unknown: { userClass: 'unknown', displayName: 'legacy-batch' },
};

const USER_NAMES: Readonly<Record<UserClass, string>> = {
  engineer: 'alice',
  machine: 'ci-deploy',
  unknown: 'legacy-batch',
};

export function at(date: string): Date {
  return new Date(`${date}T${RUN_TIME}:00Z`);
}

export function messageContext(today: string): MessageContext {
  return { today, runTimeUtc: RUN_TIME, rotation: CONFIG.rotation, policy: CONFIG.policy };
}

function record(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    accountId: ACCOUNT.id,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    userName: 'alice',
    createdAt: EARLY_CREATE.toISOString(),
    version: 3,
    firstSeenOn: '2025-03-17',
    newKeyAlert: 'sent',
    milestones: {},
    ...overrides,
  };
}

interface SubjectInput {
  readonly owner: Owner;
  readonly now: Date;
  readonly created?: Date;
  readonly exemption?: ExemptionStatus;
  readonly record?: KeyRecord;
  readonly status?: 'Active' | 'Inactive';
  readonly config?: typeof CONFIG;
}

/** A subject as the policy builds it on the run at `now`. */
export function policySubject(input: SubjectInput): KeySubject {
  const created = input.created ?? EARLY_CREATE;
  const userName = USER_NAMES[input.owner.userClass];
  return buildSubject(
    {
      account: ACCOUNT,
      userName,
      owner: input.owner,
      exemption: input.exemption ?? { kind: 'none' },
      key: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', status: input.status ?? 'Active', createDate: created },
      record: input.record,
      baselined: true,
      otherActiveKeys: [],
      now: input.now,
      config: input.config ?? CONFIG,
    },
    wholeDaysBetween(created, input.now),
    utcDate(input.now),
  );
}

/** One rendered case of the table: the decision, the run's date and the DM's outcome. */
export interface Scenario {
  readonly decision: OwnerDecision & { readonly history?: KeyHistory };
  readonly today: string;
}

const REMINDED = record({
  milestones: { '76': { outcome: 'sent', on: '2025-06-01' } },
  noticeDeliveredOn: '2025-06-01',
});
const REMINDED_ALL = record({
  milestones: {
    '76': { outcome: 'sent', on: '2025-06-01' },
    '81': { outcome: 'sent', on: '2025-06-06' },
    '86': { outcome: 'sent', on: '2025-06-11' },
    '91': { outcome: 'sent', on: '2025-06-16' },
  },
  noticeDeliveredOn: '2025-06-01',
});
const ACTIVE: ExemptionStatus = { kind: 'active', until: EXEMPT_UNTIL };

/**
 * The decision the policy would make for this kind, class and exemption state; undefined where it
 * never would (no deactivation during an exemption, and a machine user is never deactivated by
 * default, so its deactivation is rendered as configured to be).
 */
export function scenario(kind: Kind, userClass: UserClass, exemption: ExemptionState): Scenario | undefined {
  const owner = OWNERS[userClass];
  const directMessage = userClass !== 'unknown';
  const exempt = exemption === 'active' ? ACTIVE : undefined;
  const withheld = exempt
    ? { withheld: { reason: 'exempt', until: EXEMPT_UNTIL } as const, exemptUntil: EXEMPT_UNTIL }
    : userClass === 'machine'
      ? { withheld: { reason: 'user-class' } as const }
      : {};
  switch (kind) {
    case 'remind': {
      // "ended": an exemption that ran out before day 81; the reminder is then an ordinary one.
      const today = exemption === 'ended' ? '2025-06-06' : '2025-06-01';
      const subject = policySubject({
        owner,
        now: at(today),
        record: REMINDED,
        ...(exempt ? { exemption: exempt } : {}),
      });
      const milestone = exemption === 'ended' ? 81 : 76;
      return {
        today,
        decision: { kind: 'remind', subject, milestone, skipped: [], directMessage, ...withheld },
      };
    }
    case 'overdue': {
      // Day 91 brings a reminder only where nothing is deactivated: an exemption, or a machine user.
      if (exemption === 'ended' || (exemption === 'none' && userClass !== 'machine')) return undefined;
      const today = '2025-06-16';
      const subject = policySubject({
        owner,
        now: at(today),
        record: REMINDED,
        ...(exempt ? { exemption: exempt } : {}),
      });
      return {
        today,
        decision: { kind: 'remind', subject, milestone: 91, skipped: [81, 86], directMessage, ...withheld },
      };
    }
    case 'final-notice': {
      if (exemption !== 'none') return undefined;
      const today = '2025-07-15';
      const subject = policySubject({ owner, now: at(today), config: MACHINES_DEACTIVATED });
      return {
        today,
        decision: {
          kind: 'final-notice',
          subject,
          skipped: [76, 81, 86],
          directMessage,
          history: { firstSeenToday: true },
        },
      };
    }
    case 'deactivate': {
      if (exemption === 'active') return undefined;
      const today = exemption === 'ended' ? '2025-07-16' : '2025-06-16';
      const subject = policySubject({
        owner,
        now: at(today),
        record: REMINDED_ALL,
        config: MACHINES_DEACTIVATED,
      });
      const history = exemption === 'ended' ? { history: { exemptionEndedOn: EXEMPT_UNTIL } } : {};
      return {
        today,
        decision: { kind: 'deactivate', subject, skipped: [], reason: 'deadline', directMessage, ...history },
      };
    }
    case 'notice-retry': {
      if (exemption !== 'none') return undefined;
      const today = '2025-06-18';
      const subject = policySubject({
        owner,
        now: at(today),
        record: REMINDED_ALL,
        status: 'Inactive',
        config: MACHINES_DEACTIVATED,
      });
      return { today, decision: { kind: 'deactivation-notice-retry', subject, directMessage } };
    }
    case 'thanks': {
      if (exemption === 'ended') return undefined;
      const today = '2025-06-04';
      const subject = policySubject({
        owner,
        now: at(today),
        record: REMINDED,
        status: 'Inactive',
        ...(exempt ? { exemption: exempt } : {}),
      });
      return { today, decision: { kind: 'thanks', subject, how: 'deactivated', directMessage } };
    }
  }
}

export function newKeyScenario(userClass: UserClass): { decision: ChannelDecision; today: string } {
  const today = '2025-06-01';
  const subject = policySubject({
    owner: OWNERS[userClass],
    now: at(today),
    created: new Date('2025-06-01T07:41:12Z'),
  });
  return { today, decision: { kind: 'new-key', subject, alert: true, otherActiveKeys: [] } };
}

/** The DM's outcome as the engine would have it: delivered where the owner has a slack-id. */
export function dmFor(userClass: UserClass): DmOutcome {
  return userClass === 'unknown' ? { status: 'not-attempted' } : { status: 'sent' };
}

/** Blocks as one line each, so a golden file reads like the message. */
export function readable(message: SlackMessage): string {
  const blocks = message.blocks.map((block) => {
    if (block.type === 'header') return `[header] ${block.text.text}`;
    if (block.type === 'section') {
      const fields = (block.fields ?? []).map((field) => field.text.replace(/\n/g, ': ')).join(' | ');
      return `[section] ${block.text?.text ?? ''}${fields}`;
    }
    if (block.type === 'context')
      return `[context] ${block.elements.map((element) => element.text).join(' ')}`;
    return `[${block.type}]`;
  });
  return ['--- blocks', ...blocks, '--- text', message.text].join('\n');
}
