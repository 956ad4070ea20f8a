import { readFileLedger } from '../adapters/file-ledger';
import { MemoryLedger } from '../adapters/memory-ledger';
import { type EnforcerConfig } from '../config/schema';
import { type AuditEntry } from '../domain/audit/audit-entry';
import { type Ledger } from '../ports';
import { mapWithConcurrency } from '../util/concurrency';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
import { compareText } from '../domain/text-order';

export interface AuditOptions {
  /** First UTC date (YYYY-MM-DD) exported; entries from its midnight on. */
  readonly since: string;
  readonly format: 'csv' | 'json';
  readonly state?: string;
  readonly table?: string;
}

/** One action in the export: the key, the action, and whom it reached. */
export interface AuditRow {
  readonly at: string;
  readonly accountId: string;
  readonly accountName: string;
  readonly userName: string;
  readonly accessKeyId: string;
  readonly action: AuditEntry['action'];
  /** `dm:<slack-id>` and/or `channel`, separated by a space in csv. */
  readonly to: readonly string[];
  readonly detail: string | null;
}

export const AUDIT_COLUMNS = [
  'at',
  'accountId',
  'accountName',
  'userName',
  'accessKeyId',
  'action',
  'to',
  'detail',
] as const;

/**
 * `audit`: exports the ledger's audit trail (issue 10 item 4) for an auditor: every action the
 * enforcer took on every key since a date, oldest first. Reads the ledger only.
 */
export async function auditCommand(
  config: EnforcerConfig,
  options: AuditOptions,
  deps: CliDeps,
): Promise<ExitCode> {
  const ledger = await readOnlyLedger(options, deps);
  const from = `${options.since}T00:00:00.000Z`;
  const accounts = config.accounts.map((a) => ({ id: a.id, name: a.name ?? a.id }));
  const perAccount = await mapWithConcurrency(accounts, config.accountConcurrency, async (account) => {
    const { keys } = await ledger.readAccount(account.id);
    return keys.flatMap((record) =>
      (record.audit ?? [])
        .filter((entry) => entry.at >= from)
        .map((entry): AuditRow => ({
          at: entry.at,
          accountId: account.id,
          accountName: account.name,
          userName: record.userName,
          accessKeyId: record.accessKeyId,
          action: entry.action,
          to: entry.to,
          detail: entry.detail ?? null,
        })),
    );
  });
  const rows = perAccount
    .flat()
    .sort(
      (a, b) =>
        compareText(a.at, b.at) ||
        compareText(a.accountId, b.accountId) ||
        compareText(a.accessKeyId, b.accessKeyId) ||
        compareText(a.action, b.action),
    );
  deps.io.stdout(options.format === 'json' ? formatAuditJson(rows, options.since) : formatAuditCsv(rows));
  return EXIT.ok;
}

export function formatAuditJson(rows: readonly AuditRow[], since: string): string {
  return `${JSON.stringify({ since, actions: rows }, null, 2)}\n`;
}

export function formatAuditCsv(rows: readonly AuditRow[]): string {
  const lines = [AUDIT_COLUMNS.join(',')];
  for (const row of rows) {
    const values: Record<(typeof AUDIT_COLUMNS)[number], string> = {
      ...row,
      to: row.to.join(' '),
      detail: row.detail ?? '',
    };
    lines.push(AUDIT_COLUMNS.map((column) => csvField(values[column])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** RFC 4180 quoting, and a leading `=+-@` neutralised so a spreadsheet never runs it as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function readOnlyLedger(options: AuditOptions, deps: CliDeps): Promise<Ledger> {
  if (options.state && options.table) throw new CliUsageError('--state and --table: choose one ledger');
  if (options.table) return deps.dynamoLedger(options.table);
  if (options.state) return new MemoryLedger(await readFileLedger(options.state));
  throw new CliUsageError('audit reads the ledger: give --state FILE or --table NAME');
}
