/** Calls made per account id, then per operation such as `iam:ListUsers`. */
export type CallCounts = Record<string, Record<string, number>>;

/**
 * Counts every AWS request per account and operation, retries included, so a run can report what
 * it cost against IAM's (low, account-wide) request quotas and tests can pin the call formula.
 */
export class CallCounter {
  private readonly counts = new Map<string, Map<string, number>>();

  /** Records one request. */
  record(accountId: string, operation: string): void {
    let perAccount = this.counts.get(accountId);
    if (!perAccount) {
      perAccount = new Map();
      this.counts.set(accountId, perAccount);
    }
    perAccount.set(operation, (perAccount.get(operation) ?? 0) + 1);
  }

  /** A copy of the counts so far; later calls do not change it. */
  snapshot(): CallCounts {
    const result: CallCounts = {};
    for (const [accountId, perAccount] of this.counts) result[accountId] = Object.fromEntries(perAccount);
    return result;
  }

  reset(): void {
    this.counts.clear();
  }
}
