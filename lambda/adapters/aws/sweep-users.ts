import { RetriesExhaustedError } from './errors';
import { listUsersWithTags, type UserWithTags } from './authorization-details';
import { type AccountIam, type ListedUser, listAllUsers, readTags } from './user-reader';

/**
 * The users of an exhaustive read (a first scan, a full sweep), with their tags when they can be
 * trusted from `GetAccountAuthorizationDetails`.
 *
 * Every user's keys are still listed one by one (the only way to learn key ids); the tags come in
 * a few pages instead of one `ListUserTags` per user, which halves the read: a 5,000-user account
 * behind a 10 TPS bucket is about 5,000 calls, 8 to 9 minutes, inside one Lambda invocation,
 * where 10,000 calls could never finish and so never baseline the account.
 *
 * The details are trusted only when at least one user has tags there and one live `ListUserTags`
 * of such a user agrees: an endpoint that answers without tags (an emulator, an older API) would
 * otherwise turn every owner into an untagged user. Otherwise, or when the call is refused (a
 * member role deployed before it was granted), each user's tags are read live, as before.
 */
export type SweepUsers =
  | { readonly tagsFrom: 'authorization-details'; readonly users: readonly UserWithTags[] }
  | { readonly tagsFrom: 'list-user-tags'; readonly users: readonly ListedUser[] };

export async function listSweepUsers(account: AccountIam): Promise<SweepUsers> {
  let detailed: UserWithTags[];
  try {
    detailed = await listUsersWithTags(account);
  } catch (error) {
    // Throttling that outlasted the time left is the account's, whichever call hit it.
    if (error instanceof RetriesExhaustedError) throw error;
    return { tagsFrom: 'list-user-tags', users: await listAllUsers(account) };
  }
  const sample = detailed.find((user) => Object.keys(user.tags).length > 0);
  if (sample && sameTags(await readTags(account, sample.userName), sample.tags))
    return { tagsFrom: 'authorization-details', users: detailed };
  // Listed again by the call this path always used: a details answer without tags is not trusted
  // to list every user either.
  return { tagsFrom: 'list-user-tags', users: await listAllUsers(account) };
}

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
}
