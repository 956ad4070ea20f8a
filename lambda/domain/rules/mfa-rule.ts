import { findingId, type RuleFinding } from './rule-finding';
import { type AccountRuleContext, isEngineer } from './rule-context';

/**
 * Engineers may only assume roles with MFA: an engineer user with a console password or an
 * active key and no MFA device (`mfa_active` false in the credential report) is a finding. A user
 * the report does not have yet (created after it) is judged on the next report.
 */
export function mfaFindings(ctx: AccountRuleContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const { user, owner } of ctx.users) {
    const row = user.report;
    if (!row || row.mfaActive || !isEngineer(owner)) continue;
    const activeKeys = user.keys.filter((key) => key.status === 'Active').length;
    const password = row.passwordEnabled === true;
    if (!password && activeKeys === 0) continue;
    const has = [password ? 'a console password' : '', activeKeys > 0 ? `${activeKeys} active key(s)` : '']
      .filter(Boolean)
      .join(' and ');
    findings.push({
      id: findingId('mfa-missing', ctx.account.id, user.userName),
      rule: 'mfa-missing',
      account: ctx.account,
      userName: user.userName,
      owner,
      summary: `${user.userName} has ${has} but no MFA device`,
      advice:
        'Assign an MFA device to the user (IAM console > Users > Security credentials > Assign MFA device).',
    });
  }
  return findings;
}
