import { parseConfig } from '../../../lambda/config/parse-config';
import { type EnforcerConfig } from '../../../lambda/config/schema';
import { decideAccount } from '../../../lambda/domain/account-policy';
import { DAY_MS } from '../../../lambda/domain/dates';
import { accountKeyFacts } from '../../../lambda/domain/digest/account-key-facts';
import { type AccountWeek, type WeeklyDigestInput } from '../../../lambda/domain/digest/weekly-digest';
import { type WeeklySnapshot } from '../../../lambda/domain/digest/weekly-snapshot';
import { type KeyRecord } from '../../../lambda/domain/ledger-records';
import { type MessageContext } from '../../../lambda/domain/messages';
import { type AccountRef, type AccountScan, type IamUserSnapshot } from '../../../lambda/domain/model';
import { type RuleFinding } from '../../../lambda/domain/rules/rule-finding';

/** Monday 2027-03-15, the week's digest day, at the daily run's 09:00 UTC. */
export const NOW = new Date('2027-03-15T09:00:00.000Z');
export const TODAY = '2027-03-15';

export const PROD: AccountRef = { id: '111111111111', name: 'prod' };
export const STAGING: AccountRef = { id: '222222222222', name: 'staging' };
export const SANDBOX: AccountRef = { id: '333333333333', name: 'sandbox' };

export const config: EnforcerConfig = parseConfig({
  accounts: [PROD, STAGING, SANDBOX],
  slack: { infraChannel: 'C0INFRA01' },
  rules: {},
});

export function context(overrides: Partial<MessageContext> = {}): MessageContext {
  return {
    today: TODAY,
    runTimeUtc: '09:00',
    rotation: config.rotation,
    policy: config.policy,
    ...overrides,
  };
}

let keySerial = 0;

/** A key `ageDays` old at {@link NOW}, created an hour before that day's run. */
export function key(ageDays: number, status: 'Active' | 'Inactive' = 'Active') {
  keySerial += 1;
  return {
    accessKeyId: `AKIA${String(keySerial).padStart(16, '0')}`,
    status,
    createDate: new Date(NOW.getTime() - ageDays * DAY_MS - 3_600_000),
  };
}

export function user(
  userName: string,
  tags: Record<string, string>,
  keys: IamUserSnapshot['keys'],
): IamUserSnapshot {
  return { userName, tags, keys };
}

export function engineer(slackId: string, fullName: string): Record<string, string> {
  return { type: 'engineer', 'slack-id': slackId, 'full-name': fullName };
}

/** Ledger records of keys reminded at every milestone, the last notice on `noticeOn`. */
function reminded(account: AccountRef, userName: string, k: ReturnType<typeof key>, noticeOn: string) {
  const record: KeyRecord = {
    accountId: account.id,
    accessKeyId: k.accessKeyId,
    userName,
    createdAt: k.createDate.toISOString(),
    version: 4,
    firstSeenOn: '2026-12-01',
    newKeyAlert: 'baseline',
    milestones: {
      '76': { outcome: 'sent', on: '2027-02-22', deliveredTo: 'owner' },
      '81': { outcome: 'sent', on: '2027-02-27', deliveredTo: 'owner' },
      '86': { outcome: 'sent', on: noticeOn, deliveredTo: 'owner' },
    },
    noticeDeliveredOn: '2027-02-22',
  };
  return record;
}

/** One account's week the way the plan step and the rules leave it. */
function week(
  account: AccountRef,
  scan: AccountScan,
  records: readonly KeyRecord[],
  findings: readonly RuleFinding[],
): AccountWeek {
  const ledger = { keys: records };
  const plan = decideAccount({ account, scan, ledger, config, now: NOW });
  return {
    account,
    keys: accountKeyFacts({ account, scan, ledger, config, now: NOW }),
    exemptions: plan.exemptions,
    problems: plan.problems,
    findings,
  };
}

function finding(
  overrides: Partial<RuleFinding> & Pick<RuleFinding, 'id' | 'rule' | 'account'>,
): RuleFinding {
  return { summary: '', advice: '', ...overrides };
}

/**
 * Three accounts in a week: prod has an exempt overdue key and an overdue machine key, staging a
 * key in the reminder window and an untagged user, sandbox only young keys and an unused one.
 */
export function threeAccountWeek(): WeeklyDigestInput {
  keySerial = 0;
  const exempt = key(96);
  const prod = week(
    PROD,
    {
      users: [
        user('alice', engineer('U0ALICE01', 'Alice Example'), [key(5)]),
        user('bob', engineer('U0BOB0001', 'Bob Builder'), [key(12), key(40, 'Inactive')]),
        user('carol', engineer('U0CAROL01', 'Carol Chen'), [key(70)]),
        user('dave', engineer('U0DAVE001', 'Dave Davis'), [key(78)]),
        user('erin', { ...engineer('U0ERIN001', 'Erin Evans'), 'key-rotation-exempt-until': '2027-03-25' }, [
          exempt,
        ]),
        user(
          'ci-deployer',
          { type: 'machine', 'slack-id': 'U0PLATFORM', 'full-name': 'CI <deploy> & release' },
          [key(120)],
        ),
      ],
      failedUsers: [],
    },
    [reminded(PROD, 'erin', exempt, '2027-02-27')],
    [
      finding({
        id: 'mfa-missing/111111111111/bob',
        rule: 'mfa-missing',
        account: PROD,
        userName: 'bob',
        summary: 'bob has a console password but no MFA device',
      }),
    ],
  );
  const staging = week(
    STAGING,
    {
      users: [
        user('frank', engineer('U0FRANK01', 'Frank Foster'), [key(10)]),
        user('grace', engineer('U0GRACE01', 'Grace Hopper'), [key(33), key(64)]),
        user('heidi', engineer('U0HEIDI01', 'Heidi Klum'), [key(88)]),
        user('legacy-batch', {}, [key(20)]),
      ],
      failedUsers: [],
    },
    [],
    [],
  );
  const sandbox = week(
    SANDBOX,
    {
      users: [
        user('ivan', engineer('U0IVAN001', 'Ivan Petrov'), [key(2)]),
        user('judy', engineer('U0JUDY001', 'Judy Garland'), [key(29)]),
      ],
      failedUsers: [],
    },
    [],
    [
      finding({
        id: 'unused-key/333333333333/judy/AKIA0000000000000017',
        rule: 'unused-key',
        account: SANDBOX,
        userName: 'judy',
        accessKeyId: 'AKIA0000000000000017',
        summary: 'key AKIA0000000000000017 of judy is active and has never been used in 29 days',
      }),
    ],
  );
  return { today: TODAY, accounts: [prod, staging, sandbox], rulesChecked: true, previous: lastWeek() };
}

/** What last Monday's digest showed: prod had one more overdue key, sandbox no finding. */
export function lastWeek(): WeeklySnapshot {
  return {
    on: '2027-03-08',
    totals: { activeKeys: 14, compliant: 11, overdue: 3, exemptions: 1, findings: 1 },
    accounts: {
      [PROD.id]: { activeKeys: 7, compliant: 4, overdue: 3, exemptions: 1, findings: 1 },
      [STAGING.id]: { activeKeys: 5, compliant: 5, overdue: 0, exemptions: 0, findings: 0 },
      [SANDBOX.id]: { activeKeys: 2, compliant: 2, overdue: 0, exemptions: 0, findings: 0 },
    },
  };
}
