import { type Clock } from '../ports';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Thrown when a clock is given a date that is not a real instant. */
export class InvalidClockDateError extends Error {
  override readonly name = 'InvalidClockDateError';
}

/**
 * A clock that only moves when told to, so tests and the demo can step through days. Days are
 * exact 24-hour steps in UTC (no daylight saving), the same arithmetic SPEC §1 uses for key age.
 */
export class ManualClock implements Clock {
  private current: number;

  /** @param start an instant, or anything `new Date()` parses such as `2025-03-01T09:00:00Z` */
  constructor(start: Date | string | number) {
    this.current = toMillis(start);
  }

  /** A fresh `Date` each time: callers may mutate it without moving the clock. */
  now(): Date {
    return new Date(this.current);
  }

  set(date: Date | string | number): void {
    this.current = toMillis(date);
  }

  /** Moves by whole or fractional days; negative goes back in time. */
  advanceDays(days: number): void {
    if (!Number.isFinite(days)) throw new InvalidClockDateError(`cannot advance by ${days} days`);
    this.current += days * DAY_MS;
  }
}

function toMillis(date: Date | string | number): number {
  const millis = new Date(date).getTime();
  if (Number.isNaN(millis)) throw new InvalidClockDateError(`not a valid date: ${String(date)}`);
  return millis;
}
