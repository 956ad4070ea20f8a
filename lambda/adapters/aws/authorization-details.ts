import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';

import { type AccountIam, type ListedUser, collectPages } from './user-reader';

/** A user and its tags, as `GetAccountAuthorizationDetails` lists them. */
export interface UserWithTags extends ListedUser {
  readonly tags: Readonly<Record<string, string>>;
}

/** IAM's largest page for this call: a 5,000-user account in 5 requests. */
const MAX_ITEMS = 1000;

/**
 * Every user of the account with its tags, all pages, in a few requests instead of one
 * `ListUserTags` per user.
 */
export async function listUsersWithTags({ iam, call }: AccountIam): Promise<UserWithTags[]> {
  const details = await collectPages('iam:GetAccountAuthorizationDetails', async (Marker) => {
    const out = await call('iam:GetAccountAuthorizationDetails', () =>
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['User'], MaxItems: MAX_ITEMS, Marker })),
    );
    return { items: out.UserDetailList, isTruncated: out.IsTruncated, marker: out.Marker };
  });
  return details.flatMap((u) =>
    u.UserName
      ? [
          {
            userName: u.UserName,
            ...(u.Arn ? { arn: u.Arn } : {}),
            tags: Object.fromEntries(
              (u.Tags ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? '']])),
            ),
          },
        ]
      : [],
  );
}
