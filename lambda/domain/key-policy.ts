import { type EnforcerConfig } from '../config/schema';
import { addDays, daysFromTo, maxDate, utcDate, wholeDaysBetween } from './dates';
import { type KeyDecision, type KeySubject, type Withheld } from './decisions';
import { type ExemptionStatus } from './exemption';
import { FINAL_NOTICE, type KeyRecord } from './ledger-records';
import { type AccessKeyInfo, type AccountRef, type Owner } from './model';

/** Everything the policy knows about one key at decision time. */
export interface KeyFacts {
  readonly account: AccountRef;
  readonly userName: string;
  readonly owner: Owner;
  readonly exemption: ExemptionStatus;
  readonly key: AccessKeyInfo;
  readonly record: KeyRecord | undefined;
  /** The account had a complete scan before: unseen keys are new, not baseline. */
  readonly baselined: boolean;
  readonly otherActiveKeys: readonly string[];
  readonly now: Date;
  readonly config: EnforcerConfig;
}

/** Milestones recorded as done (sent or skipped). */
function isDone(record: KeyRecord | undefined, milestone: number | string): boolean {
  return record?.milestones[String(milestone)] !== undefined;
}

export function wasReminded(record: KeyRecord): boolean {
  return Object.values(record.milestones).some((m) => m.outcome === 'sent');
}

/** SPEC §2 minimum notice: a reminder reached someone at least `minimumNoticeDays` before today. */
export function noticeSatisfied(
  record: KeyRecord | undefined,
  today: string,
  minimumNoticeDays: number,
): boolean {
  const deliveredOn = record?.noticeDeliveredOn;
  return deliveredOn !== undefined && daysFromTo(deliveredOn, today) >= minimumNoticeDays;
}

/**
 * The date from which the key may be deactivated: the nominal day-91 date, pushed back when the
 * first notice reached (or reaches today) the owner less than the minimum notice before it.
 */
export function effectiveDeadline(facts: KeyFacts, today: string): string {
  const { policy } = facts.config;
  const nominal = addDays(utcDate(facts.key.createDate), policy.deactivateAtDays);
  const noticeBase = facts.record?.noticeDeliveredOn ?? today;
  const byNotice = addDays(noticeBase, policy.minimumNoticeDays);
  const final = facts.record?.finalDeadline;
  return maxDate(maxDate(nominal, byNotice), final ?? nominal);
}

export function buildSubject(facts: KeyFacts, ageDays: number, today: string): KeySubject {
  const deadline = effectiveDeadline(facts, today);
  return {
    account: facts.account,
    userName: facts.userName,
    owner: facts.owner,
    key: facts.key,
    ageDays,
    deadline,
    daysLeft: daysFromTo(today, deadline),
  };
}

/**
 * Decides what to do about one key (SPEC §2–§4). Pure: the same facts always give the same
 * decisions. Returns decisions in the order they must be carried out.
 */
export function decideKey(facts: KeyFacts): KeyDecision[] {
  const { config, record, key, owner } = facts;
  const { policy } = config;
  const today = utcDate(facts.now);
  const ageDays = wholeDaysBetween(key.createDate, facts.now);
  const subject = buildSubject(facts, ageDays, today);
  const classPolicy = config.userClasses[owner.userClass];
  const directMessage = classPolicy.directMessage && owner.slackId !== undefined;
  const decisions: KeyDecision[] = [];

  if (!record) {
    decisions.push({
      kind: 'new-key',
      subject,
      alert: facts.baselined,
      otherActiveKeys: facts.otherActiveKeys,
    });
  } else if (record.newKeyAlert === 'pending') {
    decisions.push({ kind: 'new-key', subject, alert: true, otherActiveKeys: facts.otherActiveKeys });
  }

  if (key.status === 'Inactive') {
    if (record?.deactivatedByUsOn !== undefined) {
      if (record.deactivationNoticePending) {
        decisions.push({ kind: 'deactivation-notice-retry', subject, directMessage });
      }
    } else if (record && wasReminded(record) && record.thankedOn === undefined) {
      decisions.push({ kind: 'thanks', subject, how: 'deactivated', directMessage });
    }
    return decisions;
  }

  const exemptUntil = facts.exemption.kind === 'active' ? facts.exemption.until : undefined;
  const mayDeactivate = classPolicy.deactivate && exemptUntil === undefined;
  const withheld: Withheld | undefined = exemptUntil
    ? { reason: 'exempt', until: exemptUntil }
    : classPolicy.deactivate
      ? undefined
      : { reason: 'user-class' };
  const pendingReminders = (upTo: number): number[] =>
    policy.remindAtDays.filter((day) => day <= upTo && !isDone(record, day));

  if (record?.deactivatedByUsOn !== undefined && mayDeactivate) {
    decisions.push({ kind: 'deactivate', subject, reason: 'reactivated', skipped: [], directMessage });
    return decisions;
  }

  if (ageDays >= policy.deactivateAtDays) {
    const skipped = pendingReminders(ageDays);
    if (mayDeactivate) {
      if (noticeSatisfied(record, today, policy.minimumNoticeDays)) {
        decisions.push({ kind: 'deactivate', subject, reason: 'deadline', skipped, directMessage });
      } else if (record?.noticeDeliveredOn === undefined && !isDone(record, FINAL_NOTICE)) {
        decisions.push({ kind: 'final-notice', subject, skipped, directMessage });
      }
      // Otherwise a reminder went out less than the minimum notice ago: wait for it to mature.
      return decisions;
    }
    if (!isDone(record, policy.deactivateAtDays)) {
      decisions.push({
        kind: 'remind',
        subject,
        milestone: policy.deactivateAtDays,
        skipped,
        directMessage,
        ...(withheld ? { withheld } : {}),
        ...(exemptUntil ? { exemptUntil } : {}),
      });
    }
    return decisions;
  }

  const due = pendingReminders(ageDays);
  const milestone = due.pop();
  if (milestone !== undefined) {
    decisions.push({
      kind: 'remind',
      subject,
      milestone,
      skipped: due,
      directMessage,
      ...(withheld ? { withheld } : {}),
      ...(exemptUntil ? { exemptUntil } : {}),
    });
  }
  return decisions;
}
