import { ENV } from '../../lambda/config/environment';
import { runTimeFromEnvironment } from '../../lambda/runtime/run-schedule-env';

describe('runTimeFromEnvironment', () => {
  it('reads the schedule the stack sets', () => {
    const env = {
      [ENV.runSchedule]: JSON.stringify({ cron: 'cron(0 8 * * ? *)', timeZone: 'Europe/Berlin' }),
    };

    expect(runTimeFromEnvironment(env)).toEqual({ hour: 8, minute: 0, timeZone: 'Europe/Berlin' });
  });

  it.each([
    ['absent', undefined],
    ['not JSON', 'cron(0 8 * * ? *)'],
    ['missing the zone', JSON.stringify({ cron: 'cron(0 8 * * ? *)' })],
    ['several runs a day', JSON.stringify({ cron: 'cron(0 8,20 * * ? *)', timeZone: 'Etc/UTC' })],
  ])('falls back to the run time of day when %s', (_name, value) => {
    expect(runTimeFromEnvironment(value === undefined ? {} : { [ENV.runSchedule]: value })).toBeUndefined();
  });
});
