import { setTimeout as delay } from 'node:timers/promises';

import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';

import { AwsIamGateway } from '../../lambda/adapters/aws/iam-gateway';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig } from '../../lambda/config/schema';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { ManualClock, SimulatedSlack } from '../../lambda/simulation';
import {
  generateOrg,
  type IamStandIn,
  startIamStandIn,
  type StandInOrg,
  tagAsEngineers,
} from '../support/iam-stand-in';
import { withPeakRss } from './machine';
import { ScaledRates } from './scaled-rate';

export type ReadPath = 'exhaustive' | 'fast';

export interface Scenario {
  readonly label: string;
  readonly accounts: number;
  readonly users: number;
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Simulated seconds per real second for the bucket and the gateway's sleeps. */
  readonly timeScale: number;
  /**
   * The fast path's own scale, when it is short enough to run nearer real time. Simulated time is
   * wall time × scale, so a high scale multiplies our CPU time too: at 50× a second of parsing and
   * deciding counts as 50 s of IAM time.
   */
  readonly fastTimeScale?: number;
}

/** The scale a scenario's path runs at. */
export function timeScaleOf(scenario: Scenario, path: ReadPath): number {
  return path === 'fast' ? (scenario.fastTimeScale ?? scenario.timeScale) : scenario.timeScale;
}

export interface ScenarioResult {
  readonly callsPerAccount: number;
  readonly throttled: number;
  readonly wallMs: number;
  readonly simulatedIamMs: number;
  readonly peakRssMiB: number;
  readonly incompleteAccounts: number;
  readonly failedAccounts: number;
}

/** Real IAM answers in tens of milliseconds; the stand-in's latency is in real time, so it is scaled too. */
const IAM_LATENCY_MS = 40;
/** Lambda's longest run: an account not read by then is "incomplete", as in production. */
export const BUDGET_MS = 15 * 60_000;
const REGION = 'us-east-1';
const HUB = { accessKeyId: 'AKIAHUBSTANDIN000000', secretAccessKey: 'hub-secret' };
export const NOW = new Date('2027-01-01T09:00:00Z');

/** The engine config with `read.fastPath` when this build knows it; otherwise undefined for 'fast'. */
export function configFor(ids: readonly string[], path: ReadPath): EnforcerConfig | undefined {
  const base = {
    accounts: ids.map((id) => ({ id, name: `acct-${id}` })),
    slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    policy: { maxDeactivationsPerRun: 1_000_000 },
  };
  if (path === 'exhaustive' && !fastPathKnown()) return parseConfig(base);
  if (!fastPathKnown()) return undefined;
  return parseConfig({ ...base, read: { fastPath: path === 'fast' } });
}

/** Whether the parsed config carries `read.fastPath`: detected, so the bench never fakes a column. */
export function fastPathKnown(): boolean {
  const probe: unknown = parseConfig({
    accounts: [{ id: '111111111111', name: 'probe' }],
    slack: { infraChannel: 'C0INFRA01' },
  });
  const read = (probe as { read?: { fastPath?: unknown } }).read;
  return typeof read?.fastPath === 'boolean';
}

function accountIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(200_000_000_000 + i));
}

function sum(rows: Record<string, Record<string, number>>, only?: (id: string) => boolean): number {
  return Object.entries(rows)
    .filter(([id]) => (only ? only(id) : true))
    .flatMap(([, actions]) => Object.values(actions))
    .reduce((a, b) => a + b, 0);
}

/**
 * One run of the real engine through the real `AwsIamGateway` and SDK against the stand-in.
 * With the fast path in the build, a first (exhaustive) run on an unthrottled stand-in fills the
 * ledger first, so the measured run is the steady-state daily run the fast path exists for.
 */
export async function runScenario(scenario: Scenario, path: ReadPath): Promise<ScenarioResult | undefined> {
  const ids = accountIds(scenario.accounts);
  const config = configFor(ids, path);
  if (!config) return undefined;
  const org = generateOrg({ accounts: Object.fromEntries(ids.map((id) => [id, scenario.users])), now: NOW });
  tagAsEngineers(org);
  const clock = new ManualClock(NOW);
  const ledger = new MemoryLedger();
  const members = [...org.values()].flatMap((a) => a.users.map((u) => u.tags['slack-id'] ?? ''));
  const engine = (gateway: AwsIamGateway, remainingTimeMs: () => number) => {
    const iam = gateway.forInvocation(remainingTimeMs);
    const notifier = new SimulatedSlack({ clock, members });
    return runEnforcement(config, { reader: iam, deactivator: iam, notifier, ledger, clock });
  };

  if (fastPathKnown()) {
    // Stand-in clocks start at the engine's date: the report's GeneratedTime must be "today".
    const warm = await startIamStandIn({ org, startTime: clock.now() });
    try {
      await engine(gatewayFor(warm.endpoint, 1), () => BUDGET_MS);
    } finally {
      await warm.close();
    }
    clock.advanceDays(1);
  }

  const scale = timeScaleOf(scenario, path);
  return withScaledStandIn(org, scenario, scale, clock.now(), async ({ server, gateway, simulated }) => {
    const started = performance.now();
    const { result: report, peakRssMiB } = await withPeakRss(() =>
      engine(gateway, () => BUDGET_MS - simulated()),
    );
    const wallMs = performance.now() - started;
    const stats = server.stats();
    const memberCalls = sum(gateway.callCounts(), (id) => id !== 'hub' && ids.includes(id));
    return {
      callsPerAccount: memberCalls / ids.length,
      throttled: sum(stats.throttled),
      wallMs,
      simulatedIamMs: wallMs * scale,
      peakRssMiB,
      incompleteAccounts: report.incompleteAccounts.length,
      failedAccounts: report.failedAccounts.length,
    };
  });
}

/** What {@link withScaledStandIn} hands its work: the stand-in, the gateway, simulated time so far. */
export interface ScaledStandIn {
  readonly server: IamStandIn;
  readonly gateway: AwsIamGateway;
  /** Simulated milliseconds since the work started: wall time × scale. */
  readonly simulated: () => number;
}

/**
 * Runs `work` against a stand-in throttled like IAM (`bucket`) whose clock, like the gateway's
 * sleeps and the SDK limiter's, runs `scale` times faster than the wall clock; closes it after.
 */
export async function withScaledStandIn<T>(
  org: StandInOrg,
  bucket: { readonly ratePerSecond: number; readonly burst: number },
  scale: number,
  startTime: Date,
  work: (standIn: ScaledStandIn) => Promise<T>,
): Promise<T> {
  const server = await startIamStandIn({
    org,
    latencyMs: IAM_LATENCY_MS / scale,
    throttle: { ratePerSecond: bucket.ratePerSecond, burst: bucket.burst },
    timeScale: scale,
    startTime,
  });
  const rates = new ScaledRates(scale);
  try {
    const gateway = gatewayFor(server.endpoint, scale, rates);
    const started = performance.now();
    return await work({ server, gateway, simulated: () => (performance.now() - started) * scale });
  } finally {
    rates.restore();
    await server.close();
  }
}

/** The real gateway and SDK against the stand-in at `endpoint`, sleeping on its scaled clock. */
export function gatewayFor(endpoint: string, scale: number, rates?: ScaledRates): AwsIamGateway {
  return new AwsIamGateway({
    memberRoleName: 'AccessKeyEnforcerMember',
    sts: new STSClient({ endpoint, region: REGION, credentials: HUB, maxAttempts: 1 }),
    iamClientFactory: (credentials, region) =>
      new IAMClient({ endpoint, region, credentials, maxAttempts: 1 }),
    sleep: (ms) => delay(ms / scale),
    ...(rates ? { rateFor: rates.rateFor } : {}),
  });
}
