import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { generateOrg, startIamStandIn, tagAsEngineers } from '../support/iam-stand-in';
import { ScaledRates } from './scaled-rate';
import { BUDGET_MS, gatewayFor, IAM_LATENCY_MS, NOW } from './stand-in-scenario';

/** One daily run of an account too large to read in one invocation. */
export interface ResumableRun {
  readonly phase: 'first scan' | 'full sweep';
  readonly calls: number;
  readonly throttled: number;
  readonly simulatedIamMs: number;
  readonly outcome: string;
  readonly detail: string;
}

const ACCOUNT_ID = '300000000000';
const MAX_RUNS = 12;

/**
 * Daily runs of the real engine, gateway and SDK against a throttled stand-in, each with
 * Lambda's 15 minutes of simulated IAM time, over one account too large for one run: until its
 * first scan has baselined it, then (a sweep every day) until a full sweep has listed every user.
 */
export async function resumableReads(options: {
  readonly users: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly timeScale: number;
}): Promise<ResumableRun[]> {
  const { users, ratePerSecond, burst, timeScale: scale } = options;
  const org = generateOrg({ accounts: { [ACCOUNT_ID]: users }, now: NOW });
  tagAsEngineers(org);
  const config = parseConfig({
    accounts: [{ id: ACCOUNT_ID, name: 'huge' }],
    slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    policy: { maxDeactivationsPerRun: 1_000_000 },
    // Every day is a sweep day: the bench measures how many runs one sweep takes.
    read: { fullSweepDays: 1 },
  });
  const clock = new ManualClock(NOW);
  const ledger = new MemoryLedger();
  const members = [...org.values()].flatMap((a) => a.users.map((u) => u.tags['slack-id'] ?? ''));
  const runs: ResumableRun[] = [];
  let phase: ResumableRun['phase'] = 'first scan';
  for (let i = 0; i < MAX_RUNS; i++) {
    const server = await startIamStandIn({
      org,
      latencyMs: IAM_LATENCY_MS / scale,
      throttle: { ratePerSecond, burst },
      timeScale: scale,
      startTime: clock.now(),
    });
    const rates = new ScaledRates(scale);
    try {
      const gateway = gatewayFor(server.endpoint, scale, rates);
      const started = performance.now();
      const simulated = (): number => (performance.now() - started) * scale;
      const iam = gateway.forInvocation(() => BUDGET_MS - simulated());
      const notifier = new SimulatedSlack({ clock, members });
      const report = await runEnforcement(config, { reader: iam, deactivator: iam, notifier, ledger, clock });
      const read = report.exhaustiveReads[0];
      const outcome =
        report.failedAccounts.length > 0
          ? 'failed'
          : report.incompleteAccounts.length > 0
            ? 'incomplete'
            : 'decided';
      runs.push({
        phase,
        calls: Object.values(gateway.callCounts()[ACCOUNT_ID] ?? {}).reduce((a, b) => a + b, 0),
        throttled: Object.values(server.stats().throttled[ACCOUNT_ID] ?? {}).reduce((a, b) => a + b, 0),
        simulatedIamMs: simulated(),
        outcome,
        detail: read ? `${read.reason}${read.detail ? `: ${read.detail}` : ''}` : 'fast',
      });
    } finally {
      rates.restore();
      await server.close();
    }
    clock.advanceDays(1);
    const account = (await ledger.readAccount(ACCOUNT_ID)).account;
    if (phase === 'first scan' && account?.baselinedOn !== undefined) phase = 'full sweep';
    else if (phase === 'full sweep' && account?.sweepCursor === undefined) break;
  }
  return runs;
}
