/**
 * `npm run bench:org`: how long a daily run over 1,000 accounts × 5,000 users takes when fanned out
 * (issue 12). This machine cannot hold 1,000 such accounts (5 million users), so it measures what
 * one Map worker does, the real engine's steps through the real `AwsIamGateway` and SDK against the
 * stand-in (75 ms per request, the middle of 50–100 ms, and its own 10 TPS bucket per account,
 * burst 20, on the real clock), with `workers` accounts at once in this one process; then it
 * extrapolates to 1,000 accounts at the state machine's plan concurrency, stating how.
 *
 * Slack is the simulated one, which does not pace: the channel's own limit (about one message a
 * second) is not an IAM or engine cost, and is printed separately.
 */
import { setTimeout as delay } from 'node:timers/promises';

import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

import { AwsIamGateway } from '../../lambda/adapters/aws/iam-gateway';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { generateOrg, startIamStandIn, tagAsEngineers } from '../support/iam-stand-in';
import { describeMachine, withPeakRss } from './machine';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const USERS = 5000;
const LATENCY_MS = 75;
const ORG_ACCOUNTS = 1000;
/** `deploy.run.planConcurrency`'s default (lib/config/run-mode.ts). */
const PLAN_CONCURRENCY = 40;
const NOW = new Date('2027-01-01T09:00:00Z');
const HUB = { accessKeyId: 'AKIAHUBSTANDIN000000', secretAccessKey: 'hub-secret' };
const WORKERS = process.argv.includes('--quick') ? [1] : [1, 4];

interface Measured {
  readonly workers: number;
  readonly wallMs: number;
  readonly callsPerAccount: number;
  readonly throttled: number;
  readonly reminders: number;
  readonly channelPosts: number;
  readonly peakRssMiB: number;
  readonly incomplete: number;
  readonly failed: number;
}

function gatewayFor(endpoint: string): AwsIamGateway {
  return new AwsIamGateway({
    memberRoleName: 'AccessKeyEnforcerMember',
    sts: new STSClient({ endpoint, region: 'us-east-1', credentials: HUB, maxAttempts: 1 }),
    iamClientFactory: (credentials, region) =>
      new IAMClient({ endpoint, region, credentials, maxAttempts: 1 }),
    sleep: (ms) => delay(ms),
  });
}

async function measure(workers: number): Promise<Measured> {
  const ids = Array.from({ length: workers }, (_, i) => String(300_000_000_000 + i));
  const org = generateOrg({ accounts: Object.fromEntries(ids.map((id) => [id, USERS])), now: NOW });
  tagAsEngineers(org);
  const config = parseConfig({
    accounts: ids.map((id) => ({ id, name: `acct-${id}` })),
    slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    policy: { maxDeactivationsPerRun: 1_000_000 },
    // One process stands for `workers` Map workers, each with one account.
    accountConcurrency: Math.min(workers, 32),
  });
  const clock = new ManualClock(NOW);
  const ledger = new MemoryLedger();
  const members = [...org.values()].flatMap((a) => a.users.map((u) => u.tags['slack-id'] ?? ''));
  let slack = new SimulatedSlack({ clock, members });
  const run = (gateway: AwsIamGateway) => {
    const iam = gateway.forInvocation(() => 15 * 60_000);
    return runEnforcement(config, { reader: iam, deactivator: iam, notifier: slack, ledger, clock });
  };

  // The first scan (exhaustive) fills the ledger, unthrottled: the measured run is the daily one.
  const warm = await startIamStandIn({ org, startTime: clock.now() });
  try {
    await run(gatewayFor(warm.endpoint));
  } finally {
    await warm.close();
  }
  clock.advanceDays(1);
  slack = new SimulatedSlack({ clock, members });

  const server = await startIamStandIn({
    org,
    latencyMs: LATENCY_MS,
    throttle: { ratePerSecond: 10, burst: 20 },
    startTime: clock.now(),
  });
  try {
    const gateway = gatewayFor(server.endpoint);
    const started = performance.now();
    const { result: report, peakRssMiB } = await withPeakRss(() => run(gateway));
    const wallMs = performance.now() - started;
    const counts = gateway.callCounts();
    const memberCalls = ids.reduce(
      (sum, id) => sum + Object.values(counts[id] ?? {}).reduce((a, b) => a + b, 0),
      0,
    );
    const throttled = Object.values(server.stats().throttled)
      .flatMap((perAction) => Object.values(perAction))
      .reduce((a, b) => a + b, 0);
    return {
      workers,
      wallMs,
      callsPerAccount: memberCalls / workers,
      throttled,
      reminders: report.summary.reminders,
      channelPosts: slack.channelMessages().length,
      peakRssMiB,
      incomplete: report.incompleteAccounts.length,
      failed: report.failedAccounts.length,
    };
  } finally {
    await server.close();
  }
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  console.log(`access-key-enforcer org-scale bench on ${describeMachine()}`);
  console.log(
    `Stand-in: ${USERS.toLocaleString('en-US')} users per account, ${LATENCY_MS} ms per request, 10 TPS burst 20 per account, real clock; steady-state daily run (fast path).`,
  );
  const waves = Math.ceil(ORG_ACCOUNTS / PLAN_CONCURRENCY);
  const rows = [
    [
      'accounts at once',
      'wall',
      'IAM calls/acct',
      'throttled',
      'reminders',
      'channel posts',
      'peak RSS',
      'outcome',
      `est. 1,000 accts @ ${PLAN_CONCURRENCY}`,
    ],
  ];
  for (const workers of WORKERS) {
    const m = await measure(workers);
    const outcome = m.failed
      ? `${m.failed} failed`
      : m.incomplete
        ? `${m.incomplete} incomplete`
        : 'all read';
    // Each Map worker is its own Lambda with its own account's bucket: 1,000 accounts take
    // ⌈1000 / concurrency⌉ waves of one account's time. Measured with `workers` accounts sharing
    // this machine's 2 cores, so the wave time errs on the slow side.
    const estimate = (waves * m.wallMs) / 1000 / 60;
    rows.push([
      String(workers),
      `${fmt(m.wallMs / 1000, 1)} s`,
      fmt(m.callsPerAccount, 1),
      fmt(m.throttled),
      fmt(m.reminders),
      fmt(m.channelPosts),
      `${fmt(m.peakRssMiB)} MiB`,
      outcome,
      `${waves} waves × ${fmt(m.wallMs / 1000, 1)} s = ${fmt(estimate, 1)} min`,
    ]);
  }
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
  console.log(
    'The estimate is the plan and act of every account at the plan Map concurrency; breaker and report add seconds.',
  );
  console.log(
    "Slack is not in it: one channel takes about one message a second, so a day's channel posts over 1,000 such accounts (the column × 1,000) cannot fit any run; see docs/state-machine.md.",
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
