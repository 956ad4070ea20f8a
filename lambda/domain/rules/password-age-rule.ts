import { wholeDaysBetween } from '../dates';
import { type PasswordPolicyFacts } from './rule-facts';
import { findingId, type RuleFinding } from './rule-finding';
import { type AccountRuleContext } from './rule-context';

/**
 * Console passwords rotate like keys: a password whose `password_last_changed` is older than
 * `maxAgeDays` is a finding. A password the report cannot date (`N/A`, `no_information`) is not
 * judged. The account's own policy is a finding of its own when users have passwords and it does
 * not make them expire within the period, because then nothing but this reminder rotates them.
 */
export function passwordAgeFindings(ctx: AccountRuleContext): RuleFinding[] {
  const { maxAgeDays } = ctx.rules.passwordAge;
  const enforced = policyEnforces(ctx.passwordPolicy, maxAgeDays);
  const findings: RuleFinding[] = [];
  let passwords = 0;
  for (const { user, owner } of ctx.users) {
    const row = user.report;
    if (row?.passwordEnabled !== true) continue;
    passwords += 1;
    if (!row.passwordLastChanged) continue;
    const age = wholeDaysBetween(row.passwordLastChanged, ctx.now);
    if (age <= maxAgeDays) continue;
    findings.push({
      id: findingId('password-age', ctx.account.id, user.userName),
      rule: 'password-age',
      account: ctx.account,
      userName: user.userName,
      owner,
      summary: `${user.userName}'s console password is ${age} days old (rotation every ${maxAgeDays} days); ${policyPhrase(ctx.passwordPolicy, maxAgeDays)}`,
      advice:
        'Change the console password (AWS console > your name > Security credentials > Update console password).',
    });
  }
  if (passwords > 0 && enforced === false) {
    findings.push({
      id: findingId('password-policy', ctx.account.id),
      rule: 'password-policy',
      account: ctx.account,
      summary: `${passwords} user(s) have a console password and ${policyPhrase(ctx.passwordPolicy, maxAgeDays)}`,
      advice: `Set MaxPasswordAge to ${maxAgeDays} days or less in the account's password policy.`,
      command: `aws iam update-account-password-policy --max-password-age ${maxAgeDays}`,
    });
  }
  return findings;
}

/** Whether IAM itself expires passwords within `maxAgeDays`; undefined when it could not be read. */
export function policyEnforces(
  policy: PasswordPolicyFacts | undefined,
  maxAgeDays: number,
): boolean | undefined {
  if (!policy || policy.kind === 'unknown') return undefined;
  return (
    policy.kind === 'set' &&
    policy.maxPasswordAgeDays !== undefined &&
    policy.maxPasswordAgeDays <= maxAgeDays
  );
}

function policyPhrase(policy: PasswordPolicyFacts | undefined, maxAgeDays: number): string {
  if (!policy) return 'the password policy was not read';
  switch (policy.kind) {
    case 'unknown':
      return `the password policy could not be read (${policy.reason})`;
    case 'none':
      return 'the account has no password policy, so passwords never expire';
    case 'set':
      if (policy.maxPasswordAgeDays === undefined) return 'the password policy sets no MaxPasswordAge';
      return policy.maxPasswordAgeDays <= maxAgeDays
        ? `the password policy enforces MaxPasswordAge ${policy.maxPasswordAgeDays}`
        : `the password policy's MaxPasswordAge is ${policy.maxPasswordAgeDays} days, more than ${maxAgeDays}`;
  }
}
