import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { MemoryRunStore } from '../../lambda/engine/steps/run-store';
import { InvalidInvocationError } from '../../lambda/runtime/invocation';
import { InvalidStepEventError } from '../../lambda/runtime/step-event';
import { createStepHandler, TargetListTooLargeError } from '../../lambda/runtime/step-handlers';
import { ManualClock, SimulatedIam, SimulatedSlack } from '../../lambda/simulation';
import { Telemetry } from './state-machine-harness';

const NOW = new Date('2027-03-01T08:00:00.000Z');
const RUN = { runId: 'exec-1', now: NOW.toISOString(), wallClock: NOW.toISOString(), dryRun: false };
const ACCOUNT = { id: '123456789012', name: 'prod' };

function world(accounts = [ACCOUNT]) {
  const clock = new ManualClock(NOW);
  const iam = new SimulatedIam();
  const store = new MemoryRunStore();
  const telemetry = new Telemetry();
  const handler = createStepHandler({
    config: parseConfig({ accounts, slack: { infraChannel: 'C0INFRA01' } }),
    reader: iam,
    deactivator: iam,
    ledger: new MemoryLedger(),
    clock,
    notifier: () => Promise.resolve(new SimulatedSlack({ clock })),
    logger: telemetry,
    metrics: telemetry,
    store,
  });
  return { handler, store, telemetry };
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
});
