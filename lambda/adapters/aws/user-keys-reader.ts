import { type AccessKeyInfo, type UserReadFailure } from '../../domain/model';
import { type UserKeysRead } from '../../ports';
import { mapWithConcurrency } from '../../util/concurrency';
import { RetriesExhaustedError, awsErrorCode, awsErrorDetail } from './errors';
import { type AccountIam, readKeysOfUser, trackingOperation } from './user-reader';

export interface UserKeysSettings {
  /** Users read in parallel (IAM's quotas are per account). */
  readonly concurrency: number;
  readonly includeLastUsed: boolean;
  /**
   * Makes the read partial: once `stop()` says time is short, users not yet started are left
   * unread (the first is always tried), and so is a user whose retries ran out of time, instead
   * of failing the whole read.
   */
  readonly partial?: { readonly stop: () => boolean };
}

type Outcome =
  | { readonly kind: 'read'; readonly userName: string; readonly keys: AccessKeyInfo[] }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unread'; readonly userName: string }
  | { readonly kind: 'failed'; readonly failure: UserReadFailure };

/**
 * `ListAccessKeys` (all pages) for each named user. A user deleted since the caller saw it is
 * left out of both lists: it has no keys to decide about. Exhausted retries are rethrown, as
 * they are the account's problem rather than one user's.
 */
export async function readKeysOfUsers(
  account: AccountIam,
  userNames: readonly string[],
  settings: UserKeysSettings,
): Promise<UserKeysRead> {
  const unique = [...new Set(userNames)];
  const { partial } = settings;
  let started = 0;
  const outcomes = await mapWithConcurrency(unique, settings.concurrency, async (userName) => {
    // The first user is always tried, so that a run started short of time still moves on.
    if (started > 0 && partial?.stop()) return { kind: 'unread', userName } as const;
    started += 1;
    const outcome = readOne(account, userName, settings.includeLastUsed);
    if (!partial) return outcome;
    return outcome.catch((error: unknown) => {
      if (error instanceof RetriesExhaustedError && error.outOfTime)
        return { kind: 'unread', userName } as const;
      throw error;
    });
  });
  const keys = new Map<string, readonly AccessKeyInfo[]>();
  const failedUsers: UserReadFailure[] = [];
  const unread: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'read') keys.set(outcome.userName, outcome.keys);
    else if (outcome.kind === 'failed') failedUsers.push(outcome.failure);
    else if (outcome.kind === 'unread') unread.push(outcome.userName);
  }
  return { keys, failedUsers, ...(partial ? { unread } : {}) };
}

async function readOne(account: AccountIam, userName: string, includeLastUsed: boolean): Promise<Outcome> {
  const tracked = trackingOperation(account, 'iam:ListAccessKeys');
  try {
    return { kind: 'read', userName, keys: await readKeysOfUser(tracked.account, userName, includeLastUsed) };
  } catch (error) {
    if (error instanceof RetriesExhaustedError) throw error;
    const code = awsErrorCode(error);
    const operation = tracked.operation();
    // Only ListAccessKeys says the user is gone; a key deleted before its GetAccessKeyLastUsed is not.
    const gone = code === 'NoSuchEntity' || code === 'NoSuchEntityException';
    if (gone && operation === 'iam:ListAccessKeys') return { kind: 'gone' };
    return {
      kind: 'failed',
      failure: { userName, message: `${operation} failed: ${code} (${awsErrorDetail(error)})` },
    };
  }
}
