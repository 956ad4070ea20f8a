import { parseConfig } from '../../lambda/config/parse-config';
import { accountFailureFromMessage } from '../../lambda/cli/account-failure';

const config = parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } });
const account = { id: '111111111111', name: 'shared' };
const role = 'arn:aws:iam::111111111111:role/AccessKeyEnforcerMember';

describe('the fix printed under an account the CLI could not read', () => {
  it.each<[string, string]>([
    [
      `account 111111111111: sts:AssumeRole on ${role} failed: AccessDenied (no)`,
      'deploy the member role in 111111111111',
    ],
    [
      `account 111111111111: sts:AssumeRole on ${role} failed: CredentialsProviderError (Could not load credentials from any providers)`,
      'your AWS credentials are missing or expired',
    ],
    [
      `account 111111111111: sts:AssumeRole on ${role} failed: ExpiredToken (expired)`,
      'your AWS credentials are missing or expired',
    ],
    [
      `account 111111111111: iam:ListUsers as ${role} failed: AccessDenied (no)`,
      'lacks iam:ListUsers: redeploy AccessKeyEnforcerMember',
    ],
    [
      `account 111111111111: sts:AssumeRole on ${role} failed: ECONNREFUSED (gave up after 8 attempts)`,
      'AWS could not be reached',
    ],
    ['not started: the run ran out of time', 'the next run reads it again'],
    ['something else entirely', 'doctor checks the role and permissions'],
  ])('%s → %s', (message, fix) => {
    expect(accountFailureFromMessage(account, message, config).fix).toContain(fix);
  });

  it('names the account once, with its name', () => {
    const failure = accountFailureFromMessage(
      account,
      `account 111111111111: sts:AssumeRole on ${role} failed: AccessDenied (no)`,
      config,
    );

    expect(failure.line).toBe(
      `account 111111111111 (shared): sts:AssumeRole on ${role} failed: AccessDenied (no)`,
    );
    expect(failure.detail).toBe(`sts:AssumeRole on ${role} failed: AccessDenied (no)`);
  });
});
