import { type RulesConfig } from '../../config/rules-schema';
import { type TagKeys } from '../../config/schema';
import { resolveOwner } from '../owner';
import { duplicatePersonFindings } from './duplicate-person-rule';
import { mfaFindings } from './mfa-rule';
import { passwordAgeFindings } from './password-age-rule';
import { type RuleAccount } from './rule-facts';
import { type AccountRuleContext } from './rule-context';
import { type RuleFinding } from './rule-finding';
import { unusedKeyFindings } from './unused-key-rule';
import { compareText } from '../text-order';

export interface RulesInput {
  /** Every account read in this run: one person's users may be spread over several. */
  readonly accounts: readonly RuleAccount[];
  readonly rules: RulesConfig;
  readonly tags: TagKeys;
  readonly now: Date;
}

/**
 * Every enabled rule over every account, as a pure function: same facts, same findings, in a
 * stable order (account, then rule, then user). Owners are resolved by the same `resolveOwner` as
 * the key policy, so a finding's owner is the key reminders' owner.
 */
export function evaluateRules(input: RulesInput): RuleFinding[] {
  const contexts: AccountRuleContext[] = input.accounts.map((a) => ({
    account: a.account,
    users: a.users.map((user) => ({ user, owner: resolveOwner(a.account, user, input.tags).owner })),
    ...(a.passwordPolicy ? { passwordPolicy: a.passwordPolicy } : {}),
    rules: input.rules,
    now: input.now,
  }));
  const { rules } = input;
  const findings: RuleFinding[] = [];
  for (const ctx of contexts) {
    if (rules.mfa.enabled) findings.push(...mfaFindings(ctx));
    if (rules.passwordAge.enabled) findings.push(...passwordAgeFindings(ctx));
    if (rules.unusedKeys.enabled) findings.push(...unusedKeyFindings(ctx));
  }
  if (rules.duplicatePerson.enabled) findings.push(...duplicatePersonFindings(contexts));
  return findings.sort(
    (a, b) =>
      compareText(a.account.id, b.account.id) || compareText(a.rule, b.rule) || compareText(a.id, b.id),
  );
}
