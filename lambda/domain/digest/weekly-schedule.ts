import { type WeeklyDigestConfig, WEEKDAYS } from '../../config/digest-schema';
import { addDays, utcDate } from '../dates';

/** Ledger id of the daily digest of a UTC date. */
export function dailyDigestId(today: string): string {
  return `daily/${today}`;
}

/** Ledger id of the weekly digest due on a date. */
export function weeklyDigestId(dueOn: string): string {
  return `weekly/${dueOn}`;
}

/**
 * The date of the weekly digest a run at `now` owes: the latest configured day whose hour has
 * come. The first run at or after it posts that week's digest (a run missed on the day is made up
 * the next day); the ledger makes it once. Undefined when the weekly digest is off.
 */
export function weeklyDigestDueOn(schedule: WeeklyDigestConfig, now: Date): string | undefined {
  if (!schedule.enabled) return undefined;
  const dueAt = (date: string): number => Date.parse(`${date}T00:00:00.000Z`) + schedule.hourUtc * 3_600_000;
  const today = utcDate(now);
  const back = (now.getUTCDay() - WEEKDAYS.indexOf(schedule.day) + 7) % 7;
  const candidate = addDays(today, -back);
  return dueAt(candidate) <= now.getTime() ? candidate : addDays(candidate, -7);
}

/** Earlier weeks' digests to look for, latest first, when last week's was not posted (a week off). */
export function earlierWeeks(dueOn: string, weeks: number): string[] {
  return Array.from({ length: weeks }, (_, i) => addDays(dueOn, -7 * (i + 1)));
}
