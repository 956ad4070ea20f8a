import { GetAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';

import { type PasswordPolicyFacts } from '../../domain/rules/rule-facts';
import { awsErrorCode, awsErrorDetail } from './errors';
import { type AccountIam } from './user-reader';

/**
 * `GetAccountPasswordPolicy`, one call per account, for the password rule (issue 10). IAM answers
 * NoSuchEntity when the account has no policy, which is a fact (passwords never expire), not an
 * error. Any other failure, a role without the action included, only makes the policy unknown:
 * the rule then says so instead of failing the account.
 */
export async function readPasswordPolicy(account: AccountIam): Promise<PasswordPolicyFacts> {
  try {
    const answer = await account.call('iam:GetAccountPasswordPolicy', () =>
      account.iam.send(new GetAccountPasswordPolicyCommand({})),
    );
    const maxAge = answer.PasswordPolicy?.MaxPasswordAge;
    // IAM omits MaxPasswordAge (or sends 0) when passwords never expire.
    return maxAge ? { kind: 'set', maxPasswordAgeDays: maxAge } : { kind: 'set' };
  } catch (error) {
    const code = awsErrorCode(error);
    if (code === 'NoSuchEntity' || code === 'NoSuchEntityException') return { kind: 'none' };
    if (code === 'AccessDenied' || code === 'AccessDeniedException')
      return {
        kind: 'unknown',
        reason: 'iam:GetAccountPasswordPolicy denied: redeploy the member role (StackSet)',
      };
    return {
      kind: 'unknown',
      reason: `iam:GetAccountPasswordPolicy failed: ${code} (${awsErrorDetail(error)})`,
    };
  }
}
