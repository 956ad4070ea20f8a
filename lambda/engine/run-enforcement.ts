import { type EnforcerConfig } from '../config/schema';
import { type Clock } from '../ports';
import { mapWithConcurrency } from '../util/concurrency';
import { type EnginePorts } from './counting-ports';
import { type RunReport } from './run-report';
import { type SecurityHubImporter } from './security-hub-export';
import { actOnAccount } from './steps/act-on-account';
import { applyBreaker } from './steps/apply-breaker';
import { planAccount } from './steps/plan-account';
import { reportRun } from './steps/report-run';
import { runAccounts, type RunRequest, startRun } from './steps/run-context';
import { MemoryRunStore, type RunStore } from './steps/run-store';

export { AsOfWithoutDryRunError, atTimeOfDay } from './steps/run-context';

export interface EngineDeps extends EnginePorts {
  readonly clock: Clock;
  /** Security Hub, when `securityHub.enabled` (issue 10). */
  readonly securityHub?: SecurityHubImporter;
}

export interface RunOptions extends RunRequest {
  /** Time left before the caller must stop (the Lambda's remaining time); accounts not started by then are reported failed. */
  readonly remainingTimeMs?: () => number;
  /** The accounts of this run (explicit and discovered, resolved by the caller). @default config.accounts */
  readonly accounts?: readonly EnforcerConfig['accounts'][number][];
  /**
   * Where the steps hand each other plans and results. @default in memory, as objects: the run
   * holds what it always held. A test passes a store that keeps them in their stored form.
   */
  readonly store?: RunStore;
}

/**
 * One enforcement run (SPEC §2) in one process: the five steps of the state machine
 * (`lib/constructs/run-state-machine.ts`), called in sequence: plan every account with bounded
 * concurrency, apply the circuit breaker across all of them, act on every account, and report.
 * The Lambda in single-Lambda mode, the CLI and the demo all call this one function.
 */
export async function runEnforcement(
  config: EnforcerConfig,
  deps: EngineDeps,
  options: RunOptions = {},
): Promise<RunReport> {
  const run = startRun(config, deps.clock, options);
  const env = {
    config,
    ports: deps,
    clock: deps.clock,
    store: options.store ?? new MemoryRunStore(),
    ...(deps.securityHub ? { securityHub: deps.securityHub } : {}),
    ...(options.remainingTimeMs ? { remainingTimeMs: options.remainingTimeMs } : {}),
  };
  const accounts = runAccounts(options.accounts ?? config.accounts, config, run);
  const outcomes = await mapWithConcurrency(accounts, config.accountConcurrency, (account) =>
    planAccount(run, account, env),
  );
  const verdict = await applyBreaker(run, outcomes, env);
  await mapWithConcurrency(accounts, config.accountConcurrency, (account) =>
    actOnAccount(run, account.id, verdict, env),
  );
  return reportRun(run, accounts, env);
}
