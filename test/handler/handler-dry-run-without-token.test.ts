import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { createHandler, type HandlerDeps } from '../../lambda/handler';
import { ManualClock, SimulatedIam } from '../../lambda/simulation';

describe('a dry run before the Slack token is in the secret', () => {
  it('previews the run without fetching the token, and a real run still needs it', async () => {
    const iam = new SimulatedIam();
    iam.addAccount('111111111111');
    iam.addUser('111111111111', 'alice', { type: 'engineer', 'slack-id': 'U0ALICE01' });
    iam.createAccessKey('111111111111', 'alice', new Date('2026-09-01T00:00:00Z'));
    const tokenFetches: string[] = [];
    const deps: HandlerDeps = {
      config: parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } }),
      reader: iam,
      deactivator: iam,
      ledger: new MemoryLedger(),
      clock: new ManualClock(new Date('2026-12-01T09:00:00Z')),
      notifier: () => {
        tokenFetches.push('fetch');
        return Promise.reject(
          new Error(
            'Slack bot token from secret arn:...:secret:slack: GetSecretValue failed: ResourceNotFoundException',
          ),
        );
      },
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    };
    const handler = createHandler(deps);

    const summary = await handler({ dryRun: true });

    expect(summary).toMatchObject({ dryRun: true, reminders: 1 });
    expect(tokenFetches).toEqual([]);
    await expect(handler({})).rejects.toThrow('ResourceNotFoundException');
    expect(iam.deactivations).toEqual([]);
  });
});
