import { type RulesConfig } from '../../config/rules-schema';
import { type Owner } from '../model';
import { type PasswordPolicyFacts, type RuleUser } from './rule-facts';
import { type AccountRef } from '../model';

/** A user with its owner resolved once, by `resolveOwner`, for every rule. */
export interface OwnedUser {
  readonly user: RuleUser;
  readonly owner: Owner;
}

/** One account as every per-account rule sees it. */
export interface AccountRuleContext {
  readonly account: AccountRef;
  readonly users: readonly OwnedUser[];
  readonly passwordPolicy?: PasswordPolicyFacts;
  readonly rules: RulesConfig;
  readonly now: Date;
}

/** `type=engineer` as written, whatever the slack-id: the team rules are about people. */
export function isEngineer(owner: Owner): boolean {
  return owner.declaredType?.toLowerCase() === 'engineer';
}
