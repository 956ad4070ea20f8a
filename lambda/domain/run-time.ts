/**
 * When on a given date the scheduled daily run happens, in UTC. Messages promise "deactivated at the
 * daily run on 2027-03-06 at about 07:00 UTC" (issue 11 item 1): with a schedule in a time zone that
 * keeps summer time, that UTC hour moves through the year, so it is computed for the date in
 * question, not copied from today's run.
 */

/** A run that happens once a day at a fixed wall-clock time in a time zone. */
export interface DailyRunTime {
  readonly hour: number;
  readonly minute: number;
  /** IANA name, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
}

/**
 * The time of day of an EventBridge Scheduler cron, when it has one: `cron(0 8 * * ? *)` or a
 * weekday-only `cron(30 6 ? * MON-FRI *)`. Crons that run several times a day (`0/15`, `8,20`, `*`)
 * have no single time to promise: undefined, and messages then fall back to the current run's time.
 */
export function dailyRunTime(cron: string, timeZone: string): DailyRunTime | undefined {
  const fields = /^cron\((.*)\)$/.exec(cron.trim())?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6) return undefined;
  const [minute, hour] = fields.map((field) => (/^\d{1,2}$/.test(field) ? Number(field) : undefined));
  if (minute === undefined || hour === undefined || minute > 59 || hour > 23) return undefined;
  if (!isKnownTimeZone(timeZone)) return undefined;
  return { hour, minute, timeZone };
}

/** `HH:MM` in UTC of the run on `date` (YYYY-MM-DD, the run's local date in its time zone). */
export function runTimeUtcOn(date: string, run: DailyRunTime): string {
  const wallClockAsUtc = Date.parse(`${date}T${pad(run.hour)}:${pad(run.minute)}:00Z`);
  // The zone's offset at that instant, applied twice so that an hour skipped or doubled by a
  // summer-time change still lands on the instant the scheduler uses (the offset after the change).
  let instant = wallClockAsUtc - offsetMs(wallClockAsUtc, run.timeZone);
  instant = wallClockAsUtc - offsetMs(instant, run.timeZone);
  return new Date(instant).toISOString().slice(11, 16);
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  const wallClock = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(instant / 1000) * 1000;
}

function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
