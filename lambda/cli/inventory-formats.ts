import { type InventoryRow } from '../domain/inventory';
import { type JsonFinding } from './findings-formats';

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

/** An account `scan` could not read: its keys are missing from `keys`. */
export interface JsonFailedAccount {
  readonly accountId: string;
  readonly accountName: string;
  readonly error: string;
}

/** `scan --format json`: `failedAccounts` is empty when every account was read. */
export interface JsonInventory {
  readonly asOf: string;
  readonly complete: boolean;
  readonly keys: readonly JsonInventoryRow[];
  readonly failedAccounts: readonly JsonFailedAccount[];
  /** Rule findings (issue 10); present only when the config has a `rules` section. */
  readonly findings?: readonly JsonFinding[];
}

export function formatJson(
  rows: readonly InventoryRow[],
  asOf: string,
  failedAccounts: readonly JsonFailedAccount[] = [],
  findings?: readonly JsonFinding[],
): string {
  const inventory: JsonInventory = {
    asOf,
    // Before `keys`, so a reader of `keys: []` cannot miss that some accounts were not read.
    complete: failedAccounts.length === 0,
    keys: rows.map(jsonRow),
    failedAccounts,
    ...(findings ? { findings } : {}),
  };
  return `${JSON.stringify(inventory, null, 2)}\n`;
}
