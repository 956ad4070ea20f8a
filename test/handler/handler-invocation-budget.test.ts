import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { createHandler, type HandlerDeps } from '../../lambda/handler';
import { type AccountReader } from '../../lambda/ports';
import { ManualClock, SimulatedIam } from '../../lambda/simulation';

describe('the IAM time budget of a warm container', () => {
  it("gives each invocation's reads its own time budget, dry runs included", async () => {
    const iam = new SimulatedIam();
    iam.addAccount('111111111111');
    iam.addUser('111111111111', 'alice', { type: 'engineer', 'slack-id': 'U0ALICE01' });
    iam.createAccessKey('111111111111', 'alice', new Date('2026-09-01T00:00:00Z'));
    const budgetsSeenByReads: number[] = [];
    const deps: HandlerDeps = {
      config: parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } }),
      reader: { readAccount: () => Promise.reject(new Error('unbound reader used')) },
      deactivator: iam,
      iamFor: (remainingTimeMs) => {
        const reader: AccountReader = {
          readAccount: (account) => {
            budgetsSeenByReads.push(remainingTimeMs());
            return iam.readAccount(account);
          },
        };
        return { reader, deactivator: iam };
      },
      ledger: new MemoryLedger(),
      clock: new ManualClock(new Date('2026-12-01T09:00:00Z')),
      notifier: () => Promise.reject(new Error('a dry run needs no notifier')),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    };
    const handler = createHandler(deps);

    await handler({ dryRun: true }, { getRemainingTimeInMillis: () => 900_000 });
    await handler({ dryRun: true }, { getRemainingTimeInMillis: () => 120_000 });

    expect(budgetsSeenByReads).toEqual([900_000, 120_000]);
  });
});
