import { decideAccount } from '../../lambda/domain/account-policy';
import { addDays, utcDate } from '../../lambda/domain/dates';
import { type KeyDecision } from '../../lambda/domain/decisions';
import { buildInventory } from '../../lambda/domain/inventory';
import { ownerMessage } from '../../lambda/domain/messages';
import { decideKey, type KeyFacts, nextStep } from '../../lambda/domain/key-policy';
import { FINAL_NOTICE, type KeyRecord } from '../../lambda/domain/ledger-records';
import { type AccessKeyInfo, type IamUserSnapshot, type Owner } from '../../lambda/domain/model';
import { context } from './messages/fixtures';
import { ACCOUNT, BASELINED, CREATED, KEY_ID, record, testConfig } from './policy-fixtures';

const config = testConfig();
const ALICE: Owner = {
  userClass: 'engineer',
  declaredType: 'engineer',
  slackId: 'U0ALICE01',
  displayName: 'Alice',
};

function keyCreatedAt(time: string): AccessKeyInfo {
  return { accessKeyId: KEY_ID, status: 'Active', createDate: new Date(`${CREATED}T${time}:00.000Z`) };
}

function factsFor(
  k: AccessKeyInfo,
  rec: KeyRecord | undefined,
  now: Date,
  overrides: Partial<KeyFacts> = {},
): KeyFacts {
  return {
    account: ACCOUNT,
    userName: 'alice',
    owner: ALICE,
    exemption: { kind: 'none' },
    key: k,
    record: rec,
    baselined: true,
    otherActiveKeys: [],
    now,
    config,
    ...overrides,
  };
}

/** Marks what the engine records after a run carried out these decisions with Slack up. */
function apply(rec: KeyRecord, decisions: readonly KeyDecision[], today: string): KeyRecord {
  let next = rec;
  for (const d of decisions) {
    if (d.kind === 'remind' || d.kind === 'final-notice') {
      const id = d.kind === 'remind' ? String(d.milestone) : FINAL_NOTICE;
      next = {
        ...next,
        milestones: { ...next.milestones, [id]: { outcome: 'sent', on: today, deliveredTo: 'owner' } },
        noticeDeliveredOn: next.noticeDeliveredOn ?? today,
        ...(d.kind === 'final-notice' ? { finalDeadline: d.subject.deadline } : {}),
        lastUserClass: d.subject.owner.userClass,
      };
    }
  }
  return next;
}

interface Schedule {
  readonly statedDeadlines: string[];
  readonly scanDeadlines: string[];
  readonly deactivatedOn?: string;
}

/** Daily runs at `runTime` from day 60 to day 100 of the key's life. */
function simulate(created: string, runTime: string): Schedule {
  const k = keyCreatedAt(created);
  let rec = record({ createdAt: k.createDate.toISOString() });
  const statedDeadlines: string[] = [];
  const scanDeadlines: string[] = [];
  for (let day = 60; day <= 100; day += 1) {
    const now = new Date(`${addDays(CREATED, day)}T${runTime}:00.000Z`);
    const today = utcDate(now);
    const user: IamUserSnapshot = {
      userName: 'alice',
      tags: { type: 'engineer', 'slack-id': 'U0ALICE01' },
      keys: [k],
    };
    const row = buildInventory({
      account: ACCOUNT,
      scan: { users: [user], failedUsers: [] },
      ledger: { ...BASELINED, keys: [rec] },
      config,
      now,
    }).rows[0];
    if (row?.deadline) scanDeadlines.push(row.deadline);
    const decisions = decideKey(factsFor(k, rec, now));
    for (const d of decisions) if (d.kind === 'remind') statedDeadlines.push(d.subject.deadline);
    if (decisions.some((d) => d.kind === 'deactivate'))
      return { statedDeadlines, scanDeadlines, deactivatedOn: today };
    rec = apply(rec, decisions, today);
  }
  return { statedDeadlines, scanDeadlines };
}

describe('deadline: the date of the run that will deactivate (issue 8 item 4)', () => {
  const cases: [string, string][] = [];
  for (const created of ['00:00', '07:59', '08:01', '14:00', '23:59']) {
    for (const run of ['08:00', '23:00', '00:00']) cases.push([created, run]);
  }

  it.each(cases)(
    'states the deadline as the date of the run that deactivates a key created at %s, runs at %s',
    (created, run) => {
      const schedule = simulate(created, run);
      expect(schedule.deactivatedOn).toBeDefined();
      expect(schedule.statedDeadlines).toHaveLength(3);
      expect(new Set(schedule.statedDeadlines)).toEqual(new Set([schedule.deactivatedOn]));
      // scan agrees with the DMs on every day it is asked.
      expect(new Set(schedule.scanDeadlines)).toEqual(new Set([schedule.deactivatedOn]));
    },
  );

  it('states the deadline as the date of the run that will deactivate a key created at 14:00', () => {
    // Created 14:00, runs at 08:00: at the 08:00 run on created+91 days the key is only 90 days old.
    expect(simulate('14:00', '08:00').deactivatedOn).toBe(addDays(CREATED, 92));
    expect(simulate('07:59', '08:00').deactivatedOn).toBe(addDays(CREATED, 91));
  });

  it('carries the deadline instant on the subject', () => {
    const k = keyCreatedAt('14:00');
    const [decision] = decideKey(factsFor(k, record(), new Date(`${addDays(CREATED, 76)}T15:00:00.000Z`)));
    expect(decision?.subject).toMatchObject({
      deadlineAt: `${addDays(CREATED, 91)}T14:00:00.000Z`,
      deadline: addDays(CREATED, 91),
    });
  });
});

describe('nextStep: one answer for the run and scan (issue 8 item 5)', () => {
  const k = keyCreatedAt('09:00');
  const at = (day: number): Date => new Date(`${addDays(CREATED, day)}T10:00:00.000Z`);

  it('shows an exempt user the same deadline in scan as in the DM', () => {
    const until = addDays(CREATED, 100);
    const exemption = { kind: 'active', until } as const;
    const [remind] = decideKey(factsFor(k, record(), at(76), { exemption }));
    const row = buildInventory({
      account: ACCOUNT,
      scan: {
        users: [
          {
            userName: 'alice',
            tags: { type: 'engineer', 'slack-id': 'U0ALICE01', 'key-rotation-exempt-until': until },
            keys: [k],
          },
        ],
        failedUsers: [],
      },
      ledger: { ...BASELINED, keys: [record()] },
      config,
      now: at(76),
    }).rows[0];
    expect(remind?.subject.deadline).toBe(addDays(until, 1));
    expect(row?.deadline).toBe(remind?.subject.deadline);
  });

  it('gives a machine user no deadline on which nothing happens', () => {
    const machine: Owner = { userClass: 'machine', declaredType: 'machine', displayName: 'ci' };
    const [remind] = decideKey(factsFor(k, record(), at(76), { owner: machine }));
    expect(remind?.subject.deactivates).toBe(false);
    if (remind?.kind !== 'remind') throw new Error('expected a reminder at day 76');
    const text = ownerMessage(remind, context()).text;
    expect(text).not.toContain(remind.subject.deadline);
    expect(text).toContain('not deactivated');
    const next = nextStep(
      factsFor(k, record({ milestones: { '76': { outcome: 'sent', on: addDays(CREATED, 76) } } }), at(77), {
        owner: machine,
      }),
    );
    expect(next).toEqual({ action: 'remind', milestone: 81, date: addDays(CREATED, 81) });
    expect(
      nextStep(
        factsFor(
          k,
          record({
            milestones: Object.fromEntries(
              ['76', '81', '86', '91'].map((m) => [m, { outcome: 'sent', on: CREATED }]),
            ),
          }),
          at(120),
          { owner: machine },
        ),
      ),
    ).toBeUndefined();
  });

  it('names today as the date of an action the run takes today', () => {
    expect(nextStep(factsFor(k, record(), at(76)))).toEqual({
      action: 'remind',
      milestone: 76,
      date: addDays(CREATED, 76),
    });
  });
});

describe('minimum notice during a Slack outage (issue 8 item 2)', () => {
  const k = keyCreatedAt('09:00');
  const at = (day: number): Date => new Date(`${addDays(CREATED, day)}T10:00:00.000Z`);
  const failedFrom = (day: number): KeyRecord => record({ noticeFirstFailedAt: at(day).toISOString() });

  it.each<[string, number, number]>([
    ['deactivates at the deadline when the first failed attempt was long before', 76, 91],
    ['deactivates 5 days after the first failed attempt when that is after the deadline', 88, 93],
  ])('%s', (_name, failedDay, expectedDay) => {
    const deactivatedOn = [89, 90, 91, 92, 93, 94].find((day) =>
      decideKey(factsFor(k, failedFrom(failedDay), at(day))).some((d) => d.kind === 'deactivate'),
    );
    expect(deactivatedOn).toBe(expectedDay);
  });

  it('states the outage deadline in the notices it keeps retrying', () => {
    const decisions = decideKey(factsFor(k, failedFrom(88), at(91)));
    expect(decisions.map((d) => d.kind)).toEqual(['final-notice']);
    expect(decisions[0]?.subject.deadline).toBe(addDays(CREATED, 93));
  });
});

describe('a machine key whose class changes (issue 8 item 15)', () => {
  const k = keyCreatedAt('09:00');
  const at = (day: number): Date => new Date(`${addDays(CREATED, day)}T10:00:00.000Z`);
  const service: Owner = { userClass: 'unknown', declaredType: 'service', displayName: 'ci' };
  const asMachine = record({
    milestones: Object.fromEntries(
      ['76', '81', '86', '91'].map((m) => [m, { outcome: 'sent', on: CREATED }]),
    ),
    noticeDeliveredOn: addDays(CREATED, 76),
    lastUserClass: 'machine',
  });

  it('gives a 120-day machine key whose type tag changes to service a final notice, not a deactivation', () => {
    const decisions = decideKey(factsFor(k, asMachine, at(120), { owner: service }));
    expect(decisions.map((d) => d.kind)).toEqual(['final-notice']);
    expect(decisions[0]?.subject.deadline).toBe(addDays(CREATED, 125));
  });

  it('deactivates it only after the final notice matured', () => {
    let rec = asMachine;
    let deactivatedOn: number | undefined;
    for (let day = 120; day <= 130 && deactivatedOn === undefined; day += 1) {
      const decisions = decideKey(factsFor(k, rec, at(day), { owner: service }));
      if (decisions.some((d) => d.kind === 'deactivate')) deactivatedOn = day;
      rec = apply(rec, decisions, utcDate(at(day)));
    }
    expect(deactivatedOn).toBe(125);
  });

  it('still deactivates a key that was always deactivatable at its deadline', () => {
    const engineerAll = { ...asMachine, lastUserClass: 'engineer' };
    expect(decideKey(factsFor(k, engineerAll, at(120))).map((d) => d.kind)).toEqual(['deactivate']);
  });
});

describe('baseline and unreadable users (issue 8 item 8)', () => {
  const alice: IamUserSnapshot = {
    userName: 'alice',
    tags: { type: 'engineer', 'slack-id': 'U0ALICE01' },
    keys: [keyCreatedAt('09:00')],
  };
  const bobKey: AccessKeyInfo = { ...keyCreatedAt('09:00'), accessKeyId: 'AKIAAAAAAAAAAAAAAAA2' };
  const bob: IamUserSnapshot = {
    userName: 'bob',
    tags: { type: 'engineer', 'slack-id': 'U0BOB0001' },
    keys: [bobKey],
  };
  const now = new Date(`${addDays(CREATED, 10)}T10:00:00.000Z`);

  it('does not complete the baseline while a user could not be read', () => {
    const plan = decideAccount({
      account: ACCOUNT,
      scan: { users: [alice], failedUsers: [{ userName: 'bob', message: 'AccessDenied' }] },
      ledger: { keys: [] },
      config,
      now,
    });
    expect(plan.decisions.map((d) => d.kind)).toEqual(['new-key']);
    expect(plan.decisions[0]).toMatchObject({ alert: false });
  });

  it('does not alert as new the keys of a user unreadable during the first scan', () => {
    const first = decideAccount({
      account: ACCOUNT,
      scan: { users: [alice], failedUsers: [{ userName: 'bob', message: 'AccessDenied' }] },
      ledger: { keys: [] },
      config,
      now,
    });
    // What the engine records: a baseline decision marks the account baselined.
    const baselined = first.decisions.some((d) => d.kind === 'baseline');
    const second = decideAccount({
      account: ACCOUNT,
      scan: { users: [alice, bob], failedUsers: [] },
      ledger: {
        ...(baselined ? { account: { accountId: ACCOUNT.id, version: 1, baselinedOn: utcDate(now) } } : {}),
        keys: [record({ newKeyAlert: 'baseline' })],
      },
      config,
      now: new Date(now.getTime() + 86_400_000),
    });
    expect(second.decisions.map((d) => d.kind)).toEqual(['new-key', 'baseline']);
    expect(second.decisions[0]).toMatchObject({
      alert: false,
      subject: { key: { accessKeyId: bobKey.accessKeyId } },
    });
  });
});
