import { METRIC } from '../config/environment';
import { type RunSummary, runFailureReasons } from '../engine/run-report';
import { actOnAccount, recordActFailure } from '../engine/steps/act-on-account';
import { applyBreaker, type BreakerVerdict } from '../engine/steps/apply-breaker';
import { planAccount, type PlanOutcome, recordPlanFailure } from '../engine/steps/plan-account';
import { reportRun } from '../engine/steps/report-run';
import { type RunContext, runAccounts, startRun } from '../engine/steps/run-context';
import { type RunStore } from '../engine/steps/run-store';
import { type StepEnv } from '../engine/steps/step-env';
import { type HandlerDeps, type InvocationContext } from '../handler';
import { type AccountRef } from '../domain/model';
import { type OutboxQueue } from '../ports';
import { DRY_RUN_NOTIFIER } from './dry-run-notifier';
import { parseInvocation } from './invocation';
import { resolveRunAccounts } from './run-accounts';
import { recordRun } from './run-telemetry';
import { describeCaughtError, parseStepEvent, type StepEvent, TIMEOUT_ERRORS } from './step-event';

/** Everything the step handler wires: the daily handler's dependencies plus the run store. */
export interface StepHandlerDeps extends HandlerDeps {
  readonly store: RunStore;
  /** The Slack outbox's queue (issue 12 item 4): the act step queues its notices there. @default send in process */
  readonly outbox?: OutboxQueue;
}

/** The state machine's state after "list targets": the run and its accounts. */
export interface RunTargets {
  readonly run: RunContext;
  readonly accounts: readonly AccountRef[];
}

/** What "report" hands the state machine's last Choice: the summary, and why the run failed if it did. */
export interface RunVerdict {
  readonly summary: RunSummary;
  readonly succeeded: boolean;
  /** One line per reason (accounts, keys), cut to fit a `Fail` state's cause. */
  readonly reasons: string;
}

/**
 * Step Functions caps a state's data at 256 KB. The plan Map's state holds the account list and,
 * after it, one outcome per account (`{"accountId":"…","deactivations":n}`, under 60 bytes).
 * Past this bound the run refuses to start, loudly, rather than fail halfway: about 2,000
 * accounts with 30-character names (docs/state-machine.md). Beyond it the Map would read its
 * items from S3 (ItemReader), which is not built yet.
 */
export const MAX_STATE_BYTES = 200_000;
const OUTCOME_BYTES = 60;

export class TargetListTooLargeError extends Error {
  override readonly name = 'TargetListTooLargeError';
}

type StepResult = RunTargets | PlanOutcome | BreakerVerdict | { readonly accountId: string } | RunVerdict;

/**
 * The state machine's one Lambda: each event names its step, and each step is the engine's own
 * function (lambda/engine/steps), the same the one-process run calls in sequence.
 */
export function createStepHandler(deps: StepHandlerDeps | (() => StepHandlerDeps)) {
  let resolved: StepHandlerDeps | undefined;
  return async (event: unknown, context: InvocationContext = {}): Promise<StepResult> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const remainingTimeMs = (): number => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    return runStep(parseStepEvent(event), resolved, remainingTimeMs);
  };
}

async function runStep(
  event: StepEvent,
  deps: StepHandlerDeps,
  remainingTimeMs: () => number,
): Promise<StepResult> {
  switch (event.step) {
    case 'listTargets':
      return listTargets(event.runId, event.input, deps, remainingTimeMs);
    case 'planAccount':
      // Planning never sends: the notifier that refuses every send makes sure of it.
      return planAccount(event.run, event.account, stepEnv(deps, remainingTimeMs, DRY_RUN_NOTIFIER));
    case 'recordPlanFailure':
      return recordPlanFailure(
        event.run,
        event.account,
        describeCaughtError(event.error),
        (TIMEOUT_ERRORS as readonly string[]).includes(event.error.Error),
        deps,
      );
    case 'applyBreaker':
      return applyBreaker(event.run, event.outcomes, await sendingEnv(event.run, deps, remainingTimeMs));
    case 'actOnAccount':
      await actOnAccount(
        event.run,
        event.account.id,
        event.verdict,
        await sendingEnv(event.run, deps, remainingTimeMs),
      );
      return { accountId: event.account.id };
    case 'recordActFailure':
      await recordActFailure(event.run, event.account.id, describeCaughtError(event.error), deps);
      return { accountId: event.account.id };
    case 'report':
      return report(event.run, event.accounts, deps, remainingTimeMs);
  }
}

/** Step "list targets": the payload checked (SPEC §6), the accounts resolved, the run's instant fixed. */
async function listTargets(
  runId: string,
  input: unknown,
  deps: StepHandlerDeps,
  remainingTimeMs: () => number,
): Promise<RunTargets> {
  try {
    const invocation = parseInvocation(input);
    const targets = await resolveRunAccounts(deps.config, deps.discoverAccounts, remainingTimeMs);
    const run = startRun(deps.config, deps.clock, {
      ...invocation,
      runId,
      ...(deps.runTime ? { runTime: deps.runTime } : {}),
    });
    const accounts = runAccounts(targets.accounts, deps.config, run);
    const size = Buffer.byteLength(JSON.stringify(accounts)) + accounts.length * OUTCOME_BYTES;
    if (size > MAX_STATE_BYTES) {
      throw new TargetListTooLargeError(
        `${accounts.length} accounts need about ${size} bytes of state, over the ${MAX_STATE_BYTES} ` +
          'this state machine carries (Step Functions allows 256 KB); see docs/state-machine.md',
      );
    }
    if (targets.discoveryFailure)
      deps.logger.error('account discovery failed', { error: targets.discoveryFailure });
    return {
      run: { ...run, ...(targets.discoveryFailure ? { discoveryFailure: targets.discoveryFailure } : {}) },
      accounts,
    };
  } catch (error) {
    // Nothing has been read, sent or changed: failing here is safe, and the alarm fires.
    deps.logger.error('cannot start run', { error: error instanceof Error ? error.message : String(error) });
    deps.metrics.addMetric(METRIC.successfulRuns, 'Count', 0);
    deps.metrics.publishStoredMetrics();
    throw error;
  }
}

/** Step "report": the run's report, logged and published like the single Lambda's (SPEC §5). */
async function report(
  run: RunContext,
  accounts: readonly AccountRef[],
  deps: StepHandlerDeps,
  remainingTimeMs: () => number,
): Promise<RunVerdict> {
  const runReport = await reportRun(run, accounts, await sendingEnv(run, deps, remainingTimeMs));
  const discoveryFailure = run.discoveryFailure && `account discovery failed: ${run.discoveryFailure}`;
  recordRun(runReport, deps.logger, deps.metrics, discoveryFailure);
  const reasons = [...runFailureReasons(runReport), ...(discoveryFailure ? [discoveryFailure] : [])];
  return {
    summary: runReport.summary,
    succeeded: reasons.length === 0,
    reasons: reasons.join('; ').slice(0, 4000),
  };
}

function stepEnv(
  deps: StepHandlerDeps,
  remainingTimeMs: () => number,
  notifier: StepEnv['ports']['notifier'],
): StepEnv {
  const iam = deps.iamFor?.(remainingTimeMs) ?? deps;
  return {
    config: deps.config,
    ports: {
      reader: iam.reader,
      deactivator: iam.deactivator,
      ledger: deps.ledger,
      notifier,
      ...(deps.outbox ? { outbox: deps.outbox } : {}),
    },
    clock: deps.clock,
    store: deps.store,
    remainingTimeMs,
  };
}

/** A step that may post: a dry run sends nothing, so it works before the token is in the secret. */
async function sendingEnv(
  run: RunContext,
  deps: StepHandlerDeps,
  remainingTimeMs: () => number,
): Promise<StepEnv> {
  const notifier = run.dryRun ? DRY_RUN_NOTIFIER : await deps.notifier(remainingTimeMs);
  return stepEnv(deps, remainingTimeMs, notifier);
}
