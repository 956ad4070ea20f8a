import { type Policy } from '../../config/schema';

/** A range of key ages in whole days (SPEC §1), `to` included; the last range has no end. */
export interface AgeBucket {
  readonly label: string;
  readonly from: number;
  readonly to?: number;
}

/** Where the chart breaks before the policy's own ages take over: a month, two months. */
const CALENDAR_EDGES = [31, 61];

/**
 * The weekly digest's age ranges: 0–30, 31–60, then up to the first reminder (61–75), the
 * reminder window (76–90) and past the deactivation age (over 90), with the default policy. The
 * last two follow the policy so that "over 90" is exactly the overdue keys whatever the config.
 */
export function ageBuckets(policy: Pick<Policy, 'remindAtDays' | 'deactivateAtDays'>): AgeBucket[] {
  const firstReminder = policy.remindAtDays[0] ?? policy.deactivateAtDays;
  const starts = [0];
  for (const edge of [...CALENDAR_EDGES, firstReminder, policy.deactivateAtDays]) {
    // An edge at or below the previous one (a policy that reminds at 45 days) merges two ranges.
    if (edge > (starts[starts.length - 1] ?? 0) && edge <= policy.deactivateAtDays) starts.push(edge);
  }
  return starts.map((from, i) => {
    const next = starts[i + 1];
    if (next === undefined) return { label: `over ${from - 1}`, from };
    return { label: `${from}–${next - 1}`, from, to: next - 1 };
  });
}

/** The index of the range an age falls in. */
export function bucketOf(buckets: readonly AgeBucket[], ageDays: number): number {
  const index = buckets.findIndex((bucket) => bucket.to === undefined || ageDays <= bucket.to);
  return index === -1 ? buckets.length - 1 : index;
}
