import { type StandInAccount, type StandInOrg, type StandInUser } from './org';
import { IAM_NAMESPACE, STS_NAMESPACE, el, members, okResponse } from './xml';

/** An AWS error answer: HTTP status, `Type`, `Code`, `Message`. */
export class StandInAwsError extends Error {
  override readonly name = 'StandInAwsError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
  }
}

/** What one request is about: the action, its parameters and the account its credentials belong to. */
export interface ActionRequest {
  readonly action: string;
  readonly params: URLSearchParams;
  /** From the credentials the stand-in's AssumeRole handed out; undefined for the hub's own. */
  readonly accountId: string | undefined;
  readonly requestId: string;
  /** The stand-in's cap on every list page, below what `MaxItems` asks. */
  readonly pageCap: number;
  /** Answer GetAccountAuthorizationDetails without tags, as some emulators do. */
  readonly detailsWithoutTags?: boolean;
}

/** Encodes the member account in the AccessKeyId AssumeRole hands out, read back from `Credential=`. */
export const SESSION_KEY_PREFIX = 'ASIASTANDIN';

export function sessionAccessKeyId(accountId: string): string {
  return `${SESSION_KEY_PREFIX}${accountId}`;
}

export function accountOfAccessKeyId(accessKeyId: string): string | undefined {
  return accessKeyId.startsWith(SESSION_KEY_PREFIX)
    ? accessKeyId.slice(SESSION_KEY_PREFIX.length)
    : undefined;
}

const iso = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** One page of `items` after `Marker`, at most `MaxItems` (IAM's default 100, limit 1,000). */
function page<T>(items: readonly T[], { params, pageCap }: ActionRequest): { items: T[]; more: string } {
  const marker = params.get('Marker');
  const start = marker ? Number(marker.replace(/^m/, '')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new StandInAwsError(400, 'InvalidInput', 'Invalid Marker');
  const maxItems = Number(params.get('MaxItems') ?? 100);
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    throw new StandInAwsError(400, 'ValidationError', 'MaxItems must be between 1 and 1000');
  }
  const slice = items.slice(start, start + Math.min(maxItems, pageCap));
  const end = start + slice.length;
  const more =
    end < items.length ? `${el('IsTruncated', true)}${el('Marker', `m${end}`)}` : el('IsTruncated', false);
  return { items: slice, more };
}

export function memberAccount(org: StandInOrg, request: ActionRequest): StandInAccount {
  const account = request.accountId === undefined ? undefined : org.get(request.accountId);
  if (!account)
    throw new StandInAwsError(
      403,
      'InvalidClientTokenId',
      'The security token included in the request is invalid.',
    );
  return account;
}

function findUser(account: StandInAccount, userName: string | null): StandInUser {
  const user = account.users.find((u) => u.userName === userName);
  if (!user)
    throw new StandInAwsError(404, 'NoSuchEntity', `The user with name ${userName} cannot be found.`);
  return user;
}

const userXml = (accountId: string, u: StandInUser): string =>
  el('Path', '/') +
  el('UserName', u.userName) +
  el('UserId', u.userId) +
  el('Arn', `arn:aws:iam::${accountId}:user/${u.userName}`) +
  el('CreateDate', iso(u.createDate));

/** Answers one action with the XML of its `…Response`, or throws a `StandInAwsError`. */
export type Handler = (org: StandInOrg, request: ActionRequest) => string;

/** Every IAM and STS action the adapters call today, answering the XML the SDK parses. */
export const ACTIONS: Readonly<Record<string, Handler>> = {
  AssumeRole: (org, { params, requestId }) => {
    const roleArn = params.get('RoleArn') ?? '';
    const accountId = /^arn:[\w-]+:iam::(\d{12}):role\//.exec(roleArn)?.[1];
    if (!accountId || !org.has(accountId)) {
      throw new StandInAwsError(
        403,
        'AccessDenied',
        `User is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
    const seconds = Number(params.get('DurationSeconds') ?? 3600);
    const credentials =
      el('AccessKeyId', sessionAccessKeyId(accountId)) +
      el('SecretAccessKey', 'stand-in-secret') +
      el('SessionToken', `stand-in-token-${accountId}`) +
      el('Expiration', iso(new Date(Date.now() + seconds * 1000)));
    const assumed =
      el(
        'Arn',
        `${roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/')}/${params.get('RoleSessionName') ?? ''}`,
      ) + el('AssumedRoleId', `AROASTANDIN:${params.get('RoleSessionName') ?? ''}`);
    return okResponse(
      'AssumeRole',
      STS_NAMESPACE,
      `<Credentials>${credentials}</Credentials><AssumedRoleUser>${assumed}</AssumedRoleUser>`,
      requestId,
    );
  },
  ListUsers: (org, request) => {
    const account = memberAccount(org, request);
    const { items, more } = page(account.users, request);
    return okResponse(
      'ListUsers',
      IAM_NAMESPACE,
      members(
        'Users',
        items.map((u) => userXml(account.id, u)),
      ) + more,
      request.requestId,
    );
  },
  GetAccountAuthorizationDetails: (org, request) => {
    const account = memberAccount(org, request);
    const filters = [...request.params.entries()]
      .filter(([k]) => k.startsWith('Filter.member.'))
      .map(([, v]) => v);
    const known = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];
    const unknown = filters.find((f) => !known.includes(f));
    if (unknown) throw new StandInAwsError(400, 'ValidationError', `Invalid Filter value: ${unknown}`);
    // The stand-in's accounts hold users only; any other entity type pages through nothing.
    const users = filters.length === 0 || filters.includes('User') ? account.users : [];
    const { items, more } = page(users, request);
    const details = items.map(
      (u) =>
        userXml(account.id, u) +
        members('UserPolicyList', []) +
        members('GroupList', []) +
        members('AttachedManagedPolicies', []) +
        (request.detailsWithoutTags
          ? ''
          : members(
              'Tags',
              Object.entries(u.tags).map(([key, value]) => el('Key', key) + el('Value', value)),
            )),
    );
    return okResponse(
      'GetAccountAuthorizationDetails',
      IAM_NAMESPACE,
      members('UserDetailList', details) +
        members('GroupDetailList', []) +
        members('RoleDetailList', []) +
        members('Policies', []) +
        more,
      request.requestId,
    );
  },
  ListUserTags: (org, request) => {
    const user = findUser(memberAccount(org, request), request.params.get('UserName'));
    const { items, more } = page(Object.entries(user.tags), request);
    const tags = items.map(([key, value]) => el('Key', key) + el('Value', value));
    return okResponse('ListUserTags', IAM_NAMESPACE, members('Tags', tags) + more, request.requestId);
  },
  ListAccessKeys: (org, request) => {
    const user = findUser(memberAccount(org, request), request.params.get('UserName'));
    const { items, more } = page(user.keys, request);
    const keys = items.map(
      (k) =>
        el('UserName', user.userName) +
        el('AccessKeyId', k.accessKeyId) +
        el('Status', k.status) +
        el('CreateDate', iso(k.createDate)),
    );
    return okResponse(
      'ListAccessKeys',
      IAM_NAMESPACE,
      members('AccessKeyMetadata', keys) + more,
      request.requestId,
    );
  },
  UpdateAccessKey: (org, request) => {
    const user = findUser(memberAccount(org, request), request.params.get('UserName'));
    const key = user.keys.find((k) => k.accessKeyId === request.params.get('AccessKeyId'));
    if (!key)
      throw new StandInAwsError(
        404,
        'NoSuchEntity',
        `The Access Key with id ${request.params.get('AccessKeyId')} cannot be found.`,
      );
    const status = request.params.get('Status');
    if (status !== 'Active' && status !== 'Inactive')
      throw new StandInAwsError(400, 'ValidationError', 'Invalid Status');
    key.status = status;
    return `<UpdateAccessKeyResponse xmlns="${IAM_NAMESPACE}"><ResponseMetadata>${el('RequestId', request.requestId)}</ResponseMetadata></UpdateAccessKeyResponse>`;
  },
  GetAccessKeyLastUsed: (org, request) => {
    const account = memberAccount(org, request);
    const id = request.params.get('AccessKeyId');
    for (const user of account.users) {
      const key = user.keys.find((k) => k.accessKeyId === id);
      if (!key) continue;
      const used = key.lastUsedDate
        ? el('LastUsedDate', iso(key.lastUsedDate)) + el('ServiceName', 's3') + el('Region', 'us-east-1')
        : el('ServiceName', 'N/A') + el('Region', 'N/A');
      return okResponse(
        'GetAccessKeyLastUsed',
        IAM_NAMESPACE,
        el('UserName', user.userName) + `<AccessKeyLastUsed>${used}</AccessKeyLastUsed>`,
        request.requestId,
      );
    }
    throw new StandInAwsError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`);
  },
};
