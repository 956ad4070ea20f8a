import { type InventoryRow } from '../domain/inventory';

/** Columns of `scan --format csv|json`: stable; new fields are only ever appended. */
export const CSV_COLUMNS = [
  'accountId',
  'accountName',
  'userName',
  'ownerName',
  'ownerSlackId',
  'type',
  'treatedAs',
  'accessKeyId',
  'status',
  'createdAt',
  'ageDays',
  'lastUsedAt',
  'nextAction',
  'nextDate',
  'deadline',
  'exemptUntil',
  'state',
] as const;

function flat(row: InventoryRow): Record<(typeof CSV_COLUMNS)[number], string> {
  return {
    accountId: row.accountId,
    accountName: row.accountName,
    userName: row.userName,
    ownerName: row.ownerName ?? '',
    ownerSlackId: row.ownerSlackId ?? '',
    type: row.type ?? '',
    treatedAs: row.treatedAs,
    accessKeyId: row.accessKeyId,
    status: row.status,
    createdAt: row.createdAt,
    ageDays: String(row.ageDays),
    lastUsedAt: row.lastUsedAt ?? '',
    nextAction: row.next
      ? row.next.action === 'remind'
        ? `remind-${row.next.milestone}`
        : row.next.action
      : '',
    nextDate: row.next?.date ?? '',
    deadline: row.deadline ?? '',
    exemptUntil: row.exemptUntil ?? '',
    state: row.state,
  };
}

/** RFC 4180: quote fields with commas, quotes or line breaks; neutralise spreadsheet formulas. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsv(rows: readonly InventoryRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const row of rows) {
    const values = flat(row);
    lines.push(CSV_COLUMNS.map((column) => csvField(values[column])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One key in `scan --format json`: the CSV columns, typed. `ageDays` is a number; a column that is
 * empty in CSV (no owner name, never used, no next action, no exemption) is `null`.
 */
export type JsonInventoryRow = {
  readonly [K in Exclude<(typeof CSV_COLUMNS)[number], 'ageDays'>]: string | null;
} & {
  readonly ageDays: number;
};

function jsonRow(row: InventoryRow): JsonInventoryRow {
  const values = flat(row);
  const typed = Object.fromEntries(
    CSV_COLUMNS.map((column) => [column, values[column] === '' ? null : values[column]]),
  ) as Record<(typeof CSV_COLUMNS)[number], string | null>;
  return { ...typed, ageDays: row.ageDays };
}

export function formatJson(rows: readonly InventoryRow[], asOf: string): string {
  return `${JSON.stringify({ asOf, keys: rows.map(jsonRow) }, null, 2)}\n`;
}

const STATE_MARK = { ok: ' ', warning: '!', overdue: '✖' } as const;

/**
 * A table for an 80-column terminal: one line per key, the details people ask for first (who,
 * which key, how old, what happens next). Full data is in json/csv.
 */
export function formatTable(rows: readonly InventoryRow[]): string {
  const header = ['', 'ACCOUNT', 'USER', 'OWNER', 'KEY', 'ST', 'AGE', 'NEXT'];
  const body = rows.map((row) => [
    STATE_MARK[row.state],
    clip(row.accountName, 10),
    clip(row.userName, 14),
    clip(row.ownerName ?? (row.treatedAs === 'unknown' ? '(unknown)' : `(${row.treatedAs})`), 14),
    row.accessKeyId.slice(-8).padStart(8, '.'),
    row.status === 'Active' ? 'A' : 'I',
    `${row.ageDays}d`,
    clip(nextLabel(row), 17),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(' ')
      .trimEnd();
  const summary =
    `${rows.length} keys: ${count(rows, 'overdue')} overdue, ${count(rows, 'warning')} due for rotation, ${count(rows, 'ok')} ok.\n` +
    'KEY: last 8 characters (full ids: --format csv|json). ST: A active, I inactive.';
  return `${[line(header), ...body.map(line)].join('\n')}\n\n${summary}\n`;
}

function nextLabel(row: InventoryRow): string {
  if (!row.next) return row.exemptUntil ? `exempt ${row.exemptUntil}` : '-';
  const what =
    row.next.action === 'remind'
      ? `remind ${row.next.milestone}`
      : row.next.action === 'deactivate'
        ? 'deactivate'
        : 'final';
  return `${what} ${row.next.date.slice(5)}`;
}

function clip(value: string, width: number): string {
  return value.length <= width ? value : `${value.slice(0, width - 1)}…`;
}

function count(rows: readonly InventoryRow[], state: InventoryRow['state']): number {
  return rows.filter((row) => row.state === state).length;
}
