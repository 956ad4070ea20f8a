import { readFileLedger } from '../adapters/file-ledger';
import { MemoryLedger } from '../adapters/memory-ledger';
import { type EnforcerConfig } from '../config/schema';
import { utcDate } from '../domain/dates';
import { buildInventory, type InventoryRow } from '../domain/inventory';
import { type InputProblem } from '../domain/decisions';
import { type AccountRef, type AccountScan } from '../domain/model';
import { evaluateRules } from '../domain/rules/evaluate-rules';
import { gatherRuleAccount, type RuleFindingsReport } from '../engine/rule-findings';
import { atTimeOfDay } from '../engine/run-enforcement';
import { mapWithConcurrency } from '../util/concurrency';
import { type AccountReader, type Ledger } from '../ports';
import { type AccountFailure, accountFailure } from './account-failure';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
import { findingLines, jsonFindings } from './findings-formats';
import { formatCsv, formatJson } from './inventory-formats';
import { formatTable } from './inventory-table';
import { withProgress } from './progress';

export interface ScanOptions {
  readonly format: 'table' | 'json' | 'csv';
  readonly asOf?: string;
  readonly failOn?: 'overdue' | 'warning';
  /** Read the ledger so "next" reflects what was already sent: a state file or a DynamoDB table. */
  readonly state?: string;
  readonly table?: string;
}

/**
 * `scan`: a read-only inventory of every key in every account, with what the enforcer will do
 * next. Nothing is written anywhere; with `--fail-on`, the exit code gates a compliance pipeline.
 */
export async function scanCommand(
  config: EnforcerConfig,
  options: ScanOptions,
  deps: CliDeps,
): Promise<ExitCode> {
  // The same instant a run with this --as-of would decide at, so scan and run agree on ages.
  const now = options.asOf ? atTimeOfDay(options.asOf, deps.clock.now()) : deps.clock.now();
  const ledger = await readOnlyLedger(options, deps);
  const iam = deps.iam(config, { includeLastUsed: true });
  const reader = withProgress(iam, deps.io, config.accounts.length);
  const accounts = config.accounts.map((a) => ({ id: a.id, name: a.name ?? a.id }));
  const results = await mapWithConcurrency<AccountRef, AccountResult>(
    accounts,
    config.accountConcurrency,
    async (account) => {
      try {
        const [scan, accountLedger] = await Promise.all([
          reader.readAccount(account),
          ledger.readAccount(account.id),
        ]);
        return { account, scan, ...buildInventory({ account, scan, ledger: accountLedger, config, now }) };
      } catch (error) {
        return { account, failure: accountFailure(account, error, config), rows: [], problems: [] };
      }
    },
  );

  const rows = results.flatMap((r) => r.rows);
  const failures = results.flatMap((r) => (r.failure ? [{ account: r.account, ...r.failure }] : []));
  const findings = await scanFindings(config, results, iam, now);
  deps.io.stdout(
    formatInventory(rows, options.format, {
      asOf: utcDate(now),
      config,
      failures,
      ...(findings ? { findings } : {}),
    }),
  );
  for (const { line, fix } of failures) deps.io.stderr(`error: ${line}\n  fix: ${fix}\n`);
  for (const result of results)
    for (const problem of result.problems) deps.io.stderr(`warning: ${describeProblem(problem)}\n`);
  // An unreadable account fails the scan like a failed gate: a pipeline must never pass on missing data.
  if (failures.length > 0) return EXIT.failed;
  return failsGate(rows, options.failOn) ? EXIT.failed : EXIT.ok;
}

interface AccountResult {
  readonly account: AccountRef;
  readonly scan?: AccountScan;
  readonly rows: readonly InventoryRow[];
  readonly problems: readonly InputProblem[];
  readonly failure?: AccountFailure;
}

interface FormatContext {
  readonly asOf: string;
  readonly config: EnforcerConfig;
  readonly failures: readonly (AccountFailure & { readonly account: AccountRef })[];
  readonly findings?: RuleFindingsReport;
}

function formatInventory(
  rows: readonly InventoryRow[],
  format: ScanOptions['format'],
  { asOf, config, failures, findings }: FormatContext,
): string {
  if (format === 'json') {
    const failed = failures.map((f) => ({
      accountId: f.account.id,
      accountName: f.account.name,
      error: f.detail,
    }));
    return formatJson(rows, asOf, failed, findings ? jsonFindings(findings.findings) : undefined);
  }
  if (format === 'csv') {
    // A header-only CSV would read as "no keys"; with no account read there is nothing to print.
    return failures.length === config.accounts.length && failures.length > 0 ? '' : formatCsv(rows);
  }
  const table = formatTable(rows, {
    asOf,
    policy: config.policy,
    accountsTotal: config.accounts.length,
    accountsFailed: failures.length,
  });
  return findings ? `${table}${findingLines(findings.findings, findings.notes).join('\n')}\n` : table;
}

/** The rule checks over what scan read, plus the report and password policy they need. */
async function scanFindings(
  config: EnforcerConfig,
  results: readonly AccountResult[],
  reader: AccountReader,
  now: Date,
): Promise<RuleFindingsReport | undefined> {
  const rules = config.rules;
  if (!rules) return undefined;
  const read = results.flatMap((r) => (r.scan ? [{ account: r.account, scan: r.scan }] : []));
  const gathered = await mapWithConcurrency(read, config.accountConcurrency, (r) =>
    gatherRuleAccount(r, reader, rules),
  );
  return {
    findings: evaluateRules({ accounts: gathered.map((g) => g.facts), rules, tags: config.tags, now }),
    notes: gathered.flatMap((g) => g.notes),
  };
}

function failsGate(rows: readonly InventoryRow[], failOn: ScanOptions['failOn']): boolean {
  if (failOn === 'overdue') return rows.some((r) => r.state === 'overdue');
  if (failOn === 'warning') return rows.some((r) => r.state !== 'ok');
  return false;
}

export function describeProblem(problem: InputProblem): string {
  const where = [problem.accountId, problem.userName, problem.accessKeyId].filter(Boolean).join('/');
  return `${where}: ${problem.message}`;
}

async function readOnlyLedger(options: ScanOptions, deps: CliDeps): Promise<Ledger> {
  if (options.state && options.table) throw new CliUsageError('--state and --table: choose one ledger');
  if (options.table) return deps.dynamoLedger(options.table);
  if (options.state) return new MemoryLedger(await readFileLedger(options.state));
  return new MemoryLedger();
}
