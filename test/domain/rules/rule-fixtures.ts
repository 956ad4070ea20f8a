import { parseCredentialReportCsv } from '../../../lambda/adapters/aws/credential-report-csv';
import { RulesSchema } from '../../../lambda/config/rules-schema';
import { type CredentialReportRow } from '../../../lambda/domain/inventory-read';
import { type AccessKeyInfo, type IamUserSnapshot } from '../../../lambda/domain/model';
import {
  type PasswordPolicyFacts,
  type RuleAccount,
  ruleUsers,
} from '../../../lambda/domain/rules/rule-facts';

/** The rules' decision time in every fixture. */
export const NOW = new Date('2027-03-01T09:00:00.000Z');
export const RULES = RulesSchema.parse({});

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,' +
  'access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,' +
  'cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** IAM's credential report for account A, with its `N/A`, `no_information` and `not_supported` cells. */
export const REPORT_A = [
  HEADER,
  '<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,2026-01-01T00:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // Password 151 days old, no MFA, a key in use.
  'alice,arn:aws:iam::111111111111:user/alice,2025-01-01T00:00:00+00:00,true,2027-02-28T10:00:00+00:00,2026-10-01T08:00:00+00:00,N/A,false,true,2026-12-01T10:00:00+00:00,2027-02-28T11:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // No password, no MFA, a key never used (N/A) in 28 days.
  'bob,arn:aws:iam::111111111111:user/bob,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2027-02-01T10:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // MFA, recent password, a key last used 120 days ago and an inactive one.
  'carol,arn:aws:iam::111111111111:user/carol,2025-01-01T00:00:00+00:00,true,no_information,2027-01-15T08:00:00+00:00,N/A,true,true,2026-06-01T10:00:00+00:00,2026-11-01T10:00:00+00:00,eu-west-1,iam,false,2026-05-01T10:00:00+00:00,2026-05-02T10:00:00+00:00,eu-west-1,s3,false,N/A,false,N/A',
  // A machine user: no MFA expected of it.
  'deploy-bot,arn:aws:iam::111111111111:user/deploy-bot,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-12-20T10:00:00+00:00,2027-02-28T23:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // Password the report cannot date (no_information), no MFA.
  'erin,arn:aws:iam::111111111111:user/erin,2025-01-01T00:00:00+00:00,true,no_information,no_information,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  // MFA, a key created two days ago and not used yet: not unused yet.
  'frank,arn:aws:iam::111111111111:user/frank,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,true,2027-02-27T10:00:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');

/** Account B: alice again (same slack-id), and gina with two users. */
export const REPORT_B = [
  HEADER,
  'alice-b,arn:aws:iam::222222222222:user/alice-b,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  'gina,arn:aws:iam::222222222222:user/gina,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
  'gina-admin,arn:aws:iam::222222222222:user/gina-admin,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
].join('\n');

export function reportRows(csv: string): readonly CredentialReportRow[] {
  const parsed = parseCredentialReportCsv(csv);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.rows;
}

const engineer = (slackId: string): Record<string, string> => ({ type: 'engineer', 'slack-id': slackId });

function key(id: string, created: string, status: AccessKeyInfo['status'] = 'Active'): AccessKeyInfo {
  return { accessKeyId: id, status, createDate: new Date(created) };
}

export const USERS_A: readonly IamUserSnapshot[] = [
  {
    userName: 'alice',
    tags: engineer('U0ALICE01'),
    keys: [key('AKIAALICE0000000001', '2026-12-01T10:00:00.000Z')],
  },
  {
    userName: 'bob',
    tags: engineer('U0BOB0001'),
    keys: [key('AKIABOB000000000001', '2027-02-01T10:00:00.000Z')],
  },
  {
    userName: 'carol',
    tags: engineer('U0CAROL01'),
    keys: [
      key('AKIACAROL0000000001', '2026-06-01T10:00:00.000Z'),
      key('AKIACAROL0000000002', '2026-05-01T10:00:00.000Z', 'Inactive'),
    ],
  },
  {
    userName: 'deploy-bot',
    tags: { type: 'machine', 'slack-id': 'U0CAROL01' },
    keys: [key('AKIADEPLOY000000001', '2026-12-20T10:00:00.000Z')],
  },
  { userName: 'erin', tags: engineer('U0ERIN001'), keys: [] },
  {
    userName: 'frank',
    tags: engineer('U0FRANK01'),
    keys: [key('AKIAFRANK0000000001', '2027-02-27T10:00:00.000Z')],
  },
];

export const USERS_B: readonly IamUserSnapshot[] = [
  { userName: 'alice-b', tags: engineer('U0ALICE01'), keys: [] },
  { userName: 'gina', tags: engineer('U0GINA001'), keys: [] },
  { userName: 'gina-admin', tags: engineer('U0GINA001'), keys: [] },
];

const asInventory = (rows: readonly CredentialReportRow[]) =>
  rows.map((report) => ({ userName: report.userName, tags: {}, report }));

export function accountA(passwordPolicy: PasswordPolicyFacts = { kind: 'none' }): RuleAccount {
  return {
    account: { id: '111111111111', name: 'prod' },
    users: ruleUsers(USERS_A, asInventory(reportRows(REPORT_A))),
    passwordPolicy,
  };
}

export function accountB(
  passwordPolicy: PasswordPolicyFacts = { kind: 'set', maxPasswordAgeDays: 90 },
): RuleAccount {
  return {
    account: { id: '222222222222', name: 'dev' },
    users: ruleUsers(USERS_B, asInventory(reportRows(REPORT_B))),
    passwordPolicy,
  };
}
