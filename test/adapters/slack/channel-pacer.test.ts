import { ChannelPacer } from '../../../lambda/adapters/slack/channel-pacer';

/** A clock that only moves when the pacer sleeps, so no test waits in real time. */
function manualClock(start = 0, advanceOnSleep = true) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    set: (ms: number) => {
      now = ms;
    },
    sleep: (ms: number) => {
      sleeps.push(ms);
      if (advanceOnSleep) now += ms;
      return Promise.resolve();
    },
  };
}

describe('ChannelPacer', () => {
  it('lets the first post go at once', async () => {
    const clock = manualClock(1_000_000);
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });

    await expect(pacer.wait()).resolves.toBe(true);

    expect(clock.sleeps).toEqual([]);
  });

  it('keeps consecutive posts at least the interval apart', async () => {
    const clock = manualClock();
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });
    const startedAt: number[] = [];

    for (let i = 0; i < 4; i += 1) {
      await pacer.wait();
      startedAt.push(clock.now());
    }

    expect(startedAt).toEqual([0, 1100, 2200, 3300]);
  });

  it('waits only for what is left of the interval', async () => {
    const clock = manualClock();
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });
    await pacer.wait();
    clock.set(700);

    await pacer.wait();

    expect(clock.sleeps).toEqual([400]);
  });

  it('does not wait once the interval has passed', async () => {
    const clock = manualClock();
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });
    await pacer.wait();
    clock.set(1100);

    await pacer.wait();

    expect(clock.sleeps).toEqual([]);
  });

  it('queues concurrent callers one interval apart in call order', async () => {
    const clock = manualClock(0, false);
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });

    await Promise.all([pacer.wait(), pacer.wait(), pacer.wait()]);

    expect(clock.sleeps).toEqual([1100, 2200]);
  });

  it('refuses, without waiting or taking the slot, when the wait exceeds the time allowed', async () => {
    const clock = manualClock();
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });
    await pacer.wait();

    const refused = await pacer.wait(1000);
    const granted = await pacer.wait(1100);

    expect({ refused, granted, sleeps: clock.sleeps }).toEqual({
      refused: false,
      granted: true,
      sleeps: [1100],
    });
  });

  it('after a 429, starts the next post one interval after the retry that waited Retry-After', async () => {
    const clock = manualClock();
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });
    await pacer.wait();

    pacer.holdFor(3000);
    await clock.sleep(3000); // the rate-limited caller waits, then retries at t=3000
    await pacer.wait();

    expect(clock.now()).toBe(3000 + 1100);
  });

  it('never moves a later slot earlier', async () => {
    const clock = manualClock();
    const pacer = new ChannelPacer({ minIntervalMs: 1100, ...clock });
    pacer.holdFor(5000);

    pacer.holdFor(100);
    await pacer.wait();

    expect(clock.now()).toBe(6100);
  });
});
