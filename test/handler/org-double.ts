import {
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  ListUsersCommand,
  NoSuchEntityException,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';

import { type FakeUser, stsError } from '../adapters/aws/fake-org';

/**
 * A simulated organisation for the deployed wiring. `defaultDeps()` builds its own STS, IAM and
 * Secrets Manager clients, so `fake-org.ts` (which hands the gateway a client factory) cannot
 * route its requests; this double mocks every instance of each client class instead and tells
 * accounts apart by the credentials the IAM client was built with (`ASIA<accountId>`, handed
 * out by the mocked AssumeRole). Key status changes made with `UpdateAccessKey` are kept, so a
 * later run lists the key as the enforcer left it.
 */

/** How the mocked `GetSecretValue` answers. */
export type SecretAnswer = { readonly token: string } | { readonly errorCode: string };

/** Why an account's AssumeRole is refused, as the SDK reports it. */
const ASSUME_ROLE_DENIED = 'AccessDenied';

/** One `UpdateAccessKey` the enforcer made. */
export interface KeyUpdate {
  readonly accountId: string;
  readonly userName: unknown;
  readonly accessKeyId: unknown;
  readonly status: unknown;
}

export interface OrgDouble {
  readonly stsMock: AwsClientStub<STSClient>;
  readonly iamMock: AwsClientStub<IAMClient>;
  readonly secretsMock: AwsClientStub<SecretsManagerClient>;
  /** Makes every later AssumeRole into `accountId` fail with `AccessDenied`. */
  denyAssumeRole(accountId: string): void;
  /** Changes what later `GetSecretValue` calls answer (a warm container caches the token). */
  answerSecret(answer: SecretAnswer): void;
  /** Every `UpdateAccessKey` so far, with the account it reached. */
  readonly updates: readonly KeyUpdate[];
  /** Forgets recorded calls (state and behaviour are kept). */
  resetHistory(): void;
  /** Undoes the mocks. */
  restore(): void;
}

interface KeyState {
  readonly id: string;
  status: string;
  readonly created: Date;
}

/** Installs the double; `restore()` it after the test. */
export function installOrgDouble(
  accounts: Readonly<Record<string, readonly FakeUser[]>>,
  secret: SecretAnswer,
): OrgDouble {
  const state = new Map(
    Object.entries(accounts).map(([accountId, users]) => [
      accountId,
      users.map((user) => ({ ...user, keys: user.keys.map((key): KeyState => ({ ...key })) })),
    ]),
  );
  const denied = new Set<string>();
  const updates: KeyUpdate[] = [];
  const stsMock = mockClient(STSClient);
  const iamMock = mockClient(IAMClient);
  const secretsMock = mockClient(SecretsManagerClient);

  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn?: string }) => {
    const accountId = input.RoleArn?.split(':')[4] ?? '';
    if (denied.has(accountId)) {
      throw stsError(
        ASSUME_ROLE_DENIED,
        `User: arn:aws:sts::999999999999:assumed-role/AccessKeyEnforcerHub/fn is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn ?? ''}`,
      );
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${accountId}`,
        SecretAccessKey: 'member-secret',
        SessionToken: 'member-session',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    };
  });

  /** The account whose assumed credentials the calling IAM client carries. */
  const usersOf = async (getClient: () => IAMClient) => {
    const credentials = await getClient().config.credentials();
    return state.get(credentials.accessKeyId.replace(/^ASIA/, '')) ?? [];
  };
  const userNamed = async (getClient: () => IAMClient, userName: unknown) => {
    const user = (await usersOf(getClient)).find((u) => u.userName === userName);
    if (user) return user;
    throw new NoSuchEntityException({
      $metadata: { httpStatusCode: 404 },
      message: `no user ${String(userName)}`,
    });
  };

  iamMock.on(ListUsersCommand).callsFake(async (_input: unknown, getClient: () => IAMClient) => ({
    Users: (await usersOf(getClient)).map((u) => ({ UserName: u.userName })),
    IsTruncated: false,
  }));
  iamMock
    .on(ListUserTagsCommand)
    .callsFake(async (input: { UserName?: string }, getClient: () => IAMClient) => ({
      Tags: Object.entries((await userNamed(getClient, input.UserName)).tags).map(([Key, Value]) => ({
        Key,
        Value,
      })),
      IsTruncated: false,
    }));
  iamMock
    .on(ListAccessKeysCommand)
    .callsFake(async (input: { UserName?: string }, getClient: () => IAMClient) => {
      const user = await userNamed(getClient, input.UserName);
      return {
        AccessKeyMetadata: user.keys.map((k) => ({
          UserName: user.userName,
          AccessKeyId: k.id,
          Status: k.status,
          CreateDate: k.created,
        })),
        IsTruncated: false,
      };
    });
  iamMock
    .on(UpdateAccessKeyCommand)
    .callsFake(
      async (
        input: { UserName?: string; AccessKeyId?: string; Status?: string },
        getClient: () => IAMClient,
      ) => {
        const credentials = await getClient().config.credentials();
        const accountId = credentials.accessKeyId.replace(/^ASIA/, '');
        updates.push({
          accountId,
          userName: input.UserName,
          accessKeyId: input.AccessKeyId,
          status: input.Status,
        });
        const key = (await userNamed(getClient, input.UserName)).keys.find((k) => k.id === input.AccessKeyId);
        if (key && input.Status) key.status = input.Status;
        return {};
      },
    );

  const answerSecret = (answer: SecretAnswer): void => {
    secretsMock.reset();
    if ('token' in answer) secretsMock.on(GetSecretValueCommand).resolves({ SecretString: answer.token });
    else secretsMock.on(GetSecretValueCommand).rejects(secretsError(answer.errorCode));
  };
  answerSecret(secret);

  return {
    stsMock,
    iamMock,
    secretsMock,
    updates,
    denyAssumeRole: (accountId) => denied.add(accountId),
    answerSecret,
    resetHistory: () => {
      stsMock.resetHistory();
      iamMock.resetHistory();
      secretsMock.resetHistory();
      updates.length = 0;
    },
    restore: () => {
      stsMock.restore();
      iamMock.restore();
      secretsMock.restore();
    },
  };
}

/** A Secrets Manager failure as the SDK deserialises it (modelled when the model has the code). */
export function secretsError(code: string): SecretsManagerServiceException {
  const message = `Secrets Manager refused the request (${code})`;
  if (code === 'ResourceNotFoundException')
    return new ResourceNotFoundException({ $metadata: { httpStatusCode: 400 }, message });
  return new SecretsManagerServiceException({
    name: code,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message,
  });
}
