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
  return {
    plans: plans.map((plan) => ({
      ...plan,
      decisions: plan.decisions.filter((decision) => decision.kind !== 'deactivate'),
    })),
    trip: { limit, withheld: deactivations },
  };
}
