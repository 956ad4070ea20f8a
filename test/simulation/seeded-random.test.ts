import { SeededRandomError, seededRandom } from '../../lambda/simulation/seeded-random';

describe('seededRandom', () => {
  it('replays the same sequence from the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });

  it.each([
    [1, 2],
    ['demo', 'demo2'],
  ])('gives different sequences for seeds %j and %j', (first, second) => {
    const a = seededRandom(first);
    const b = seededRandom(second);
    expect(Array.from({ length: 5 }, () => a.next())).not.toEqual(Array.from({ length: 5 }, () => b.next()));
  });

  it('keeps int() within inclusive bounds and reaches both ends', () => {
    const random = seededRandom('bounds');
    const draws = Array.from({ length: 2000 }, () => random.int(3, 7));
    expect(new Set(draws)).toEqual(new Set([3, 4, 5, 6, 7]));
  });

  it('returns floats in [0, 1)', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 1000 }, () => random.next());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it.each([
    [0, false],
    [1, true],
  ])('chance(%d) is always %s', (p, expected) => {
    const random = seededRandom(3);
    expect(Array.from({ length: 50 }, () => random.chance(p))).toEqual(Array<boolean>(50).fill(expected));
  });

  it('shuffles into a permutation and leaves the input alone', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = seededRandom(9).shuffle(input);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('picks only from the given items and draws strings from the alphabet', () => {
    const random = seededRandom(11);
    expect(['a', 'b']).toContain(random.pick(['a', 'b']));
    expect(random.string(16, 'XY')).toMatch(/^[XY]{16}$/);
  });

  it('forks a generator that is itself deterministic', () => {
    const a = seededRandom(5).fork('people');
    const b = seededRandom(5).fork('people');
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
  });

  it.each([
    ['an empty pick', () => seededRandom(1).pick([])],
    ['min above max', () => seededRandom(1).int(5, 4)],
    ['a fractional bound', () => seededRandom(1).int(0.5, 4)],
  ])('refuses %s', (_name, call) => {
    expect(call).toThrow(SeededRandomError);
  });
});
