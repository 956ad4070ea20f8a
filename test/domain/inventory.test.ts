import { buildInventory, keyState } from '../../lambda/domain/inventory';
import { type AccountLedger } from '../../lambda/domain/ledger-records';
import { type IamUserSnapshot } from '../../lambda/domain/model';
import {
  ACCOUNT,
  BASELINED,
  dateOnDay,
  engineer,
  key,
  onDay,
  record,
  sent,
  testConfig,
} from './policy-fixtures';

const config = testConfig();
function rowOn(age: number, user: IamUserSnapshot = engineer(), ledger: AccountLedger = BASELINED) {
  const { rows } = buildInventory({
    account: ACCOUNT,
    scan: { users: [user], failedUsers: [] },
    ledger,
    config,
    now: onDay(age),
  });
  return rows[0];
}

describe('buildInventory: what scan says will happen next', () => {
  it.each<[number, string, object]>([
    [10, 'ok', { action: 'remind', milestone: 76, date: dateOnDay(76) }],
    [76, 'warning', { action: 'remind', milestone: 76, date: dateOnDay(76) }],
    [95, 'overdue', { action: 'final-notice', date: dateOnDay(95) }],
  ])('age %i: state %s, next %j', (age, state, next) => {
    expect(rowOn(age)).toMatchObject({ ageDays: age, state, next });
  });

  it('names the next reminder after the ones already sent, from the ledger', () => {
    const ledger = {
      ...BASELINED,
      keys: [record({ milestones: { '76': sent(76) }, noticeDeliveredOn: dateOnDay(76) })],
    };
    expect(rowOn(78, engineer(), ledger)).toMatchObject({
      next: { action: 'remind', milestone: 81, date: dateOnDay(81) },
      deadline: dateOnDay(91),
    });
  });

  it('shows no next step or deadline for an inactive key', () => {
    const row = rowOn(120, engineer({ keys: [key({ status: 'Inactive' })] }));
    expect(row).toMatchObject({ state: 'ok', status: 'Inactive' });
    expect(row?.next).toBeUndefined();
    expect(row?.deadline).toBeUndefined();
  });

  it('gives machine users no deadline, since they are not deactivated by default', () => {
    expect(rowOn(80, engineer({ tags: { type: 'machine' } }))?.deadline).toBeUndefined();
  });

  it('reports bad tags as problems, the same words as a run', () => {
    const { problems } = buildInventory({
      account: ACCOUNT,
      scan: { users: [engineer({ tags: { type: 'robot' } })], failedUsers: [] },
      ledger: BASELINED,
      config,
      now: onDay(1),
    });
    expect(problems).toEqual([expect.objectContaining({ code: 'unknown-type' })]);
  });

  it.each<['Active' | 'Inactive', number, string]>([
    ['Active', 75, 'ok'],
    ['Active', 76, 'warning'],
    ['Active', 90, 'warning'],
    ['Active', 91, 'overdue'],
    ['Inactive', 400, 'ok'],
  ])('keyState(%s, %i) is %s', (status, age, state) => {
    expect(keyState(status, age, config.policy)).toBe(state);
  });
});
