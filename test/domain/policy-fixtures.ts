import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig, type EnforcerConfigInput } from '../../lambda/config/schema';
import { addDays, utcDate } from '../../lambda/domain/dates';
import { type AccountLedger, type KeyRecord, type MilestoneRecord } from '../../lambda/domain/ledger-records';
import { type AccessKeyInfo, type AccountRef, type IamUserSnapshot } from '../../lambda/domain/model';

/** Keys in these tests are created at 09:00 UTC on CREATED; runs happen at 10:00 UTC. */
export const CREATED = '2027-01-01';
export const ACCOUNT: AccountRef = { id: '111111111111', name: 'prod' };
export const KEY_ID = 'AKIAAAAAAAAAAAAAAAA1';

export function testConfig(overrides: Partial<EnforcerConfigInput> = {}): EnforcerConfig {
  return parseConfig({
    accounts: [{ id: ACCOUNT.id, name: ACCOUNT.name }],
    slack: { infraChannel: 'C0INFRA01' },
    ...overrides,
  });
}

/** The instant of a run on the day the key is `age` days old. */
export function onDay(age: number): Date {
  return new Date(`${addDays(CREATED, age)}T10:00:00.000Z`);
}

export function dateOnDay(age: number): string {
  return utcDate(onDay(age));
}

export function key(overrides: Partial<AccessKeyInfo> = {}): AccessKeyInfo {
  return {
    accessKeyId: KEY_ID,
    status: 'Active',
    createDate: new Date(`${CREATED}T09:00:00.000Z`),
    ...overrides,
  };
}

export function engineer(overrides: Partial<IamUserSnapshot> = {}): IamUserSnapshot {
  return {
    userName: 'alice',
    tags: { type: 'engineer', 'slack-id': 'U0ALICE01', 'full-name': 'Alice Example' },
    keys: [key()],
    ...overrides,
  };
}

export function sent(age: number, deliveredTo: MilestoneRecord['deliveredTo'] = 'owner'): MilestoneRecord {
  return { outcome: 'sent', on: dateOnDay(age), deliveredTo };
}

export function skipped(age: number): MilestoneRecord {
  return { outcome: 'skipped', on: dateOnDay(age) };
}

export function record(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    accountId: ACCOUNT.id,
    accessKeyId: KEY_ID,
    userName: 'alice',
    createdAt: `${CREATED}T09:00:00.000Z`,
    version: 1,
    firstSeenOn: CREATED,
    newKeyAlert: 'sent',
    milestones: {},
    ...overrides,
  };
}

/** An account whose first scan happened on CREATED, with no key records yet. */
export const BASELINED: AccountLedger = {
  account: { accountId: ACCOUNT.id, version: 1, baselinedOn: CREATED },
  keys: [],
};
