import { type EnforcerConfig } from '../../config/schema';
import { wholeDaysBetween } from '../dates';
import { type KeyFacts } from '../key-policy';
import {
  forEachInventoryKey,
  inventoryRow,
  type InventoryInput,
  type InventoryRow,
  keyState,
} from '../inventory';
import { ageBuckets, bucketOf } from './age-buckets';
import { compareText } from '../text-order';

/** Overdue keys kept per account: more than any digest shows, few enough to store every day. */
export const OVERDUE_KEYS_KEPT = 20;

/** An overdue key as the weekly digest names it; every date is the policy's (SPEC §1). */
export type OverdueKey = Pick<
  InventoryRow,
  'userName' | 'ownerName' | 'accessKeyId' | 'ageDays' | 'treatedAs' | 'next' | 'deadline' | 'exemptUntil'
>;

/** One account's active keys as the weekly digest charts them. */
export interface AccountKeyFacts {
  /** Active keys per age range of {@link ageBuckets}, in order. */
  readonly byAge: readonly number[];
  readonly activeKeys: number;
  /** Active keys at or past the deactivation age (the last range): `scan`'s "overdue". */
  readonly overdue: number;
  /** The oldest overdue keys, at most {@link OVERDUE_KEYS_KEPT}. */
  readonly overdueKeys: readonly OverdueKey[];
}

/**
 * Pure: an account's active keys by age, and its overdue keys with what happens to them next,
 * walked and judged exactly as `scan` does (the same key facts, the same `nextStep` and deadline).
 */
export function accountKeyFacts(input: InventoryInput): AccountKeyFacts {
  const { policy } = input.config;
  const buckets = ageBuckets(policy);
  const byAge = buckets.map(() => 0);
  const overdue: {
    readonly facts: KeyFacts;
    readonly rawType: string | undefined;
    readonly ageDays: number;
  }[] = [];
  let activeKeys = 0;
  forEachInventoryKey(input, (facts, rawType) => {
    if (facts.key.status !== 'Active') return;
    const ageDays = wholeDaysBetween(facts.key.createDate, facts.now);
    activeKeys += 1;
    const bucket = bucketOf(buckets, ageDays);
    byAge[bucket] = (byAge[bucket] ?? 0) + 1;
    if (keyState('Active', ageDays, policy) === 'overdue') overdue.push({ facts, rawType, ageDays });
  });
  overdue.sort(
    (a, b) => b.ageDays - a.ageDays || compareText(a.facts.key.accessKeyId, b.facts.key.accessKeyId),
  );
  // Only the keys kept are judged: a first deployment's thousands of overdue keys cost no more.
  const overdueKeys = overdue
    .slice(0, OVERDUE_KEYS_KEPT)
    .map(({ facts, rawType }) => overdueKey(inventoryRow(facts, rawType)));
  return { byAge, activeKeys, overdue: overdue.length, overdueKeys };
}

/**
 * The facts once the run has acted: keys it deactivated are no longer active. They were read
 * before the run acted, and the digest is posted after.
 */
export function withoutDeactivated(
  facts: AccountKeyFacts,
  deactivated: readonly { readonly accessKeyId: string; readonly ageDays: number }[],
  policy: EnforcerConfig['policy'],
): AccountKeyFacts {
  if (deactivated.length === 0) return facts;
  const buckets = ageBuckets(policy);
  const byAge = [...facts.byAge];
  let overdue = facts.overdue;
  for (const key of deactivated) {
    const bucket = bucketOf(buckets, key.ageDays);
    byAge[bucket] = Math.max(0, (byAge[bucket] ?? 0) - 1);
    if (keyState('Active', key.ageDays, policy) === 'overdue') overdue = Math.max(0, overdue - 1);
  }
  const gone = new Set(deactivated.map((key) => key.accessKeyId));
  return {
    byAge,
    activeKeys: Math.max(0, facts.activeKeys - deactivated.length),
    overdue,
    overdueKeys: facts.overdueKeys.filter((key) => !gone.has(key.accessKeyId)),
  };
}

function overdueKey(row: InventoryRow): OverdueKey {
  return {
    userName: row.userName,
    ...(row.ownerName ? { ownerName: row.ownerName } : {}),
    accessKeyId: row.accessKeyId,
    ageDays: row.ageDays,
    treatedAs: row.treatedAs,
    ...(row.next ? { next: row.next } : {}),
    ...(row.deadline ? { deadline: row.deadline } : {}),
    ...(row.exemptUntil ? { exemptUntil: row.exemptUntil } : {}),
  };
}
