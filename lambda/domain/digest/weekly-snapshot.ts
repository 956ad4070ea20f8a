/** The figures the weekly digest shows for one account, or for all of them. */
export interface DigestFigures {
  readonly activeKeys: number;
  /** Active keys younger than the deactivation age: rotated within the period. */
  readonly compliant: number;
  readonly overdue: number;
  readonly exemptions: number;
  /** Absent when the rule checks were off: no count, rather than a misleading 0. */
  readonly findings?: number;
}

/**
 * What a weekly digest showed, kept on its ledger record so that next week's can say what changed
 * (issue 10). Accounts beyond {@link SNAPSHOT_ACCOUNTS_KEPT} count in the totals only, which keeps
 * the record far under DynamoDB's 400 KB item limit in any organisation.
 */
export interface WeeklySnapshot {
  /** UTC date of the run whose figures these are. */
  readonly on: string;
  readonly totals: DigestFigures;
  /** By account id. */
  readonly accounts: Readonly<Record<string, DigestFigures>>;
}

/** About 60 bytes an account as a DynamoDB map: 1,000 accounts stay near 60 KB. */
export const SNAPSHOT_ACCOUNTS_KEPT = 1000;

/** What moved since the earlier figures: differences, the compliant share in percentage points. */
export interface FiguresChange {
  readonly activeKeys: number;
  /** Absent when either week had no active keys (no share to compare). */
  readonly compliantPoints?: number;
  readonly overdue: number;
  readonly exemptions: number;
  /** Absent when either week had no rule checks. */
  readonly findings?: number;
}

/** Compliant keys as a whole percentage of active keys; undefined without active keys. */
export function compliantPercent(figures: DigestFigures): number | undefined {
  if (figures.activeKeys === 0) return undefined;
  const percent = Math.round((figures.compliant / figures.activeKeys) * 100);
  // Never "100% compliant" while a key is overdue, nor "0%" while one is not.
  if (figures.compliant < figures.activeKeys && percent === 100) return 99;
  if (figures.compliant > 0 && percent === 0) return 1;
  return percent;
}

/** The change from `before` to `now`, or undefined when there is nothing to compare with. */
export function changeSince(
  now: DigestFigures,
  before: DigestFigures | undefined,
): FiguresChange | undefined {
  if (!before) return undefined;
  const shareNow = compliantPercent(now);
  const shareBefore = compliantPercent(before);
  return {
    activeKeys: now.activeKeys - before.activeKeys,
    ...(shareNow !== undefined && shareBefore !== undefined
      ? { compliantPoints: shareNow - shareBefore }
      : {}),
    overdue: now.overdue - before.overdue,
    exemptions: now.exemptions - before.exemptions,
    ...(now.findings !== undefined && before.findings !== undefined
      ? { findings: now.findings - before.findings }
      : {}),
  };
}
