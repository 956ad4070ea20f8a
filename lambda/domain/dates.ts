/** UTC calendar arithmetic on `YYYY-MM-DD` strings; every date the enforcer shows or stores is UTC. */

export const HOUR_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * HOUR_MS;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC calendar date of an instant. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Whole days between two instants, rounded down (SPEC §1: `floor((now - CreateDate) / 24h)`). */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

export function addDays(date: string, days: number): string {
  return utcDate(new Date(parseUtcDate(date).getTime() + days * DAY_MS));
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysFromTo(from: string, to: string): number {
  return Math.round((parseUtcDate(to).getTime() - parseUtcDate(from).getTime()) / DAY_MS);
}

/** Midnight UTC of a valid date string; throws for anything else. */
export function parseUtcDate(date: string): Date {
  const parsed = tryParseUtcDate(date);
  if (!parsed) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return parsed;
}

/** Midnight UTC of `YYYY-MM-DD`, or undefined for garbage and impossible dates like 2027-02-30. */
export function tryParseUtcDate(date: string): Date | undefined {
  const match = ISO_DATE.exec(date);
  if (!match) return undefined;
  const parsed = new Date(`${date}T00:00:00.000Z`);
  return Number.isNaN(parsed.getTime()) || utcDate(parsed) !== date ? undefined : parsed;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}

/**
 * The UTC date of the first daily run at or after `instant`, when runs happen at `runTime`'s time
 * of day (SPEC §1: the key is acted on by the first run at or after its deadline instant).
 */
export function firstRunDateAtOrAfter(instant: Date, runTime: Date): string {
  const timeOfDay = runTime.getTime() - parseUtcDate(utcDate(runTime)).getTime();
  const shifted = instant.getTime() - timeOfDay;
  const midnight = Math.floor(shifted / DAY_MS) * DAY_MS;
  return utcDate(new Date(midnight < shifted ? midnight + DAY_MS : midnight));
}

/** The instant a key created at `createDate` turns `days` whole days old. */
export function instantAtAge(createDate: Date, days: number): Date {
  return new Date(createDate.getTime() + days * DAY_MS);
}
