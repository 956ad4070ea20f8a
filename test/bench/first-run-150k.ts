import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { generateOrg, ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { withPeakRss } from './machine';

export interface FirstRunMetrics {
  readonly keys: number;
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly outcome: string;
}

/**
 * A first run over the in-memory simulated organisation: the stand-in over HTTP would spend the
 * time in sockets, and this scenario is about the engine's memory (issue 9 item 3).
 */
export async function firstRun(accounts: number, usersPerAccount: number): Promise<FirstRunMetrics> {
  const today = new Date('2027-01-04T09:00:00.000Z');
  const clock = new ManualClock(today);
  const org = generateOrg({ seed: 'bench-150k', today, accounts, usersPerAccount });
  const config = parseConfig({
    accounts: org.accounts.map((a) => ({ id: a.id, name: a.name })),
    slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    policy: { maxDeactivationsPerRun: 1_000_000 },
  });
  const slack = new SimulatedSlack({ clock, ...org.slack });
  const deps = { reader: org.iam, deactivator: org.iam, notifier: slack, ledger: new MemoryLedger(), clock };
  const started = performance.now();
  const { result, peakRssMiB } = await withPeakRss(async () => {
    try {
      const report = await runEnforcement(config, deps);
      return { keys: report.summary.keys, outcome: 'completed' };
    } catch (error) {
      // Reported, not thrown: a crash here is the finding (today's RangeError at ~108 k keys).
      return {
        keys: Number.NaN,
        outcome: `crashed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  });
  return { ...result, wallMs: performance.now() - started, peakRssMiB };
}
