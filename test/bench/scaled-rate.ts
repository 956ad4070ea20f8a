import { DefaultRateLimiter } from '@smithy/core/retry';

import { type SendRate } from '../../lambda/adapters/aws/retry';

interface LimiterClock {
  getCurrentTimeInSeconds: () => number;
}
interface LimiterTimer {
  setTimeoutFn: (fn: () => void, ms: number) => unknown;
}

/**
 * The SDK's CUBIC limiter (the gateway's default) on the stand-in's scaled clock. Without this it
 * paces on real time while the bucket refills `scale` times faster, and the bench would measure
 * the limiter's clock, not IAM's. Reaches into its private clock and timer: bench-only, one
 * scenario at a time, restored by {@link ScaledRates.restore}.
 */
export class ScaledRates {
  private readonly original: LimiterTimer['setTimeoutFn'];
  private readonly timer = DefaultRateLimiter as unknown as LimiterTimer;

  constructor(private readonly scale: number) {
    this.original = this.timer.setTimeoutFn;
    this.timer.setTimeoutFn = (fn, ms) => setTimeout(fn, ms / scale);
  }

  rateFor = (): SendRate => {
    const limiter = new DefaultRateLimiter();
    const startedAt = Date.now() / 1000;
    (limiter as unknown as LimiterClock).getCurrentTimeInSeconds = () =>
      startedAt + (Date.now() / 1000 - startedAt) * this.scale;
    return limiter;
  };

  restore(): void {
    this.timer.setTimeoutFn = this.original;
  }
}
