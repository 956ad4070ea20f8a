import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { generateOrg, tagAsEngineers } from '../support/iam-stand-in';
import { BUDGET_MS, NOW, withScaledStandIn } from './stand-in-scenario';

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
    const run = await withScaledStandIn(
      org,
      { ratePerSecond, burst },
      scale,
      clock.now(),
      async (standIn) => {
        const { server, gateway, simulated } = standIn;
        const iam = gateway.forInvocation(() => BUDGET_MS - simulated());
        const notifier = new SimulatedSlack({ clock, members });
        const report = await runEnforcement(config, {
          reader: iam,
          deactivator: iam,
          notifier,
          ledger,
          clock,
        });
        const read = report.exhaustiveReads[0];
        const outcome =
          report.failedAccounts.length > 0
            ? 'failed'
            : report.incompleteAccounts.length > 0
              ? 'incomplete'
              : 'decided';
        return {
          phase,
          calls: Object.values(gateway.callCounts()[ACCOUNT_ID] ?? {}).reduce((a, b) => a + b, 0),
          throttled: Object.values(server.stats().throttled[ACCOUNT_ID] ?? {}).reduce((a, b) => a + b, 0),
          simulatedIamMs: simulated(),
          outcome,
          detail: read ? `${read.reason}${read.detail ? `: ${read.detail}` : ''}` : 'fast',
        };
      },
    );
    runs.push(run);
    clock.advanceDays(1);
    const account = (await ledger.readAccount(ACCOUNT_ID)).account;
    if (phase === 'first scan' && account?.baselinedOn !== undefined) phase = 'full sweep';
    else if (phase === 'full sweep' && account?.sweepCursor === undefined) break;
  }
  return runs;
}
