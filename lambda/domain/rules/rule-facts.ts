import { type CredentialReportRow, type InventoryUser, type ReportKeySlot } from '../inventory-read';
import { type AccessKeyInfo, type AccountRef, type IamUserSnapshot } from '../model';

/**
 * What the rules read about an account, as plain data: each user's tags and live keys, its
 * credential-report row (MFA, password, last use) when the report was read, and the account's
 * password policy.
 */
export interface RuleUser extends IamUserSnapshot {
  /** Absent when the report was not read, or the user was created after it was generated. */
  readonly report?: CredentialReportRow;
}

/** `GetAccountPasswordPolicy`: `none` is IAM's NoSuchEntity (the account has no policy). */
export type PasswordPolicyFacts =
  | { readonly kind: 'none' }
  | { readonly kind: 'set'; readonly maxPasswordAgeDays?: number }
  | { readonly kind: 'unknown'; readonly reason: string };

export interface RuleAccount {
  readonly account: AccountRef;
  readonly users: readonly RuleUser[];
  /** Absent when the password rule is off or the reader cannot ask. */
  readonly passwordPolicy?: PasswordPolicyFacts;
}

/** Joins the users read (tags, keys) with the credential report's rows, by user name. */
export function ruleUsers(
  users: readonly IamUserSnapshot[],
  reportUsers: readonly InventoryUser[] | undefined,
): RuleUser[] {
  const rows = new Map<string, CredentialReportRow>();
  for (const user of reportUsers ?? []) if (user.report) rows.set(user.userName, user.report);
  return users.map((user) => {
    const report = rows.get(user.userName);
    return report ? { ...user, report } : user;
  });
}

/** A key's last use, when it is known: `null` means known never used, `undefined` unknown. */
export function keyLastUse(
  key: AccessKeyInfo,
  report: CredentialReportRow | undefined,
): Date | null | undefined {
  if (key.lastUsedDate) return key.lastUsedDate;
  const slot = report ? reportSlotOf(key, report) : undefined;
  if (!slot) return undefined;
  return slot.lastUsed ?? null;
}

/** The report has no key ids: its slot is the one created in the same second as the key. */
function reportSlotOf(key: AccessKeyInfo, report: CredentialReportRow): ReportKeySlot | undefined {
  const second = Math.floor(key.createDate.getTime() / 1000);
  const matches = report.keys.filter(
    (slot) => slot.lastRotated !== undefined && Math.floor(slot.lastRotated.getTime() / 1000) === second,
  );
  return matches.length === 1 ? matches[0] : undefined;
}
