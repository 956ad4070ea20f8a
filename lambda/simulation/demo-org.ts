import { type Clock } from '../ports';
import { type AccountRef } from '../domain/model';
import { DAY_MS } from '../domain/dates';
import { SimulatedIam } from './simulated-iam';
import { addAgedKey, addDays, type CastMember, isoDate, type SimulatedOrg, TAG } from './simulated-org';
import { type SimulatedSlack } from './simulated-slack';

/** What a demo event may change. */
export interface DemoWorld {
  readonly iam: SimulatedIam;
  readonly slack: SimulatedSlack;
}

/** Something a person (or Slack) does on a given day, before that day's run. */
export interface DemoEvent {
  /** Days after `today` (day 0 is the first run). */
  readonly day: number;
  readonly description: string;
  apply(world: DemoWorld, now: Date): void;
}

/** A cast member with the story the demo tells about them. */
export interface DemoCastMember extends CastMember {
  readonly story: string;
}

export interface DemoOrg extends SimulatedOrg {
  readonly cast: readonly DemoCastMember[];
  /** Days the story spans: run days 0 to `windowDays` inclusive. */
  readonly windowDays: number;
  /** Human actions and Slack trouble, in day order; apply each before that day's run. */
  readonly events: readonly DemoEvent[];
}

const PROD: AccountRef = { id: '431296587140', name: 'prod' };
const STAGING: AccountRef = { id: '518273649021', name: 'staging' };
const SANDBOX: AccountRef = { id: '629384750132', name: 'sandbox' };

const SLACK = {
  maria: 'U04QX7M2K9P',
  james: 'U05JOKAF0R1',
  priya: 'U03PNAIR7QX',
  wei: 'U02WCHEN8ZT',
  aisha: 'U06ABELLO3K',
  tom: 'U01TBECK2R9',
  sofia: 'U07SROSSI5M',
  lena: 'U08LSCHM4DT',
  noah: 'U09NKIM6WQ2',
  emma: 'U0AEJOHAN55',
} as const;

// Keys were created in the small hours before `today`, so ages tick over exactly on run days.
const CREATED_BEFORE_MARK_MS = 2 * 60 * 60 * 1000;

/**
 * A small org for `npm start`: 3 accounts, 12 users, and a 30-day story (runs on days 0-30 after
 * `today`) that produces every kind of message. Ages are on day 0; day numbers assume the default
 * policy (reminders 76/81/86, deactivation 91, 5 days' notice). The first run (day 0) is each
 * account's baseline: one summary instead of new-key alerts, plus the reminders already due.
 *
 * **prod** (431296587140)
 * - `maria.garcia` (María García): key 70 days. Ignores everything: reminders on days 6, 11 and
 *   16 (ages 76/81/86), deactivated on day 21.
 * - `james.okafor` (James Okafor): key 74 days. Reminder on day 2; on day 4 creates a new key and
 *   deactivates the old one (new-key alert, thank-you); deletes the old key on day 9.
 * - `priya.nair` (Priya Nair): rotated 21 days ago and left the old key (111 days) Inactive; quiet.
 *   Owns `ci-deploy`.
 * - `ci-deploy` (machine, `slack-id` of Priya): key 84 days. Catch-up reminder on day 0, 86 on
 *   day 2 (DM to Priya and channel), overdue on day 7 but never deactivated (machine policy).
 *
 * **staging** (518273649021)
 * - `wei.chen` (Wei Chen): two active keys, 79 and 12 days: flagged as a second key; the old one
 *   gets reminders on days 0, 2, 7 and is deactivated on day 12, during the Slack outage, so its
 *   notice goes out on day 13.
 * - `aisha.bello` (Aisha Bello): key 88 days, `key-rotation-exempt-until` = day 18. Reminders say
 *   so; the deadline on day 3 is withheld; deactivated once the exemption has passed (day 18/19).
 * - `tom.becker` (Tom Becker): key 84 days, a well-formed `slack-id` that is no longer in the
 *   workspace: every DM fails with `user_not_found` and goes to the channel; deactivated on day 7.
 * - `legacy-etl` (no tags): key 79 days. Reminders to the channel marked "owner unknown" on days 0,
 *   2, 7; on day 8 someone tags it `type=machine` owned by Priya, so on day 12 it is overdue but
 *   not deactivated.
 *
 * **sandbox** (629384750132)
 * - `sofia.rossi` (Sofia Rossi): key 400 days, first seen far past its deadline: final notice on
 *   day 0 with a deadline of day 5; deactivated on day 5; she re-activates it on day 7 and it is
 *   deactivated again that day, the channel told.
 * - `lena.schmidt` (Lena Schmidt): key 88 days: one catch-up reminder on day 0 (76 and 81
 *   skipped); age 91 on day 3, but held for the 5 days' notice and deactivated on day 5.
 * - `noah.kim` (Noah Kim): key 3 days, quiet until day 15 when he creates a second key (new-key
 *   alert, second-key flag).
 * - `emma.johansson` (Emma Johansson): key 84 days, `slack-id` typed lowercase (`u0aejohan55`), so
 *   the owner is unknown: channel reminders on days 0 and 2, deactivated on day 7.
 *
 * **Credentials** (issue 10's rules, when configured): every engineer has an MFA device but
 * `noah.kim`; `james.okafor` has a console password last changed 120 days ago, and prod has no
 * password policy; staging's expires passwords after 90 days.
 *
 * **Slack**: down all of day 12 (`service_unavailable`), back on day 13.
 */
export function demoOrg(today: Date, clock?: Clock): DemoOrg {
  // With a clock the demo reads accounts the way the Lambda does: through the credential report.
  const iam = new SimulatedIam({ seed: 'demo', ...(clock ? { clock } : {}) });
  for (const account of [PROD, STAGING, SANDBOX]) iam.addAccount(account.id);
  const entries = demoCast(today);
  const keyIds = new Map<string, string[]>();
  for (const entry of entries) {
    iam.addUser(entry.accountId, entry.userName, entry.tags);
    const at = { accountId: entry.accountId, userName: entry.userName, today };
    const ids = entry.keys.map((k) =>
      addAgedKey(iam, at, k.age, {
        offsetMs: CREATED_BEFORE_MARK_MS,
        lastUsedDaysAgo: k.usedDaysAgo ?? 1,
        ...(k.status ? { status: k.status } : {}),
      }),
    );
    keyIds.set(entry.userName, ids);
    if (entry.tags[TAG.type] === 'engineer')
      iam.setCredentials(entry.accountId, entry.userName, {
        mfaActive: entry.userName !== 'noah.kim',
        ...(entry.userName === 'james.okafor'
          ? { passwordLastChanged: new Date(today.getTime() - 120 * DAY_MS) }
          : {}),
      });
  }
  iam.setPasswordPolicy(STAGING.id, { kind: 'set', maxPasswordAgeDays: 90 });
  const firstKey = (userName: string): string => keyIds.get(userName)?.[0] ?? '';
  return {
    iam,
    accounts: [{ ...PROD }, { ...STAGING }, { ...SANDBOX }],
    slack: { members: Object.values(SLACK).filter((id) => id !== SLACK.tom), inactiveMembers: [] },
    cast: entries.map(({ accountId, userName, category, story }) => ({
      accountId,
      userName,
      category,
      story,
    })),
    windowDays: 30,
    events: demoEvents(firstKey('james.okafor'), firstKey('sofia.rossi')),
  };
}

interface DemoCastEntry extends DemoCastMember {
  readonly tags: Record<string, string>;
  readonly keys: readonly { age: number; status?: 'Inactive'; usedDaysAgo?: number }[];
}

function demoCast(today: Date): DemoCastEntry[] {
  const engineer = (slackId: string, fullName: string): Record<string, string> => ({
    [TAG.type]: 'engineer',
    [TAG.slackId]: slackId,
    [TAG.fullName]: fullName,
  });
  const exemptUntil = isoDate(addDays(today, 18));
  return [
    {
      accountId: PROD.id,
      userName: 'maria.garcia',
      category: 'engineer',
      story: 'ignores every reminder; deactivated day 21',
      tags: engineer(SLACK.maria, 'María García'),
      keys: [{ age: 70 }],
    },
    {
      accountId: PROD.id,
      userName: 'james.okafor',
      category: 'engineer',
      story: 'rotates on day 4 after one reminder; thanked',
      tags: engineer(SLACK.james, 'James Okafor'),
      keys: [{ age: 74 }],
    },
    {
      accountId: PROD.id,
      userName: 'priya.nair',
      category: 'engineer-rotated',
      story: 'rotated properly; owns ci-deploy',
      tags: engineer(SLACK.priya, 'Priya Nair'),
      keys: [{ age: 21 }, { age: 111, status: 'Inactive', usedDaysAgo: 22 }],
    },
    {
      accountId: PROD.id,
      userName: 'ci-deploy',
      category: 'machine-with-owner',
      story: 'machine key: reminded, overdue, never deactivated',
      tags: { [TAG.type]: 'machine', [TAG.slackId]: SLACK.priya, team: 'platform' },
      keys: [{ age: 84, usedDaysAgo: 0 }],
    },
    {
      accountId: STAGING.id,
      userName: 'wei.chen',
      category: 'engineer-two-active-keys',
      story: 'two active keys; old one deactivated on day 12 during the Slack outage',
      tags: engineer(SLACK.wei, 'Wei Chen'),
      keys: [{ age: 79 }, { age: 12 }],
    },
    {
      accountId: STAGING.id,
      userName: 'aisha.bello',
      category: 'exempt-valid',
      story: 'exempt until day 18, then deactivated',
      tags: { ...engineer(SLACK.aisha, 'Aisha Bello'), [TAG.exemptUntil]: exemptUntil },
      keys: [{ age: 88 }],
    },
    {
      accountId: STAGING.id,
      userName: 'tom.becker',
      category: 'engineer-not-in-workspace',
      story: 'left Slack: DMs fail, channel told; deactivated day 7',
      tags: engineer(SLACK.tom, 'Tom Becker'),
      keys: [{ age: 84, usedDaysAgo: 40 }],
    },
    {
      accountId: STAGING.id,
      userName: 'legacy-etl',
      category: 'untagged',
      story: 'owner unknown until tagged as a machine on day 8',
      tags: {},
      keys: [{ age: 79, usedDaysAgo: 0 }],
    },
    {
      accountId: SANDBOX.id,
      userName: 'sofia.rossi',
      category: 'engineer',
      story: 'first seen at 400 days: final notice, deactivated day 5, re-activated day 7, deactivated again',
      tags: engineer(SLACK.sofia, 'Sofia Rossi'),
      keys: [{ age: 400 }],
    },
    {
      accountId: SANDBOX.id,
      userName: 'lena.schmidt',
      category: 'engineer',
      story: 'catch-up reminder day 0; held for 5 days notice; deactivated day 5',
      tags: engineer(SLACK.lena, 'Lena Schmidt'),
      keys: [{ age: 88 }],
    },
    {
      accountId: SANDBOX.id,
      userName: 'noah.kim',
      category: 'engineer',
      story: 'creates a second key on day 15',
      tags: engineer(SLACK.noah, 'Noah Kim'),
      keys: [{ age: 3 }],
    },
    {
      accountId: SANDBOX.id,
      userName: 'emma.johansson',
      category: 'engineer-invalid-slack-id',
      story: 'slack-id typed lowercase: owner unknown; deactivated day 7',
      tags: engineer(SLACK.emma.toLowerCase(), 'Emma Johansson'),
      keys: [{ age: 84 }],
    },
  ];
}

function demoEvents(jamesOldKey: string, sofiaKey: string): DemoEvent[] {
  return [
    {
      day: 4,
      description: 'James creates a new key and deactivates his old one',
      apply: ({ iam }, now) => {
        iam.createAccessKey(PROD.id, 'james.okafor', addHours(now, -2));
        iam.setKeyStatus(PROD.id, 'james.okafor', jamesOldKey, 'Inactive');
      },
    },
    {
      day: 7,
      description: 'Sofia re-activates her deactivated key',
      apply: ({ iam }) => iam.setKeyStatus(SANDBOX.id, 'sofia.rossi', sofiaKey, 'Active'),
    },
    {
      day: 8,
      description: 'Someone tags legacy-etl as a machine owned by Priya',
      apply: ({ iam }) => {
        iam.setTag(STAGING.id, 'legacy-etl', TAG.type, 'machine');
        iam.setTag(STAGING.id, 'legacy-etl', TAG.slackId, SLACK.priya);
      },
    },
    {
      day: 9,
      description: 'James deletes his old key',
      apply: ({ iam }) => iam.deleteAccessKey(PROD.id, 'james.okafor', jamesOldKey),
    },
    { day: 12, description: 'Slack is down all day', apply: ({ slack }) => slack.setOutage(true) },
    { day: 13, description: 'Slack is back', apply: ({ slack }) => slack.setOutage(false) },
    {
      day: 15,
      description: 'Noah creates a second key',
      apply: ({ iam }, now) => void iam.createAccessKey(SANDBOX.id, 'noah.kim', addHours(now, -2)),
    },
  ];
}

function addHours(date: Date, hours: number): Date {
  return new Date(date.getTime() + hours * 60 * 60 * 1000);
}
