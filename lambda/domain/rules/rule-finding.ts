import { type AccountRef, type Owner } from '../model';

/**
 * A breach of one of the team's rules beyond key age (issue 10 item 1). Findings are reported and
 * reminded about; they never deactivate anything.
 */
export type RuleId =
  /** An engineer with a console password or an active key and no MFA device. */
  | 'mfa-missing'
  /** A console password older than the rotation period. */
  | 'password-age'
  /** The account's password policy does not make passwords expire within the rotation period. */
  | 'password-policy'
  /** One Slack member on several engineer IAM users. */
  | 'duplicate-person'
  /** An active key never used a week after creation, or not used for months. */
  | 'unused-key';

export interface RuleFinding {
  /**
   * Stable across runs (`rule/account/user[/key]`): the ledger remembers which findings were
   * notified by it, so the same breach is DMed once, not every day.
   */
  readonly id: string;
  readonly rule: RuleId;
  readonly account: AccountRef;
  /** Absent for an account-wide finding (the password policy). */
  readonly userName?: string;
  readonly accessKeyId?: string;
  /** Who is told, for a user's finding. */
  readonly owner?: Owner;
  /** One plain-text sentence naming the facts. */
  readonly summary: string;
  /** What to do about it, plain text. */
  readonly advice: string;
  /** A command that fixes it, when there is one; the enforcer never runs it. */
  readonly command?: string;
}

export function findingId(rule: RuleId, accountId: string, ...parts: readonly string[]): string {
  return [rule, accountId, ...parts].join('/');
}
