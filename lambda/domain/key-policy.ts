import { type EnforcerConfig } from '../config/schema';
import {
  addDays,
  daysFromTo,
  firstRunDateAtOrAfter,
  instantAtAge,
  maxDate,
  utcDate,
  wholeDaysBetween,
} from './dates';
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
  /** When the enforcer first read the account (`AccountRecord.firstReadAt`), if it knows. */
  readonly watchedSince?: Date;
  readonly otherActiveKeys: readonly string[];
  readonly now: Date;
  readonly config: EnforcerConfig;
}

/**
 * Whether a key the ledger has never seen is news. In a baselined account, always (SPEC §4).
 * Before the baseline, the first scan records keys silently, except one created after the
 * enforcer first read the account: a first scan that takes several runs would otherwise hide
 * days of new keys.
 */
function newKeyIsNews(facts: KeyFacts): boolean {
  if (facts.baselined) return true;
  return facts.watchedSince !== undefined && facts.key.createDate.getTime() > facts.watchedSince.getTime();
}

/** Milestones recorded as done (sent or skipped). */
export function isDone(record: KeyRecord | undefined, milestone: number | string): boolean {
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
 * SPEC §2 during a Slack outage: no reminder about the key ever reached anyone, but one was
 * attempted; deactivation may happen from this date (first failed attempt + minimum notice).
 */
export function outageNoticeDate(
  record: KeyRecord | undefined,
  minimumNoticeDays: number,
): string | undefined {
  if (record?.noticeDeliveredOn !== undefined || record?.noticeFirstFailedAt === undefined) return undefined;
  return addDays(utcDate(new Date(record.noticeFirstFailedAt)), minimumNoticeDays);
}

/** The UTC date of the run at which the key is `days` old (runs at `now`'s time of day). */
export function runDateAtAge(facts: Pick<KeyFacts, 'key' | 'now'>, days: number): string {
  return firstRunDateAtOrAfter(instantAtAge(facts.key.createDate, days), facts.now);
}

/**
 * Issue 8 item 15: the key was last decided under a class that is never deactivated (a machine
 * user) and its current class is deactivatable (its `type` tag changed). Its earlier notices said
 * it would not be deactivated, so it is owed a final notice before anything happens.
 */
export function becameDeactivatable(facts: KeyFacts): boolean {
  const last = facts.record?.lastUserClass;
  if (last === undefined) return false;
  const classes: Readonly<Record<string, { readonly deactivate: boolean } | undefined>> =
    facts.config.userClasses;
  return classes[last]?.deactivate === false && facts.config.userClasses[facts.owner.userClass].deactivate;
}

/** A final notice is owed today: first seen overdue with nobody told, or a class change (item 15). */
function finalNoticeOwed(facts: KeyFacts, ageDays: number): boolean {
  const { record, config } = facts;
  if (ageDays < config.policy.deactivateAtDays || isDone(record, FINAL_NOTICE)) return false;
  return becameDeactivatable(facts) || record?.noticeDeliveredOn === undefined;
}

/**
 * The UTC date of the run that will deactivate the key (SPEC §1–§2): the first run at or after the
 * deadline instant, pushed back by minimum notice (or, during an outage, the first failed attempt
 * plus minimum notice), a final notice's deadline, and an exemption in force.
 */
export function effectiveDeadline(facts: KeyFacts, today: string): string {
  const { policy } = facts.config;
  const { record } = facts;
  let deadline = runDateAtAge(facts, policy.deactivateAtDays);
  const outage = outageNoticeDate(record, policy.minimumNoticeDays);
  deadline = maxDate(
    deadline,
    outage ?? addDays(record?.noticeDeliveredOn ?? today, policy.minimumNoticeDays),
  );
  if (record?.finalDeadline !== undefined) deadline = maxDate(deadline, record.finalDeadline);
  const ageDays = wholeDaysBetween(facts.key.createDate, facts.now);
  if (becameDeactivatable(facts) && finalNoticeOwed(facts, ageDays)) {
    deadline = maxDate(deadline, addDays(today, policy.minimumNoticeDays));
  }
  // The tag stops deactivation through its date; the first run after it may act.
  if (facts.exemption.kind === 'active') deadline = maxDate(deadline, addDays(facts.exemption.until, 1));
  return deadline;
}

export function buildSubject(facts: KeyFacts, ageDays: number, today: string): KeySubject {
  const deadline = effectiveDeadline(facts, today);
  const deactivates = facts.config.userClasses[facts.owner.userClass].deactivate;
  return {
    account: facts.account,
    userName: facts.userName,
    owner: facts.owner,
    key: facts.key,
    ageDays,
    deadline,
    deadlineAt: instantAtAge(facts.key.createDate, facts.config.policy.deactivateAtDays).toISOString(),
    ...(deactivates ? {} : { deactivates: false }),
    daysLeft: daysFromTo(today, deadline),
  };
}

/** What the enforcer will do about a key next, and on which UTC date (the date of the run that acts). */
export type NextStep =
  | { readonly action: 'remind'; readonly milestone: number; readonly date: string }
  | { readonly action: 'final-notice'; readonly date: string }
  | { readonly action: 'deactivate'; readonly date: string };

/**
 * The one answer to "what happens to this key next, and when" (issue 8 item 5), for the run,
 * `scan` and digests: today's action when the policy acts today, else the earliest step ahead.
 * Undefined when nothing more will happen (inactive keys, an overdue key of a never-deactivated class).
 */
export function nextStep(facts: KeyFacts): NextStep | undefined {
  const today = utcDate(facts.now);
  for (const decision of decideKey(facts)) {
    if (decision.kind === 'remind') return { action: 'remind', milestone: decision.milestone, date: today };
    if (decision.kind === 'final-notice') return { action: 'final-notice', date: today };
    if (decision.kind === 'deactivate') return { action: 'deactivate', date: today };
  }
  if (facts.key.status !== 'Active') return undefined;
  const { policy } = facts.config;
  const ageDays = wholeDaysBetween(facts.key.createDate, facts.now);
  const deactivates = facts.config.userClasses[facts.owner.userClass].deactivate;
  const deadline = deactivates ? effectiveDeadline(facts, today) : undefined;
  const reminderDays = policy.remindAtDays.filter((day) => day > ageDays && !isDone(facts.record, day));
  // A key not deactivated at the deactivation age (its class, or an exemption in force that day)
  // gets an overdue reminder then instead.
  const overdueDate = runDateAtAge(facts, policy.deactivateAtDays);
  const exemptThen = facts.exemption.kind === 'active' && facts.exemption.until >= overdueDate;
  if (
    ageDays < policy.deactivateAtDays &&
    !isDone(facts.record, policy.deactivateAtDays) &&
    (!deactivates || exemptThen)
  ) {
    reminderDays.push(policy.deactivateAtDays);
  }
  const candidates: NextStep[] = reminderDays.map((milestone) => ({
    action: 'remind',
    milestone,
    date: maxDate(runDateAtAge(facts, milestone), addDays(today, 1)),
  }));
  if (deadline !== undefined)
    candidates.push({ action: 'deactivate', date: maxDate(deadline, addDays(today, 1)) });
  return candidates.reduce<NextStep | undefined>(
    (earliest, candidate) =>
      earliest === undefined || candidate.date < earliest.date ? candidate : earliest,
    undefined,
  );
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
      alert: newKeyIsNews(facts),
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
      const duringOutage = outageNoticeDate(record, policy.minimumNoticeDays) !== undefined;
      const dueToday = today >= subject.deadline;
      if (duringOutage && dueToday) {
        // SPEC §2: an outage can delay enforcement (first failed attempt + minimum notice), never stop it.
        decisions.push({ kind: 'deactivate', subject, reason: 'deadline', skipped, directMessage });
      } else if (finalNoticeOwed(facts, ageDays)) {
        decisions.push({ kind: 'final-notice', subject, skipped, directMessage });
      } else if (dueToday && noticeSatisfied(record, today, policy.minimumNoticeDays)) {
        decisions.push({ kind: 'deactivate', subject, reason: 'deadline', skipped, directMessage });
      }
      // Otherwise a notice went out less than the minimum notice ago: wait for it to mature.
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
