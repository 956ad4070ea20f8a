import { InvalidClockDateError, ManualClock } from '../../lambda/simulation/manual-clock';

describe('ManualClock', () => {
  it('starts where it is told', () => {
    expect(new ManualClock('2025-03-01T09:00:00Z').now().toISOString()).toBe('2025-03-01T09:00:00.000Z');
  });

  it.each([
    [1, '2025-03-02T09:00:00.000Z'],
    [30, '2025-03-31T09:00:00.000Z'],
    [-1, '2025-02-28T09:00:00.000Z'],
    [0.5, '2025-03-01T21:00:00.000Z'],
    // 24-hour steps in UTC: the end of European summer time changes nothing.
    [240, '2025-10-27T09:00:00.000Z'],
  ])('advances %d days to %s', (days, expected) => {
    const clock = new ManualClock('2025-03-01T09:00:00Z');
    clock.advanceDays(days);
    expect(clock.now().toISOString()).toBe(expected);
  });

  it('jumps to a set date', () => {
    const clock = new ManualClock(new Date('2025-03-01T00:00:00Z'));
    clock.set('2026-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('hands out copies so a caller cannot move the clock', () => {
    const clock = new ManualClock('2025-03-01T09:00:00Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2025-03-01T09:00:00.000Z');
  });

  it.each([
    ['an unparseable start', () => new ManualClock('not a date')],
    ['an unparseable set', () => new ManualClock(0).set('yesterday')],
    ['an infinite step', () => new ManualClock(0).advanceDays(Infinity)],
  ])('refuses %s', (_name, call) => {
    expect(call).toThrow(InvalidClockDateError);
  });
});
