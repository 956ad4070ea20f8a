import { type AccessKeyInfo, type IamUserSnapshot, type KeyStatus } from '../domain/model';
import { type SeededRandom, seededRandom } from './seeded-random';
import { SimulatedIamError, type SimulatedIamErrorCode } from './simulated-iam-error';

export interface CreateAccessKeyOptions {
  /** @default "Active" (IAM always creates keys active; this saves a second call in fixtures) */
  readonly status?: KeyStatus;
  /** When the key was last used; absent for a key never used. */
  readonly lastUsedDate?: Date;
  /** A fixed id for hand-written fixtures. @default a generated `AKIA…` id */
  readonly accessKeyId?: string;
}

export interface IamWorldOptions {
  /** Seed for generated access key ids. @default "simulated-iam" */
  readonly seed?: number | string;
}

/** Where a key lives, as returned by `findKey`. */
export interface KeyLocation {
  readonly accountId: string;
  readonly userName: string;
  readonly key: AccessKeyInfo;
}

interface StoredKey {
  readonly accessKeyId: string;
  status: KeyStatus;
  readonly createDate: number;
  lastUsedDate?: number;
}

interface StoredUser {
  readonly userName: string;
  readonly arn: string;
  readonly tags: Map<string, string>;
  keys: StoredKey[];
}

// IAM quotas and limits (IAM User Guide, "IAM and AWS STS quotas").
const MAX_KEYS_PER_USER = 2;
const MAX_TAGS_PER_USER = 50;
const MAX_TAG_KEY_LENGTH = 128;
const MAX_TAG_VALUE_LENGTH = 256;
// IAM accepts only these characters in tag keys and values.
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCOUNT_ID = /^\d{12}$/;
// Real key ids are `AKIA` plus 16 characters of base32 (A-Z, 2-7).
const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The IAM state of many accounts, changed the way people change it between enforcer runs
 * (create, re-activate and delete keys, retag users). IAM's rules hold, so the simulation never
 * shows the engine a state real IAM cannot: 2 access keys and 50 tags per user, tag keys up to 128
 * and values up to 256 characters from IAM's tag alphabet. Everything returned is a copy.
 */
export class IamWorld {
  private readonly accounts = new Map<string, Map<string, StoredUser>>();
  private readonly issuedKeyIds = new Set<string>();
  private readonly random: SeededRandom;

  constructor(options: IamWorldOptions = {}) {
    this.random = seededRandom(options.seed ?? 'simulated-iam');
  }

  addAccount(accountId: string): void {
    if (!ACCOUNT_ID.test(accountId)) fail('InvalidInput', `${accountId} is not a 12-digit account id`);
    if (this.accounts.has(accountId)) fail('EntityAlreadyExists', `account ${accountId} already exists`);
    this.accounts.set(accountId, new Map());
  }

  hasAccount(accountId: string): boolean {
    return this.accounts.has(accountId);
  }

  accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  /** Adds a user with optional tags; returns it as `readAccount` would list it. */
  addUser(accountId: string, userName: string, tags: Readonly<Record<string, string>> = {}): IamUserSnapshot {
    const users = this.usersOf(accountId);
    if (!USER_NAME.test(userName)) fail('InvalidInput', `${userName} is not a valid IAM user name`);
    if (users.has(userName)) fail('EntityAlreadyExists', `User with name ${userName} already exists.`);
    const user: StoredUser = {
      userName,
      arn: `arn:aws:iam::${accountId}:user/${userName}`,
      tags: new Map(),
      keys: [],
    };
    for (const [key, value] of Object.entries(tags)) setTagOn(user, key, value);
    users.set(userName, user);
    return snapshotOf(user);
  }

  /** Like IAM, refuses while the user still has access keys. */
  deleteUser(accountId: string, userName: string): void {
    const user = this.userOf(accountId, userName);
    if (user.keys.length > 0) {
      fail('DeleteConflict', `Cannot delete entity, must delete access keys first (${userName}).`);
    }
    this.usersOf(accountId).delete(userName);
  }

  /** Every user of an account in creation order, as copies. */
  listUsers(accountId: string): IamUserSnapshot[] {
    return [...this.usersOf(accountId).values()].map(snapshotOf);
  }

  /** A copy of one user, or undefined. */
  getUser(accountId: string, userName: string): IamUserSnapshot | undefined {
    const user = this.accounts.get(accountId)?.get(userName);
    return user && snapshotOf(user);
  }

  /** Finds a key anywhere (key ids are globally unique, as in AWS). */
  findKey(accessKeyId: string): KeyLocation | undefined {
    for (const [accountId, users] of this.accounts) {
      for (const user of users.values()) {
        const key = user.keys.find((k) => k.accessKeyId === accessKeyId);
        if (key) return { accountId, userName: user.userName, key: keyInfoOf(key) };
      }
    }
    return undefined;
  }

  setTag(accountId: string, userName: string, key: string, value: string): void {
    setTagOn(this.userOf(accountId, userName), key, value);
  }

  removeTag(accountId: string, userName: string, key: string): void {
    this.userOf(accountId, userName).tags.delete(key);
  }

  /** Creates a key as a person would; `createDate` is when, in simulated time. */
  createAccessKey(
    accountId: string,
    userName: string,
    createDate: Date,
    options: CreateAccessKeyOptions = {},
  ): AccessKeyInfo {
    const user = this.userOf(accountId, userName);
    if (user.keys.length >= MAX_KEYS_PER_USER) {
      fail('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER} (${userName}).`);
    }
    const createdAt = createDate.getTime();
    if (Number.isNaN(createdAt)) fail('InvalidInput', `invalid createDate for a key of ${userName}`);
    const accessKeyId = options.accessKeyId ?? this.newKeyId();
    if (this.issuedKeyIds.has(accessKeyId)) fail('EntityAlreadyExists', `key ${accessKeyId} already exists`);
    this.issuedKeyIds.add(accessKeyId);
    const key: StoredKey = { accessKeyId, status: options.status ?? 'Active', createDate: createdAt };
    if (options.lastUsedDate) key.lastUsedDate = options.lastUsedDate.getTime();
    user.keys.push(key);
    return keyInfoOf(key);
  }

  /** A person switching a key on or off (e.g. re-activating one the enforcer deactivated). */
  setKeyStatus(accountId: string, userName: string, accessKeyId: string, status: KeyStatus): void {
    this.keyOf(accountId, userName, accessKeyId).status = status;
  }

  setKeyLastUsed(accountId: string, userName: string, accessKeyId: string, lastUsedDate: Date): void {
    this.keyOf(accountId, userName, accessKeyId).lastUsedDate = lastUsedDate.getTime();
  }

  /** A person deleting a key. The enforcer itself never deletes (SPEC §7). */
  deleteAccessKey(accountId: string, userName: string, accessKeyId: string): void {
    const user = this.userOf(accountId, userName);
    this.keyOf(accountId, userName, accessKeyId);
    user.keys = user.keys.filter((k) => k.accessKeyId !== accessKeyId);
  }

  private newKeyId(): string {
    for (;;) {
      const id = `AKIA${this.random.string(16, KEY_ID_ALPHABET)}`;
      if (!this.issuedKeyIds.has(id)) return id;
    }
  }

  private usersOf(accountId: string): Map<string, StoredUser> {
    const users = this.accounts.get(accountId);
    if (!users) fail('NoSuchEntity', `account ${accountId} is not in the simulation`);
    return users;
  }

  private userOf(accountId: string, userName: string): StoredUser {
    const user = this.usersOf(accountId).get(userName);
    if (!user) fail('NoSuchEntity', `The user with name ${userName} cannot be found (account ${accountId}).`);
    return user;
  }

  private keyOf(accountId: string, userName: string, accessKeyId: string): StoredKey {
    const key = this.userOf(accountId, userName).keys.find((k) => k.accessKeyId === accessKeyId);
    if (!key) {
      fail(
        'NoSuchEntity',
        `The Access Key with id ${accessKeyId} cannot be found (user ${userName}, account ${accountId}).`,
      );
    }
    return key;
  }
}

function setTagOn(user: StoredUser, key: string, value: string): void {
  if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) {
    fail('InvalidInput', `tag key must be 1-${MAX_TAG_KEY_LENGTH} characters (${user.userName})`);
  }
  if (value.length > MAX_TAG_VALUE_LENGTH) {
    fail('InvalidInput', `tag ${key} must be at most ${MAX_TAG_VALUE_LENGTH} characters (${user.userName})`);
  }
  if (!TAG_CHARACTERS.test(key) || !TAG_CHARACTERS.test(value)) {
    fail('InvalidInput', `tag ${key} has characters IAM does not accept (${user.userName})`);
  }
  if (!user.tags.has(key) && user.tags.size >= MAX_TAGS_PER_USER) {
    fail('LimitExceeded', `Cannot exceed quota for TagsPerUser: ${MAX_TAGS_PER_USER} (${user.userName}).`);
  }
  user.tags.set(key, value);
}

function snapshotOf(user: StoredUser): IamUserSnapshot {
  return {
    userName: user.userName,
    arn: user.arn,
    tags: Object.fromEntries(user.tags),
    keys: user.keys.map(keyInfoOf),
  };
}

function keyInfoOf(key: StoredKey): AccessKeyInfo {
  const info = { accessKeyId: key.accessKeyId, status: key.status, createDate: new Date(key.createDate) };
  return key.lastUsedDate === undefined ? info : { ...info, lastUsedDate: new Date(key.lastUsedDate) };
}

function fail(code: SimulatedIamErrorCode, message: string): never {
  throw new SimulatedIamError(code, message);
}
