import { type CredentialReportRow, type ReportKeySlot } from '../../domain/inventory-read';

/** A parsed credential report, or why it cannot be used. */
export type ParsedCredentialReport =
  | { readonly ok: true; readonly rows: readonly CredentialReportRow[] }
  | { readonly ok: false; readonly reason: string };

/**
 * The columns the fast path reads. IAM has added columns over the years (the `_last_used_*`
 * ones, certs), so they are found by header name, never by position.
 */
const NEEDED_COLUMNS = [
  'user',
  'arn',
  'password_enabled',
  'password_last_changed',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
] as const;

type Needed = (typeof NEEDED_COLUMNS)[number];

/** IAM's row for the account's root user, which has no access keys the enforcer may touch. */
const ROOT_USER = '<root_account>';

/** Values IAM writes where a date or flag does not apply. */
const NO_VALUE = new Set(['N/A', 'no_information', 'not_supported']);

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

class BadCell extends Error {}

/** Rows of IAM's credential report CSV (the root row left out), or the first problem found. */
export function parseCredentialReportCsv(csv: string): ParsedCredentialReport {
  const [header, ...records] = splitCsv(csv);
  if (!header) return { ok: false, reason: 'the report is empty' };
  const index = new Map(header.map((name, i) => [name.trim(), i]));
  const missing = NEEDED_COLUMNS.filter((c) => !index.has(c));
  if (missing.length > 0) return { ok: false, reason: `the report has no column ${missing.join(', ')}` };
  const rows: CredentialReportRow[] = [];
  for (const [n, record] of records.entries()) {
    const cell = (column: Needed): string => {
      const value = record[index.get(column) ?? -1];
      if (value === undefined) throw new BadCell(`row ${n + 2} has no ${column}`);
      return value;
    };
    try {
      if (cell('user') === ROOT_USER) continue;
      rows.push(toRow(cell));
    } catch (error) {
      if (error instanceof BadCell) return { ok: false, reason: error.message };
      throw error;
    }
  }
  return { ok: true, rows };
}

function toRow(cell: (column: Needed) => string): CredentialReportRow {
  const passwordEnabled = optionalFlag(cell('password_enabled'), 'password_enabled');
  const passwordLastChanged = date(cell('password_last_changed'), 'password_last_changed');
  const arn = cell('arn');
  return {
    userName: cell('user'),
    ...(arn && !NO_VALUE.has(arn) ? { arn } : {}),
    keys: [slot(cell, 1), slot(cell, 2)],
    ...(passwordEnabled === undefined ? {} : { passwordEnabled }),
    ...(passwordLastChanged ? { passwordLastChanged } : {}),
    mfaActive: flag(cell('mfa_active'), 'mfa_active'),
  };
}

function slot(cell: (column: Needed) => string, n: 1 | 2): ReportKeySlot {
  const lastRotated = date(cell(`access_key_${n}_last_rotated`), `access_key_${n}_last_rotated`);
  const lastUsed = date(cell(`access_key_${n}_last_used_date`), `access_key_${n}_last_used_date`);
  return {
    active: flag(cell(`access_key_${n}_active`), `access_key_${n}_active`),
    ...(lastRotated ? { lastRotated } : {}),
    ...(lastUsed ? { lastUsed } : {}),
  };
}

function optionalFlag(value: string, column: string): boolean | undefined {
  return NO_VALUE.has(value) ? undefined : flag(value, column);
}

function flag(value: string, column: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new BadCell(`${column} is neither true nor false: ${JSON.stringify(value)}`);
}

function date(value: string, column: string): Date | undefined {
  if (NO_VALUE.has(value)) return undefined;
  if (!TIMESTAMP.test(value)) throw new BadCell(`${column} is not a timestamp: ${JSON.stringify(value)}`);
  return new Date(value);
}

/**
 * RFC 4180 records. IAM user names may contain commas (`+=,.@_-` are allowed), so a quoted
 * field must not be split; blank lines are dropped.
 */
function splitCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0] !== '') records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  record.push(field);
  if (record.length > 1 || record[0] !== '') records.push(record);
  return records;
}
