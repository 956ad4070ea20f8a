/**
 * What the daily fast path reads about an account in a few IAM calls (issue 9): the credential
 * report's row per user, and every current user's tags from `GetAccountAuthorizationDetails`.
 * Plain data; adapters translate the CSV and XML into it.
 */

/** One of a user's two access-key columns in the credential report. The report has no key ids. */
export interface ReportKeySlot {
  /** `access_key_N_active`. */
  readonly active: boolean;
  /** `access_key_N_last_rotated`: the key's CreateDate, second precision; absent for `N/A`. */
  readonly lastRotated?: Date;
  /** `access_key_N_last_used_date`; absent for `N/A` or never used. */
  readonly lastUsed?: Date;
}

/** One credential-report row. Password and MFA columns are kept for the compliance rules. */
export interface CredentialReportRow {
  readonly userName: string;
  readonly arn?: string;
  readonly keys: readonly [ReportKeySlot, ReportKeySlot];
  /** `password_enabled`; undefined for `not_supported` (the root row). */
  readonly passwordEnabled?: boolean;
  /** `password_last_changed`; absent for `N/A` / `no_information`. */
  readonly passwordLastChanged?: Date;
  readonly mfaActive: boolean;
}

/** A user as it exists now, with tags, and its report row when the report has one. */
export interface InventoryUser {
  readonly userName: string;
  readonly arn?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Absent for a user created after the report was generated. */
  readonly report?: CredentialReportRow;
}

export interface AccountInventory {
  /** `GeneratedTime` of the credential report: anything changed after it is not in it. */
  readonly reportGeneratedAt: Date;
  readonly users: readonly InventoryUser[];
}
