import { addDays } from '../dates';
import { type KeySubject } from '../decisions';
import { runTimeUtcOn } from '../run-time';
import { type MessageContext } from './context';
import { daysLeftPhrase } from './format';

/**
 * "2025-06-16 at about 08:00 UTC": the date of a run (always from the policy, SPEC §1) with the
 * time of day runs happen. "About": a run takes a while to reach every key.
 */
export function runMoment(date: string, ctx: MessageContext): string {
  const time = runTimeOn(date, ctx);
  return time === undefined ? `${date} UTC` : `${date} at about ${time} UTC`;
}

/** `HH:MM` UTC of the daily run on `date`: from the deployed schedule when known, else today's run. */
function runTimeOn(date: string, ctx: MessageContext): string | undefined {
  return ctx.runTime ? runTimeUtcOn(date, ctx.runTime) : ctx.runTimeUtc;
}

/** "the daily run on 2025-06-16 at about 08:00 UTC (15 days left)". */
export function deadlineRun(subject: KeySubject, ctx: MessageContext): string {
  return `the daily run on ${runMoment(subject.deadline, ctx)} (${daysLeftPhrase(subject.daysLeft)})`;
}

/** "2025-06-16 at 23:30 UTC", the instant the key reaches the deactivation age, when known. */
export function ageInstant(subject: KeySubject): string | undefined {
  const at = subject.deadlineAt;
  return at === undefined ? undefined : `${at.slice(0, 10)} at ${at.slice(11, 16)} UTC`;
}

/**
 * Why the run that acts is on a later date than the key's birthday: a key created late in the UTC
 * day turns 91 after that day's run (issue 11). Only said when the dates differ for that reason alone.
 */
export function lateInDayNote(subject: KeySubject, ctx: MessageContext): string[] {
  const at = subject.deadlineAt;
  const instant = ageInstant(subject);
  if (at === undefined || instant === undefined) return [];
  const birthday = at.slice(0, 10);
  const runTime = runTimeOn(birthday, ctx);
  if (runTime === undefined) return [];
  const turnsAfterRun = at.slice(11, 16) > runTime;
  if (!turnsAfterRun || subject.deadline !== addDays(birthday, 1)) return [];
  return [
    `It turns ${ctx.policy.deactivateAtDays} days old on ${instant}, after that day's run, so the run ` +
      `that acts is the next one, on ${runMoment(subject.deadline, ctx)}.`,
  ];
}
