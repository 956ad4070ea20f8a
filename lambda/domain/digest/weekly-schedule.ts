import { type WeeklyDigestConfig, WEEKDAYS } from '../../config/digest-schema';
import { addDays, DAY_MS, utcDate } from '../dates';

/** Ledger id of the daily digest of a UTC date. */
export function dailyDigestId(today: string): string {
  return `daily/${today}`;
}

/** Ledger id of the weekly digest due on a date. */
export function weeklyDigestId(dueOn: string): string {
  return `weekly/${dueOn}`;
}

/**
 * How late a run may still post the week's digest: the day's run failed, or every run of the day
 * came before the configured hour. A week whose digest is later than that has none, so that a new
 * deployment does not post one on a day nobody chose.
 */
export const CATCH_UP_DAYS = 2;

/**
 * The date of the weekly digest a run at `now` owes: the latest configured day whose hour has
 * come, at most {@link CATCH_UP_DAYS} ago (`anyDay`: however long ago, for a preview). The ledger
 * makes it once. Undefined when none is owed or the weekly digest is off.
 */
export function weeklyDigestDueOn(
  schedule: WeeklyDigestConfig,
  now: Date,
  options: { readonly anyDay?: boolean } = {},
): string | undefined {
  if (!schedule.enabled && !options.anyDay) return undefined;
  const dueAt = (date: string): number => Date.parse(`${date}T00:00:00.000Z`) + schedule.hourUtc * 3_600_000;
  const back = (now.getUTCDay() - WEEKDAYS.indexOf(schedule.day) + 7) % 7;
  let dueOn = addDays(utcDate(now), -back);
  if (dueAt(dueOn) > now.getTime()) dueOn = addDays(dueOn, -7);
  if (options.anyDay) return dueOn;
  return now.getTime() - dueAt(dueOn) < CATCH_UP_DAYS * DAY_MS ? dueOn : undefined;
}

/** Earlier weeks' digests to look for, latest first, when last week's was not posted (a week off). */
export function earlierWeeks(dueOn: string, weeks: number): string[] {
  return Array.from({ length: weeks }, (_, i) => addDays(dueOn, -7 * (i + 1)));
}
