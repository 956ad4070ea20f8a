import { type Clock } from '../ports';
import { type ReplayGuard } from '../interactive/interactive-ports';

/** The replay guard in process memory, for tests and local runs; expired ids are forgotten. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly clock: Clock = { now: () => new Date() }) {}

  firstSeen(requestId: string, expiresAt: Date): Promise<boolean> {
    const now = this.clock.now().getTime();
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
    if (this.seen.has(requestId)) return Promise.resolve(false);
    this.seen.set(requestId, expiresAt.getTime());
    return Promise.resolve(true);
  }
}
