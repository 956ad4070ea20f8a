/** The organisation the stand-in serves: accounts, their users, tags and access keys. */

export interface StandInKey {
  readonly accessKeyId: string;
  status: 'Active' | 'Inactive';
  readonly createDate: Date;
  lastUsedDate?: Date;
}

export interface StandInUser {
  readonly userName: string;
  readonly userId: string;
  readonly createDate: Date;
  readonly tags: Record<string, string>;
  readonly keys: StandInKey[];
  /** Console password, as the credential report shows it. @default no password */
  password?: { readonly lastChanged: Date; readonly lastUsed?: Date | 'no_information' };
  /** @default false */
  mfaActive?: boolean;
}

export interface StandInAccount {
  readonly id: string;
  readonly users: StandInUser[];
}

export type StandInOrg = ReadonlyMap<string, StandInAccount>;

export interface GenerateOrgOptions {
  /** Users per account id, e.g. `{ '222222222222': 500 }`. */
  readonly accounts: Readonly<Record<string, number>>;
  /** Seed of the generated ages and tags. @default 1 */
  readonly seed?: number;
  /** Tags per user (beyond `slackId` and `type`), to exercise `ListUserTags` pagination. @default 0 */
  readonly extraTags?: number;
  /** Keys created up to this many days before `now`. @default 120 */
  readonly maxAgeDays?: number;
  /** @default 2027-01-01T09:00:00Z */
  readonly now?: Date;
}

/** A small deterministic PRNG (mulberry32), so a seed gives the same organisation every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Users `user-0000`…, each with `slackId`/`type` tags and 0–2 keys of random ages. */
export function generateOrg(options: GenerateOrgOptions): Map<string, StandInAccount> {
  const random = prng(options.seed ?? 1);
  const now = (options.now ?? new Date('2027-01-01T09:00:00Z')).getTime();
  const maxAgeMs = (options.maxAgeDays ?? 120) * 86_400_000;
  const org = new Map<string, StandInAccount>();
  let keySerial = 0;
  for (const [id, count] of Object.entries(options.accounts)) {
    const users: StandInUser[] = [];
    for (let i = 0; i < count; i++) {
      const userName = `user-${String(i).padStart(4, '0')}`;
      const tags: Record<string, string> = {
        slackId: `U${id.slice(-4)}${String(i).padStart(5, '0')}`,
        type: 'human',
      };
      for (let t = 0; t < (options.extraTags ?? 0); t++) tags[`extra-${t}`] = `v${t}`;
      const keys: StandInKey[] = [];
      const keyCount = Math.floor(random() * 3);
      for (let k = 0; k < keyCount; k++) {
        keys.push({
          accessKeyId: `AKIA${String(keySerial++).padStart(16, '0')}`,
          status: random() < 0.9 ? 'Active' : 'Inactive',
          createDate: new Date(Math.floor((now - random() * maxAgeMs) / 1000) * 1000),
        });
      }
      users.push({
        userName,
        userId: `AIDA${id}${String(i).padStart(8, '0')}`,
        createDate: new Date('2024-01-01T00:00:00Z'),
        tags,
        keys,
      });
    }
    org.set(id, { id, users });
  }
  return org;
}

/**
 * Rewrites every user's tags to the enforcer's defaults (`type` engineer, `slack-id`), so runs
 * over a generated organisation DM owners as in a tagged real one, instead of finding nobody.
 */
export function tagAsEngineers(org: StandInOrg): void {
  for (const account of org.values()) {
    for (const user of account.users) {
      const slackId = user.tags['slackId'] ?? user.tags['slack-id'] ?? '';
      for (const key of Object.keys(user.tags)) delete user.tags[key];
      Object.assign(user.tags, { type: 'engineer', 'slack-id': slackId });
    }
  }
}
