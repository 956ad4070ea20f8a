import { parseConfig } from '../../../lambda/config/parse-config';
import { RulesSchema } from '../../../lambda/config/rules-schema';
import { TagKeysSchema } from '../../../lambda/config/schema';
import { evaluateRules } from '../../../lambda/domain/rules/evaluate-rules';
import { type RuleAccount } from '../../../lambda/domain/rules/rule-facts';
import { deleteKeyCommand } from '../../../lambda/domain/rules/unused-key-rule';
import { accountA, accountB, NOW, reportRows, REPORT_A, RULES } from './rule-fixtures';

const TAGS = TagKeysSchema.parse({});

function findings(accounts: readonly RuleAccount[], rules = RULES, now = NOW) {
  return evaluateRules({ accounts, rules, tags: TAGS, now });
}

function idsOf(accounts: readonly RuleAccount[], rules = RULES): string[] {
  return findings(accounts, rules).map((f) => f.id);
}

describe('the credential report fixture', () => {
  it("parses IAM's N/A, no_information and not_supported cells as absent facts", () => {
    const rows = new Map(reportRows(REPORT_A).map((row) => [row.userName, row]));
    expect(rows.has('<root_account>')).toBe(false);
    expect(rows.get('bob')).toMatchObject({ passwordEnabled: false, mfaActive: false });
    expect(rows.get('bob')?.passwordLastChanged).toBeUndefined();
    expect(rows.get('bob')?.keys[0].lastUsed).toBeUndefined();
    expect(rows.get('erin')).toMatchObject({ passwordEnabled: true });
    expect(rows.get('erin')?.passwordLastChanged).toBeUndefined();
  });
});

describe('evaluateRules over two accounts', () => {
  it('finds exactly the breaches in the fixtures, in a stable order', () => {
    expect(idsOf([accountA(), accountB()])).toEqual([
      'duplicate-person/111111111111/alice',
      'mfa-missing/111111111111/alice',
      'mfa-missing/111111111111/bob',
      'mfa-missing/111111111111/erin',
      'password-age/111111111111/alice',
      'password-policy/111111111111',
      'unused-key/111111111111/bob/AKIABOB000000000001',
      'unused-key/111111111111/carol/AKIACAROL0000000001',
      'duplicate-person/222222222222/alice-b',
      'duplicate-person/222222222222/gina',
      'duplicate-person/222222222222/gina-admin',
    ]);
  });

  it('is the same on a second evaluation (stable ids for the ledger)', () => {
    expect(findings([accountA(), accountB()])).toEqual(findings([accountA(), accountB()]));
  });

  it('says what was found, for whom, and the exact delete command for an unused key', () => {
    const byId = new Map(findings([accountA(), accountB()]).map((f) => [f.id, f]));
    expect(byId.get('mfa-missing/111111111111/alice')).toMatchObject({
      summary: 'alice has a console password and 1 active key(s) but no MFA device',
      owner: { slackId: 'U0ALICE01', userClass: 'engineer' },
    });
    expect(byId.get('password-age/111111111111/alice')?.summary).toBe(
      "alice's console password is 151 days old (rotation every 90 days); the account has no password policy, so passwords never expire",
    );
    expect(byId.get('unused-key/111111111111/bob/AKIABOB000000000001')).toMatchObject({
      accessKeyId: 'AKIABOB000000000001',
      summary: 'key AKIABOB000000000001 of bob is active and has never been used in 27 days',
      command: 'aws iam delete-access-key --user-name bob --access-key-id AKIABOB000000000001',
    });
    expect(byId.get('unused-key/111111111111/carol/AKIACAROL0000000001')?.summary).toBe(
      'key AKIACAROL0000000001 of carol is active and was last used 119 days ago (2026-11-01)',
    );
    expect(byId.get('duplicate-person/222222222222/gina')?.summary).toBe(
      'Slack member U0GINA001 has 2 IAM users: dev/gina, dev/gina-admin',
    );
    expect(byId.get('password-policy/111111111111')).toMatchObject({
      command: 'aws iam update-account-password-policy --max-password-age 90',
    });
  });

  it('leaves machine users, inactive keys and keys under a week old alone', () => {
    const ids = idsOf([accountA()]);
    expect(ids.filter((id) => id.includes('deploy-bot') || id.includes('frank'))).toEqual([]);
    expect(ids).not.toContain('unused-key/111111111111/carol/AKIACAROL0000000002');
  });

  it('names a password policy that enforces MaxPasswordAge, and finds no policy problem then', () => {
    const all = findings([accountA({ kind: 'set', maxPasswordAgeDays: 90 })]);
    expect(all.find((f) => f.rule === 'password-age')?.summary).toMatch(
      /the password policy enforces MaxPasswordAge 90$/,
    );
    expect(all.some((f) => f.rule === 'password-policy')).toBe(false);
  });

  it.each([
    [{ kind: 'set' as const }, 'the password policy sets no MaxPasswordAge'],
    [
      { kind: 'set' as const, maxPasswordAgeDays: 180 },
      "the password policy's MaxPasswordAge is 180 days, more than 90",
    ],
  ])('flags a policy that does not expire passwords in time: %j', (policy, phrase) => {
    const finding = findings([accountA(policy)]).find((f) => f.rule === 'password-policy');
    expect(finding?.summary).toBe(`3 user(s) have a console password and ${phrase}`);
  });

  it('says when the password policy could not be read, without an account finding', () => {
    const all = findings([accountA({ kind: 'unknown', reason: 'iam:GetAccountPasswordPolicy denied' })]);
    expect(all.some((f) => f.rule === 'password-policy')).toBe(false);
    expect(all.find((f) => f.rule === 'password-age')?.summary).toMatch(
      /the password policy could not be read \(iam:GetAccountPasswordPolicy denied\)$/,
    );
  });

  it('runs only the enabled rules, with their thresholds', () => {
    const rules = RulesSchema.parse({
      mfa: { enabled: false },
      passwordAge: { enabled: false },
      duplicatePerson: { enabled: false },
      unusedKeys: { neverUsedAfterDays: 30, unusedForDays: 150 },
    });
    expect(idsOf([accountA(), accountB()], rules)).toEqual([]);
    const longer = RulesSchema.parse({ passwordAge: { maxAgeDays: 200 } });
    expect(idsOf([accountA()], longer).filter((id) => id.startsWith('password'))).toEqual([
      'password-policy/111111111111',
    ]);
  });

  it('does not judge what the report does not say: no row, no judgement', () => {
    const withoutReport: RuleAccount = {
      ...accountA(),
      users: accountA().users.map(({ report: _report, ...user }) => user),
    };
    expect(idsOf([withoutReport, accountB()]).filter((id) => id.includes('111111111111'))).toEqual([
      'duplicate-person/111111111111/alice',
    ]);
  });

  it('uses a last use read live when the report has none', () => {
    const a = accountA();
    const users = a.users.map((user) =>
      user.userName === 'bob'
        ? { ...user, keys: user.keys.map((k) => ({ ...k, lastUsedDate: new Date('2027-02-27T00:00:00Z') })) }
        : user,
    );
    expect(idsOf([{ ...a, users }])).not.toContain('unused-key/111111111111/bob/AKIABOB000000000001');
  });
});

describe('deleteKeyCommand', () => {
  it('quotes a user name the shell would split', () => {
    expect(deleteKeyCommand("o'brien x", 'AKIA1')).toBe(
      "aws iam delete-access-key --user-name 'o'\\''brien x' --access-key-id AKIA1",
    );
  });
});

describe('rules config', () => {
  it('names the field of a bad value', () => {
    const result = RulesSchema.safeParse({ unusedKeys: { unusedForDays: 0 }, remindEveryDays: 'weekly' });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['unusedKeys.unusedForDays', 'remindEveryDays']));
  });

  it('refuses an unknown rule', () => {
    expect(RulesSchema.safeParse({ mfaa: {} }).error?.issues[0]?.code).toBe('unrecognized_keys');
  });
});

describe('the rules section in the engine config', () => {
  const base = { accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } };

  it('is absent by default: no rule runs', () => {
    expect(parseConfig(base).rules).toBeUndefined();
  });

  it('turns every rule on with its defaults from {}', () => {
    expect(parseConfig({ ...base, rules: {} }).rules).toEqual(RULES);
  });

  it('names the field of each bad value in the config error', () => {
    expect(() => parseConfig({ ...base, rules: { unusedKeys: { unusedForDays: 0 }, mfaa: {} } })).toThrow(
      /rules\.unusedKeys\.unusedForDays: Too small: expected number to be >=1\n {2}- rules: Unrecognized key: "mfaa"/,
    );
  });
});
