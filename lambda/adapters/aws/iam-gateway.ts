import { setTimeout as delay } from 'node:timers/promises';

import { IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { DefaultRateLimiter } from '@smithy/core/retry';

import {
  type AccountRef,
  type AccountScan,
  type IamUserSnapshot,
  type UserReadFailure,
} from '../../domain/model';
import { type AccountInventory } from '../../domain/inventory-read';
import { type PasswordPolicyFacts } from '../../domain/rules/rule-facts';
import {
  type AccountReader,
  type Clock,
  CredentialReportUnavailableError,
  type KeyDeactivator,
  ReadIncompleteError,
  type UserKeysOptions,
  type UserKeysRead,
  type UserTagsReader,
} from '../../ports';
import { type AccountCall, type IamClientFactory, MemberSessions } from './assume-role';
import { type CallCounts, CallCounter } from './call-counter';
import { accountOfRoleArn, countRequests } from './request-counting';
import { mapWithConcurrency } from '../../util/concurrency';
import {
  AccountAccessError,
  AwsIamGatewayOptionError,
  KeyDeactivationError,
  RetriesExhaustedError,
  awsErrorCode,
  awsErrorDetail,
} from './errors';
import { readAccountInventory } from './inventory-reader';
import { readPasswordPolicy } from './password-policy-reader';
import { type AwsPartition, iamRegionForPartition, memberRoleArn } from './partition';
import { type SendRate, withRetry } from './retry';
import { listSweepUsers } from './sweep-users';
import { readKeysOfUsers } from './user-keys-reader';
import { type AccountIam, type ListedUser, readTags, readUser, trackingOperation } from './user-reader';

/** How `AwsIamGateway` reaches member accounts. */
export interface AwsIamGatewayOptions {
  /** Role assumed in every member account, e.g. `AccessKeyEnforcerMember`. */
  readonly memberRoleName: string;
  /** Partition of the hub and members; decides role ARNs and the IAM region. @default 'aws' */
  readonly partition?: AwsPartition;
  /** Client used to assume member roles (with the hub's own credentials). @default new STSClient({ maxAttempts: 1 }) */
  readonly sts?: STSClient;
  /**
   * Builds the IAM client for one member account. The default sets no endpoint, so the SDK's
   * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_IAM` settings still apply (SPEC §6, local emulators).
   * @default (credentials, region) => new IAMClient({ region, credentials, maxAttempts: 1 })
   */
  readonly iamClientFactory?: IamClientFactory;
  /**
   * Attempts per request, the first included, for transient failures (5xx, network). Throttling
   * is retried for as long as the time budget lasts, whatever the count (SPEC §5). @default 8
   */
  readonly maxAttempts?: number;
  /** Waits between retries; inject a fake in tests. @default a real timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); inject in tests to make backoffs predictable. @default Math.random */
  readonly random?: () => number;
  /** Users read in parallel within one account (IAM's quotas are per account). @default 8 */
  readonly userConcurrency?: number;
  /** Also call `GetAccessKeyLastUsed` for every key (one extra request per key). @default false */
  readonly includeLastUsed?: boolean;
  /** `RoleSessionName`, visible in the member's CloudTrail. @default 'access-key-enforcer' */
  readonly sessionName?: string;
  /** Lifetime of assumed credentials, 900..3600 (role chaining caps it at one hour). @default 3600 */
  readonly sessionDurationSeconds?: number;
  /**
   * Fallback time budget, used only when a call passes no {@link ReadBudget}: milliseconds left
   * for AWS calls. Per-invocation budgets belong to {@link AwsIamGateway.forInvocation}.
   * @default 15 minutes (Lambda's longest run) from the start of each `readAccount`
   */
  readonly deadline?: () => number;
  /**
   * The client-side send rate of one account, shared by every request to it; slows down when
   * throttled. @default the SDK's adaptive-mode `DefaultRateLimiter` (CUBIC)
   */
  readonly rateFor?: (accountId: string) => SendRate;
  /** Decides when cached credentials are due for renewal. @default the system clock */
  readonly clock?: Clock;
  /**
   * Longest wait, in total, for IAM to finish generating a credential report in `readInventory`;
   * past it (or past the call's budget) the read throws `CredentialReportUnavailableError`
   * (`in-progress`) and the engine reads the account exhaustively. @default 60000
   */
  readonly credentialReportMaxWaitMs?: number;
  /**
   * First wait between GenerateCredentialReport calls; doubles up to 8 s. IAM takes seconds for
   * a large account, so four calls cover about 15 s of generation. @default 1000
   */
  readonly credentialReportFirstPollMs?: number;
}

/** What {@link AwsIamGateway.forInvocation} hands out: every read, bound to one time budget. */
export type InvocationIam = Required<AccountReader> & KeyDeactivator & UserTagsReader;

/**
 * Reads member accounts' IAM users, tags and keys, and deactivates keys, through a role assumed
 * in each account. It can set a key `Inactive`; it has no way to delete one (SPEC §7).
 */
export class AwsIamGateway implements AccountReader, KeyDeactivator, UserTagsReader {
  private readonly counter = new CallCounter();
  private readonly rates = new Map<string, SendRate>();
  private readonly sessions: MemberSessions;
  private readonly userConcurrency: number;
  private readonly includeLastUsed: boolean;

  constructor(private readonly options: AwsIamGatewayOptions) {
    const partition = options.partition ?? 'aws';
    const duration = options.sessionDurationSeconds ?? 3600;
    requireInteger('sessionDurationSeconds', duration, 900, 3600);
    requireInteger('maxAttempts', options.maxAttempts ?? 8, 1, 100);
    this.userConcurrency = options.userConcurrency ?? 8;
    requireInteger('userConcurrency', this.userConcurrency, 1, 64);
    this.includeLastUsed = options.includeLastUsed ?? false;
    const clock = options.clock ?? { now: () => new Date() };
    // SDK retries off: ours (retry.ts) back off within the invocation's time left, which the SDK's
    // attempt-bounded strategies cannot express; the SDK's middleware still counts every request.
    const sts = options.sts ?? new STSClient({ maxAttempts: 1 });
    countRequests(sts, 'sts', (operation, input) => this.counter.record(accountOfRoleArn(input), operation));
    this.sessions = new MemberSessions({
      sts,
      roleArnFor: (accountId) => memberRoleArn(partition, accountId, options.memberRoleName),
      sessionName: options.sessionName ?? 'access-key-enforcer',
      durationSeconds: duration,
      iamRegion: iamRegionForPartition(partition),
      iamClientFactory:
        options.iamClientFactory ??
        ((credentials, region) => new IAMClient({ region, credentials, maxAttempts: 1 })),
      onIamClient: (accountId, iam) =>
        countRequests(iam, 'iam', (operation) => this.counter.record(accountId, operation)),
      call: (accountId, operation, send) => this.call(accountId, operation, send, this.fallbackDeadline()),
      now: () => clock.now().getTime(),
    });
  }

  /**
   * The reader and deactivator for one invocation: every call they make, retries included, stops
   * within `remainingTimeMs` (e.g. Lambda time left minus a reserve). Sessions, call counts and
   * send rates stay shared with the gateway; only the time budget is the invocation's own.
   */
  forInvocation(remainingTimeMs: () => number): InvocationIam {
    const budget: ReadBudget = { remainingTimeMs };
    return {
      readAccount: (account) => this.readAccount(account, budget),
      readInventory: (account) => this.readInventory(account, budget),
      readUserKeys: (account, userNames, options) => this.readUserKeys(account, userNames, options, budget),
      readUserTags: (account, userName) => this.readUserTags(account, userName, budget),
      readPasswordPolicy: (account) => this.readPasswordPolicy(account, budget),
      deactivateKey: (account, userName, accessKeyId) =>
        this.deactivateKey(account, userName, accessKeyId, budget),
    };
  }

  /**
   * Every user of the account with tags and keys. A user that cannot be read is listed in
   * `failedUsers`; a role that cannot be assumed or users that cannot be listed throw
   * `AccountAccessError`; running out of `budget` (throttling, a large account) throws
   * `ReadIncompleteError`, never `AccountAccessError` (SPEC §5, §7).
   */
  readAccount(account: AccountRef, budget?: ReadBudget): Promise<AccountScan> {
    return this.within(account, budget, (call) => this.readWithin(account, call));
  }

  /**
   * The credential report and every current user with tags (issue 9's fast path): about
   * `1 + (1..4) + 1 + ⌈users/1000⌉` requests. Throws `CredentialReportUnavailableError` when the
   * report cannot serve today (the engine then reads exhaustively), `AccountAccessError` for other
   * AWS refusals (a member role without the report actions among them), and
   * `ReadIncompleteError` when `budget` runs out.
   */
  readInventory(account: AccountRef, budget?: ReadBudget): Promise<AccountInventory> {
    return this.within(account, budget, async (call, deadline) => {
      const { accountIam, roleArn } = await this.accountIam(account, call);
      const tracked = trackingOperation(accountIam, 'iam:GenerateCredentialReport');
      const { sleep = (ms: number) => delay(ms) } = this.options;
      return readAccountInventory(tracked.account, account.id, {
        sleep,
        remainingTimeMs: deadline,
        maxWaitMs: this.options.credentialReportMaxWaitMs ?? 60_000,
        firstPollMs: this.options.credentialReportFirstPollMs ?? 1000,
        maxPollMs: 8000,
      }).catch((error: unknown) => {
        const operation = tracked.operation();
        // A member role deployed before the fast path lacks these actions: read user by user
        // (as it always could) until the role is redeployed, instead of failing the account.
        if (isAccessDenied(error)) {
          throw new CredentialReportUnavailableError(
            account.id,
            'access-denied',
            `account ${account.id}: ${operation} denied to ${roleArn}; read user by user. Redeploy the member role (StackSet) to enable the fast path`,
            { cause: error },
          );
        }
        throw asAccountError(account.id, operation, roleArn, error);
      });
    });
  }

  /**
   * `ListAccessKeys` for the named users, `userConcurrency` at a time. A user that no longer
   * exists is in neither `keys` nor `failedUsers`; one that cannot be read is in `failedUsers`;
   * running out of `budget` throws `ReadIncompleteError`, except for a `partial` read, which
   * stops once only {@link PARTIAL_READ_RESERVE_MS} is left and returns the users it did not
   * read as `unread`.
   */
  readUserKeys(
    account: AccountRef,
    userNames: readonly string[],
    options: UserKeysOptions = {},
    budget?: ReadBudget,
  ): Promise<UserKeysRead> {
    // Nobody needing a fresh look today costs no request, not even an AssumeRole.
    if (userNames.length === 0)
      return Promise.resolve({
        keys: new Map(),
        failedUsers: [],
        ...(options.partial ? { unread: [] } : {}),
      });
    // A partial read's calls, retries included, end where the reserve begins: users in flight
    // then are left unread like those not started, rather than spending the rest of the run's time.
    const whole = budget?.remainingTimeMs ?? this.fallbackDeadline();
    const own = options.partial ? { remainingTimeMs: () => whole() - PARTIAL_READ_RESERVE_MS } : budget;
    return this.within(account, own, async (call, deadline) => {
      const { accountIam, roleArn } = await this.accountIam(account, call);
      return readKeysOfUsers(accountIam, userNames, {
        concurrency: this.userConcurrency,
        includeLastUsed: this.includeLastUsed,
        ...(options.partial ? { partial: { stop: () => deadline() <= 0 } } : {}),
      }).catch((error: unknown) => {
        throw asAccountError(account.id, 'iam:ListAccessKeys', roleArn, error);
      });
    });
  }

  /** `ListUserTags` for one user (every page); failures name the account, operation and role. */
  readUserTags(
    account: AccountRef,
    userName: string,
    budget?: ReadBudget,
  ): Promise<Readonly<Record<string, string>>> {
    return this.within(account, budget, async (call) => {
      const { accountIam, roleArn } = await this.accountIam(account, call);
      return readTags(accountIam, userName).catch((error: unknown) => {
        throw asAccountError(account.id, 'iam:ListUserTags', roleArn, error);
      });
    });
  }

  /**
   * The account's password policy (one `GetAccountPasswordPolicy`), for the password rule. Never
   * throws for IAM's answer: no policy is `none`, a refusal is `unknown` with the reason.
   */
  readPasswordPolicy(account: AccountRef, budget?: ReadBudget): Promise<PasswordPolicyFacts> {
    return this.within(account, budget, async (call) => {
      const { accountIam } = await this.accountIam(account, call);
      return readPasswordPolicy(accountIam);
    });
  }

  /** Runs one read within `budget`; exhausting it is `ReadIncompleteError`, never a failure. */
  private async within<T>(
    account: AccountRef,
    budget: ReadBudget | undefined,
    read: (call: AccountCall, deadline: () => number) => Promise<T>,
  ): Promise<T> {
    const deadline = budget?.remainingTimeMs ?? this.fallbackDeadline();
    const call: AccountCall = (accountId, operation, send) => this.call(accountId, operation, send, deadline);
    try {
      return await read(call, deadline);
    } catch (error) {
      const exhausted = outOfTime(error);
      if (exhausted) {
        throw new ReadIncompleteError(
          account.id,
          `account ${account.id}: ran out of time during ${exhausted.operation} (${exhausted.detail}); resumes next run`,
          { cause: error },
        );
      }
      throw error;
    }
  }

  private async accountIam(
    account: AccountRef,
    call: AccountCall,
  ): Promise<{ accountIam: AccountIam; roleArn: string }> {
    const session = await this.sessions.get(account.id, call);
    return {
      accountIam: { iam: session.iam, call: (operation, send) => call(account.id, operation, send) },
      roleArn: session.roleArn,
    };
  }

  private async readWithin(account: AccountRef, call: AccountCall): Promise<AccountScan> {
    const { accountIam, roleArn } = await this.accountIam(account, call);
    const listing = trackingOperation(accountIam, 'iam:GetAccountAuthorizationDetails');
    const { users: listed } = await listSweepUsers(listing.account).catch((error: unknown) => {
      throw new AccountAccessError(account.id, listing.operation(), roleArn, error);
    });
    const users: IamUserSnapshot[] = [];
    const failedUsers: UserReadFailure[] = [];
    const outcomes = await mapWithConcurrency(listed, this.userConcurrency, (user) =>
      this.readOneUser(accountIam, user),
    ).catch((error: unknown) => {
      const operation = error instanceof RetriesExhaustedError ? error.operation : 'iam:ReadUser';
      throw new AccountAccessError(account.id, operation, roleArn, error);
    });
    for (const outcome of outcomes) {
      if (outcome.ok) users.push(outcome.snapshot);
      else failedUsers.push(outcome.failure);
    }
    return { users, failedUsers };
  }

  /** A user's tags and keys, or why they could not be read; rethrows only exhausted retries. */
  private async readOneUser(
    accountIam: AccountIam,
    user: ListedUser & { readonly tags?: Readonly<Record<string, string>> },
  ): Promise<UserOutcome> {
    const tracked = trackingOperation(accountIam, user.tags ? 'iam:ListAccessKeys' : 'iam:ListUserTags');
    try {
      return { ok: true, snapshot: await readUser(tracked.account, user, this.includeLastUsed) };
    } catch (error) {
      // Throttling that outlasted every retry is the account's problem, not this user's.
      if (error instanceof RetriesExhaustedError) throw error;
      const message = `${tracked.operation()} failed: ${awsErrorCode(error)} (${awsErrorDetail(error)})`;
      return { ok: false, failure: { userName: user.userName, message } };
    }
  }

  /** Sets one key `Inactive` (never deletes it). Throws `AccountAccessError` or `KeyDeactivationError`. */
  async deactivateKey(
    account: AccountRef,
    userName: string,
    accessKeyId: string,
    budget?: ReadBudget,
  ): Promise<void> {
    const deadline = budget?.remainingTimeMs ?? this.fallbackDeadline();
    const call: AccountCall = (accountId, operation, send) => this.call(accountId, operation, send, deadline);
    const session = await this.sessions.get(account.id, call);
    try {
      await call(account.id, 'iam:UpdateAccessKey', () =>
        session.iam.send(
          new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: 'Inactive' }),
        ),
      );
    } catch (error) {
      throw new KeyDeactivationError(account.id, userName, accessKeyId, error);
    }
  }

  /** AWS requests per account id and operation (e.g. `iam:ListUsers`) since the last reset, retries included. */
  callCounts(): CallCounts {
    return this.counter.snapshot();
  }

  resetCallCounts(): void {
    this.counter.reset();
  }

  /** The container-wide fallback budget: the `deadline` option, or 15 minutes from now. */
  private fallbackDeadline(): () => number {
    if (this.options.deadline) return this.options.deadline;
    const end = performance.now() + FALLBACK_BUDGET_MS;
    return () => end - performance.now();
  }

  private rateFor(accountId: string): SendRate {
    let rate = this.rates.get(accountId);
    if (!rate) {
      rate = this.options.rateFor?.(accountId) ?? new DefaultRateLimiter();
      this.rates.set(accountId, rate);
    }
    return rate;
  }

  private call<T>(
    accountId: string,
    operation: string,
    send: () => Promise<T>,
    deadline: () => number,
  ): Promise<T> {
    const { maxAttempts = 8, sleep = (ms: number) => delay(ms), random } = this.options;
    return withRetry(operation, send, {
      maxAttempts,
      sleep,
      deadline,
      rate: this.rateFor(accountId),
      ...(random ? { random } : {}),
    });
  }
}

/** The time one invocation may spend on AWS calls for a read or a deactivation. */
export interface ReadBudget {
  /** Milliseconds left; no retry backoff is started that would end after it. */
  readonly remainingTimeMs: () => number;
}

/** Lambda's longest run: the budget of a call that was given none. */
const FALLBACK_BUDGET_MS = 15 * 60_000;

/**
 * Time a partial read (a resumable first scan or full sweep) leaves unspent: the budget is the
 * invocation's whole time left, and after the listing the run still decides, acts, records and
 * reports; in a single-invocation run other accounts are still being read and acted on too.
 */
export const PARTIAL_READ_RESERVE_MS = 120_000;

/** The retries that ran out of time behind `error`, if that is what it is. */
function outOfTime(error: unknown): RetriesExhaustedError | undefined {
  for (let cause = error, depth = 0; cause !== undefined && depth < 5; depth++) {
    if (cause instanceof RetriesExhaustedError) return cause.outOfTime ? cause : undefined;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}

function isAccessDenied(error: unknown): boolean {
  const code = awsErrorCode(error);
  return code === 'AccessDenied' || code === 'AccessDeniedException';
}

/** `error` as the account's failure, unless it already says what it is. */
function asAccountError(accountId: string, operation: string, roleArn: string, error: unknown): Error {
  if (error instanceof CredentialReportUnavailableError || error instanceof AccountAccessError) return error;
  return new AccountAccessError(accountId, operation, roleArn, error);
}

type UserOutcome =
  | { readonly ok: true; readonly snapshot: IamUserSnapshot }
  | { readonly ok: false; readonly failure: UserReadFailure };

function requireInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AwsIamGatewayOptionError(`${option} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
