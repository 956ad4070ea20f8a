import {
  type AccessKeyInfo,
  type AccountRef,
  type AccountScan,
  type UserReadFailure,
  type IamUserSnapshot,
} from '../domain/model';
import { type AccountInventory } from '../domain/inventory-read';
import {
  type AccountReader,
  type Clock,
  type CredentialReportProblem,
  CredentialReportUnavailableError,
  type KeyDeactivator,
  type UserKeysOptions,
  type UserKeysRead,
  type UserTagsReader,
} from '../ports';
import { IamWorld, type IamWorldOptions } from './iam-world';
import { type PasswordPolicyFacts } from '../domain/rules/rule-facts';
import {
  REPORT_REUSE_MS,
  type SimulatedCredentials,
  type SimulatedReport,
  takeReport,
} from './simulated-credential-report';
import { SimulatedIamError, type SimulatedIamErrorCode } from './simulated-iam-error';

export interface SimulatedIamOptions extends IamWorldOptions {
  /**
   * Enables the fast path (`readInventory`): credential reports are generated at this clock's time
   * and reused for 4 hours, like IAM's. Without a clock the reader offers only `readAccount`.
   */
  readonly clock?: Clock;
}

/** One call the engine made, in order, for assertions such as "read each account once". */
export type SimulatedIamCall =
  | { readonly op: 'readAccount'; readonly accountId: string }
  | { readonly op: 'readInventory'; readonly accountId: string }
  | {
      readonly op: 'readUserKeys';
      readonly accountId: string;
      readonly userNames: readonly string[];
      readonly partial?: true;
    }
  | { readonly op: 'readUserTags'; readonly accountId: string; readonly userName: string }
  | {
      readonly op: 'deactivateKey';
      readonly accountId: string;
      readonly userName: string;
      readonly accessKeyId: string;
    };

/** A deactivation that succeeded. */
export interface SimulatedDeactivation {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
}

interface InjectedFailure {
  readonly code: SimulatedIamErrorCode;
  readonly message: string;
  readonly cause?: Error;
}

/**
 * IAM in memory for the engine: the world of `IamWorld` behind the engine's reader and
 * deactivator ports, with failure injection and a record of every call. Reading an account the
 * simulation does not hold fails like AssumeRole into an account without the member role.
 */
export class SimulatedIam extends IamWorld implements AccountReader, KeyDeactivator, UserTagsReader {
  private readonly accountFailures = new Map<string, InjectedFailure>();
  private readonly userFailures = new Map<string, string>();
  private readonly deactivationFailures = new Map<string, InjectedFailure>();
  private readonly callLog: SimulatedIamCall[] = [];
  private readonly deactivationLog: SimulatedDeactivation[] = [];
  private readonly reports = new Map<string, SimulatedReport>();
  private readonly reportFailures = new Map<string, CredentialReportProblem>();
  private readonly partialReadLimits = new Map<string, number>();
  private readonly clock: Clock | undefined;
  private readonly credentials = new Map<string, SimulatedCredentials>();
  private readonly passwordPolicies = new Map<string, PasswordPolicyFacts>();
  /** Present only with a clock: the engine takes the fast path when a reader has it. */
  readonly readInventory?: (account: AccountRef) => Promise<AccountInventory>;

  constructor(options: SimulatedIamOptions = {}) {
    super(options);
    this.clock = options.clock;
    if (options.clock) this.readInventory = (account) => this.inventory(account);
  }

  /** Every call to `readAccount` and `deactivateKey`, in order, failed ones included. */
  get calls(): readonly SimulatedIamCall[] {
    return [...this.callLog];
  }

  /** Every `deactivateKey` call that succeeded, in order. */
  get deactivations(): readonly SimulatedDeactivation[] {
    return [...this.deactivationLog];
  }

  /** Forgets recorded calls and deactivations (the world is unchanged), e.g. between demo days. */
  clearCalls(): void {
    this.callLog.length = 0;
    this.deactivationLog.length = 0;
  }

  /**
   * Makes `readAccount` throw for this account until healed; the message always names the
   * account. A string becomes the reason; an Error becomes the reason and the `cause`.
   * @default an AccessDenied on `sts:AssumeRole`, the usual reason in real orgs
   */
  failAccount(accountId: string, failure?: string | Error): void {
    this.accountFailures.set(accountId, injected(failure, 'AccessDenied', assumeRoleDenied(accountId)));
  }

  /** Lists the user under `failedUsers` (with this message) instead of `users`, until healed. */
  failUser(accountId: string, userName: string, message: string): void {
    if (!this.getUser(accountId, userName)) {
      throw new SimulatedIamError('NoSuchEntity', `cannot fail unknown user ${userName} in ${accountId}`);
    }
    this.userFailures.set(`${accountId}/${userName}`, message);
  }

  /** Makes `deactivateKey` throw for this key, leaving it Active, until healed. */
  failDeactivation(accountId: string, accessKeyId: string, failure?: string | Error): void {
    const fallback = `simulated failure updating access key ${accessKeyId}`;
    this.deactivationFailures.set(
      `${accountId}/${accessKeyId}`,
      injected(failure, 'ServiceFailure', fallback),
    );
  }

  healAccount(accountId: string): void {
    this.accountFailures.delete(accountId);
  }

  healUser(accountId: string, userName: string): void {
    this.userFailures.delete(`${accountId}/${userName}`);
  }

  healDeactivation(accountId: string, accessKeyId: string): void {
    this.deactivationFailures.delete(`${accountId}/${accessKeyId}`);
  }

  /** Removes every injected failure. */
  healAll(): void {
    this.accountFailures.clear();
    this.userFailures.clear();
    this.deactivationFailures.clear();
  }

  /** Generates the account's credential report now, as a run would; later changes are not in it. */
  generateCredentialReport(accountId: string): void {
    const now = this.requireClock();
    this.reports.set(accountId, takeReport(this.listUsers(accountId), now, this.credentialsIn(accountId)));
  }

  /** Makes `readInventory` fail with this problem until healed (`healCredentialReport`). */
  failCredentialReport(accountId: string, problem: CredentialReportProblem): void {
    this.reportFailures.set(accountId, problem);
  }

  healCredentialReport(accountId: string): void {
    this.reportFailures.delete(accountId);
  }

  /**
   * Makes each `partial` key read of the account run out of time after `users` users, as a
   * large account behind IAM throttling does; `undefined` lifts the limit.
   */
  limitPartialReads(accountId: string, users: number | undefined): void {
    if (users === undefined) this.partialReadLimits.delete(accountId);
    else this.partialReadLimits.set(accountId, users);
  }

  readUserKeys(
    account: AccountRef,
    userNames: readonly string[],
    options: UserKeysOptions = {},
  ): Promise<UserKeysRead> {
    this.callLog.push({
      op: 'readUserKeys',
      accountId: account.id,
      userNames: [...userNames],
      ...(options.partial ? { partial: true as const } : {}),
    });
    return settle(() => {
      this.checkAccount(account);
      if (!options.partial) return this.keysOf(account, userNames);
      const limit = this.partialReadLimits.get(account.id) ?? userNames.length;
      return { ...this.keysOf(account, userNames.slice(0, limit)), unread: userNames.slice(limit) };
    });
  }

  private keysOf(account: AccountRef, userNames: readonly string[]): UserKeysRead {
    const keys = new Map<string, AccessKeyInfo[]>();
    const failedUsers: UserReadFailure[] = [];
    for (const userName of userNames) {
      const user = this.getUser(account.id, userName);
      if (!user) continue;
      const message = this.userFailures.get(`${account.id}/${userName}`);
      if (message === undefined) keys.set(userName, [...user.keys]);
      else failedUsers.push({ userName, message });
    }
    return { keys, failedUsers };
  }

  /** One user's tags, like `ListUserTags`: fails as the account or the user is set to fail. */
  readUserTags(account: AccountRef, userName: string): Promise<Readonly<Record<string, string>>> {
    this.callLog.push({ op: 'readUserTags', accountId: account.id, userName });
    return settle(() => {
      this.checkAccount(account);
      const user = this.getUser(account.id, userName);
      if (!user)
        throw new SimulatedIamError('NoSuchEntity', `The user with name ${userName} cannot be found.`);
      const message = this.userFailures.get(`${account.id}/${userName}`);
      if (message !== undefined) throw new SimulatedIamError('ServiceFailure', message);
      return { ...user.tags };
    });
  }

  readAccount(account: AccountRef): Promise<AccountScan> {
    this.callLog.push({ op: 'readAccount', accountId: account.id });
    return settle(() => this.scan(account));
  }

  /** Sets the key Inactive (idempotent, like IAM's UpdateAccessKey); never deletes. */
  deactivateKey(account: AccountRef, userName: string, accessKeyId: string): Promise<void> {
    this.callLog.push({ op: 'deactivateKey', accountId: account.id, userName, accessKeyId });
    return settle(() => {
      if (!this.hasAccount(account.id)) {
        throw new SimulatedIamError('AccessDenied', `${describe(account)}: ${assumeRoleDenied(account.id)}`);
      }
      const failure = this.deactivationFailures.get(`${account.id}/${accessKeyId}`);
      if (failure)
        throwInjected(failure, `Cannot deactivate key in ${describe(account)}: ${failure.message}`);
      this.setKeyStatus(account.id, userName, accessKeyId, 'Inactive');
      this.deactivationLog.push({ accountId: account.id, userName, accessKeyId });
    });
  }

  /** What the next credential report says of the user's MFA and console password. */
  setCredentials(accountId: string, userName: string, credentials: SimulatedCredentials): void {
    this.credentials.set(`${accountId}/${userName}`, credentials);
  }

  /** The account's password policy. @default none (IAM's NoSuchEntity) */
  setPasswordPolicy(accountId: string, policy: PasswordPolicyFacts): void {
    this.passwordPolicies.set(accountId, policy);
  }

  readPasswordPolicy(account: AccountRef): Promise<PasswordPolicyFacts> {
    return settle(() => {
      this.checkAccount(account);
      return this.passwordPolicies.get(account.id) ?? { kind: 'none' };
    });
  }

  private credentialsIn(accountId: string): (userName: string) => SimulatedCredentials | undefined {
    return (userName) => this.credentials.get(`${accountId}/${userName}`);
  }

  private inventory(account: AccountRef): Promise<AccountInventory> {
    this.callLog.push({ op: 'readInventory', accountId: account.id });
    return settle(() => {
      this.checkAccount(account);
      const problem = this.reportFailures.get(account.id);
      if (problem) {
        throw new CredentialReportUnavailableError(
          account.id,
          problem,
          `account ${account.id}: credential report ${problem} (simulated)`,
        );
      }
      const now = this.requireClock();
      let report = this.reports.get(account.id);
      if (!report || now.getTime() - report.generatedAt.getTime() >= REPORT_REUSE_MS) {
        report = takeReport(this.listUsers(account.id), now, this.credentialsIn(account.id));
        this.reports.set(account.id, report);
      }
      const rows = report.rows;
      const users = this.listUsers(account.id).map((user) => {
        const row = rows.get(user.userName);
        return {
          userName: user.userName,
          ...(user.arn ? { arn: user.arn } : {}),
          tags: user.tags,
          ...(row ? { report: row } : {}),
        };
      });
      return { reportGeneratedAt: report.generatedAt, users };
    });
  }

  private requireClock(): Date {
    if (!this.clock) throw new Error('SimulatedIam has no clock: pass { clock } to use credential reports');
    return this.clock.now();
  }

  private checkAccount(account: AccountRef): void {
    const failure = this.accountFailures.get(account.id);
    if (failure) throwInjected(failure, `Cannot read account ${describe(account)}: ${failure.message}`);
    if (!this.hasAccount(account.id)) {
      const message = `Cannot read account ${describe(account)}: ${assumeRoleDenied(account.id)}`;
      throw new SimulatedIamError('AccessDenied', message);
    }
  }

  private scan(account: AccountRef): AccountScan {
    this.checkAccount(account);
    const users: IamUserSnapshot[] = [];
    const failedUsers: UserReadFailure[] = [];
    for (const user of this.listUsers(account.id)) {
      const message = this.userFailures.get(`${account.id}/${user.userName}`);
      if (message === undefined) users.push(user);
      else failedUsers.push({ userName: user.userName, message });
    }
    return { users, failedUsers };
  }
}

function describe(account: AccountRef): string {
  return account.name === account.id ? account.id : `${account.name} (${account.id})`;
}

function assumeRoleDenied(accountId: string): string {
  return `not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${accountId}:role/AccessKeyEnforcerMember`;
}

function injected(
  failure: string | Error | undefined,
  code: SimulatedIamErrorCode,
  fallback: string,
): InjectedFailure {
  if (failure instanceof Error) return { code, message: failure.message, cause: failure };
  return { code, message: failure ?? fallback };
}

function throwInjected(failure: InjectedFailure, message: string): never {
  throw new SimulatedIamError(failure.code, message, failure.cause ? { cause: failure.cause } : undefined);
}

/** Runs synchronous work as a promise, so a throw becomes a rejection as it would over the network. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
