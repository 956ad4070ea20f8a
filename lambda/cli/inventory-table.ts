import { type EnforcerConfig } from '../config/schema';
import { type InventoryRow } from '../domain/inventory';

/** What the table says about the scan as a whole, besides its rows. */
export interface TableContext {
  /** The UTC date the inventory describes (today, or `--as-of`). */
  readonly asOf: string;
  readonly policy: EnforcerConfig['policy'];
  readonly accountsTotal: number;
  /** Accounts that could not be read: their keys are missing from the rows. */
  readonly accountsFailed: number;
}

const STATE_MARK = { ok: ' ', warning: '!', overdue: '✖' } as const;

/**
 * A table for an 80-column terminal: one line per key, the details people ask for first (who,
 * which key, how old, what happens next, and the deadline the DMs state). Full data is in json/csv.
 */
export function formatTable(rows: readonly InventoryRow[], context: TableContext): string {
  if (context.accountsFailed === context.accountsTotal && context.accountsTotal > 0) {
    // An empty table with "0 keys: 0 overdue" would read as a clean organisation.
    return `No result: none of the ${context.accountsTotal} account(s) could be read (errors on stderr).\n`;
  }
  const header = ['', 'ACCOUNT', 'USER', 'OWNER', 'KEY', 'AGE', 'NEXT', 'DEADLINE'];
  const body = rows.map((row) => [
    STATE_MARK[row.state],
    clip(row.accountName, 8),
    clip(row.userName, 14),
    clip(row.ownerName ?? (row.treatedAs === 'unknown' ? '(unknown)' : `(${row.treatedAs})`), 14),
    row.accessKeyId.slice(-8).padStart(8, '.'),
    `${row.ageDays}d`,
    clip(nextLabel(row), 16),
    deadlineLabel(row),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' ')
      .trimEnd();
  const lines = [
    `Keys as of ${context.asOf} (UTC). Dates are MM-DD, the UTC day of the run that acts.`,
    line(header),
    ...body.map(line),
    '',
    summaryLine(rows, context),
    ...exemptionLines(rows),
    ...legend(context.policy),
  ];
  return `${lines.join('\n')}\n`;
}

function summaryLine(rows: readonly InventoryRow[], context: TableContext): string {
  const counts = `${rows.length} keys: ${count(rows, 'overdue')} overdue, ${count(rows, 'warning')} due for rotation, ${count(rows, 'ok')} ok.`;
  if (context.accountsFailed === 0) return counts;
  const read = context.accountsTotal - context.accountsFailed;
  return `INCOMPLETE: ${context.accountsFailed} of ${context.accountsTotal} accounts could not be read (errors on stderr); in the ${read} read, ${counts}`;
}

function exemptionLines(rows: readonly InventoryRow[]): string[] {
  const exempt = rows.filter((row) => row.exemptUntil !== undefined && row.status === 'Active');
  if (exempt.length === 0) return [];
  return [
    exempt.some((row) => row.exemptionApprovedBy !== undefined)
      ? '* exemption in force (tag key-rotation-exempt-until, or approved in Slack): not deactivated through'
      : '* exemption in force (tag key-rotation-exempt-until): not deactivated through',
    ...exempt.map(
      (row) =>
        `  ${row.accountName}/${row.userName} ${row.accessKeyId} until ${row.exemptUntil}` +
        (row.exemptionApprovedBy ? ` (approved in Slack by ${row.exemptionApprovedBy})` : ''),
    ),
  ];
}

function legend(policy: EnforcerConfig['policy']): string[] {
  const first = policy.remindAtDays[0] ?? policy.deactivateAtDays;
  return [
    `✖ overdue: ${policy.deactivateAtDays} days or older. ! due for rotation: ${first} days or older.`,
    'KEY: last 8 characters (full ids: --format csv|json).',
    'DEADLINE: the first run that may deactivate the key (minimum notice included);',
    '  never: its user class is not deactivated (config userClasses).',
  ];
}

function nextLabel(row: InventoryRow): string {
  if (row.status !== 'Active') return 'inactive';
  if (!row.next) return '-';
  const what =
    row.next.action === 'remind'
      ? `remind ${row.next.milestone}`
      : row.next.action === 'deactivate'
        ? 'deactivate'
        : 'final';
  return `${what} ${row.next.date.slice(5)}`;
}

function deadlineLabel(row: InventoryRow): string {
  if (row.status !== 'Active') return '-';
  // row.deadline is effectiveDeadline's answer, the date every DM states (SPEC §1); never re-derived.
  if (row.deadline === undefined) return 'never';
  return `${row.deadline.slice(5)}${row.exemptUntil ? ' *' : ''}`;
}

function clip(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, width - 1)}…`;
}

function count(rows: readonly InventoryRow[], state: InventoryRow['state']): number {
  return rows.filter((row) => row.state === state).length;
}
