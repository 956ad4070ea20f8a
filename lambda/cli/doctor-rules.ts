import { type EnforcerConfig } from '../config/schema';
import { type AccountRef, type AccountScan } from '../domain/model';
import { evaluateRules } from '../domain/rules/evaluate-rules';
import { gatherRuleAccount } from '../engine/rule-findings';
import { type AccountReader } from '../ports';
import { mapWithConcurrency } from '../util/concurrency';

/** One line of `doctor`'s output (the command's own type, restated to keep this file standalone). */
export interface RuleCheck {
  readonly verdict: 'ok' | 'warn' | 'fail';
  readonly text: string;
  readonly fix?: string;
}

/** What the `rules` section turns on, so a reader knows what the findings below are judged by. */
export function rulesConfigChecks(config: EnforcerConfig): RuleCheck[] {
  const rules = config.rules;
  if (!rules)
    return [{ verdict: 'ok', text: 'off (no rules section): only key age and second keys are checked' }];
  const on = (enabled: boolean, text: string): RuleCheck => ({
    verdict: 'ok',
    text: `${enabled ? 'on ' : 'off'} ${text}`,
  });
  return [
    on(rules.mfa.enabled, 'mfa: engineers with a console password or an active key need an MFA device'),
    on(
      rules.passwordAge.enabled,
      `passwordAge: console passwords older than ${rules.passwordAge.maxAgeDays} days; the password policy should enforce MaxPasswordAge`,
    ),
    on(rules.duplicatePerson.enabled, 'duplicatePerson: one slack-id on one engineer IAM user only'),
    on(
      rules.unusedKeys.enabled,
      `unusedKeys: active keys never used after ${rules.unusedKeys.neverUsedAfterDays} days or unused for ${rules.unusedKeys.unusedForDays}`,
    ),
    {
      verdict: 'ok',
      text: rules.notifyOwners
        ? `owners get one DM per new finding, a reminder every ${rules.remindEveryDays} days; nothing is deactivated for a finding`
        : 'owners get no DMs (notifyOwners false); findings show in scan and the run report only',
    },
  ];
}

/** Today's findings over the accounts doctor could read, each with what to do about it. */
export async function ruleFindingChecks(
  config: EnforcerConfig,
  scans: readonly { readonly account: AccountRef; readonly scan: AccountScan }[],
  reader: AccountReader,
  now: Date,
): Promise<RuleCheck[]> {
  const rules = config.rules;
  if (!rules) return [];
  const gathered = await mapWithConcurrency(scans, config.accountConcurrency, (read) =>
    gatherRuleAccount(read, reader, rules),
  );
  const checks: RuleCheck[] = gathered.flatMap((g) =>
    g.notes.map((note) => ({
      verdict: 'warn' as const,
      text: note,
      fix: 'redeploy the member role (StackSet): it needs the credential report actions and iam:GetAccountPasswordPolicy',
    })),
  );
  const findings = evaluateRules({ accounts: gathered.map((g) => g.facts), rules, tags: config.tags, now });
  for (const finding of findings)
    checks.push({
      verdict: 'warn',
      text: `${finding.rule} in ${finding.account.name}: ${finding.summary}`,
      fix: finding.command ? `${finding.advice.replace(/[.:]$/, '')}: ${finding.command}` : finding.advice,
    });
  if (checks.length === 0) checks.push({ verdict: 'ok', text: 'no rule findings' });
  return checks;
}
