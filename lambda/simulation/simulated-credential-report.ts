import { type CredentialReportRow, type ReportKeySlot } from '../domain/inventory-read';
import { type AccessKeyInfo, type IamUserSnapshot } from '../domain/model';

/** A credential report as IAM keeps one per account: a snapshot taken when it was generated. */
export interface SimulatedReport {
  readonly generatedAt: Date;
  readonly rows: ReadonlyMap<string, CredentialReportRow>;
}

/** IAM regenerates a report only when the last one is at least this old. */
export const REPORT_REUSE_MS = 4 * 60 * 60 * 1000;

/** A user's MFA and console password as the report shows them (issue 10's rules). @default neither */
export interface SimulatedCredentials {
  readonly mfaActive?: boolean;
  /** Set: the user has a console password, changed then. */
  readonly passwordLastChanged?: Date;
}

/** The report IAM would generate now for these users (key 1 is the older key, like IAM's). */
export function takeReport(
  users: readonly IamUserSnapshot[],
  generatedAt: Date,
  credentialsOf: (userName: string) => SimulatedCredentials | undefined = () => undefined,
): SimulatedReport {
  const rows = new Map<string, CredentialReportRow>();
  for (const user of users) {
    const keys = [...user.keys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
    const credentials = credentialsOf(user.userName);
    const changed = credentials?.passwordLastChanged;
    rows.set(user.userName, {
      userName: user.userName,
      ...(user.arn ? { arn: user.arn } : {}),
      keys: [slotOf(keys[0]), slotOf(keys[1])],
      passwordEnabled: changed !== undefined,
      ...(changed ? { passwordLastChanged: changed } : {}),
      mfaActive: credentials?.mfaActive ?? false,
    });
  }
  return { generatedAt, rows };
}

function slotOf(key: AccessKeyInfo | undefined): ReportKeySlot {
  if (!key) return { active: false };
  // The report has second precision; CreateDate from ListAccessKeys keeps what the world holds.
  const lastRotated = new Date(Math.floor(key.createDate.getTime() / 1000) * 1000);
  return {
    active: key.status === 'Active',
    lastRotated,
    ...(key.lastUsedDate ? { lastUsed: key.lastUsedDate } : {}),
  };
}
