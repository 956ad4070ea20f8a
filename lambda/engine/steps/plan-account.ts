import { utcDate } from '../../domain/dates';
import { type AccountLedger } from '../../domain/ledger-records';
import { type AccountRef } from '../../domain/model';
import { isReadIncomplete } from '../../ports';
import { errorMessage } from '../execute-plan';
import { recordsForPlan } from '../key-ledger-session';
import { readAndDecide } from '../read-account';
import { type ReadStamp } from '../record-read';
import { ruleReadOf } from '../rule-findings';
import { digestFactsOf } from '../weekly-digest';
import { type PortCalls } from '../run-report';
import { type RunContext } from './run-context';
import { countedPorts, type StepEnv } from './step-env';

/** Below this, no new account is started: the rest of the run needs time to record and report. */
export const TIME_RESERVE_MS = 60_000;

/** What the breaker needs from one account's plan; small, so a state machine's Map can return it. */
export interface PlanOutcome {
  readonly accountId: string;
  /** Deactivations the plan would make, before the circuit breaker. */
  readonly deactivations: number;
}

/**
 * Step "plan account": read the account (the fast path when it can), decide, and store the plan
 * with the ledger records it was made on. A failed or unfinished read is stored as such, never
 * thrown: one account's failure never stops the others (SPEC §5).
 */
export async function planAccount(run: RunContext, account: AccountRef, env: StepEnv): Promise<PlanOutcome> {
  const { ports, calls } = countedPorts(env);
  if ((env.remainingTimeMs?.() ?? Infinity) < TIME_RESERVE_MS)
    return recordPlanFailure(run, account, 'not started: the run ran out of time', false, env, calls);
  const readAt = env.clock.now();
  let decided: Awaited<ReturnType<typeof readAndDecide>> & { readonly ledger: AccountLedger };
  try {
    const ledger = await ports.ledger.readAccount(account.id);
    const result = await readAndDecide({
      account,
      ledger,
      reader: ports.reader,
      config: env.config,
      now: new Date(run.now),
      wallClock: new Date(run.wallClock),
    });
    decided = { ...result, ledger };
  } catch (error) {
    return recordPlanFailure(run, account, errorMessage(error), isReadIncomplete(error), env, calls);
  }
  // Outside the try: a store that fails is the step's failure (retried), not the account's.
  const { plan, read, exhaustive, sweepCursor, ledger, scan, inventory } = decided;
  const digest = digestFactsOf(run, env.config, { account, scan, ledger, plan });
  const stamp: ReadStamp = {
    lastReadAt: readAt.toISOString(),
    ...(exhaustive ? { lastFullScanOn: utcDate(readAt), sweepCursor: null } : {}),
    ...(sweepCursor === undefined ? {} : { sweepCursor }),
    // Not for an account baselined before this was kept: its keys go by the baseline alone.
    ...(ledger.account?.baselinedOn === undefined && ledger.account?.firstReadAt === undefined
      ? { firstReadAt: readAt.toISOString() }
      : {}),
    itemsSeen: digest.itemsSeen,
  };
  await env.store.put(run.runId, {
    kind: 'plan',
    plan,
    records: recordsForPlan(plan, ledger.keys),
    stamp,
    ...(ledger.account ? { accountRecord: ledger.account } : {}),
  });
  const { ruleRead } = ruleReadOf(env.config, {
    account,
    scan,
    ...(inventory ? { inventory } : {}),
    ...(ledger.account ? { accountRecord: ledger.account } : {}),
    ledger,
  });
  if (ruleRead) await env.store.put(run.runId, { kind: 'rule-read', read: ruleRead });
  await env.store.put(run.runId, {
    kind: 'plan-summary',
    account,
    read,
    stats: plan.stats,
    problems: plan.problems,
    exemptions: plan.exemptions,
    ...digest.summary,
    calls,
  });
  return {
    accountId: account.id,
    deactivations: plan.decisions.filter((decision) => decision.kind === 'deactivate').length,
  };
}

/**
 * Records an account whose plan step failed outside the engine (the state machine's Catch: a
 * crash, a Lambda timeout, retries exhausted), so the report names it like any failed account.
 */
export async function recordPlanFailure(
  run: RunContext,
  account: AccountRef,
  error: string,
  incomplete: boolean,
  env: Pick<StepEnv, 'store'>,
  calls: PortCalls = {},
): Promise<PlanOutcome> {
  await env.store.put(run.runId, {
    kind: 'plan-summary',
    account,
    error,
    ...(incomplete ? { incomplete } : {}),
    problems: [],
    exemptions: [],
    calls,
  });
  return { accountId: account.id, deactivations: 0 };
}
