import { type CredentialReportRow } from '../../lambda/domain/inventory-read';
import { type AccountRef } from '../../lambda/domain/model';
import { runEnforcement, type RunOptions } from '../../lambda/engine/run-enforcement';
import { MemoryRunStore } from '../../lambda/engine/steps/run-store';
import { STORED_FORM } from '../../lambda/engine/steps/run-store-codec';
import { type AccountReader } from '../../lambda/ports';
import { DAY_MS, EngineHarness, PROD, STAGING, START } from './engine-harness';

type RowPatch = Partial<Pick<CredentialReportRow, 'mfaActive' | 'passwordEnabled' | 'passwordLastChanged'>>;

/**
 * The engine's rule step over the simulated organisation. The simulated report says every user
 * has no MFA and no password; `patches` change what it says about named users, as IAM would.
 */
class RulesWorld extends EngineHarness {
  readonly patches = new Map<string, RowPatch>();
  passwordPolicyCalls = 0;

  constructor(rules: object | null = {}) {
    super(rules ? { rules } : {}, ['U0ALICE01', 'U0BOB0001']);
    this.iam.addUser(PROD.id, 'alice', { type: 'engineer', 'slack-id': 'U0ALICE01' });
    this.iam.addUser(PROD.id, 'bob', { type: 'engineer', 'slack-id': 'U0BOB0001' });
    this.iam.createAccessKey(PROD.id, 'bob', new Date(START.getTime() - 10 * DAY_MS), {
      lastUsedDate: new Date(START.getTime() - DAY_MS),
    });
    this.patches.set('alice', { mfaActive: true });
  }

  reader(): AccountReader {
    const iam = this.iam;
    const readInventory = iam.readInventory!.bind(iam);
    return {
      readAccount: (account) => iam.readAccount(account),
      readUserKeys: (account, names) => iam.readUserKeys(account, names),
      readInventory: async (account: AccountRef) => {
        const inventory = await readInventory(account);
        return {
          ...inventory,
          users: inventory.users.map((user) => {
            const patch = this.patches.get(user.userName);
            return user.report && patch ? { ...user, report: { ...user.report, ...patch } } : user;
          }),
        };
      },
      readPasswordPolicy: () => {
        this.passwordPolicyCalls += 1;
        return Promise.resolve({ kind: 'set', maxPasswordAgeDays: 90 });
      },
    };
  }

  override run(options: RunOptions = {}) {
    return runEnforcement(
      this.config,
      {
        reader: this.reader(),
        deactivator: this.iam,
        notifier: this.slack,
        ledger: this.ledger,
        clock: this.clock,
      },
      options,
    );
  }
}

const ruleIds = (report: Awaited<ReturnType<EngineHarness['run']>>): string[] =>
  (report.ruleFindings?.findings ?? []).map((f) => f.id);

describe('rule findings in a run', () => {
  it('reads the credential report on the first (exhaustive) scan too, and finds what it says', async () => {
    const world = new RulesWorld();
    const report = await world.run();

    expect(report.exhaustiveReads.map((r) => r.reason)).toEqual(['first-scan', 'first-scan']);
    expect(report.summary.calls['iam.readInventory']).toBe(2);
    expect(world.passwordPolicyCalls).toBe(2);
    expect(ruleIds(report)).toEqual(['mfa-missing/111111111111/bob']);
    expect(report.ruleFindings?.notes).toEqual([]);
  });

  it('DMs the owner once when a finding appears, and not on a re-run the same day', async () => {
    const world = new RulesWorld();
    await world.run();
    expect(world.dms('U0BOB0001')).toHaveLength(1);
    expect(world.dms('U0BOB0001')[0]).toMatch(
      /^bob has 1 active key\(s\) but no MFA device \(prod \(111111111111\)\)\./,
    );
    expect(world.dms('U0BOB0001')[0]).toContain('Nothing is deactivated for this finding');
    expect(world.dms('U0ALICE01')).toEqual([]);

    const again = await world.run();
    expect(ruleIds(again)).toEqual(['mfa-missing/111111111111/bob']);
    expect(again.actions.filter((a) => a.kind === 'rule-finding')).toEqual([]);
    expect(world.dms('U0BOB0001')).toHaveLength(1);
    const record = (await world.ledger.readAccount(PROD.id)).account;
    expect(record?.ruleFindings).toEqual({
      'mfa-missing/111111111111/bob': { firstSeenOn: '2027-01-01', notifiedOn: '2027-01-01' },
    });
  });

  it('reminds after remindEveryDays, then forgets a finding that is fixed', async () => {
    const world = new RulesWorld({ remindEveryDays: 14 });
    await world.run();
    world.clock.advanceDays(13);
    await world.run();
    expect(world.dms('U0BOB0001')).toHaveLength(1);
    world.clock.advanceDays(1);
    await world.run();
    expect(world.dms('U0BOB0001')).toHaveLength(2);
    expect(world.slack.messagesTo('U0BOB0001')[1]?.message.blocks[0]).toMatchObject({
      text: { text: 'Reminder: MFA device missing' },
    });

    world.patches.set('bob', { mfaActive: true });
    world.clock.advanceDays(1);
    const fixed = await world.run();
    expect(ruleIds(fixed)).toEqual([]);
    expect((await world.ledger.readAccount(PROD.id)).account?.ruleFindings).toEqual({});
  });

  it('finds one person on users in two accounts, and an unused key with its delete command', async () => {
    const world = new RulesWorld();
    world.iam.addUser(STAGING.id, 'alice2', { type: 'engineer', 'slack-id': 'U0ALICE01' });
    world.patches.set('alice2', { mfaActive: true });
    const aliceKey = world.key(PROD, 'alice', 30);
    const report = await world.run();
    expect(ruleIds(report)).toEqual([
      'duplicate-person/111111111111/alice',
      'mfa-missing/111111111111/bob',
      `unused-key/111111111111/alice/${aliceKey}`,
      'duplicate-person/222222222222/alice2',
    ]);
    const unused = world.dms('U0ALICE01').find((text) => text.includes('never been used'));
    expect(unused).toContain(`aws iam delete-access-key --user-name alice --access-key-id ${aliceKey}`);
    expect(world.iam.deactivations).toEqual([]);
  });

  it('in a dry run plans the DMs and records nothing', async () => {
    const world = new RulesWorld();
    const report = await world.run({ dryRun: true });
    expect(report.actions.filter((a) => a.kind === 'rule-finding').map((a) => a.outcome)).toEqual([
      'planned',
    ]);
    expect(world.dms('U0BOB0001')).toEqual([]);
    expect((await world.ledger.readAccount(PROD.id)).account).toBeUndefined();
  });

  it('without a rules section reads nothing more and reports no findings', async () => {
    const world = new RulesWorld(null);
    const report = await world.run();
    expect(report.ruleFindings).toBeUndefined();
    // Once per account, by the read itself: a first scan starts from the credential report too.
    expect(report.summary.calls['iam.readInventory']).toBe(2);
    expect(world.passwordPolicyCalls).toBe(0);
  });

  it('keeps a finding it could not re-check when the report is unavailable, so it is not news again', async () => {
    const world = new RulesWorld();
    await world.run();
    world.iam.failCredentialReport(PROD.id, 'limit-exceeded');
    world.clock.advanceDays(1);
    const report = await world.run();
    expect(report.ruleFindings?.notes[0]).toMatch(/^rules: account 111111111111: credential report not read/);
    expect((await world.ledger.readAccount(PROD.id)).account?.ruleFindings).toHaveProperty([
      'mfa-missing/111111111111/bob',
    ]);
    world.iam.healCredentialReport(PROD.id);
    world.clock.advanceDays(1);
    await world.run();
    expect(world.dms('U0BOB0001')).toHaveLength(1);
  });
});

describe('rule findings when the steps hand each other documents in their stored form', () => {
  it('finds the same as the one-process run, as the state machine (S3 run store) would', async () => {
    const inMemory = new RulesWorld();
    const stored = new RulesWorld();

    const direct = await inMemory.run();
    const throughStore = await stored.run({ store: new MemoryRunStore(STORED_FORM) });

    expect(ruleIds(throughStore)).toEqual(ruleIds(direct));
    expect(ruleIds(throughStore)).toEqual(['mfa-missing/111111111111/bob']);
    expect(stored.dms('U0BOB0001')).toEqual(inMemory.dms('U0BOB0001'));
  });
});
