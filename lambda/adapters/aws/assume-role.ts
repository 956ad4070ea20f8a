import { type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

import { AccountAccessError, UnexpectedAwsResponseError } from './errors';

/** Temporary credentials from `sts:AssumeRole`; assignable to an SDK client's `credentials`. */
export interface MemberCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** Builds the IAM client used inside one member account. */
export type IamClientFactory = (credentials: MemberCredentials, region: string) => IAMClient;

/** Runs one AWS request for an account with counting and retries. */
export type AccountCall = <T>(accountId: string, operation: string, send: () => Promise<T>) => Promise<T>;

/** An assumed role in one member account and the IAM client that uses it. */
export interface MemberSession {
  readonly roleArn: string;
  readonly iam: IAMClient;
  /** When the credentials expire, epoch ms. */
  readonly expiresAt: number;
}

export interface MemberSessionSettings {
  readonly sts: STSClient;
  readonly roleArnFor: (accountId: string) => string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly iamRegion: string;
  readonly iamClientFactory: IamClientFactory;
  /** Told about every IAM client built for an account (the gateway counts its requests). */
  readonly onIamClient?: (accountId: string, iam: IAMClient) => void;
  readonly call: AccountCall;
  /** Epoch ms. */
  readonly now: () => number;
}

/**
 * Credentials are reused until this long before they expire, so that a scan or a deactivation
 * started on a cached session cannot outlive it.
 */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;

interface Entry {
  readonly session: Promise<MemberSession>;
  expiresAt?: number;
}

/**
 * One assumed role per member account, shared by every operation of a run: reading an account
 * and then deactivating its keys assumes once. Concurrent callers share one pending AssumeRole;
 * a failed one is forgotten so that the next caller tries again.
 */
export class MemberSessions {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly settings: MemberSessionSettings) {}

  /**
   * The account's session; throws `AccountAccessError` when the role cannot be assumed. `call`
   * sends AssumeRole within the caller's own time budget. @default the settings' `call`
   */
  get(accountId: string, call: AccountCall = this.settings.call): Promise<MemberSession> {
    const cached = this.entries.get(accountId);
    if (
      cached &&
      (cached.expiresAt === undefined || this.settings.now() < cached.expiresAt - REFRESH_BEFORE_EXPIRY_MS)
    ) {
      return cached.session;
    }
    const entry: Entry = { session: this.assume(accountId, call) };
    this.entries.set(accountId, entry);
    entry.session.then(
      (session) => {
        entry.expiresAt = session.expiresAt;
      },
      () => {
        if (this.entries.get(accountId) === entry) this.entries.delete(accountId);
      },
    );
    return entry.session;
  }

  private async assume(accountId: string, call: AccountCall): Promise<MemberSession> {
    const { sts, sessionName, durationSeconds, iamRegion, iamClientFactory } = this.settings;
    const roleArn = this.settings.roleArnFor(accountId);
    try {
      const output = await call(accountId, 'sts:AssumeRole', () =>
        sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: sessionName,
            DurationSeconds: durationSeconds,
          }),
        ),
      );
      const c = output.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
        throw new UnexpectedAwsResponseError('AssumeRole returned no credentials');
      }
      const credentials: MemberCredentials = {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
      const iam = iamClientFactory(credentials, iamRegion);
      this.settings.onIamClient?.(accountId, iam);
      return { roleArn, iam, expiresAt: c.Expiration.getTime() };
    } catch (error) {
      throw new AccountAccessError(accountId, 'sts:AssumeRole', roleArn, error);
    }
  }
}
