import { INTERPRETER_RUNS, StateMachineWorld, synthesizedDefinition } from './state-machine-harness';

// aws-local-stepfunctions 3.x uses Promise.withResolvers (Node 22+); `.ci/run` runs this file
// again on Node 24, where it must pass. On Node 20 it says so instead of passing silently.
const describeOnNode22 = INTERPRETER_RUNS ? describe : describe.skip;
if (!INTERPRETER_RUNS)
  console.warn(
    `state-machine-execution: skipped on Node ${process.version}: aws-local-stepfunctions needs Node 22+`,
  );

describeOnNode22('the synthesized run state machine, executed locally over a simulated organisation', () => {
  let definition: ReturnType<typeof synthesizedDefinition>;
  beforeAll(() => {
    definition = synthesizedDefinition();
  });

  it('runs three accounts through plan, breaker, act and report, and the run succeeds', async () => {
    const world = new StateMachineWorld({ seed: 'three', accounts: 3 });

    const verdict = await world.execute(definition, 'run-3');

    expect(verdict.succeeded).toBe(true);
    expect(verdict.summary).toMatchObject({ runId: 'run-3', accountsOk: 3, accountsFailed: 0 });
    expect(world.taskCalls.filter((c) => c.state === 'PlanAccount')).toHaveLength(3);
    expect(world.taskCalls.filter((c) => c.state === 'ActOnAccount')).toHaveLength(3);
    expect(world.sentMessages().length).toBeGreaterThan(0);
    expect(world.telemetry.lines.filter((l) => l.message === 'run summary')).toHaveLength(1);
  });

  it('fans out over 200 accounts', async () => {
    const world = new StateMachineWorld({ seed: 'two-hundred', accounts: 200, usersPerAccount: 1 });

    const verdict = await world.execute(definition, 'run-200');

    expect(verdict.succeeded).toBe(true);
    expect(verdict.summary.accountsOk).toBe(200);
    expect(world.taskCalls.filter((c) => c.state === 'PlanAccount')).toHaveLength(200);
  });

  it('isolates an account that cannot be read: the others are acted on, the run fails naming it', async () => {
    const world = new StateMachineWorld({ seed: 'one-fails', accounts: 3 });
    const [broken] = world.org.accounts;
    world.org.iam.failAccount(broken!.id, 'AccessDenied: not authorized to perform sts:AssumeRole');

    await expect(world.execute(definition, 'run-fail')).rejects.toThrow(/RunFailed|failed/);
    const report = world.telemetry.lines.find((l) => l.message === 'run summary');
    expect(report?.extra.summary).toMatchObject({ accountsOk: 2, accountsFailed: 1 });
    expect(world.telemetry.lines).toContainEqual(
      expect.objectContaining({
        message: 'account failed',
        extra: expect.objectContaining({ accountId: broken!.id }),
      }),
    );
  });

  it('retries a throttled step, then catches a step that keeps crashing and records the account', async () => {
    const world = new StateMachineWorld({ seed: 'crash', accounts: 3 });
    const [, crashing, throttled] = world.org.accounts;
    let throttles = 2;
    world.intercept('PlanAccount', (input) => {
      const id = (input.account as { id: string }).id;
      if (id === throttled!.id && throttles-- > 0)
        return Promise.reject(
          Object.assign(new Error('Rate exceeded'), { name: 'Lambda.TooManyRequestsException' }),
        );
      if (id === crashing!.id) return Promise.reject(new TypeError('cannot read properties of undefined'));
      return undefined;
    });

    await expect(world.execute(definition, 'run-crash')).rejects.toThrow();
    const summary = world.telemetry.lines.find((l) => l.message === 'run summary')?.extra.summary;
    expect(summary).toMatchObject({ accountsOk: 2, accountsFailed: 1, accountsIncomplete: 0 });
    expect(world.taskCalls.filter((c) => c.state === 'RecordPlanFailure')).toHaveLength(1);
    const throttledCalls = world.taskCalls.filter(
      (c) =>
        c.state === 'PlanAccount' && (c.input as { account: { id: string } }).account.id === throttled!.id,
    );
    expect(throttledCalls.map((c) => c.error ?? 'ok')).toEqual([
      'Lambda.TooManyRequestsException',
      'Lambda.TooManyRequestsException',
      'ok',
    ]);
    expect(world.telemetry.lines).toContainEqual(
      expect.objectContaining({
        message: 'account failed',
        extra: expect.objectContaining({
          accountId: crashing!.id,
          error: expect.stringContaining('TypeError'),
        }),
      }),
    );
  });

  it('reports an account whose step timed out as incomplete, resuming next run, not failed', async () => {
    const world = new StateMachineWorld({ seed: 'timeout', accounts: 3 });
    const [slow] = world.org.accounts;
    world.intercept('PlanAccount', (input) =>
      (input.account as { id: string }).id === slow!.id
        ? // How the Lambda integration reports a function that ran past its timeout.
          Promise.reject(
            Object.assign(new Error('Task timed out after 900.00 seconds'), { name: 'Sandbox.Timedout' }),
          )
        : undefined,
    );

    await expect(world.execute(definition, 'run-timeout')).rejects.toThrow();
    const summary = world.telemetry.lines.find((l) => l.message === 'run summary')?.extra.summary;
    expect(summary).toMatchObject({ accountsOk: 2, accountsFailed: 0, accountsIncomplete: 1 });
  });

  it('trips the breaker over the sum across accounts: nothing is deactivated anywhere', async () => {
    const world = new StateMachineWorld({ seed: 'breaker', accounts: 3 });
    await world.execute(definition, 'baseline');
    // Keys first seen past their deadline got a final notice: five days later they are due.
    world.clock.advanceDays(6);
    const preview = await world.execute(definition, 'preview', { dryRun: true });
    expect(preview.summary.deactivations).toBeGreaterThan(1);
    const inactiveBefore = world.deactivatedKeys();
    const sentBefore = world.slack.deliveries.length;

    await expect(
      world.execute(definition, 'tripped', { maxDeactivations: preview.summary.deactivations - 1 }),
    ).rejects.toThrow(/circuit breaker tripped/);

    expect(world.deactivatedKeys()).toEqual(inactiveBefore);
    const summary = world.telemetry.lines.filter((l) => l.message === 'run summary').at(-1)?.extra.summary;
    expect(summary).toMatchObject({ breakerTripped: true, deactivations: 0 });
    const alerts = world.slack.deliveries
      .slice(sentBefore)
      .filter((d) => d.to.kind === 'channel' && /circuit breaker/i.test(d.message.text));
    expect(alerts).toHaveLength(1);
  });

  it('sends and changes nothing on a same-day re-run, the weekly digest posted once', async () => {
    const world = new StateMachineWorld({ seed: 'rerun', accounts: 3 });
    const weekly = () =>
      world.slack.channelMessages().filter((d) => d.message.text.startsWith('Week to 2027-03-08'));
    await world.execute(definition, 'baseline');
    world.clock.advanceDays(7); // Monday again: the weekly digest's day (issue 10)
    const first = await world.execute(definition, 'first');
    expect(first.summary.reminders + first.summary.deactivations).toBeGreaterThan(0);
    expect(weekly()).toHaveLength(1);
    expect(weekly()[0]?.message.text).toContain('since 2027-03-01');
    const sent = world.slack.deliveries.length;
    const deactivated = world.deactivatedKeys();
    world.clock.advanceDays(1 / 1440);

    const again = await world.execute(definition, 'again');

    expect(again.succeeded).toBe(true);
    expect(world.slack.deliveries.length).toBe(sent);
    expect(world.deactivatedKeys()).toEqual(deactivated);
    expect(again.summary).toMatchObject({ reminders: 0, deactivations: 0, newKeys: 0 });
    expect(weekly()).toHaveLength(1);
  });

  it('carries a dry run with asOf through every step: nothing sent, nothing recorded', async () => {
    const world = new StateMachineWorld({ seed: 'dry', accounts: 2 });
    const inactiveBefore = world.deactivatedKeys();

    const verdict = await world.execute(definition, 'dry', { dryRun: true, asOf: '2027-03-20' });

    expect(verdict.summary).toMatchObject({ dryRun: true, asOf: '2027-03-20', today: '2027-03-20' });
    expect(world.slack.deliveries).toHaveLength(0);
    expect(world.deactivatedKeys()).toEqual(inactiveBefore);
    expect(world.ledger).toEqual(new StateMachineWorld({ seed: 'dry', accounts: 2 }).ledger);
  });
});
