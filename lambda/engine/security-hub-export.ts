import { type EnforcerConfig } from '../config/schema';
import { unreadUsers } from '../domain/account-policy';
import { buildInventory } from '../domain/inventory';
import { type AsffFinding, type SecurityHubTarget } from '../domain/security-hub/asff';
import { type ExportedFindings } from '../domain/security-hub/key-findings';
import { applyImported, planSecurityHubExport } from '../domain/security-hub/plan-export';
import { type RuleFinding } from '../domain/rules/rule-finding';
import { type Ledger } from '../ports';
import { errorMessage } from './execute-plan';
import { type RuleAccountRead } from './rule-findings';
import { updateAccountRecord } from './update-account-record';

/** Imports findings into Security Hub; implemented by the adapter over `BatchImportFindings`. */
export interface SecurityHubImporter {
  /** The hub account's own product, where findings go. */
  readonly target: SecurityHubTarget;
  /** Imports every finding (in batches); returns the ones Security Hub refused, by Id. */
  importFindings(findings: readonly AsffFinding[]): Promise<{ readonly failed: readonly ImportFailure[] }>;
}

export interface ImportFailure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** The run report's part about Security Hub. */
export interface SecurityHubReport {
  /** Findings sent (or, in a dry run, that would be): new, changed and archived. */
  readonly sent: number;
  readonly archived: number;
  /** Findings unchanged since the last import, not sent again. */
  readonly unchanged: number;
  readonly failed: readonly ImportFailure[];
  /** The findings of this run as sent, for `run --format json` and tests. */
  readonly findings: readonly AsffFinding[];
}

export interface SecurityHubExportDeps {
  readonly importer: SecurityHubImporter | undefined;
  readonly ledger: Ledger;
  readonly now: Date;
  readonly dryRun: boolean;
}

/**
 * The run's Security Hub step (issue 10 item 3), after the key policy and the rules: builds one
 * finding per key that needs one from the same inventory `scan` shows (deadline included), imports
 * what changed, archives what was rotated or deleted, and records on each account what Security
 * Hub holds. Returns undefined when `securityHub` is not enabled.
 */
export async function exportSecurityHubFindings(
  config: EnforcerConfig,
  reads: readonly { readonly ruleRead?: RuleAccountRead }[],
  ruleFindings: readonly RuleFinding[],
  deps: SecurityHubExportDeps,
): Promise<{ readonly report: SecurityHubReport; readonly errors: readonly string[] } | undefined> {
  if (config.securityHub?.enabled !== true) return undefined;
  const importer = deps.importer;
  if (!importer) {
    return {
      report: { sent: 0, archived: 0, unchanged: 0, failed: [], findings: [] },
      errors: ['securityHub.enabled but this run has no Security Hub client: nothing was imported'],
    };
  }
  const ctx = {
    target: importer.target,
    policy: config.policy,
    docsUrl: config.rotation.docsUrl,
    now: deps.now.toISOString(),
  };
  const plans = reads.flatMap((read) => {
    const r = read.ruleRead;
    if (!r?.ledger) return [];
    const { rows } = buildInventory({
      account: r.account,
      scan: r.scan,
      ledger: r.ledger,
      config,
      now: deps.now,
    });
    const plan = planSecurityHubExport({
      accountId: r.account.id,
      rows,
      unreadUsers: unreadUsers(r.scan),
      unused: ruleFindings.filter((f) => f.rule === 'unused-key' && f.account.id === r.account.id),
      exported: r.accountRecord?.securityHubFindings,
      ctx,
    });
    return [{ read: r, plan }];
  });
  const findings = plans.flatMap((p) => p.plan.send.map((s) => s.finding));
  const archived = findings.filter((f) => f.RecordState === 'ARCHIVED').length;
  const unchanged = plans.reduce((total, p) => total + p.plan.unchanged, 0);
  if (deps.dryRun || findings.length === 0)
    return { report: { sent: findings.length, archived, unchanged, failed: [], findings }, errors: [] };

  const errors: string[] = [];
  let failed: readonly ImportFailure[];
  try {
    failed = (await importer.importFindings(findings)).failed;
  } catch (error) {
    // Nothing recorded: every finding is sent again next run.
    const message = `Security Hub import failed: ${errorMessage(error)}`;
    return {
      report: { sent: 0, archived: 0, unchanged, failed: [], findings },
      errors: [message],
    };
  }
  const failedIds = new Set(failed.map((f) => f.id));
  for (const f of failed) errors.push(`Security Hub refused finding ${f.id}: ${f.code}: ${f.message}`);
  for (const { read, plan } of plans) {
    if (plan.send.length === 0) continue;
    const records: ExportedFindings = applyImported(
      read.accountRecord?.securityHubFindings,
      plan.send,
      failedIds,
    );
    const error = await updateAccountRecord(deps.ledger, read.account.id, { securityHubFindings: records });
    if (error) errors.push(`Security Hub findings of account ${read.account.id} not recorded: ${error}`);
  }
  return {
    report: { sent: findings.length - failed.length, archived, unchanged, failed, findings },
    errors,
  };
}
