import { applyCircuitBreaker } from '../../domain/circuit-breaker';
import { type AccountPlan, type BreakerTrip } from '../../domain/decisions';
import { breakerMessage } from '../../domain/messages';
import { DeliveryService } from '../delivery';
import { type ActionRecord } from '../run-report';
import { deactivationLimit, messageContext, type RunContext } from './run-context';
import { type PlanOutcome } from './plan-account';
import { countedPorts, SlackTroubleLog, type StepEnv } from './step-env';

/** The breaker's verdict, small enough for any state payload. */
export interface BreakerVerdict {
  /** When true, no account deactivates anything this run. */
  readonly tripped: boolean;
}

/**
 * Step "apply breaker" (SPEC §2): when the run would deactivate more than the limit across all
 * accounts, it deactivates none, and the channel gets the list with how to proceed. Only the
 * counts travel between steps; the plans are loaded when the breaker trips, to list them.
 */
export async function applyBreaker(
  run: RunContext,
  outcomes: readonly PlanOutcome[],
  env: StepEnv,
): Promise<BreakerVerdict> {
  const limit = deactivationLimit(env.config, run);
  const planned = outcomes.reduce((total, outcome) => total + outcome.deactivations, 0);
  const { ports, calls } = countedPorts(env);
  const slack = new SlackTroubleLog();
  let trip: BreakerTrip | undefined;
  const actions: ActionRecord[] = [];
  if (planned > limit) {
    const plans: AccountPlan[] = [];
    for (const outcome of outcomes) {
      if (outcome.deactivations === 0) continue;
      const document = await env.store.get(run.runId, 'plan', outcome.accountId);
      if (document) plans.push(document.plan);
    }
    // The one breaker rule (lambda/domain), over the accounts that plan deactivations, in order.
    trip = applyCircuitBreaker(plans, limit).trip;
    // A plan missing from the store still counted: the breaker never under-counts.
    trip ??= { limit, withheld: [] };
    const delivery = new DeliveryService(ports.notifier, messageContext(env.config, run), run.dryRun);
    for (const action of await reportBreaker(trip, delivery, run.dryRun, slack.onFailure))
      actions.push(action);
  }
  await env.store.put(run.runId, {
    kind: 'breaker',
    ...(trip ? { trip } : {}),
    actions,
    slack: slack.trouble,
    calls,
  });
  return { tripped: trip !== undefined };
}

async function reportBreaker(
  trip: BreakerTrip,
  delivery: DeliveryService,
  dryRun: boolean,
  onSlackFailure: SlackTroubleLog['onFailure'],
): Promise<ActionRecord[]> {
  const posted = await delivery.post(breakerMessage(trip, delivery.context));
  if (posted.failure) onSlackFailure(posted.failure, 'circuit-breaker alert');
  const withheld: ActionRecord[] = trip.withheld.map((d) => ({
    accountId: d.subject.account.id,
    kind: 'deactivate',
    userName: d.subject.userName,
    accessKeyId: d.subject.key.accessKeyId,
    outcome: 'withheld',
    detail: `circuit breaker: ${trip.withheld.length} deactivations exceed the limit of ${trip.limit}`,
    messages: [],
  }));
  return [
    {
      accountId: '',
      kind: 'breaker-tripped',
      outcome: dryRun ? 'planned' : 'done',
      messages: posted.messages,
    },
    ...withheld,
  ];
}
