import * as z from './zod';

/**
 * The Slack outbox (issue 12 item 4), used when the run executes on the state machine: the act
 * step queues its notices and one sender delivers them at Slack's pace.
 */
export const OutboxSchema = z.strictObject({
  /**
   * A queued message older than this is reported (logged, counted, metric `OutboxMessagesStale`)
   * and not sent: its deadline and "days left" were true when it was queued. Its milestone stays
   * undelivered, so the next run decides again. At most 14 days, SQS's longest retention.
   * @default 24
   */
  maxMessageAgeHours: z._default(z.number().check(z.gte(1), z.lte(336)), 24),
});
export type OutboxConfig = z.infer<typeof OutboxSchema>;
