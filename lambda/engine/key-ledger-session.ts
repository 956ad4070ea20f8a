import { type AccountPlan, type Decision } from '../domain/decisions';
import { type KeyRecord, type KeyRecordDraft, type Lease } from '../domain/ledger-records';
import { draftOf, withLease, withoutLease } from '../domain/record-transitions';
import { type Clock, type Ledger } from '../ports';

/** How long a run may hold a key; longer than the Lambda's 15-minute limit so a live run never loses it. */
export const LEASE_MINUTES = 20;

/**
 * One account's key records during a run, kept in step with the ledger. Every change is a
 * conditional write against the version this run last saw, so a concurrent run's change is
 * detected (`false`) instead of overwritten.
 */
export class KeyLedgerSession {
  private readonly records = new Map<string, KeyRecord>();
  private readonly userClasses = new Map<string, string>();

  /** `clock` times each lease from its claim, not from the run's start (issue 8 item 9). */
  constructor(
    private readonly ledger: Ledger,
    records: readonly KeyRecord[],
    private readonly runId: string,
    private readonly clock: Clock,
  ) {
    for (const record of records) this.records.set(record.accessKeyId, record);
  }

  get(accessKeyId: string): KeyRecord | undefined {
    return this.records.get(accessKeyId);
  }

  /** Every record this run knows of, as last written or read. */
  all(): IterableIterator<KeyRecord> {
    return this.records.values();
  }

  /** The user class the key is being decided under; stamped as `lastUserClass` on every write. */
  noteUserClass(accessKeyId: string, userClass: string): void {
    this.userClasses.set(accessKeyId, userClass);
  }

  /** Creates the record if no run has yet; with `hold`, this run also takes the lease. */
  async create(draft: KeyRecordDraft, hold: boolean): Promise<boolean> {
    const next = hold ? withLease(draft, this.lease()) : draft;
    return this.write(next, undefined);
  }

  /** Takes the key for this run; `false` when another run changed or holds it. */
  async claim(accessKeyId: string): Promise<boolean> {
    const current = this.records.get(accessKeyId);
    if (!current) return false;
    if (current.lease?.runId === this.runId) return true;
    return this.write(withLease(draftOf(current), this.lease()), current.version);
  }

  /** Applies a change while keeping the lease. */
  async update(accessKeyId: string, change: (draft: KeyRecordDraft) => KeyRecordDraft): Promise<boolean> {
    const current = this.records.get(accessKeyId);
    if (!current) return false;
    return this.write(change(draftOf(current)), current.version);
  }

  /** Applies a final change and gives the key back. */
  async release(
    accessKeyId: string,
    change: (draft: KeyRecordDraft) => KeyRecordDraft = (d) => d,
  ): Promise<boolean> {
    return this.update(accessKeyId, (draft) => withoutLease(change(draft)));
  }

  private lease(): Lease {
    return {
      runId: this.runId,
      expiresAt: new Date(this.clock.now().getTime() + LEASE_MINUTES * 60_000).toISOString(),
    };
  }

  private async write(record: KeyRecordDraft, expectedVersion: number | undefined): Promise<boolean> {
    const userClass = this.userClasses.get(record.accessKeyId);
    const draft = userClass === undefined ? record : { ...record, lastUserClass: userClass };
    const result = await this.ledger.putKey(draft, expectedVersion);
    if (result === 'conflict') return false;
    this.records.set(draft.accessKeyId, { ...draft, version: (expectedVersion ?? 0) + 1 });
    return true;
  }
}

/**
 * The records a plan's execution can touch: its decisions' keys and keys owing a channel mirror.
 * Issue 9: holding only these keeps a run's memory per decision, not per key of the organisation.
 */
export function recordsForPlan(plan: AccountPlan, records: readonly KeyRecord[]): KeyRecord[] {
  const keyIds = new Set(plan.decisions.flatMap(decisionKeyIds));
  return records.filter(
    (record) =>
      keyIds.has(record.accessKeyId) ||
      Object.values(record.milestones).some((milestone) => milestone.pendingMirror !== undefined),
  );
}

function decisionKeyIds(decision: Decision): string[] {
  switch (decision.kind) {
    case 'second-key':
      return decision.activeKeys.map((key) => key.accessKeyId);
    case 'key-gone':
      return [decision.accessKeyId];
    case 'baseline':
      return [];
    default:
      return [decision.subject.key.accessKeyId];
  }
}
