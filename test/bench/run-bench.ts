/**
 * `npm run bench`: speed and memory targets of the engine, kept out of the unit tests so a busy CI
 * machine never turns them flaky. Exits non-zero when a target is missed.
 */
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { decideAccount } from '../../lambda/domain/account-policy';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { generateOrg, ManualClock, SimulatedSlack } from '../../lambda/simulation';

interface Result {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target: number;
}

async function main(): Promise<void> {
  const start = new Date('2027-01-04T09:00:00.000Z');
  const clock = new ManualClock(start);
  const accounts = 20;
  const usersPerAccount = 500;
  const org = generateOrg({ seed: 'bench', today: start, accounts, usersPerAccount });
  const config = parseConfig({
    accounts: org.accounts.map((a) => ({ id: a.id, name: a.name })),
    slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    policy: { maxDeactivationsPerRun: 100_000 },
  });
  const slack = new SimulatedSlack({ clock, ...org.slack });
  const ledger = new MemoryLedger();
  const deps = { reader: org.iam, deactivator: org.iam, notifier: slack, ledger, clock };
  const results: Result[] = [];

  // Pure policy throughput: one account's decisions, no I/O.
  const account = org.accounts[0]!;
  const scan = await org.iam.readAccount(account);
  const policyRounds = 200;
  let t = performance.now();
  for (let i = 0; i < policyRounds; i++)
    decideAccount({ account, scan, ledger: { keys: [] }, config, now: start });
  const perUser = ((performance.now() - t) * 1000) / (policyRounds * scan.users.length);
  results.push({ name: 'policy: decide one user', value: perUser, unit: 'µs', target: 50 });

  // A first run (baseline) and a steady-state daily run over 10,000 users.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  const first = await runEnforcement(config, deps);
  results.push({
    name: `first run, ${first.summary.users} users / ${first.summary.keys} keys`,
    value: performance.now() - t,
    unit: 'ms',
    target: 5000,
  });
  clock.advanceDays(1);
  t = performance.now();
  const daily = await runEnforcement(config, deps);
  results.push({
    name: `daily run, ${daily.summary.users} users`,
    value: performance.now() - t,
    unit: 'ms',
    target: 3000,
  });
  const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
  results.push({ name: 'heap growth over both runs', value: heapGrowth, unit: 'MiB', target: 256 });

  let failed = false;
  for (const r of results) {
    const ok = r.value <= r.target;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'MISS'} ${r.name.padEnd(44)} ${r.value.toFixed(1).padStart(9)} ${r.unit.padEnd(4)} (target <= ${r.target} ${r.unit})`,
    );
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
