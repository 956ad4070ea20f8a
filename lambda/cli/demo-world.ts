import { MemoryLedger } from '../adapters/memory-ledger';
import { parseConfig } from '../config/parse-config';
import { type EnforcerConfig } from '../config/schema';
import { DEMO_INFRA_CHANNEL } from '../demo/run-demo';
import { demoOrg, ManualClock, SimulatedSlack } from '../simulation';
import { type CliDeps } from './cli-deps';

/** The demo's first day: `--demo` commands look at the simulated org on this date. */
export const DEMO_START = new Date('2027-03-01T09:00:00.000Z');

/**
 * `--demo`: the commands run against the simulated organisation of `npm start` instead of AWS,
 * so their output can be seen (and documented) without an account.
 */
export function demoCliWorld(base: CliDeps): { deps: CliDeps; config: EnforcerConfig } {
  const clock = new ManualClock(DEMO_START);
  const org = demoOrg(clock.now(), clock);
  const slack = new SimulatedSlack({ clock, ...org.slack });
  const ledger = new MemoryLedger();
  const config = parseConfig({
    accounts: org.accounts.map((a) => ({ id: a.id, name: a.name })),
    slack: { infraChannel: DEMO_INFRA_CHANNEL, runDigest: 'never' },
    rotation: { awsVaultProfileHint: '<account-name>' },
    // The team's other rules (issue 10), so `scan --demo` and `doctor --demo` show them.
    rules: {},
  });
  const deps: CliDeps = {
    ...base,
    clock,
    iam: () => org.iam,
    notifier: () => slack,
    slackIsSimulated: true,
    slackProbe: () => ({
      authTest: () => Promise.resolve({ ok: true }),
      channelInfo: () => Promise.resolve({ ok: true }),
    }),
    dynamoLedger: () => ledger,
    // A real file, so a second `run --demo --state FILE` (a new process) sees what the first sent.
    fileLedger: base.fileLedger,
  };
  return { deps, config };
}
