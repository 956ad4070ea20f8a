import { ENV } from '../config/environment';
import { type DailyRunTime, dailyRunTime } from '../domain/run-time';
import * as z from '../config/zod';

const RunScheduleSchema = z.object({ cron: z.string(), timeZone: z.string() });

/**
 * The deployed schedule's daily time, from the variable the stack sets. Only message wording
 * depends on it, so a missing or unreadable value falls back to the run's own time of day rather
 * than stopping a run that would otherwise remind and deactivate correctly.
 */
export function runTimeFromEnvironment(env: NodeJS.ProcessEnv): DailyRunTime | undefined {
  const raw = env[ENV.runSchedule];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const schedule = RunScheduleSchema.safeParse(parsed);
  return schedule.success ? dailyRunTime(schedule.data.cron, schedule.data.timeZone) : undefined;
}
