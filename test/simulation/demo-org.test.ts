import { type IamUserSnapshot } from '../../lambda/domain/model';
import { demoOrg } from '../../lambda/simulation/demo-org';
import { ManualClock } from '../../lambda/simulation/manual-clock';
import { DAY_MS, TAG } from '../../lambda/simulation/simulated-org';
import { SimulatedSlack } from '../../lambda/simulation/simulated-slack';

const TODAY = new Date('2025-03-01T09:00:00Z');

function user(org: ReturnType<typeof demoOrg>, userName: string): IamUserSnapshot {
  const member = org.cast.find((m) => m.userName === userName)!;
  return org.iam.getUser(member.accountId, userName)!;
}

function ages(snapshot: IamUserSnapshot, at: Date): string[] {
  return snapshot.keys.map(
    (k) => `${Math.floor((at.getTime() - k.createDate.getTime()) / DAY_MS)} ${k.status}`,
  );
}

describe('demoOrg', () => {
  const org = demoOrg(TODAY);

  it('has three named accounts and twelve users', () => {
    expect(org.accounts.map((a) => a.name)).toEqual(['prod', 'staging', 'sandbox']);
    expect(org.accounts.flatMap((a) => org.iam.listUsers(a.id))).toHaveLength(12);
    expect(org.cast).toHaveLength(12);
  });

  it.each([
    ['maria.garcia', ['70 Active']],
    ['james.okafor', ['74 Active']],
    ['priya.nair', ['21 Active', '111 Inactive']],
    ['ci-deploy', ['84 Active']],
    ['wei.chen', ['79 Active', '12 Active']],
    ['aisha.bello', ['88 Active']],
    ['tom.becker', ['84 Active']],
    ['legacy-etl', ['79 Active']],
    ['sofia.rossi', ['400 Active']],
    ['lena.schmidt', ['88 Active']],
    ['noah.kim', ['3 Active']],
    ['emma.johansson', ['84 Active']],
  ])('gives %s keys aged %j on day 0', (userName, expected) => {
    expect(ages(user(org, userName), TODAY)).toEqual(expected);
  });

  it('ages keys by exactly one day per run day', () => {
    expect(ages(user(org, 'maria.garcia'), new Date(TODAY.getTime() + 21 * DAY_MS))).toEqual(['91 Active']);
  });

  it('has one each of the cases the demo must show', () => {
    const users = org.accounts.flatMap((a) => org.iam.listUsers(a.id));
    const members = new Set(org.slack.members);
    expect({
      machines: users.filter((u) => u.tags[TAG.type] === 'machine').map((u) => u.userName),
      untagged: users.filter((u) => Object.keys(u.tags).length === 0).map((u) => u.userName),
      twoActiveKeys: users
        .filter((u) => u.keys.filter((k) => k.status === 'Active').length > 1)
        .map((u) => u.userName),
      exempt: users.filter((u) => u.tags[TAG.exemptUntil] !== undefined).map((u) => u.tags[TAG.exemptUntil]),
      unreachable: users.filter((u) => u.tags[TAG.slackId] === 'U01TBECK2R9' && !members.has('U01TBECK2R9'))
        .length,
      lowercaseSlackId: users.filter((u) => u.tags[TAG.slackId] === 'u0aejohan55').map((u) => u.userName),
    }).toEqual({
      machines: ['ci-deploy'],
      untagged: ['legacy-etl'],
      twoActiveKeys: ['wei.chen'],
      exempt: ['2025-03-19'],
      unreachable: 1,
      lowercaseSlackId: ['emma.johansson'],
    });
  });

  it('is the same every time', () => {
    const again = demoOrg(TODAY);
    const snapshot = (o: typeof org): unknown => o.accounts.map((a) => o.iam.listUsers(a.id));
    expect(snapshot(again)).toEqual(snapshot(org));
  });

  it('plays its events over the window without error and ends where the story says', async () => {
    const demo = demoOrg(TODAY);
    const clock = new ManualClock(TODAY);
    const slack = new SimulatedSlack({ clock, ...demo.slack });
    const applied: number[] = [];
    for (let day = 0; day <= demo.windowDays; day++) {
      clock.set(TODAY.getTime() + day * DAY_MS);
      for (const event of demo.events.filter((e) => e.day === day)) {
        event.apply({ iam: demo.iam, slack }, clock.now());
        applied.push(event.day);
      }
    }
    const end = clock.now();
    expect(applied).toEqual([4, 7, 8, 9, 12, 13, 15]);
    expect(ages(user(demo, 'james.okafor'), end)).toEqual(['26 Active']);
    expect(ages(user(demo, 'noah.kim'), end)).toEqual(['33 Active', '15 Active']);
    expect(user(demo, 'legacy-etl').tags).toEqual({ [TAG.type]: 'machine', [TAG.slackId]: 'U03PNAIR7QX' });
    await expect(slack.postToChannel({ text: 'Slack is back', blocks: [] })).resolves.toMatchObject({
      ok: true,
    });
  });
});
