import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { MemoryRunStore } from '../../lambda/engine/steps/run-store';
import { InvalidInvocationError } from '../../lambda/runtime/invocation';
import { InvalidStepEventError } from '../../lambda/runtime/step-event';
import {
  createStepHandler,
  type RunTargets,
  TargetListTooLargeError,
} from '../../lambda/runtime/step-handlers';
import { type OutboxMessage } from '../../lambda/domain/outbox/outbox-message';
import { type OutboxQueue } from '../../lambda/ports';
import { ManualClock, SimulatedIam, SimulatedSlack } from '../../lambda/simulation';
import { Telemetry } from './state-machine-harness';

const NOW = new Date('2027-03-01T08:00:00.000Z');
const RUN = { runId: 'exec-1', now: NOW.toISOString(), wallClock: NOW.toISOString(), dryRun: false };
const ACCOUNT = { id: '123456789012', name: 'prod' };

function world(accounts = [ACCOUNT], outbox?: OutboxQueue) {
  const clock = new ManualClock(NOW);
  const iam = new SimulatedIam();
  const store = new MemoryRunStore();
  const telemetry = new Telemetry();
  const slack = new SimulatedSlack({ clock, members: ['U0ALICE01'] });
  const handler = createStepHandler({
    config: parseConfig({ accounts, slack: { infraChannel: 'C0INFRA01' } }),
    reader: iam,
    deactivator: iam,
    ledger: new MemoryLedger(),
    clock,
    notifier: () => Promise.resolve(slack),
    logger: telemetry,
    metrics: telemetry,
    store,
    ...(outbox ? { outbox } : {}),
  });
  return { handler, store, telemetry, iam, slack };
}

describe('the step handler', () => {
  it('refuses an event without a known step, naming the field', async () => {
    await expect(world().handler({ step: 'deleteEverything' })).rejects.toThrow(InvalidStepEventError);
    await expect(
      world().handler({ step: 'planAccount', run: RUN, account: { id: 'x', name: 'y' } }),
    ).rejects.toThrow(/account\.id/);
  });

  it('starts a run with the execution name as its id and the payload the Lambda takes', async () => {
    const result = await world().handler({ step: 'listTargets', runId: 'exec-7', input: { dryRun: true } });

    expect(result).toEqual({
      run: expect.objectContaining({ runId: 'exec-7', dryRun: true, now: expect.any(String) }),
      accounts: [ACCOUNT],
    });
  });

  it("lists the accounts whose full sweep falls on the run's day first, for the plan Map to start first", async () => {
    // 2027-03-01 is day 20,878 since 1970: slot 4 of 7. 100000000006 % 7 = 4 and 100000000013 % 7 = 4.
    const accounts = ['100000000000', '100000000006', '100000000005', '100000000013'].map((id) => ({
      id,
      name: `acct-${id}`,
    }));
    const result = (await world(accounts).handler({
      step: 'listTargets',
      runId: 'r',
      input: {},
    })) as RunTargets;

    expect(result.accounts.map((a) => a.id)).toEqual([
      '100000000006',
      '100000000013',
      '100000000000',
      '100000000005',
    ]);
  });

  it('refuses asOf without a dry run before anything is read, and reports the run as unsuccessful', async () => {
    const { handler, telemetry } = world();

    await expect(handler({ step: 'listTargets', runId: 'r', input: { asOf: '2027-04-01' } })).rejects.toThrow(
      InvalidInvocationError,
    );
    expect(telemetry.metrics).toEqual([{ name: 'SuccessfulRuns', value: 0 }]);
  });

  it('refuses to start a run whose account list would not fit the state machine’s state', async () => {
    const accounts = Array.from({ length: 3_000 }, (_, i) => ({
      id: String(100_000_000_000 + i),
      name: `an-account-with-a-rather-long-name-${i}`,
    }));

    await expect(world(accounts).handler({ step: 'listTargets', runId: 'r', input: {} })).rejects.toThrow(
      TargetListTooLargeError,
    );
  });

  it.each([
    [
      'Sandbox.Timedout',
      '{"errorMessage":"Task timed out after 900.00 seconds"}',
      true,
      'Sandbox.Timedout: Task timed out after 900.00 seconds',
    ],
    ['States.Timeout', undefined, true, 'States.Timeout'],
    [
      'TypeError',
      '{"errorType":"TypeError","errorMessage":"x is undefined"}',
      false,
      'TypeError: x is undefined',
    ],
  ])(
    'records a plan step that failed with %s (incomplete: %s)',
    async (error, cause, incomplete, message) => {
      const { handler, store } = world();

      await handler({
        step: 'recordPlanFailure',
        run: RUN,
        account: ACCOUNT,
        error: { Error: error, ...(cause ? { Cause: cause } : {}) },
      });

      expect(await store.get('exec-1', 'plan-summary', ACCOUNT.id)).toMatchObject({
        error: message,
        ...(incomplete ? { incomplete: true } : {}),
      });
    },
  );

  it('with the outbox queue (state-machine mode), the act step queues its notices and sends nothing itself', async () => {
    const queued: OutboxMessage[] = [];
    const outbox: OutboxQueue = { enqueue: (message) => Promise.resolve(void queued.push(message)) };
    const { handler, iam, slack } = world([ACCOUNT], outbox);
    iam.addAccount(ACCOUNT.id);
    iam.addUser(ACCOUNT.id, 'alice', { type: 'engineer', 'slack-id': 'U0ALICE01' });
    iam.createAccessKey(ACCOUNT.id, 'alice', new Date(NOW.getTime() - 76 * 86_400_000 - 3_600_000));

    await handler({ step: 'planAccount', run: RUN, account: ACCOUNT });
    await handler({ step: 'actOnAccount', run: RUN, account: ACCOUNT, verdict: { tripped: false } });

    expect(slack.deliveries).toEqual([]);
    expect(queued.map((m) => [m.group, m.notice.kind, m.runId])).toEqual([
      [`${ACCOUNT.id}/${iam.listUsers(ACCOUNT.id)[0]!.keys[0]!.accessKeyId}`, 'remind', 'exec-1'],
      [ACCOUNT.id, 'channel-post', 'exec-1'],
    ]);
  });
});
