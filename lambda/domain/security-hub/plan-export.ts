import { type InventoryRow } from '../inventory';
import { type RuleFinding } from '../rules/rule-finding';
import { type AsffFinding } from './asff';
import {
  archivedKeyFinding,
  type ExportedFinding,
  type ExportedFindings,
  fingerprint,
  keyFinding,
  type KeyFindingContext,
} from './key-findings';

/** One finding to import, and what the ledger keeps once Security Hub took it. */
export interface FindingToSend {
  readonly accessKeyId: string;
  readonly finding: AsffFinding;
  /** Absent for an archived finding: the key is forgotten once its finding is closed. */
  readonly record?: ExportedFinding;
}

export interface ExportPlan {
  readonly send: readonly FindingToSend[];
  /** Findings identical to what was imported before: not sent again. */
  readonly unchanged: number;
}

export interface ExportFacts {
  readonly accountId: string;
  /** Every key read today (the inventory's rows). */
  readonly rows: readonly InventoryRow[];
  /** Users whose keys could not be read today: their findings are left as they are. */
  readonly unreadUsers: ReadonlySet<string>;
  /** Today's unused-key rule findings of the account. */
  readonly unused: readonly RuleFinding[];
  /** What was imported before (the account record). */
  readonly exported: ExportedFindings | undefined;
  readonly ctx: KeyFindingContext;
}

/**
 * Pure: which findings to import today. "No duplicates" means: one finding per key, always the
 * same Id (an import updates it in place), and a finding whose content is what was imported
 * before is not sent at all. A key that was rotated, deleted or no longer qualifies gets its
 * finding archived (RESOLVED, ARCHIVED), once.
 */
export function planSecurityHubExport(facts: ExportFacts): ExportPlan {
  const exported = facts.exported ?? {};
  const unusedByKey = new Map(
    facts.unused.flatMap((f) => (f.accessKeyId ? [[f.accessKeyId, f] as const] : [])),
  );
  const send: FindingToSend[] = [];
  let unchanged = 0;
  const seen = new Set<string>();
  for (const row of facts.rows) {
    seen.add(row.accessKeyId);
    const before = exported[row.accessKeyId];
    const finding = keyFinding(row, unusedByKey.get(row.accessKeyId), facts.ctx);
    if (finding) {
      const print = fingerprint(finding);
      if (before?.fingerprint === print) unchanged += 1;
      else
        send.push({
          accessKeyId: row.accessKeyId,
          finding,
          record: { fingerprint: print, userName: row.userName, createdAt: row.createdAt },
        });
    } else if (before) {
      const how = row.status === 'Inactive' ? 'inactive' : 'resolved';
      send.push({
        accessKeyId: row.accessKeyId,
        finding: archivedKeyFinding(facts.accountId, row.accessKeyId, before, how, facts.ctx),
      });
    }
  }
  for (const [accessKeyId, before] of Object.entries(exported)) {
    if (seen.has(accessKeyId) || facts.unreadUsers.has(before.userName)) continue;
    send.push({
      accessKeyId,
      finding: archivedKeyFinding(facts.accountId, accessKeyId, before, 'deleted', facts.ctx),
    });
  }
  return { send, unchanged };
}

/** The ledger's records after an import: only what Security Hub accepted changes. */
export function applyImported(
  exported: ExportedFindings | undefined,
  sent: readonly FindingToSend[],
  failedIds: ReadonlySet<string>,
): ExportedFindings {
  const records: Record<string, ExportedFinding> = { ...(exported ?? {}) };
  for (const item of sent) {
    if (failedIds.has(item.finding.Id)) continue;
    if (item.record) records[item.accessKeyId] = item.record;
    else delete records[item.accessKeyId];
  }
  return records;
}
