import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { createHandler, type HandlerDeps, RunFailedError } from '../../lambda/handler';
import { type AccountDiscovery } from '../../lambda/runtime/run-accounts';
import { SimulatedIam } from '../../lambda/simulation';

const managementRoleArn = 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead';

/** The handler over simulated IAM and an in-memory ledger, with discovery injected. */
function handlerWith(explicit: { id: string }[], discoverAccounts: AccountDiscovery) {
  const iam = new SimulatedIam();
  ['111111111111', '222222222222', '333333333333'].forEach((id) => iam.addAccount(id));
  const deps: HandlerDeps = {
    config: parseConfig({
      accounts: explicit,
      organization: { managementRoleArn },
      slack: { infraChannel: 'C0123ABCD' },
      dryRun: true,
    }),
    reader: iam,
    deactivator: iam,
    ledger: new MemoryLedger(),
    clock: { now: () => new Date('2027-03-01T08:00:00Z') },
    notifier: () => Promise.reject(new Error('a dry run needs no notifier')),
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: { addMetric: () => undefined, publishStoredMetrics: () => undefined },
    discoverAccounts,
  };
  return { handler: createHandler(deps), iam };
}

describe('the handler with account discovery', () => {
  it('runs on the explicit and the discovered accounts, each once', async () => {
    const { handler } = handlerWith([{ id: '111111111111' }], () =>
      Promise.resolve([{ id: '111111111111' }, { id: '222222222222' }, { id: '333333333333' }]),
    );

    const summary = await handler({});

    expect(summary.accountsOk).toBe(3);
  });

  it('still runs the explicit accounts when discovery fails, then fails the invocation naming why', async () => {
    const { handler } = handlerWith([{ id: '111111111111' }], () =>
      Promise.reject(new Error('AccessDeniedException on organizations:ListAccounts')),
    );

    const error = await handler({}).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as RunFailedError).summary.accountsOk).toBe(1);
    expect((error as Error).message).toContain(
      'account discovery failed: AccessDeniedException on organizations:ListAccounts',
    );
  });

  it('refuses to run on zero accounts when discovery fails and none is explicit', async () => {
    const { handler } = handlerWith([], () => Promise.reject(new Error('AccessDeniedException')));

    await expect(handler({})).rejects.toThrow('No accounts to run on: AccessDeniedException');
  });
});
