import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  IAMServiceException,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

import { type MemberCredentials } from '../../../lambda/adapters/aws/assume-role';
import { CallCounter } from '../../../lambda/adapters/aws/call-counter';

/**
 * A simulated organisation behind aws-sdk-client-mock: STS hands out credentials whose key id
 * names the account, and every IAM client built by `iamClientFactory` answers from that account's
 * users with real IAM pagination. `fault` lets a test fail any request.
 */

export interface FakeKey {
  readonly id: string;
  readonly status: 'Active' | 'Inactive' | 'Expired';
  readonly created: Date;
  readonly lastUsed?: Date;
}

export interface FakeUser {
  readonly userName: string;
  readonly tags: Record<string, string>;
  readonly keys: readonly FakeKey[];
}

/** A request the fake is about to answer; return an error to fail it instead. */
export type Fault = (request: {
  readonly accountId: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
}) => Error | undefined;

export interface FakeOrgOptions {
  readonly pageSize?: number;
  /** Page size of ListUserTags / ListAccessKeys (IAM's default MaxItems is 100). */
  readonly userPageSize?: number;
  readonly fault?: Fault;
  /** When assumed credentials expire. */
  readonly expiration?: Date;
}

export const HUB_PRINCIPAL = 'arn:aws:sts::111111111111:assumed-role/AccessKeyEnforcerHub/lambda';

/** An unmodelled AWS error as the SDK builds it, e.g. `AccessDenied` or `Throttling`. */
export function iamError(code: string, message: string, httpStatusCode = 400): IAMServiceException {
  return new IAMServiceException({
    name: code,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message,
  });
}

export function stsError(code: string, message: string, httpStatusCode = 403): STSServiceException {
  return new STSServiceException({ name: code, $fault: 'client', $metadata: { httpStatusCode }, message });
}

/** A modelled NoSuchEntity as the SDK deserialises it: class name in `name`, wire code in `Code`. */
export function noSuchUser(userName: string): NoSuchEntityException {
  return Object.assign(
    new NoSuchEntityException({
      $metadata: { httpStatusCode: 404 },
      message: `The user with name ${userName} cannot be found.`,
    }),
    { Code: 'NoSuchEntity' },
  );
}

/** `count` users named user-0000…, each with owner tags and one or two keys. */
export function makeUsers(count: number, accountId = '222222222222'): FakeUser[] {
  return Array.from({ length: count }, (_, i) => {
    const userName = `user-${String(i).padStart(4, '0')}`;
    const keys: FakeKey[] = [
      {
        id: `AKIA${accountId}${String(i).padStart(4, '0')}A`,
        status: 'Active',
        created: new Date(Date.UTC(2025, 0, 1 + (i % 28))),
      },
    ];
    if (i % 5 === 0) {
      keys.push({
        id: `AKIA${accountId}${String(i).padStart(4, '0')}B`,
        status: 'Inactive',
        created: new Date(Date.UTC(2024, 5, 1)),
      });
    }
    return {
      userName,
      tags: { type: i % 3 === 0 ? 'machine' : 'engineer', 'slack-id': `U${String(i).padStart(8, '0')}` },
      keys,
    };
  });
}

function page<T>(
  items: readonly T[],
  marker: unknown,
  size: number,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const start = typeof marker === 'string' ? Number(marker) : 0;
  const end = start + size;
  return end < items.length
    ? { items: items.slice(start, end), IsTruncated: true, Marker: String(end) }
    : { items: items.slice(start), IsTruncated: false };
}

export function installFakeOrg(accounts: Record<string, readonly FakeUser[]>, options: FakeOrgOptions = {}) {
  const { pageSize = 100, userPageSize = 100, fault = () => undefined } = options;
  const sts = new STSClient({ region: 'us-east-1' });
  const stsMock = mockClient(sts);
  const iamMock = mockClient(IAMClient);
  const accountOf = new WeakMap<object, string>();
  const factoryCalls: { accountId: string; region: string }[] = [];
  // aws-sdk-client-mock answers before the SDK's middleware stack runs, so the gateway's own
  // request counter sees nothing here; the fake counts what it answered (the stand-in tests pin
  // the gateway's counter against the wire).
  const counter = new CallCounter();

  const iamClientFactory = (credentials: MemberCredentials, region: string): IAMClient => {
    const accountId = credentials.accessKeyId.replace('ASIA', '');
    factoryCalls.push({ accountId, region });
    const client = new IAMClient({ region, credentials });
    accountOf.set(client, accountId);
    return client;
  };

  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const accountId = input.RoleArn.split(':')[4] ?? '';
    counter.record(accountId, 'sts:AssumeRole');
    const error = fault({ accountId, operation: 'sts:AssumeRole', input });
    if (error) throw error;
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: options.expiration ?? new Date(Date.now() + 3_600_000),
      },
    };
  });

  const answer =
    (operation: string, respond: (users: readonly FakeUser[], input: Record<string, unknown>) => unknown) =>
    (input: Record<string, unknown>, getClient: () => unknown) => {
      const accountId = accountOf.get(getClient() as object) ?? 'unknown';
      counter.record(accountId, operation);
      const error = fault({ accountId, operation, input });
      if (error) throw error;
      return respond(accounts[accountId] ?? [], input);
    };
  const findUser = (users: readonly FakeUser[], userName: unknown): FakeUser => {
    const user = users.find((u) => u.userName === userName);
    if (!user) throw noSuchUser(String(userName));
    return user;
  };

  iamMock.on(ListUsersCommand).callsFake(
    answer('iam:ListUsers', (users, input) => {
      const { items, ...rest } = page(users, input.Marker, pageSize);
      return {
        Users: items.map((u) => ({ UserName: u.userName, Arn: `arn:aws:iam::x:user/${u.userName}` })),
        ...rest,
      };
    }),
  );
  iamMock.on(ListUserTagsCommand).callsFake(
    answer('iam:ListUserTags', (users, input) => {
      const tags = Object.entries(findUser(users, input.UserName).tags).map(([Key, Value]) => ({
        Key,
        Value,
      }));
      const { items, ...rest } = page(tags, input.Marker, userPageSize);
      return { Tags: items, ...rest };
    }),
  );
  iamMock.on(ListAccessKeysCommand).callsFake(
    answer('iam:ListAccessKeys', (users, input) => {
      const user = findUser(users, input.UserName);
      const keys = user.keys.map((k) => ({
        UserName: user.userName,
        AccessKeyId: k.id,
        Status: k.status,
        CreateDate: k.created,
      }));
      const { items, ...rest } = page(keys, input.Marker, userPageSize);
      return { AccessKeyMetadata: items, ...rest };
    }),
  );
  iamMock.on(GetAccessKeyLastUsedCommand).callsFake(
    answer('iam:GetAccessKeyLastUsed', (users, input) => {
      const key = users.flatMap((u) => u.keys).find((k) => k.id === input.AccessKeyId);
      return { AccessKeyLastUsed: { LastUsedDate: key?.lastUsed, ServiceName: 'N/A', Region: 'N/A' } };
    }),
  );
  iamMock.on(UpdateAccessKeyCommand).callsFake(answer('iam:UpdateAccessKey', () => ({})));

  return {
    sts,
    stsMock,
    iamMock,
    iamClientFactory,
    factoryCalls,
    /** Requests answered per account and operation, failed ones included. */
    callCounts: () => counter.snapshot(),
    resetCallCounts: () => counter.reset(),
  };
}
