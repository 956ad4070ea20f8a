import { sameItemsSeen, trackItemsSeen } from '../../../lambda/domain/digest/items-seen';
import { type InputProblem } from '../../../lambda/domain/decisions';

const account = { id: '111111111111', name: 'prod' };
const untagged = (userName: string): InputProblem => ({
  accountId: account.id,
  userName,
  code: 'missing-type',
  message: 'no type tag (engineer|machine)',
});
const exemption = (userName: string, until: string) => ({ account, userName, until });

describe('standing items seen by the daily digest', () => {
  it('are new the day they first appear, and on a same-day re-run, never after', () => {
    const first = trackItemsSeen(undefined, { problems: [untagged('bot')], exemptions: [] }, '2027-03-15');
    const again = trackItemsSeen(first.seen, { problems: [untagged('bot')], exemptions: [] }, '2027-03-15');
    const nextDay = trackItemsSeen(again.seen, { problems: [untagged('bot')], exemptions: [] }, '2027-03-16');

    expect(first.firstSeenToday).toEqual(['problem/missing-type/bot/']);
    expect(again.firstSeenToday).toEqual(['problem/missing-type/bot/']);
    expect(nextDay.firstSeenToday).toEqual([]);
    expect(nextDay.seen).toEqual({ 'problem/missing-type/bot/': '2027-03-15' });
  });

  it('forget what is gone, so that it is news if it comes back', () => {
    const seen = { 'problem/missing-type/bot/': '2027-03-01' };

    const fixed = trackItemsSeen(seen, { problems: [], exemptions: [] }, '2027-03-15');
    const back = trackItemsSeen(fixed.seen, { problems: [untagged('bot')], exemptions: [] }, '2027-03-16');

    expect(fixed.seen).toEqual({});
    expect(back.firstSeenToday).toEqual(['problem/missing-type/bot/']);
  });

  it('treat an exemption extended to a new date as new', () => {
    const seen = { 'exemption/etl/2027-03-20': '2027-03-01' };

    const { firstSeenToday } = trackItemsSeen(
      seen,
      { problems: [], exemptions: [exemption('etl', '2027-04-10')] },
      '2027-03-15',
    );

    expect(firstSeenToday).toEqual(['exemption/etl/2027-04-10']);
  });

  it('need no write when nothing changed', () => {
    const seen = { 'exemption/etl/2027-03-20': '2027-03-01' };

    expect(sameItemsSeen(seen, { ...seen })).toBe(true);
    expect(sameItemsSeen(seen, {})).toBe(false);
    expect(sameItemsSeen(undefined, {})).toBe(true);
  });
});
