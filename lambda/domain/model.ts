/**
 * Plain data the policy reads: what IAM says about an account, and who owns each user.
 * Nothing here knows about the AWS SDK; adapters translate into these shapes.
 */

/** An account being processed. */
export interface AccountRef {
  readonly id: string;
  /** Display name; the id when none is configured. */
  readonly name: string;
}

export type KeyStatus = 'Active' | 'Inactive';

/** One access key as IAM lists it. The key id is not a secret; the secret never reaches us. */
export interface AccessKeyInfo {
  readonly accessKeyId: string;
  readonly status: KeyStatus;
  readonly createDate: Date;
  /** From `GetAccessKeyLastUsed`, when the reader fetched it. */
  readonly lastUsedDate?: Date;
}

/** One IAM user with its tags (as a key→value map) and keys. */
export interface IamUserSnapshot {
  readonly userName: string;
  readonly arn?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly keys: readonly AccessKeyInfo[];
}

/** A user whose tags or keys could not be read; its ledger records are left untouched. */
export interface UserReadFailure {
  readonly userName: string;
  readonly message: string;
}

/** Everything read from one account in one run. */
export interface AccountScan {
  readonly users: readonly IamUserSnapshot[];
  readonly failedUsers: readonly UserReadFailure[];
  /**
   * Users a first scan too large for one run has not listed yet (issue 9): not in `users`, not a
   * problem, and, like a failed user, no evidence that their keys are gone.
   */
  readonly unlistedUsers?: readonly string[];
}

/** How a user is treated (SPEC §3). */
export type UserClass = 'engineer' | 'machine' | 'unknown';

/** Who owns a user's keys, resolved from tags. */
export interface Owner {
  readonly userClass: UserClass;
  /** The `type` tag as written, when present. */
  readonly declaredType?: string;
  /** A valid Slack member id, when tagged. */
  readonly slackId?: string;
  readonly fullName?: string;
  /** Full name when tagged, else the IAM user name. */
  readonly displayName: string;
}

/** An exemption tag that is in force today. */
export interface Exemption {
  readonly until: string;
}
