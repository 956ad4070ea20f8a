/**
 * The audit trail of a key (issue 10 item 4): what the enforcer did about it, when, and whom it
 * told, kept on the key's ledger record for an auditor (`access-key-enforcer audit`).
 */
export type AuditAction =
  | 'reminder'
  | 'final-notice'
  | 'deactivated'
  /** Deactivated again after someone switched it back on. */
  | 'reactivation-deactivated'
  | 'deactivation-notice'
  | 'thanks'
  | 'new-key-alert'
  /** An exemption in force; `detail` says until when and where it came from. */
  | 'exemption'
  | 'rule-finding';

export interface AuditEntry {
  /** ISO instant of the run that acted. */
  readonly at: string;
  readonly action: AuditAction;
  /** Who received the message: `dm:<slack-id>`, `channel`. Empty for a silent action. */
  readonly to: readonly string[];
  /** E.g. the reminder milestone, an exemption's end date and origin. */
  readonly detail?: string;
}

/** A key record keeps the latest entries only, so an old key's record never outgrows the ledger. */
export const MAX_AUDIT_ENTRIES = 50;

export function appendAudit(
  existing: readonly AuditEntry[] | undefined,
  entries: readonly AuditEntry[],
): AuditEntry[] {
  const all = [...(existing ?? []), ...entries];
  return all.slice(Math.max(0, all.length - MAX_AUDIT_ENTRIES));
}
