import { weeklyDigestDueOn } from '../../../lambda/domain/digest/weekly-schedule';

describe('the weekly digest schedule', () => {
  const monday = { enabled: true, day: 'mon' as const, hourUtc: 0 };

  it.each([
    // 2027-03-15 is a Monday.
    ['2027-03-15T00:00:00.000Z', '2027-03-15'],
    ['2027-03-15T09:00:00.000Z', '2027-03-15'],
    ['2027-03-16T09:00:00.000Z', '2027-03-15'],
    ['2027-03-16T23:59:59.000Z', '2027-03-15'],
    ['2027-03-17T00:00:00.000Z', undefined],
    ['2027-03-21T23:59:59.000Z', undefined],
    ['2027-03-14T23:59:59.000Z', undefined],
  ])('a run at %s owes the digest due on %s', (now, due) => {
    expect(weeklyDigestDueOn(monday, new Date(now))).toBe(due);
  });

  it('owes a preview the latest week, however long ago it began, even when off', () => {
    const now = new Date('2027-03-21T23:59:59.000Z');

    expect(weeklyDigestDueOn(monday, now, { anyDay: true })).toBe('2027-03-15');
    expect(weeklyDigestDueOn({ ...monday, enabled: false }, now, { anyDay: true })).toBe('2027-03-15');
  });

  it.each([
    ['2027-03-19T15:59:00.000Z', undefined],
    ['2027-03-19T16:00:00.000Z', '2027-03-19'],
    ['2027-03-21T15:59:00.000Z', '2027-03-19'],
  ])('on Fridays from 16:00 UTC, a run at %s owes the one due on %s', (now, due) => {
    expect(weeklyDigestDueOn({ enabled: true, day: 'fri', hourUtc: 16 }, new Date(now))).toBe(due);
  });

  it('owes none when the weekly digest is off', () => {
    expect(
      weeklyDigestDueOn({ ...monday, enabled: false }, new Date('2027-03-15T09:00:00Z')),
    ).toBeUndefined();
  });
});
