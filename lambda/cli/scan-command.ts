import { readFileLedger } from '../adapters/file-ledger';
import { MemoryLedger } from '../adapters/memory-ledger';
import { type EnforcerConfig } from '../config/schema';
import { utcDate } from '../domain/dates';
import { buildInventory, type InventoryRow } from '../domain/inventory';
import { type InputProblem } from '../domain/decisions';
import { type AccountRef } from '../domain/model';
import { atTimeOfDay } from '../engine/run-enforcement';
import { mapWithConcurrency } from '../util/concurrency';
import { type Ledger } from '../ports';
import { type AccountFailure, accountFailure } from './account-failure';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
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
  const reader = withProgress(deps.iam(config, { includeLastUsed: true }), deps.io, config.accounts.length);
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
        return { account, ...buildInventory({ account, scan, ledger: accountLedger, config, now }) };
      } catch (error) {
        return { account, failure: accountFailure(account, error, config), rows: [], problems: [] };
      }
    },
  );

  const rows = results.flatMap((r) => r.rows);
  const failures = results.flatMap((r) => (r.failure ? [{ account: r.account, ...r.failure }] : []));
  deps.io.stdout(formatInventory(rows, options.format, { asOf: utcDate(now), config, failures }));
  for (const { line, fix } of failures) deps.io.stderr(`error: ${line}\n  fix: ${fix}\n`);
  for (const result of results)
    for (const problem of result.problems) deps.io.stderr(`warning: ${describeProblem(problem)}\n`);
  // An unreadable account fails the scan like a failed gate: a pipeline must never pass on missing data.
  if (failures.length > 0) return EXIT.failed;
  return failsGate(rows, options.failOn) ? EXIT.failed : EXIT.ok;
}

interface AccountResult {
  readonly account: AccountRef;
  readonly rows: readonly InventoryRow[];
  readonly problems: readonly InputProblem[];
  readonly failure?: AccountFailure;
}

interface FormatContext {
  readonly asOf: string;
  readonly config: EnforcerConfig;
  readonly failures: readonly (AccountFailure & { readonly account: AccountRef })[];
}

function formatInventory(
  rows: readonly InventoryRow[],
  format: ScanOptions['format'],
  { asOf, config, failures }: FormatContext,
): string {
  if (format === 'json') {
    const failed = failures.map((f) => ({
      accountId: f.account.id,
      accountName: f.account.name,
      error: f.detail,
    }));
    return formatJson(rows, asOf, failed);
  }
  if (format === 'csv') {
    // A header-only CSV would read as "no keys"; with no account read there is nothing to print.
    return failures.length === config.accounts.length && failures.length > 0 ? '' : formatCsv(rows);
  }
  return formatTable(rows, {
    asOf,
    policy: config.policy,
    accountsTotal: config.accounts.length,
    accountsFailed: failures.length,
  });
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
