import { mapWithConcurrency } from '../../lambda/util/concurrency';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;

    const result = await mapWithConcurrency([5, 1, 4, 2, 3, 0], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return n * 10;
    });

    expect(result).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBe(2);
  });

  it('returns an empty list for no items', async () => {
    const result = await mapWithConcurrency([], 4, () => Promise.resolve(1));

    expect(result).toEqual([]);
  });

  it('rejects with the first failure and starts no further items', async () => {
    const started: number[] = [];

    const outcome = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('boom');
      return n;
    });

    await expect(outcome).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
  });
});
