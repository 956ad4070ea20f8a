import { type ActionRequest, type Handler, StandInAwsError, memberAccount } from './actions';
import { type StandInAccount, type StandInKey, type StandInUser } from './org';
import { IAM_NAMESPACE, el, okResponse } from './xml';

/** IAM's credential-report columns, in IAM's order. */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

type Column = (typeof CREDENTIAL_REPORT_COLUMNS)[number];
type Row = Readonly<Record<Column, string>>;

/** Ways one account's credential report misbehaves, for tests of the reader's fallbacks. */
export interface CredentialReportFault {
  /** GenerateCredentialReport answers `LimitExceeded` (HTTP 409). */
  readonly limitExceeded?: boolean;
  /** Generation never completes: `INPROGRESS` and `ReportInProgress` forever. */
  readonly stuck?: boolean;
  /**
   * Serve a report dated this many stand-in ms before it was taken, and answer Generate
   * `COMPLETE` at once as if IAM had kept it: a report older than the reader's last run.
   */
  readonly ageMs?: number;
  /** GetCredentialReport answers this error whatever the report's state. */
  readonly getError?: 'ReportNotPresent' | 'ReportExpired';
  /** Columns left out of the CSV. */
  readonly omitColumns?: readonly Column[];
  /** Columns in reverse order, to prove a reader goes by header names. */
  readonly reverseColumns?: boolean;
}

export interface CredentialReportOptions {
  /** Stand-in ms from the first GenerateCredentialReport until the report is COMPLETE. @default 1000 */
  readonly generationDelayMs?: number;
  /** Per account id; change them while running with `IamStandIn.setCredentialReportFault`. */
  readonly faults?: Readonly<Record<string, CredentialReportFault>>;
}

/** IAM regenerates a report only once the last one is this old (Generate answers COMPLETE before). */
const REPORT_REUSE_MS = 4 * 3600_000;

interface Report {
  readonly startedAt: number;
  /** The org's state when generation started: a key or user created later is not in it. */
  readonly rows: readonly Row[];
}

/** IAM writes `2026-01-01T10:00:00+00:00`. */
const reportTime = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

function keyColumns(n: 1 | 2, key: StandInKey | undefined): Partial<Row> {
  const used = key?.lastUsedDate;
  return {
    [`access_key_${n}_active`]: String(key?.status === 'Active'),
    [`access_key_${n}_last_rotated`]: key ? reportTime(key.createDate) : 'N/A',
    [`access_key_${n}_last_used_date`]: used ? reportTime(used) : 'N/A',
    [`access_key_${n}_last_used_region`]: used ? 'us-east-1' : 'N/A',
    [`access_key_${n}_last_used_service`]: used ? 's3' : 'N/A',
  };
}

const NO_CERTS = {
  cert_1_active: 'false',
  cert_1_last_rotated: 'N/A',
  cert_2_active: 'false',
  cert_2_last_rotated: 'N/A',
};

function userRow(accountId: string, user: StandInUser): Row {
  // Slot 1 is the older key, as in IAM's report.
  const [older, newer] = [...user.keys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
  const { password } = user;
  const lastUsed = password?.lastUsed;
  return {
    user: user.userName,
    arn: `arn:aws:iam::${accountId}:user/${user.userName}`,
    user_creation_time: reportTime(user.createDate),
    password_enabled: String(password !== undefined),
    password_last_used: lastUsed instanceof Date ? reportTime(lastUsed) : (lastUsed ?? 'N/A'),
    password_last_changed: password ? reportTime(password.lastChanged) : 'N/A',
    password_next_rotation: 'N/A',
    mfa_active: String(user.mfaActive ?? false),
    ...keyColumns(1, older),
    ...keyColumns(2, newer),
    ...NO_CERTS,
  } as Row;
}

function rootRow(accountId: string): Row {
  return {
    user: '<root_account>',
    arn: `arn:aws:iam::${accountId}:root`,
    user_creation_time: '2020-01-01T00:00:00+00:00',
    password_enabled: 'not_supported',
    password_last_used: 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    mfa_active: 'true',
    ...keyColumns(1, undefined),
    ...keyColumns(2, undefined),
    ...NO_CERTS,
  } as Row;
}

function toCsv(rows: readonly Row[], fault: CredentialReportFault): string {
  let columns: readonly Column[] = CREDENTIAL_REPORT_COLUMNS.filter((c) => !fault.omitColumns?.includes(c));
  if (fault.reverseColumns) columns = [...columns].reverse();
  return [columns.join(','), ...rows.map((row) => columns.map((c) => row[c]).join(','))].join('\n');
}

/**
 * The credential-report lifecycle per account, on the stand-in's clock: the first Generate
 * starts a report (`STARTED`), later ones answer `INPROGRESS` until `generationDelayMs` has
 * passed, then `COMPLETE`; a report younger than 4 hours is reused, as IAM does.
 */
export class CredentialReports {
  private readonly reports = new Map<string, Report>();
  private readonly faults: Map<string, CredentialReportFault>;

  constructor(
    private readonly options: CredentialReportOptions,
    /** Stand-in time, epoch ms. */
    private readonly now: () => number,
  ) {
    this.faults = new Map(Object.entries(options.faults ?? {}));
  }

  setFault(accountId: string, fault: CredentialReportFault | undefined): void {
    if (fault) this.faults.set(accountId, fault);
    else this.faults.delete(accountId);
  }

  readonly actions: Readonly<Record<string, Handler>> = {
    GenerateCredentialReport: (org, request) => {
      const account = memberAccount(org, request);
      const fault = this.faults.get(account.id) ?? {};
      if (fault.limitExceeded) {
        throw new StandInAwsError(409, 'LimitExceeded', 'Credential report generation limit exceeded.');
      }
      const existing = this.reports.get(account.id);
      const now = this.now();
      if (!existing || (now - existing.startedAt >= REPORT_REUSE_MS && fault.ageMs === undefined)) {
        this.reports.set(account.id, this.take(account, now));
        if (fault.ageMs !== undefined) return this.state(request, 'COMPLETE', '');
        return this.state(request, 'STARTED', 'No report exists. Starting a new report generation task');
      }
      return this.isComplete(account.id, existing)
        ? this.state(request, 'COMPLETE', '')
        : this.state(request, 'INPROGRESS', 'Report generation in progress');
    },
    GetCredentialReport: (org, request) => {
      const account = memberAccount(org, request);
      const fault = this.faults.get(account.id) ?? {};
      if (fault.getError)
        throw new StandInAwsError(410, fault.getError, `Credential report: ${fault.getError}`);
      const report = this.reports.get(account.id);
      if (!report) {
        throw new StandInAwsError(
          410,
          'ReportNotPresent',
          'Credential report not present. Generate one first.',
        );
      }
      if (!this.isComplete(account.id, report)) {
        throw new StandInAwsError(404, 'ReportInProgress', 'Credential report generation in progress.');
      }
      const generatedAt = new Date(report.startedAt - (fault.ageMs ?? 0));
      const content = Buffer.from(toCsv(report.rows, fault), 'utf8').toString('base64');
      return okResponse(
        'GetCredentialReport',
        IAM_NAMESPACE,
        el('Content', content) + el('ReportFormat', 'text/csv') + el('GeneratedTime', iso(generatedAt)),
        request.requestId,
      );
    },
  };

  private take(account: StandInAccount, now: number): Report {
    return {
      startedAt: now,
      rows: [rootRow(account.id), ...account.users.map((u) => userRow(account.id, u))],
    };
  }

  private isComplete(accountId: string, report: Report): boolean {
    const fault = this.faults.get(accountId) ?? {};
    if (fault.stuck) return false;
    if (fault.ageMs !== undefined) return true;
    return this.now() - report.startedAt >= (this.options.generationDelayMs ?? 1000);
  }

  private state(request: ActionRequest, state: string, description: string): string {
    return okResponse(
      'GenerateCredentialReport',
      IAM_NAMESPACE,
      el('State', state) + el('Description', description),
      request.requestId,
    );
  }
}
