import { type KeyDecision } from '../../lambda/domain/decisions';
import { decideKey, type KeyFacts } from '../../lambda/domain/key-policy';
import { type KeyRecord } from '../../lambda/domain/ledger-records';
import { type Owner } from '../../lambda/domain/model';
import { ACCOUNT, dateOnDay, key, onDay, record, sent, skipped, testConfig } from './policy-fixtures';

const ALICE: Owner = {
  userClass: 'engineer',
  declaredType: 'engineer',
  slackId: 'U0ALICE01',
  displayName: 'Alice',
};

function facts(age: number, overrides: Partial<KeyFacts> = {}): KeyFacts {
  return {
    account: ACCOUNT,
    userName: 'alice',
    owner: ALICE,
    exemption: { kind: 'none' },
    key: key(),
    record: record(),
    baselined: true,
    otherActiveKeys: [],
    now: onDay(age),
    config: testConfig(),
    ...overrides,
  };
}

/** Compact view of decisions for tables: `remind:81`, `deactivate:deadline`, ... */
function summarize(decisions: readonly KeyDecision[]): string[] {
  return decisions.map((d) => {
    switch (d.kind) {
      case 'remind':
        return `remind:${d.milestone}${d.skipped.length ? ` skip:${d.skipped.join(',')}` : ''}`;
      case 'deactivate':
        return `deactivate:${d.reason}${d.skipped.length ? ` skip:${d.skipped.join(',')}` : ''}`;
      case 'new-key':
        return `new-key:${d.alert ? 'alert' : 'silent'}`;
      case 'thanks':
        return `thanks:${d.how}`;
      case 'final-notice':
        return `final-notice${d.skipped.length ? ` skip:${d.skipped.join(',')}` : ''}`;
      default:
        return d.kind;
    }
  });
}

const remindedAll: Partial<KeyRecord> = {
  milestones: { '76': sent(76), '81': sent(81), '86': sent(86) },
  noticeDeliveredOn: dateOnDay(76),
};

describe('decideKey: milestones for an engineer', () => {
  it.each<[string, number, Partial<KeyRecord>, string[]]>([
    ['nothing before the first reminder (age 75)', 75, {}, []],
    ['first reminder at exactly 76', 76, {}, ['remind:76']],
    ['nothing more on the same day once 76 is done', 76, { milestones: { '76': sent(76) } }, []],
    ['nothing between milestones (age 80)', 80, { milestones: { '76': sent(76) } }, []],
    ['second reminder at 81', 81, { milestones: { '76': sent(76) } }, ['remind:81']],
    ['third reminder at 86', 86, { milestones: { '76': sent(76), '81': sent(81) } }, ['remind:86']],
    ['one catch-up reminder after missed runs, not three', 87, {}, ['remind:86 skip:76,81']],
    ['catch-up skips only what is not done', 86, { milestones: { '76': sent(76) } }, ['remind:86 skip:81']],
    ['nothing at 90, the last day before the deadline', 90, remindedAll, []],
    ['deactivation at exactly 91 with notice satisfied', 91, remindedAll, ['deactivate:deadline']],
    [
      'deactivation after missed runs marks the missed reminder skipped',
      95,
      { milestones: { '76': sent(76) }, noticeDeliveredOn: dateOnDay(76) },
      ['deactivate:deadline skip:81,86'],
    ],
  ])('%s', (_name, age, recordOverrides, expected) => {
    expect(summarize(decideKey(facts(age, { record: record(recordOverrides) })))).toEqual(expected);
  });

  it('states the deadline and the days left in a reminder', () => {
    const [decision] = decideKey(
      facts(81, { record: record({ milestones: { '76': sent(76) }, noticeDeliveredOn: dateOnDay(76) }) }),
    );
    expect(decision).toMatchObject({
      kind: 'remind',
      subject: { ageDays: 81, deadline: dateOnDay(91), daysLeft: 10 },
    });
  });
});

describe('decideKey: minimum notice (SPEC §2)', () => {
  it.each<[string, number, string | undefined, string[]]>([
    ['notice delivered exactly 5 days before: deactivate', 91, dateOnDay(86), ['deactivate:deadline']],
    ['notice delivered 4 days before: wait', 91, dateOnDay(87), []],
    ['notice matures a day later: deactivate', 92, dateOnDay(87), ['deactivate:deadline']],
  ])('%s', (_name, age, noticeDeliveredOn, expected) => {
    // Only the 86 reminder got through (Slack was down before), on the day given.
    const rec = record({
      milestones: { '76': skipped(86), '81': skipped(86), '86': sent(86) },
      ...(noticeDeliveredOn ? { noticeDeliveredOn } : {}),
    });
    expect(summarize(decideKey(facts(age, { record: rec })))).toEqual(expected);
  });

  it('sends a final notice with a new deadline to a key first seen past its deadline', () => {
    const decisions = decideKey(facts(120, { record: undefined, baselined: false }));
    expect(summarize(decisions)).toEqual(['new-key:silent', 'final-notice skip:76,81,86']);
    expect(decisions[1]).toMatchObject({ subject: { deadline: dateOnDay(125), daysLeft: 5 } });
  });

  it('deactivates a late-seen key exactly when its final notice has matured', () => {
    const rec = record({
      milestones: { final: sent(120), '76': skipped(120), '81': skipped(120), '86': skipped(120) },
      noticeDeliveredOn: dateOnDay(120),
      finalDeadline: dateOnDay(125),
    });
    expect(summarize(decideKey(facts(124, { record: rec })))).toEqual([]);
    expect(summarize(decideKey(facts(125, { record: rec })))).toEqual(['deactivate:deadline']);
  });

  it('pushes the announced deadline back when the first notice is late', () => {
    const [decision] = decideKey(facts(88, { record: record() }));
    expect(decision).toMatchObject({
      kind: 'remind',
      milestone: 86,
      subject: { deadline: dateOnDay(93), daysLeft: 5 },
    });
  });

  it('retries the final notice while it has not reached anyone', () => {
    expect(summarize(decideKey(facts(121, { record: record() })))).toEqual(['final-notice skip:76,81,86']);
  });
});

describe('decideKey: exemptions and user classes', () => {
  const exempt = { kind: 'active', until: dateOnDay(100) } as const;

  it('keeps reminding an exempt key and says so', () => {
    const [decision] = decideKey(facts(76, { exemption: exempt }));
    expect(decision).toMatchObject({
      kind: 'remind',
      milestone: 76,
      exemptUntil: dateOnDay(100),
      withheld: { reason: 'exempt' },
    });
  });

  it('does not deactivate an exempt key past its deadline; sends one overdue notice', () => {
    const first = decideKey(facts(91, { exemption: exempt, record: record(remindedAll) }));
    expect(summarize(first)).toEqual(['remind:91']);
    const again = decideKey(
      facts(92, {
        exemption: exempt,
        record: record({ ...remindedAll, milestones: { ...remindedAll.milestones, '91': sent(91) } }),
      }),
    );
    expect(again).toEqual([]);
  });

  it('deactivates the day after an exemption ends', () => {
    const rec = record({ ...remindedAll, milestones: { ...remindedAll.milestones, '91': sent(91) } });
    expect(summarize(decideKey(facts(101, { record: rec })))).toEqual(['deactivate:deadline']);
  });

  it('never deactivates a machine user by default, and DMs it only when it has a slack id', () => {
    const machine: Owner = { userClass: 'machine', declaredType: 'machine', displayName: 'ci-bot' };
    const decisions = decideKey(facts(95, { owner: machine, record: record(remindedAll) }));
    expect(decisions).toEqual([
      expect.objectContaining({
        kind: 'remind',
        milestone: 91,
        directMessage: false,
        withheld: { reason: 'user-class' },
      }),
    ]);
  });

  it('deactivates an unknown-owner key by default, with reminders to the channel only', () => {
    const unknown: Owner = { userClass: 'unknown', displayName: 'legacy' };
    expect(decideKey(facts(76, { owner: unknown }))).toEqual([
      expect.objectContaining({ kind: 'remind', directMessage: false }),
    ]);
    expect(summarize(decideKey(facts(91, { owner: unknown, record: record(remindedAll) })))).toEqual([
      'deactivate:deadline',
    ]);
  });

  it('follows the config when machine users are set to be deactivated', () => {
    const config = testConfig({ userClasses: { machine: { deactivate: true, directMessage: false } } });
    const machine: Owner = {
      userClass: 'machine',
      declaredType: 'machine',
      displayName: 'ci-bot',
      slackId: 'U0OWNER01',
    };
    expect(decideKey(facts(91, { owner: machine, config, record: record(remindedAll) }))).toEqual([
      expect.objectContaining({ kind: 'deactivate', directMessage: false }),
    ]);
  });
});

describe('decideKey: state changes made by humans', () => {
  it('deactivates a key again when someone re-activated it', () => {
    const rec = record({ ...remindedAll, deactivatedByUsOn: dateOnDay(91) });
    expect(summarize(decideKey(facts(93, { record: rec })))).toEqual(['deactivate:reactivated']);
  });

  it('does nothing more for a key the enforcer deactivated and told about', () => {
    const rec = record({ ...remindedAll, deactivatedByUsOn: dateOnDay(91) });
    expect(decideKey(facts(93, { key: key({ status: 'Inactive' }), record: rec }))).toEqual([]);
  });

  it('retries a deactivation notice that failed', () => {
    const rec = record({ ...remindedAll, deactivatedByUsOn: dateOnDay(91), deactivationNoticePending: true });
    expect(summarize(decideKey(facts(92, { key: key({ status: 'Inactive' }), record: rec })))).toEqual([
      'deactivation-notice-retry',
    ]);
  });

  it('thanks an owner who deactivated a reminded key, once', () => {
    const rec = record({ milestones: { '76': sent(76) }, noticeDeliveredOn: dateOnDay(76) });
    expect(summarize(decideKey(facts(78, { key: key({ status: 'Inactive' }), record: rec })))).toEqual([
      'thanks:deactivated',
    ]);
    expect(
      decideKey(
        facts(79, { key: key({ status: 'Inactive' }), record: { ...rec, thankedOn: dateOnDay(78) } }),
      ),
    ).toEqual([]);
  });

  it('does not thank for an inactive key that was never reminded', () => {
    expect(decideKey(facts(30, { key: key({ status: 'Inactive' }) }))).toEqual([]);
  });
});

describe('decideKey: new keys', () => {
  it('alerts on a key never seen in a baselined account', () => {
    expect(summarize(decideKey(facts(0, { record: undefined, otherActiveKeys: ['AKIAOTHER'] })))).toEqual([
      'new-key:alert',
    ]);
  });

  it('records silently during the baseline scan', () => {
    expect(summarize(decideKey(facts(10, { record: undefined, baselined: false })))).toEqual([
      'new-key:silent',
    ]);
  });

  it('retries an alert that Slack did not take', () => {
    expect(summarize(decideKey(facts(1, { record: record({ newKeyAlert: 'pending' }) })))).toEqual([
      'new-key:alert',
    ]);
  });

  it('does not alert again for a key alerted in real time', () => {
    expect(decideKey(facts(1, { record: record({ newKeyAlert: 'realtime' }) }))).toEqual([]);
  });
});
