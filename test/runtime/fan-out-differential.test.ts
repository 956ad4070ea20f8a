import fc from 'fast-check';

import { type RunSummary } from '../../lambda/engine/run-report';
import { INTERPRETER_RUNS, StateMachineWorld, synthesizedDefinition } from './state-machine-harness';

const describeOnNode22 = INTERPRETER_RUNS ? describe : describe.skip;
if (!INTERPRETER_RUNS)
  console.warn(
    `fan-out-differential: skipped on Node ${process.version}: aws-local-stepfunctions needs Node 22+`,
  );

/** What a run did, as the outside world sees it: Slack, IAM, the ledger, and the summary. */
function observed(world: StateMachineWorld, summaries: RunSummary[]) {
  return {
    // In send order: one account acted on at a time in both, so Slack's ts line up too.
    sent: world.slack.deliveries.map((d) => ({ to: d.to, text: d.message.text, threadTs: d.threadTs })),
    deactivated: world.deactivatedKeys(),
    ledger: world.ledger,
    summaries: summaries.map(({ durationMs: _durationMs, ...summary }) => summary),
  };
}

describeOnNode22('the fan-out and the one-process run', () => {
  let definition: ReturnType<typeof synthesizedDefinition>;
  beforeAll(() => {
    // Acting one account at a time makes Slack's message order (and so its ts) comparable.
    definition = synthesizedDefinition({ actConcurrency: 1 });
  });

  it('do the same to the same organisation, run after run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          accounts: fc.integer({ min: 1, max: 5 }),
          usersPerAccount: fc.integer({ min: 1, max: 12 }),
          limit: fc.integer({ min: 0, max: 30 }),
          failing: fc.option(fc.nat(4), { nil: undefined }),
          daysBetween: fc.integer({ min: 1, max: 12 }),
        }),
        async ({ seed, accounts, usersPerAccount, limit, failing, daysBetween }) => {
          const worlds = [0, 1].map(
            () =>
              new StateMachineWorld({
                seed,
                accounts,
                usersPerAccount,
                config: { accountConcurrency: 1, policy: { maxDeactivationsPerRun: limit } },
              }),
          ) as [StateMachineWorld, StateMachineWorld];
          const [inProcess, fanOut] = worlds;
          const failingAccount =
            failing === undefined ? undefined : inProcess.org.accounts[failing % accounts];
          if (failingAccount)
            for (const w of worlds) w.org.iam.failAccount(failingAccount.id, 'AccessDenied');

          const one: RunSummary[] = [];
          const many: RunSummary[] = [];
          for (const [day, runId] of [
            [0, 'day-0'],
            [daysBetween, 'day-n'],
          ] as const) {
            for (const w of worlds) w.clock.advanceDays(day);
            one.push((await inProcess.runInProcess(runId)).summary);
            many.push(
              await fanOut.execute(definition, runId).then(
                (verdict) => verdict.summary,
                () =>
                  fanOut.telemetry.lines.filter((l) => l.message === 'run summary').at(-1)?.extra
                    .summary as RunSummary,
              ),
            );
          }

          expect(observed(fanOut, many)).toEqual(observed(inProcess, one));
        },
      ),
      { numRuns: 8 },
    );
  });
});
