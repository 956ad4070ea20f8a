import { type AccessKeyInfo, type UserReadFailure } from '../../domain/model';
import { type UserKeysRead } from '../../ports';
import { mapWithConcurrency } from '../../util/concurrency';
import { RetriesExhaustedError, awsErrorCode, awsErrorDetail } from './errors';
import { type AccountIam, readKeysOfUser, trackingOperation } from './user-reader';

export interface UserKeysSettings {
  /** Users read in parallel (IAM's quotas are per account). */
  readonly concurrency: number;
  readonly includeLastUsed: boolean;
}

type Outcome =
  | { readonly kind: 'read'; readonly userName: string; readonly keys: AccessKeyInfo[] }
  | { readonly kind: 'gone' }
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
  const outcomes = await mapWithConcurrency(unique, settings.concurrency, (userName) =>
    readOne(account, userName, settings.includeLastUsed),
  );
  const keys = new Map<string, readonly AccessKeyInfo[]>();
  const failedUsers: UserReadFailure[] = [];
  for (const outcome of outcomes) {
    if (outcome.kind === 'read') keys.set(outcome.userName, outcome.keys);
    else if (outcome.kind === 'failed') failedUsers.push(outcome.failure);
  }
  return { keys, failedUsers };
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
