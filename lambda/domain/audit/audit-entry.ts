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
  | 'rule-finding'
  // --- Actions taken from Slack (issue 11 item 3); `to` names who pressed, as `slack:<id>`. ---
  /** "I've rotated – check now": `detail` says what the fresh read found. */
  | 'rotation-checked'
  /** "Ask for more time": `detail` has the date and the reason. */
  | 'exemption-requested'
  | 'exemption-approved'
  | 'exemption-denied'
  /** "It was me" on a new-key alert. */
  | 'new-key-confirmed'
  /** "Not me – deactivate": set Inactive at the presser's request. */
  | 'deactivated-on-request';

export interface AuditEntry {
  /** ISO instant of the run that acted. */
  readonly at: string;
  readonly action: AuditAction;
  /**
   * Who received the message: `dm:<slack-id>`, `channel`; for an action taken from Slack, first who
   * asked for it (`slack:<slack-id>`). Empty for a silent action.
   */
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
