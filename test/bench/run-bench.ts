/**
 * `npm run bench` (`-- --quick` for a small run): the real `AwsIamGateway`, through the real AWS
 * SDK, against the loopback IAM/STS stand-in, driving the real engine. Kept out of `npm test` so a
 * busy machine never turns it flaky. Run under `node --expose-gc` so RSS starts from a collected heap.
 */
import { measureBundle } from './bundle-metrics';
import { firstRun } from './first-run-150k';
import { describeMachine } from './machine';
import { resumableReads } from './resumable-reads';
import {
  type ReadPath,
  runScenario,
  type Scenario,
  type ScenarioResult,
  timeScaleOf,
} from './stand-in-scenario';

// The SDK's Node-22 notice is documented in the README; printed by every client, it buries the table.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const quick = process.argv.includes('--quick');
// `-- --only=5,000` runs the scenarios whose label contains it, and skips the first run and bundle.
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);

// Large scenarios run their buckets faster than real time (timeScale) so the whole bench fits in
// a few minutes; simulated IAM time is wall time × timeScale, which also scales our own CPU time,
// so it errs on the slow side.
const SCENARIOS: readonly Scenario[] = quick
  ? [
      { label: '2 × 50', accounts: 2, users: 50, ratePerSecond: 10, burst: 20, timeScale: 10 },
      { label: '1 × 500 @ 5 TPS', accounts: 1, users: 500, ratePerSecond: 5, burst: 5, timeScale: 50 },
    ]
  : [
      { label: '10 × 100', accounts: 10, users: 100, ratePerSecond: 10, burst: 20, timeScale: 1 },
      // On the real clock this row alone outlasts 10 minutes on 2 cores; at 100× it is CPU-bound
      // (nothing throttled), so its simulated IAM time is our CPU × 100, an upper bound only.
      // The fast path runs at 10×: at 100× our CPU alone spends the run's 15 simulated minutes
      // within 9 s, after which the credential report wait gives up at once and accounts fall
      // back to the exhaustive read, so the row would measure the fallback, not the fast path.
      {
        label: '100 × 1,000',
        accounts: 100,
        users: 1000,
        ratePerSecond: 10,
        burst: 20,
        timeScale: 100,
        fastTimeScale: 10,
      },
      {
        label: '1 × 5,000 @ 10 TPS b20',
        accounts: 1,
        users: 5000,
        ratePerSecond: 10,
        burst: 20,
        timeScale: 50,
        // A few seconds of work: on the real clock our own CPU time is not multiplied.
        fastTimeScale: 1,
      },
      {
        label: '1 × 5,000 @ 5 TPS',
        accounts: 1,
        users: 5000,
        ratePerSecond: 5,
        burst: 5,
        timeScale: 100,
        fastTimeScale: 1,
      },
    ];
const SELECTED = only === undefined ? SCENARIOS : SCENARIOS.filter((s) => s.label.includes(only));
const PATHS: readonly ReadPath[] = ['exhaustive', 'fast'];
const NOT_IN_BUILD = 'n/a (fast path not in this build)';

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function cells(r: ScenarioResult | undefined): string[] {
  if (!r) return [NOT_IN_BUILD, '', '', '', '', ''];
  const outcome = r.failedAccounts
    ? `${r.failedAccounts} failed`
    : r.incompleteAccounts
      ? `${r.incompleteAccounts} incomplete`
      : 'all read';
  return [
    fmt(r.callsPerAccount, 1),
    fmt(r.throttled),
    `${fmt(r.wallMs / 1000, 1)} s`,
    `${fmt(r.simulatedIamMs / 1000, 1)} s`,
    `${fmt(r.peakRssMiB)} MiB`,
    outcome,
  ];
}

function ratio(fast: ScenarioResult | undefined, slow: ScenarioResult | undefined): string {
  if (!fast || !slow) return 'n/a';
  return `calls ${fmt(fast.callsPerAccount / slow.callsPerAccount, 3)}, IAM time ${fmt(fast.simulatedIamMs / slow.simulatedIamMs, 3)}`;
}

function printTable(rows: readonly string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const [i, row] of rows.entries()) {
    console.log(
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join(' | ')
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
}

async function main(): Promise<void> {
  console.log(`machine: ${describeMachine()}${quick ? ' (--quick)' : ''}`);
  const rows: string[][] = [
    [
      'scenario',
      'timeScale',
      'path',
      'IAM calls/acct',
      'throttled',
      'wall',
      'sim. IAM time',
      'peak RSS',
      'outcome',
      'fast/exhaustive',
    ],
  ];
  for (const scenario of SELECTED) {
    const results: Partial<Record<ReadPath, ScenarioResult>> = {};
    for (const path of PATHS) {
      const result = await runScenario(scenario, path);
      if (result) results[path] = result;
      rows.push([
        scenario.label,
        `${timeScaleOf(scenario, path)}×`,
        path,
        ...cells(result),
        path === 'fast' ? ratio(results.fast, results.exhaustive) : '',
      ]);
      console.error(`done: ${scenario.label} ${path}`);
    }
  }

  if (only !== undefined) {
    console.log('');
    printTable(rows);
    return;
  }
  // The simulated org averages about 1.08 keys per user: 50 × 2,800 is the first run of ~150,000 keys.
  const [accounts, users] = quick ? [5, 1000] : [50, 2800];
  const first = await firstRun(accounts, users);
  rows.push([
    `first run, simulated org ${accounts} × ${fmt(users)} (${fmt(first.keys)} keys), in memory`,
    '1×',
    'exhaustive',
    '',
    '',
    `${fmt(first.wallMs / 1000, 1)} s`,
    '',
    `${fmt(first.peakRssMiB)} MiB`,
    first.outcome,
    '',
  ]);

  // An account too large for one invocation: each run lists what 15 minutes allow and the next
  // goes on from there, for its first scan and for its full sweep.
  const huge = quick
    ? { users: 3000, ratePerSecond: 2, burst: 2, timeScale: 50 }
    : { users: 12_000, ratePerSecond: 5, burst: 5, timeScale: 50 };
  const resumed = await resumableReads(huge);
  console.error('done: resumable reads');

  const bundle = await measureBundle(quick ? 5 : 20);
  console.log('');
  printTable(rows);
  console.log('');
  console.log(
    `one account of ${fmt(huge.users)} users @ ${huge.ratePerSecond} TPS burst ${huge.burst}, ${huge.timeScale}× time, a daily run each, 15 min of IAM time per run:`,
  );
  printTable([
    ['run', 'phase', 'IAM calls', 'throttled', 'sim. IAM time', 'outcome', 'read'],
    ...resumed.map((run, i) => [
      String(i + 1),
      run.phase,
      fmt(run.calls),
      fmt(run.throttled),
      `${fmt(run.simulatedIamMs / 1000, 1)} s`,
      run.outcome,
      run.detail,
    ]),
  ]);
  console.log('');
  console.log(`handler bundle (stack's esbuild options): ${fmt(bundle.bytes / 1024)} KB`);
  console.log(`cold module init, median of ${quick ? 5 : 20} node starts: ${fmt(bundle.medianInitMs, 1)} ms`);
  console.log(
    `budget per run: 15 min of simulated IAM time (Lambda's limit); IAM latency 40 ms per call, scaled`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
