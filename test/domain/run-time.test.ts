import { dailyRunTime, runTimeUtcOn } from '../../lambda/domain/run-time';

describe('dailyRunTime', () => {
  it.each([
    ['cron(0 8 * * ? *)', 'Etc/UTC', { hour: 8, minute: 0, timeZone: 'Etc/UTC' }],
    ['cron(30 6 ? * MON-FRI *)', 'Europe/Berlin', { hour: 6, minute: 30, timeZone: 'Europe/Berlin' }],
    [' cron(5 23 * * ? *) ', 'Asia/Tokyo', { hour: 23, minute: 5, timeZone: 'Asia/Tokyo' }],
  ])('%s in %s has one time of day', (cron, zone, expected) => {
    expect(dailyRunTime(cron, zone)).toEqual(expected);
  });

  it.each([
    ['cron(0/15 * * * ? *)', 'Etc/UTC'],
    ['cron(0 8,20 * * ? *)', 'Etc/UTC'],
    ['cron(0 * * * ? *)', 'Etc/UTC'],
    ['cron(60 8 * * ? *)', 'Etc/UTC'],
    ['cron(0 24 * * ? *)', 'Etc/UTC'],
    ['rate(1 day)', 'Etc/UTC'],
    ['cron(0 8 * * ?)', 'Etc/UTC'],
    ['cron(0 8 * * ? *)', 'Mars/Olympus_Mons'],
  ])('%s in %s has none', (cron, zone) => {
    expect(dailyRunTime(cron, zone)).toBeUndefined();
  });
});

describe('runTimeUtcOn', () => {
  const berlin = { hour: 8, minute: 0, timeZone: 'Europe/Berlin' };

  it.each([
    ['2027-01-15', berlin, '07:00'],
    ['2027-07-15', berlin, '06:00'],
    // Summer time starts 2027-03-28 at 02:00 local and ends 2027-10-31 at 03:00 local.
    ['2027-03-27', berlin, '07:00'],
    ['2027-03-28', berlin, '06:00'],
    ['2027-10-30', berlin, '06:00'],
    ['2027-10-31', berlin, '07:00'],
    ['2027-07-15', { hour: 8, minute: 0, timeZone: 'Etc/UTC' }, '08:00'],
    ['2027-07-15', { hour: 9, minute: 30, timeZone: 'Asia/Kolkata' }, '04:00'],
    ['2027-07-15', { hour: 8, minute: 0, timeZone: 'America/New_York' }, '12:00'],
    ['2027-01-15', { hour: 8, minute: 0, timeZone: 'America/New_York' }, '13:00'],
  ])('the run on %s at %o is at %s UTC', (date, run, expected) => {
    expect(runTimeUtcOn(date, run)).toBe(expected);
  });

  it('an hour that summer time skips lands on the instant after the change', () => {
    // 02:30 does not exist in Berlin on 2027-03-28; the clock jumps from 02:00 to 03:00 (01:00 UTC).
    expect(runTimeUtcOn('2027-03-28', { hour: 2, minute: 30, timeZone: 'Europe/Berlin' })).toBe('01:30');
  });
});
