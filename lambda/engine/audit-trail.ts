import { type EnforcerConfig } from '../config/schema';
import { appendAudit, type AuditEntry } from '../domain/audit/audit-entry';
import { auditEntriesOfRun, type DoneAction, exemptionEntries } from '../domain/audit/audit-from-run';
import { type AccountPlan } from '../domain/decisions';
import { type Ledger } from '../ports';
import { errorMessage } from './execute-plan';

/**
 * Keeps the audit trail (issue 10 item 4): after a run has acted, appends what it did to each key's
 * record (reminders and to whom, deactivations, re-activations, thanks, new-key alerts, rule DMs,
 * exemptions in force and their origin), for the accounts of `actions` and of `plans`. Written after the actions, by its own conditional write
 * per key, so a lost race (another run wrote the key) is retried and never loses an action of
 * either run. Returns what could not be recorded. A dry run records nothing.
 */
export async function recordAuditTrail(
  config: EnforcerConfig,
  ledger: Ledger,
  actions: readonly DoneAction[],
  plans: readonly AccountPlan[],
  now: Date,
  dryRun: boolean,
): Promise<string[]> {
  if (dryRun) return [];
  const at = now.toISOString();
  const fromActions = auditEntriesOfRun(actions, plans, at);
  const exemptionsOf = new Map(plans.map((plan) => [plan.account.id, plan.exemptions]));
  // The accounts with something to record: a plan's exemptions, or an action on one of its keys.
  const accounts = new Set(plans.filter((plan) => plan.exemptions.length > 0).map((plan) => plan.account.id));
  for (const id of fromActions.keys()) accounts.add(id.slice(0, id.indexOf('/')));
  const errors: string[] = [];
  for (const accountId of accounts) {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const { keys } = await ledger.readAccount(accountId);
        const exemptions = exemptionEntries(
          exemptionsOf.get(accountId) ?? [],
          keys,
          config.tags.exemptUntil,
          at,
        );
        let conflict = false;
        for (const record of keys) {
          const id = `${accountId}/${record.accessKeyId}`;
          const entries: AuditEntry[] = [...(fromActions.get(id) ?? [])];
          const exemption = exemptions.get(id);
          if (exemption) entries.push(exemption);
          // Already recorded (a retry after a lost race re-reads what it wrote before).
          const fresh = entries.filter((e) => !(record.audit ?? []).some((old) => sameEntry(old, e)));
          if (fresh.length === 0) continue;
          const { version, ...draft } = record;
          const written = await ledger.putKey({ ...draft, audit: appendAudit(record.audit, fresh) }, version);
          if (written === 'conflict') conflict = true;
        }
        if (!conflict) break;
        if (attempt === 2)
          errors.push(`audit trail of account ${accountId}: another run kept writing its keys`);
      } catch (error) {
        errors.push(`audit trail of account ${accountId} not recorded: ${errorMessage(error)}`);
        break;
      }
    }
  }
  return errors;
}

function sameEntry(a: AuditEntry, b: AuditEntry): boolean {
  return a.at === b.at && a.action === b.action && a.detail === b.detail;
}
