import { type KeyRecord, type KeyRecordDraft } from '../domain/ledger-records';
import { draftOf, withLease, withoutLease } from '../domain/record-transitions';
import { LEASE_MINUTES } from '../engine/key-ledger-session';
import { type NoticeSession } from '../engine/notice-delivery';
import { type Clock, type KeyRecordReader, type Ledger } from '../ports';

/** A write is re-applied to a fresh read this many times before the sender gives up on the key. */
const WRITE_ATTEMPTS = 4;

/**
 * The outbox sender's hold on one key while it sends a notice. Like the act step's session, every
 * write is conditional and the key is leased; unlike it, a write that loses to a write which did
 * not take the key (the report step's audit trail, which appends without a lease) is re-applied to
 * the record as it now is: the sender's changes are functions of the record, and a delivery Slack
 * confirmed must be recorded, or the next copy of the message would send it again.
 */
export class SenderKeySession implements NoticeSession {
  private record: KeyRecord | undefined;

  constructor(
    private readonly ledger: Ledger & KeyRecordReader,
    private readonly accountId: string,
    private readonly accessKeyId: string,
    /** The message's id: a second delivery of the same message may take its own lease again. */
    private readonly holder: string,
    private readonly clock: Clock,
  ) {}

  /** Reads the key; undefined when the ledger has no record of it. */
  async load(): Promise<KeyRecord | undefined> {
    this.record = await this.ledger.readKey(this.accountId, this.accessKeyId);
    return this.record;
  }

  get(accessKeyId: string): KeyRecord | undefined {
    return accessKeyId === this.accessKeyId ? this.record : undefined;
  }

  /**
   * Takes the key; `false` when a run holds it (the act step that queued this very message may not
   * have released it yet): the message is tried again shortly.
   */
  async claim(): Promise<boolean> {
    const lease = { runId: this.holder, expiresAt: this.at(LEASE_MINUTES * 60_000) };
    return this.write((d) => withLease(d, lease), { claiming: true });
  }

  update(accessKeyId: string, change: (draft: KeyRecordDraft) => KeyRecordDraft): Promise<boolean> {
    if (accessKeyId !== this.accessKeyId) return Promise.resolve(false);
    return this.write(change, { claiming: false });
  }

  release(
    accessKeyId: string,
    change: (draft: KeyRecordDraft) => KeyRecordDraft = (d) => d,
  ): Promise<boolean> {
    return this.update(accessKeyId, (draft) => withoutLease(change(draft)));
  }

  private async write(
    change: (draft: KeyRecordDraft) => KeyRecordDraft,
    { claiming }: { readonly claiming: boolean },
  ): Promise<boolean> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? this.record : await this.load();
      if (!current || !this.mayWrite(current, claiming)) return false;
      const next = change(draftOf(current));
      if ((await this.ledger.putKey(next, current.version)) === 'written') {
        this.record = { ...next, version: current.version + 1 };
        return true;
      }
    }
    return false;
  }

  /** Claiming needs the key free (or ours); later writes need it still ours. */
  private mayWrite(record: KeyRecord, claiming: boolean): boolean {
    const lease = record.lease;
    if (lease?.runId === this.holder) return true;
    if (!claiming) return false;
    return lease === undefined || lease.expiresAt <= this.clock.now().toISOString();
  }

  private at(offsetMs: number): string {
    return new Date(this.clock.now().getTime() + offsetMs).toISOString();
  }
}
