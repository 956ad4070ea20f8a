import { type AccountRef } from '../domain/model';
import { MACHINE_USER_NAMES, ORPHAN_USER_NAMES, PeoplePool, type Person } from './people';
import { type SeededRandom, seededRandom } from './seeded-random';
import { SimulatedIam } from './simulated-iam';
import {
  addAgedKey,
  addDays,
  type CastMember,
  DAY_MS,
  isoDate,
  type SimulatedOrg,
  TAG,
  type UserCategory,
} from './simulated-org';

export interface GenerateOrgOptions {
  /** Same seed and options, same org: users, tags, key ids and dates. */
  readonly seed: number | string;
  /** The instant key ages and exemption dates are measured from. */
  readonly today: Date;
  /** @default 3 */
  readonly accounts?: number;
  /**
   * Users per account. A minimum: the required cast (34 users covering every category and key
   * age) is always present, spread across accounts, then each account is filled up to this.
   * @default 15
   */
  readonly usersPerAccount?: number;
}

const ACCOUNT_NAMES = [
  'prod',
  'staging',
  'sandbox',
  'dev',
  'shared-services',
  'security',
  'data',
  'log-archive',
];
// Tags real machine users carry besides ours, so the engine sees more than it reads.
const MACHINE_EXTRA_TAGS: readonly (readonly [string, string])[] = [
  ['team', 'platform'],
  ['repo', 'github.com/acme/infrastructure'],
  ['cost-center', 'CC-1042'],
];
const LONG_NAME_LENGTH = 256;

/** How many of each category every generated org holds (engineers: one per key age below). */
const REQUIRED_CAST: readonly (readonly [UserCategory, number])[] = [
  ['engineer', 12],
  ['engineer-rotated', 1],
  ['engineer-two-active-keys', 1],
  ['engineer-capitalised-type', 1],
  ['engineer-without-slack-id', 1],
  ['engineer-invalid-slack-id', 3],
  ['engineer-not-in-workspace', 1],
  ['engineer-deactivated-in-slack', 1],
  ['engineer-long-full-name', 1],
  ['engineer-without-keys', 1],
  ['machine-with-owner', 2],
  ['machine-without-owner', 2],
  ['untagged', 1],
  ['unknown-type', 1],
  ['exempt-valid', 1],
  ['exempt-expired', 1],
  ['exempt-too-far', 1],
  ['exempt-garbage', 1],
  ['inactive-keys-only', 1],
];

interface Context {
  readonly iam: SimulatedIam;
  readonly random: SeededRandom;
  readonly people: PeoplePool;
  readonly today: Date;
  readonly members: string[];
  readonly inactiveMembers: string[];
  readonly cast: CastMember[];
  /** Ages still to hand to the `engineer` cast, so every age below occurs in every org. */
  readonly engineerAges: number[];
  readonly invalidIdStyles: InvalidIdStyle[];
}

type InvalidIdStyle = 'lowercase' | 'empty' | 'garbage';
const INVALID_ID_STYLES: readonly InvalidIdStyle[] = ['lowercase', 'empty', 'garbage'];

/**
 * Builds a realistic simulated org, deterministically from `seed`. Every org, however small,
 * contains every `UserCategory`, and engineers whose active keys are, relative to `today`: fresh,
 * 70-75, 76, 80, 81, 86, 88, 90, 91, 95, 120 and 400 days old. Filler users are mostly engineers
 * with keys of every age, some machines, some with an old key left Inactive after rotating.
 */
export function generateOrg(options: GenerateOrgOptions): SimulatedOrg {
  const random = seededRandom(options.seed);
  const ctx: Context = {
    iam: new SimulatedIam({ seed: `${String(options.seed)}:key-ids` }),
    random,
    people: new PeoplePool(random.fork('people')),
    today: options.today,
    members: [],
    inactiveMembers: [],
    cast: [],
    invalidIdStyles: [...INVALID_ID_STYLES],
    engineerAges: [random.int(0, 20), random.int(70, 75), 76, 80, 81, 86, 88, 90, 91, 95, 120, 400],
  };
  const accounts = accountRefs(random, options.accounts ?? 3);
  for (const account of accounts) ctx.iam.addAccount(account.id);

  const required = REQUIRED_CAST.flatMap(([category, count]) => Array<UserCategory>(count).fill(category));
  random.shuffle(required).forEach((category, i) => {
    const account = accounts[i % accounts.length] as AccountRef;
    addCastMember(ctx, account.id, category);
  });
  const target = options.usersPerAccount ?? 15;
  for (const account of accounts) {
    const present = ctx.cast.filter((member) => member.accountId === account.id).length;
    for (let n = present; n < target; n++) addFiller(ctx, account.id);
  }
  return {
    iam: ctx.iam,
    accounts,
    slack: { members: ctx.members, inactiveMembers: ctx.inactiveMembers },
    cast: ctx.cast,
  };
}

function accountRefs(random: SeededRandom, count: number): AccountRef[] {
  const ids = new Set<string>();
  while (ids.size < count) ids.add(`${random.int(1, 9)}${random.string(11, '0123456789')}`);
  return [...ids].map((id, i) => ({ id, name: ACCOUNT_NAMES[i] ?? `workload-${i + 1}` }));
}

/** What to create for one cast member. */
interface CastSpec {
  readonly userName: string;
  readonly tags: Record<string, string>;
  readonly activeAges: readonly number[];
  readonly inactiveAges?: readonly number[];
  /** Whether the tagged `slack-id` is a workspace member. @default "member" */
  readonly slack?: 'member' | 'inactive' | 'none';
}

function addCastMember(ctx: Context, accountId: string, category: UserCategory): void {
  addSpec(ctx, accountId, category, castSpec(ctx, accountId, category, ctx.people.next()));
}

function addSpec(ctx: Context, accountId: string, category: UserCategory, spec: CastSpec): void {
  const slackId = spec.tags[TAG.slackId];
  if (slackId !== undefined && spec.slack === 'inactive') ctx.inactiveMembers.push(slackId);
  else if (slackId !== undefined && spec.slack !== 'none') ctx.members.push(slackId);
  ctx.iam.addUser(accountId, spec.userName, spec.tags);
  ctx.cast.push({ accountId, userName: spec.userName, category });
  for (const age of spec.activeAges) key(ctx, accountId, spec.userName, age, 'Active');
  for (const age of spec.inactiveAges ?? []) key(ctx, accountId, spec.userName, age, 'Inactive');
}

function castSpec(ctx: Context, accountId: string, category: UserCategory, person: Person): CastSpec {
  const { random, today } = ctx;
  const userName = person.userName;
  const tags = engineerTags(person);
  const someAge = [milestoneAge(random)];
  const exempt = (until: string): CastSpec => ({
    userName,
    tags: { ...tags, [TAG.exemptUntil]: until },
    activeAges: [random.pick([88, 91, 95, 120])],
  });
  switch (category) {
    case 'engineer':
      return { userName, tags, activeAges: [ctx.engineerAges.pop() ?? 30] };
    case 'engineer-rotated':
      return { userName, tags, activeAges: [random.int(1, 20)], inactiveAges: [random.int(100, 200)] };
    case 'engineer-two-active-keys':
      return { userName, tags, activeAges: [random.int(85, 100), random.int(1, 10)] };
    case 'engineer-capitalised-type':
      return { userName, tags: { ...tags, [TAG.type]: 'Engineer' }, activeAges: someAge };
    case 'engineer-without-slack-id':
      return { userName, tags: withoutSlackId(tags), activeAges: someAge };
    case 'engineer-invalid-slack-id':
      // The person is in Slack; the tag is wrong. The member id stays reachable by other means.
      ctx.members.push(person.slackId);
      return {
        userName,
        tags: { ...tags, [TAG.slackId]: invalidId(ctx, person) },
        activeAges: someAge,
        slack: 'none',
      };
    case 'engineer-not-in-workspace':
      return { userName, tags, activeAges: someAge, slack: 'none' };
    case 'engineer-deactivated-in-slack':
      return { userName, tags, activeAges: someAge, slack: 'inactive' };
    case 'engineer-long-full-name':
      return { userName, tags: { ...tags, [TAG.fullName]: longName(person) }, activeAges: someAge };
    case 'engineer-without-keys':
      return { userName, tags, activeAges: [] };
    case 'machine-with-owner':
      return machineSpec(ctx, accountId, person);
    case 'machine-without-owner':
      return machineSpec(ctx, accountId, undefined);
    case 'untagged':
      return {
        userName: uniqueName(ctx, accountId, random.pick(ORPHAN_USER_NAMES)),
        tags: {},
        activeAges: [random.int(300, 900)],
      };
    case 'unknown-type':
      return { userName, tags: { ...tags, [TAG.type]: 'robot' }, activeAges: someAge };
    case 'exempt-valid':
      return exempt(isoDate(addDays(today, random.int(7, 60))));
    case 'exempt-expired':
      return exempt(isoDate(addDays(today, -random.int(1, 30))));
    case 'exempt-too-far':
      return exempt(isoDate(addDays(today, random.int(120, 365))));
    case 'exempt-garbage':
      return exempt('soon');
    case 'inactive-keys-only':
      return { userName, tags, activeAges: [], inactiveAges: [random.int(100, 400)] };
  }
}

function addFiller(ctx: Context, accountId: string): void {
  const { random } = ctx;
  const person = ctx.people.next();
  if (random.chance(0.2))
    return addSpec(ctx, accountId, 'machine-with-owner', machineSpec(ctx, accountId, person));
  const age = random.chance(0.7)
    ? random.int(0, 75)
    : random.chance(0.7)
      ? random.int(76, 95)
      : random.int(96, 500);
  // Some engineers rotated properly and left the old key Inactive rather than deleting it.
  const inactiveAges = age < 60 && random.chance(0.2) ? [random.int(age + 60, age + 200)] : [];
  addSpec(ctx, accountId, 'engineer', {
    userName: person.userName,
    tags: engineerTags(person),
    activeAges: [age],
    inactiveAges,
  });
}

function machineSpec(ctx: Context, accountId: string, owner: Person | undefined): CastSpec {
  const { random } = ctx;
  const [extraKey, extraValue] = random.pick(MACHINE_EXTRA_TAGS);
  const tags: Record<string, string> = { [TAG.type]: 'machine', [extraKey]: extraValue };
  if (owner) tags[TAG.slackId] = owner.slackId;
  return {
    userName: uniqueName(ctx, accountId, random.pick(MACHINE_USER_NAMES)),
    tags,
    // Machine keys are often the oldest in an account.
    activeAges: [random.chance(0.5) ? milestoneAge(random) : random.int(0, 400)],
  };
}

function key(
  ctx: Context,
  accountId: string,
  userName: string,
  age: number,
  status: 'Active' | 'Inactive',
): void {
  const { random, today } = ctx;
  const neverUsed = random.chance(0.1);
  addAgedKey(ctx.iam, { accountId, userName, today }, age, {
    status,
    offsetMs: random.int(0, DAY_MS - 1),
    ...(neverUsed
      ? {}
      : { lastUsedDaysAgo: status === 'Active' ? random.int(0, 3) : random.int(age - 5, age) }),
  });
}

function engineerTags(person: Person): Record<string, string> {
  return { [TAG.type]: 'engineer', [TAG.slackId]: person.slackId, [TAG.fullName]: person.fullName };
}

function withoutSlackId(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => k !== TAG.slackId));
}

/** The usual mistakes, each at least once per org: the id lowercased, left empty, or garbage. */
function invalidId(ctx: Context, person: Person): string {
  const style = ctx.invalidIdStyles.shift() ?? ctx.random.pick(INVALID_ID_STYLES);
  if (style === 'lowercase') return person.slackId.toLowerCase();
  if (style === 'empty') return '';
  return ctx.random.pick([`@${person.userName}`, 'TBD', 'see Confluence', `${person.userName}@example.com`]);
}

function longName(person: Person): string {
  return `${person.fullName} Wolfeschlegelsteinhausenbergerdorff `.repeat(10).slice(0, LONG_NAME_LENGTH);
}

function milestoneAge(random: SeededRandom): number {
  return random.pick([random.int(0, 60), 76, 81, 86, 91, random.int(92, 200)]);
}

function uniqueName(ctx: Context, accountId: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!ctx.iam.getUser(accountId, name)) return name;
  }
}
