import { type AccountPlan, type BreakerTrip, type DeactivateDecision } from './decisions';

export interface BreakerResult {
  readonly plans: readonly AccountPlan[];
  readonly trip?: BreakerTrip;
}

/**
 * SPEC §2 circuit breaker: when one run would deactivate more than `limit` keys across all
 * accounts, it deactivates none. A mass deactivation is far more likely a first deployment or a
 * clock error than a real event, and an outage of every CI pipeline is worse than a day's delay.
 */
export function applyCircuitBreaker(plans: readonly AccountPlan[], limit: number): BreakerResult {
  const deactivations = plans.flatMap((plan) =>
    plan.decisions.filter((decision): decision is DeactivateDecision => decision.kind === 'deactivate'),
  );
  if (deactivations.length <= limit) return { plans };
  return { plans: plans.map(withoutDeactivations), trip: { limit, withheld: deactivations } };
}

/**
 * One account's plan once the breaker has tripped: everything but its deactivations. A worker
 * that acts on one account (the state machine's act step) applies the run's verdict with this.
 */
export function withoutDeactivations(plan: AccountPlan): AccountPlan {
  return { ...plan, decisions: plan.decisions.filter((decision) => decision.kind !== 'deactivate') };
}
