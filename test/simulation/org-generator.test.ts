import { type IamUserSnapshot } from '../../lambda/domain/model';
import { generateOrg } from '../../lambda/simulation/org-generator';
import { DAY_MS, type SimulatedOrg, TAG, type UserCategory } from '../../lambda/simulation/simulated-org';

const TODAY = new Date('2025-06-15T09:30:00Z');
const VALID_SLACK_ID = /^[UW][A-Z0-9]{8,}$/;

function everyUser(org: SimulatedOrg): IamUserSnapshot[] {
  return org.accounts.flatMap((account) => org.iam.listUsers(account.id));
}

function usersIn(org: SimulatedOrg, category: UserCategory): IamUserSnapshot[] {
  return org.cast
    .filter((member) => member.category === category)
    .map((member) => org.iam.getUser(member.accountId, member.userName)!);
}

function activeAges(user: IamUserSnapshot): number[] {
  return user.keys
    .filter((key) => key.status === 'Active')
    .map((key) => Math.floor((TODAY.getTime() - key.createDate.getTime()) / DAY_MS));
}

function daysUntil(date: string): number {
  return Math.round(
    (Date.parse(`${date}T00:00:00Z`) - Date.parse(TODAY.toISOString().slice(0, 10))) / DAY_MS,
  );
}

describe('generateOrg', () => {
  const org = generateOrg({ seed: 2025, today: TODAY });

  it('is deterministic: the same seed gives the same org', () => {
    const again = generateOrg({ seed: 2025, today: TODAY });
    expect([again.accounts, again.slack, again.cast, everyUser(again)]).toEqual([
      org.accounts,
      org.slack,
      org.cast,
      everyUser(org),
    ]);
  });

  it('gives a different org for a different seed', () => {
    expect(everyUser(generateOrg({ seed: 2026, today: TODAY }))).not.toEqual(everyUser(org));
  });

  it('names accounts like a real org, with 12-digit ids', () => {
    expect(org.accounts.map((a) => a.name)).toEqual(['prod', 'staging', 'sandbox']);
    expect(org.accounts.every((a) => /^\d{12}$/.test(a.id))).toBe(true);
  });

  it('fills each account to at least usersPerAccount', () => {
    const big = generateOrg({ seed: 1, today: TODAY, accounts: 4, usersPerAccount: 30 });
    expect(big.accounts.map((a) => big.iam.listUsers(a.id).length >= 30)).toEqual([true, true, true, true]);
  });

  it('issues unique, well-formed key ids across accounts', () => {
    const ids = everyUser(org).flatMap((u) => u.keys.map((k) => k.accessKeyId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^AKIA[A-Z2-7]{16}$/.test(id))).toBe(true);
  });

  it('has engineers with keys of every age that matters', () => {
    const ages = usersIn(org, 'engineer').flatMap(activeAges);
    expect(ages).toEqual(expect.arrayContaining([76, 80, 81, 86, 88, 90, 91, 95, 120, 400]));
    expect(ages.some((age) => age <= 20)).toBe(true);
    expect(ages.some((age) => age >= 70 && age <= 75)).toBe(true);
  });

  it.each([1, 2, 3, 7])('contains every kind of user with %d account(s)', (accounts) => {
    const small = generateOrg({ seed: `mix-${accounts}`, today: TODAY, accounts, usersPerAccount: 1 });
    const users = everyUser(small);
    const engineers = users.filter((u) => u.tags[TAG.type] === 'engineer');
    const machines = users.filter((u) => u.tags[TAG.type] === 'machine');
    const slackIds = engineers.map((u) => u.tags[TAG.slackId]);
    const exemptions = users.map((u) => u.tags[TAG.exemptUntil]).filter((v): v is string => v !== undefined);
    const datedExemptions = exemptions.filter((v) => /^\d{4}-\d{2}-\d{2}$/.test(v)).map(daysUntil);
    expect({
      machinesWithOwner: machines.some((u) => VALID_SLACK_ID.test(u.tags[TAG.slackId] ?? '')),
      machinesWithoutOwner: machines.some((u) => u.tags[TAG.slackId] === undefined),
      untagged: users.some((u) => Object.keys(u.tags).length === 0),
      twoActiveKeys: engineers.some((u) => activeAges(u).length === 2),
      lowercaseSlackId: slackIds.some((id) => id !== undefined && /^[uw][a-z0-9]{8,}$/.test(id)),
      emptySlackId: slackIds.includes(''),
      garbageSlackId: slackIds.some((id) => !!id && !/^[uw][a-z0-9]+$/i.test(id)),
      engineerWithoutSlackId: slackIds.includes(undefined),
      validExemption: datedExemptions.some((d) => d > 0 && d <= 90),
      expiredExemption: datedExemptions.some((d) => d < 0),
      tooFarExemption: datedExemptions.some((d) => d > 90),
      garbageExemption: exemptions.includes('soon'),
      inactiveKeys: users.some((u) => u.keys.some((k) => k.status === 'Inactive')),
      onlyInactiveKeys: users.some((u) => u.keys.length > 0 && activeAges(u).length === 0),
      noKeys: users.some((u) => u.keys.length === 0),
      maxLengthTagValue: users.some((u) => Object.values(u.tags).some((v) => v.length === 256)),
      robotType: users.some((u) => u.tags[TAG.type] === 'robot'),
      capitalisedType: users.some((u) => u.tags[TAG.type] === 'Engineer'),
      realisticNames: engineers.every((u) => /^[a-z]+\.[a-z]+\d*$/.test(u.userName)),
    }).toEqual({
      machinesWithOwner: true,
      machinesWithoutOwner: true,
      untagged: true,
      twoActiveKeys: true,
      lowercaseSlackId: true,
      emptySlackId: true,
      garbageSlackId: true,
      engineerWithoutSlackId: true,
      validExemption: true,
      expiredExemption: true,
      tooFarExemption: true,
      garbageExemption: true,
      inactiveKeys: true,
      onlyInactiveKeys: true,
      noKeys: true,
      maxLengthTagValue: true,
      robotType: true,
      capitalisedType: true,
      realisticNames: true,
    });
  });

  it('counts the required cast by category', () => {
    const counts = Object.fromEntries(
      [...new Set(org.cast.map((m) => m.category))].map((c) => [c, usersIn(org, c).length]),
    );
    expect(counts).toEqual(
      expect.objectContaining({
        'engineer-invalid-slack-id': 3,
        'machine-without-owner': 2,
        'engineer-not-in-workspace': 1,
        'engineer-deactivated-in-slack': 1,
        'exempt-valid': 1,
        'exempt-expired': 1,
        'exempt-too-far': 1,
        'exempt-garbage': 1,
      }),
    );
    expect(counts.engineer).toBeGreaterThanOrEqual(12);
    expect(counts['machine-with-owner']).toBeGreaterThanOrEqual(2);
  });

  it('puts valid engineers and machine owners in the workspace, and not the unreachable ones', () => {
    const idOf = (category: UserCategory): string => usersIn(org, category)[0]!.tags[TAG.slackId]!;
    const members = new Set(org.slack.members);
    const ownerIds = usersIn(org, 'machine-with-owner').map((u) => u.tags[TAG.slackId]!);
    expect(usersIn(org, 'engineer').every((u) => members.has(u.tags[TAG.slackId]!))).toBe(true);
    expect(ownerIds.every((id) => members.has(id))).toBe(true);
    expect(idOf('engineer-not-in-workspace')).toMatch(VALID_SLACK_ID);
    expect(members.has(idOf('engineer-not-in-workspace'))).toBe(false);
    expect(org.slack.inactiveMembers).toEqual([idOf('engineer-deactivated-in-slack')]);
  });

  it('never dates a last use before creation or after today', () => {
    const keys = everyUser(org).flatMap((u) => u.keys);
    const lastUsed = keys.filter((k) => k.lastUsedDate !== undefined);
    expect(lastUsed.length).toBeGreaterThan(0);
    expect(lastUsed.every((k) => k.lastUsedDate! >= k.createDate && k.lastUsedDate! <= TODAY)).toBe(true);
  });

  it('builds a large org quickly', () => {
    const started = performance.now();
    const large = generateOrg({ seed: 'large', today: TODAY, accounts: 20, usersPerAccount: 200 });
    const elapsed = performance.now() - started;
    expect(everyUser(large)).toHaveLength(4000);
    expect(elapsed).toBeLessThan(2000);
  });
});
