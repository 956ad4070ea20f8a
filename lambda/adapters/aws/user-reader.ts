import {
  GetAccessKeyLastUsedCommand,
  type IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';

import { type AccessKeyInfo, type IamUserSnapshot } from '../../domain/model';
import { UnexpectedAwsResponseError } from './errors';

/** An IAM client inside one member account, and how to send a counted, retried request with it. */
export interface AccountIam {
  readonly iam: IAMClient;
  readonly call: <T>(operation: string, send: () => Promise<T>) => Promise<T>;
}

/**
 * `account` with a memory of the last operation it sent, so that a failure message can name the
 * request that failed. `first` is named until a request is made.
 */
export function trackingOperation(
  account: AccountIam,
  first: string,
): { readonly account: AccountIam; readonly operation: () => string } {
  let operation = first;
  return {
    account: {
      iam: account.iam,
      call: (op, send) => {
        operation = op;
        return account.call(op, send);
      },
    },
    operation: () => operation,
  };
}

/** An IAM user as `ListUsers` names it. */
export interface ListedUser {
  readonly userName: string;
  readonly arn?: string;
}

/** One page of an IAM list call. */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly isTruncated?: boolean | undefined;
  readonly marker?: string | undefined;
}

/** Follows IAM's `Marker`/`IsTruncated` pagination to the last page. */
export async function collectPages<T>(
  operation: string,
  fetchPage: (marker?: string) => Promise<Page<T>>,
): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetchPage(marker);
    all.push(...(page.items ?? []));
    if (page.isTruncated && !page.marker) {
      // Stopping here would silently skip users or keys: a security gap, not a partial result.
      throw new UnexpectedAwsResponseError(`${operation} said IsTruncated but returned no Marker`);
    }
    marker = page.isTruncated ? page.marker : undefined;
  } while (marker);
  return all;
}

/** Every IAM user in the account, all pages, in IAM's order. */
export async function listAllUsers({ iam, call }: AccountIam): Promise<ListedUser[]> {
  const users = await collectPages('iam:ListUsers', async (Marker) => {
    const out = await call('iam:ListUsers', () => iam.send(new ListUsersCommand({ Marker })));
    return { items: out.Users, isTruncated: out.IsTruncated, marker: out.Marker };
  });
  return users.flatMap((u) =>
    u.UserName ? [{ userName: u.UserName, ...(u.Arn ? { arn: u.Arn } : {}) }] : [],
  );
}

/**
 * One user's tags and keys (and, when asked, when each key was last used). Tags already read for
 * the whole account (`listSweepUsers`) are taken as given; otherwise they are read live.
 */
export async function readUser(
  account: AccountIam,
  user: ListedUser & { readonly tags?: Readonly<Record<string, string>> },
  includeLastUsed: boolean,
): Promise<IamUserSnapshot> {
  const { tags: known, ...listed } = user;
  const tags = known ?? (await readTags(account, user.userName));
  return { ...listed, tags, keys: await readKeysOfUser(account, user.userName, includeLastUsed) };
}

/** One user's keys (and, when asked, when each was last used): `ListAccessKeys`, all pages. */
export async function readKeysOfUser(
  account: AccountIam,
  userName: string,
  includeLastUsed: boolean,
): Promise<AccessKeyInfo[]> {
  const keys = await readKeys(account, userName);
  return includeLastUsed ? addLastUsed(account, keys) : keys;
}

export async function readTags({ iam, call }: AccountIam, UserName: string): Promise<Record<string, string>> {
  const tags = await collectPages('iam:ListUserTags', async (Marker) => {
    const out = await call('iam:ListUserTags', () => iam.send(new ListUserTagsCommand({ UserName, Marker })));
    return { items: out.Tags, isTruncated: out.IsTruncated, marker: out.Marker };
  });
  return Object.fromEntries(tags.flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])));
}

async function readKeys({ iam, call }: AccountIam, UserName: string): Promise<AccessKeyInfo[]> {
  const keys = await collectPages('iam:ListAccessKeys', async (Marker) => {
    const out = await call('iam:ListAccessKeys', () =>
      iam.send(new ListAccessKeysCommand({ UserName, Marker })),
    );
    return { items: out.AccessKeyMetadata, isTruncated: out.IsTruncated, marker: out.Marker };
  });
  return keys.map((k) => {
    if (!k.AccessKeyId || !k.CreateDate) {
      throw new UnexpectedAwsResponseError(`iam:ListAccessKeys returned a key without id or CreateDate`);
    }
    // IAM also knows `Expired`; only `Active` keys are ever acted on (SPEC §1), so it reads as inactive.
    return {
      accessKeyId: k.AccessKeyId,
      status: k.Status === 'Active' ? 'Active' : 'Inactive',
      createDate: k.CreateDate,
    };
  });
}

async function addLastUsed(
  { iam, call }: AccountIam,
  keys: readonly AccessKeyInfo[],
): Promise<AccessKeyInfo[]> {
  const result: AccessKeyInfo[] = [];
  for (const key of keys) {
    const out = await call('iam:GetAccessKeyLastUsed', () =>
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId })),
    );
    const lastUsedDate = out.AccessKeyLastUsed?.LastUsedDate;
    result.push(lastUsedDate ? { ...key, lastUsedDate } : key);
  }
  return result;
}
