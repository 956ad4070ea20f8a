import { readFileLedger } from '../adapters/file-ledger';
import { MemoryLedger } from '../adapters/memory-ledger';
import { type EnforcerConfig } from '../config/schema';
import { utcDate } from '../domain/dates';
import { buildInventory, type InventoryRow } from '../domain/inventory';
import { type InputProblem } from '../domain/decisions';
import { errorMessage } from '../engine/execute-plan';
import { atTimeOfDay } from '../engine/run-enforcement';
import { mapWithConcurrency } from '../util/concurrency';
import { type Ledger } from '../ports';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
import { formatCsv, formatJson, formatTable } from './inventory-formats';
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
  const results = await mapWithConcurrency(accounts, config.accountConcurrency, async (account) => {
    try {
      const [scan, accountLedger] = await Promise.all([
        reader.readAccount(account),
        ledger.readAccount(account.id),
      ]);
      return { account, ...buildInventory({ account, scan, ledger: accountLedger, config, now }) };
    } catch (error) {
      return {
        account,
        error: errorMessage(error),
        rows: [] as InventoryRow[],
        problems: [] as InputProblem[],
      };
    }
  });

  const rows = results.flatMap((r) => r.rows);
  const asOf = utcDate(now);
  const out =
    options.format === 'json'
      ? formatJson(rows, asOf)
      : options.format === 'csv'
        ? formatCsv(rows)
        : formatTable(rows);
  deps.io.stdout(out);
  for (const result of results) {
    if ('error' in result)
      deps.io.stderr(`error: account ${result.account.id} (${result.account.name}): ${result.error}\n`);
    for (const problem of result.problems) deps.io.stderr(`warning: ${describeProblem(problem)}\n`);
  }
  if (results.some((r) => 'error' in r)) return EXIT.failed;
  return failsGate(rows, options.failOn) ? EXIT.failed : EXIT.ok;
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
