/**
 * How the outbox sender is deployed (issue 12 item 4), shared by the stack (lib/constructs/
 * slack-outbox.ts) and the tests that drain a queue the way Lambda's event source does.
 */
export const OUTBOX_SENDER = {
  /**
   * Messages per invocation. A reminder is up to three paced channel calls (its thread's parent
   * posted or updated, the reply) besides the DM: five messages take about 20 s at 1.1 s per call.
   */
  batchSize: 5,
  /** Time for a batch, with Retry-After waits of up to a minute and the notifier's own retries. */
  timeoutSeconds: 180,
  /**
   * The queue's visibility timeout: AWS asks for six times the function's timeout for an event
   * source, so a batch still running (or throttled) is not handed to a second invocation.
   */
  visibilityTimeoutSeconds: 6 * 180,
  /**
   * Senders at once: the event source's maximum concurrency and the function's reserved
   * concurrency both. On a FIFO queue Lambda scales its invocations with the number of message
   * groups (one per key here), so a function capped below what its poller may start is throttled,
   * and a throttled batch waits out the visibility timeout and spends one of its receives: a
   * first rollout's thousands of groups would push notices into the dead-letter queue. Capping
   * the poller at the function's own limit avoids that; two is the poller's smallest cap.
   */
  concurrency: 2,
  /**
   * Each sender's gap between two channel calls. Slack allows about one message a second per
   * channel; the senders do not share a pacer, so each takes its share (the 429s Slack may still
   * answer are waited out with their Retry-After).
   */
  channelIntervalMs: 2 * 1100,
  /**
   * Receives before a message moves to the dead-letter queue. With the sender's backoff (30 s
   * doubling to 15 minutes) ten receives span about an hour and a half of Slack or key trouble.
   */
  maxReceiveCount: 10,
  /**
   * SQS's longest retention, in both queues: a message must outlive `outbox.maxMessageAgeHours`
   * (at most 14 days) so that the sender reports it stale rather than SQS dropping it unseen.
   */
  retentionDays: 14,
} as const;
