import * as z from './zod';

/** Days of the week as the config writes them, in `Date.getUTCDay()` order. */
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The weekly compliance digest (issue 10 item 2): posted to the infra channel by the first run at
 * or after `day` at `hourUtc`:00 UTC each week, once. Standing problems (exemptions in force,
 * untagged users, rule findings) are listed there rather than every day.
 */
export const WeeklyDigestSchema = z.strictObject({
  /** @default true */
  enabled: z._default(z.boolean(), true),
  /** `mon` … `sun`. @default "mon" */
  day: z._default(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }), 'mon'),
  /** Hour of `day` (UTC, 0–23) from which a run posts it. @default 0: the day's first run */
  hourUtc: z._default(z.number().check(z.int(), z.gte(0), z.lte(23)), 0),
});
export type WeeklyDigestConfig = z.infer<typeof WeeklyDigestSchema>;

/** The channel digests. The daily one's `slack.runDigest` predates this section and stays where it is. */
export const DigestSchema = z.strictObject({
  weekly: z._default(WeeklyDigestSchema, WeeklyDigestSchema.parse({})),
});
export type DigestConfig = z.infer<typeof DigestSchema>;
