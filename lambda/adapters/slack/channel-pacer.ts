/** Options for {@link ChannelPacer}. */
export interface ChannelPacerOptions {
  /** Minimum time between the starts of two consecutive posts, in milliseconds. */
  readonly minIntervalMs: number;
  /** Current time in epoch milliseconds. */
  readonly now: () => number;
  /** Resolves after `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Spaces posts to one channel so they stay under Slack's limit of about one message per second per
 * channel; bursts above it get 429s, and a run that mirrors many reminders would hit it.
 *
 * Slots are reserved synchronously, so concurrent callers queue up in call order without a lock:
 * with a 1100 ms interval, three callers at t=0 start at 0, 1100 and 2200.
 */
export class ChannelPacer {
  private nextSlotAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ChannelPacerOptions) {}

  /**
   * Waits for the next free slot and takes it. Returns `false`, without waiting or taking the slot,
   * when the wait would be longer than `maxWaitMs` (the caller's remaining time).
   */
  async wait(maxWaitMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const now = this.options.now();
    const slot = Math.max(now, this.nextSlotAt);
    const delay = slot - now;
    if (delay > maxWaitMs) return false;
    this.nextSlotAt = slot + this.options.minIntervalMs;
    if (delay > 0) await this.options.sleep(delay);
    return true;
  }

  /**
   * Slack answered 429 with `Retry-After` (`waitMs`): the caller waits it out and retries in the
   * slot it holds; every later post starts at least one interval after that retry.
   */
  holdFor(waitMs: number): void {
    this.nextSlotAt = Math.max(this.nextSlotAt, this.options.now() + waitMs + this.options.minIntervalMs);
  }
}
