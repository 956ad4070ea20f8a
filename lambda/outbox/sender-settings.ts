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
   * Receives before a message moves to the dead-letter queue. With the sender's backoff (30 s
   * doubling to 15 minutes) ten receives span about an hour and a half of Slack or key trouble;
   * reserved concurrency 1 makes Lambda's poller throttle now and then, which also counts.
   */
  maxReceiveCount: 10,
  /**
   * SQS's longest retention, in both queues: a message must outlive `outbox.maxMessageAgeHours`
   * (at most 14 days) so that the sender reports it stale rather than SQS dropping it unseen.
   */
  retentionDays: 14,
} as const;
