import { type EnforcerConfig } from '../../lambda/config/schema';
import { daysFromTo, utcDate, wholeDaysBetween } from '../../lambda/domain/dates';
import { type RunReport } from '../../lambda/engine/run-report';
import { type AccessKeyInfo } from '../../lambda/domain/model';

/** One day of a simulated schedule, as the observer saw it. */
export interface ObservedRun {
  readonly report: RunReport;
  /** Every key IAM held after the run, with its owner's user name and account. */
  readonly keysAfter: readonly { accountId: string; userName: string; key: AccessKeyInfo }[];
  /** The run's instant; ages are then exact. Without it, the latest instant of the day bounds them. */
  readonly runAt?: Date;
}

/** The deadline a message states ("2027-04-03 (UTC), 5 days left"), the date of the run that acts. */
const STATED_DEADLINE = /(\d{4}-\d{2}-\d{2}) \(UTC\)/;

export interface InvariantContext {
  readonly config: EnforcerConfig;
  /** Users the policy must deactivate at the deadline (engineers with good tags, no exemption). */
  readonly enforcedUsers: ReadonlySet<string>;
  /** Users whose keys must never be deactivated (machine users under the default config). */
  readonly neverDeactivated: ReadonlySet<string>;
}

const userKey = (accountId: string, userName: string): string => `${accountId}/${userName}`;
export { userKey };

/**
 * SPEC invariants checked from the outside, over the reports of a whole simulated schedule.
 * Returns human-readable violations (empty when all hold), so a failure names the key and day.
 */
export function checkInvariants(runs: readonly ObservedRun[], ctx: InvariantContext): string[] {
  const violations: string[] = [];
  const sentMilestones = new Map<string, string>();
  const firstDelivery = new Map<string, string>();
  /** The deadline the latest delivered reminder or final notice stated, per key. */
  const statedDeadline = new Map<string, string>();
  const { policy } = ctx.config;

  for (const { report, keysAfter, runAt } of runs) {
    const today = report.summary.today;
    const at = runAt ?? new Date(`${today}T23:59:59.999Z`);
    const created = new Map(keysAfter.map((k) => [k.key.accessKeyId, k.key.createDate]));
    for (const action of report.actions) {
      const keyId = action.accessKeyId ?? '';
      const delivered = action.messages.some((m) => m.delivered);
      if ((action.kind === 'remind' || action.kind === 'final-notice') && action.outcome === 'done') {
        // Never repeat: each (key, milestone) is done at most once.
        const id = `${keyId}#${String(action.milestone)}`;
        const earlier = sentMilestones.get(id);
        if (earlier) violations.push(`${id} sent on ${earlier} and again on ${today}`);
        sentMilestones.set(id, today);
        // Explained by SPEC: a reminder is never early.
        const createDate = created.get(keyId);
        const age = createDate ? wholeDaysBetween(createDate, at) : undefined;
        if (action.kind === 'remind' && age !== undefined && age < Number(action.milestone)) {
          violations.push(`${id} sent at age ${age} on ${today}`);
        }
        if (delivered && !firstDelivery.has(keyId)) firstDelivery.set(keyId, today);
        const stated = action.messages
          .filter((m) => m.delivered)
          .map((m) => STATED_DEADLINE.exec(m.text)?.[1]);
        const date = stated.find((d) => d !== undefined);
        if (date !== undefined) statedDeadline.set(keyId, date);
      }
      if (action.kind === 'deactivate' && action.outcome === 'done') {
        const owner = userKey(action.accountId, action.userName ?? '');
        // Minimum notice: someone was told at least N days before.
        const noticeOn = firstDelivery.get(keyId);
        if (!noticeOn || daysFromTo(noticeOn, today) < policy.minimumNoticeDays) {
          violations.push(
            `${keyId} deactivated on ${today} with notice first delivered on ${noticeOn ?? 'never'}`,
          );
        }
        // The day a message stated is the day of the action, exactly: never earlier.
        const promised = statedDeadline.get(keyId);
        if (promised !== undefined && today < promised) {
          violations.push(`${keyId} deactivated on ${today}, before the stated deadline ${promised}`);
        }
        if (ctx.neverDeactivated.has(owner))
          violations.push(`${keyId} of ${owner} (never deactivated) deactivated on ${today}`);
      }
    }

    // Security: no enforced key stays active once notice is satisfied past its deadline.
    const failedAccounts = new Set(report.failedAccounts.map((f) => f.account.id));
    if (report.breaker || report.summary.dryRun) continue;
    for (const { accountId, userName, key } of keysAfter) {
      if (key.status !== 'Active' || failedAccounts.has(accountId)) continue;
      if (!ctx.enforcedUsers.has(userKey(accountId, userName))) continue;
      const noticeOn = firstDelivery.get(key.accessKeyId);
      const noticeMatured = noticeOn !== undefined && daysFromTo(noticeOn, today) >= policy.minimumNoticeDays;
      // ... and never later than the day its messages stated (no tolerance).
      const promised = statedDeadline.get(key.accessKeyId);
      if (noticeMatured && promised !== undefined && today >= promised) {
        violations.push(
          `${key.accessKeyId} of ${userName} still active on ${today}, stated deadline ${promised}, notice on ${noticeOn}`,
        );
      }
    }
  }
  return violations;
}

export function dayOf(date: Date): string {
  return utcDate(date);
}
