/**
 * `npm run bench:org`: how long a daily run over 1,000 accounts × 5,000 users takes when fanned out
 * (issue 12). This machine cannot hold 1,000 such accounts (5 million users), so it measures the
 * two kinds of account a day has, side by side in one process, through the real adapters and SDK:
 * IAM and STS through `AwsIamGateway` against the stand-in (75 ms per request, the middle of
 * 50–100 ms, each account its own 10 TPS bucket, burst 20, on the real clock), the ledger through
 * `DynamoDbLedger` against dynalite, notices through `SqsOutboxQueue` against the SQS stand-in (the
 * state machine's act step queues them; the sender's pace is Slack's and is printed apart):
 * - a **fast** account, read from the credential report (six days of seven);
 * - a **sweep** account, whose weekly full sweep falls today (one day of seven): every user's keys.
 * Each is planned and acted on by the engine's own steps, timed one by one. Then the run of 1,000
 * accounts is scheduled as the state machine runs it: one seventh sweeping, listed first
 * (`sweepsFirst`), each Map worker taking the next account when it is free.
 */
import { setTimeout as delay } from 'node:timers/promises';

import { IAMClient } from '@aws-sdk/client-iam';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

import { AwsIamGateway } from '../../lambda/adapters/aws/iam-gateway';
import { SqsOutboxQueue } from '../../lambda/adapters/aws/sqs-outbox';
import { DynamoDbLedger } from '../../lambda/adapters/dynamodb/dynamodb-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { daysFromTo, utcDate } from '../../lambda/domain/dates';
import { sweepSlot } from '../../lambda/domain/fast-read';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { actOnAccount } from '../../lambda/engine/steps/act-on-account';
import { applyBreaker } from '../../lambda/engine/steps/apply-breaker';
import { planAccount } from '../../lambda/engine/steps/plan-account';
import { reportRun } from '../../lambda/engine/steps/report-run';
import { startRun } from '../../lambda/engine/steps/run-context';
import { MemoryRunStore, type RunStore } from '../../lambda/engine/steps/run-store';
import { type StepEnv } from '../../lambda/engine/steps/step-env';
import { type AccountRef } from '../../lambda/domain/model';
import { RunSchema } from '../../lib/config/run-mode';
import { ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { generateOrg, startIamStandIn, tagAsEngineers } from '../support/iam-stand-in';
import { startLocalDynamoDb } from '../support/local-dynamodb';
import { startSqsStandIn } from '../support/sqs-stand-in';
import { describeMachine, withPeakRss } from './machine';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const usersArg = process.argv.find((arg) => arg.startsWith('--users='));
const USERS = usersArg ? Number(usersArg.slice('--users='.length)) : 5000;
const LATENCY_MS = 75;
/** An S3 GET of a small object from Lambda in the same region, first byte. */
const S3_GET_MS = 25;
const ORG_ACCOUNTS = 1000;
const DEFAULTS = RunSchema.parse({});
const FIRST_DAY = new Date('2027-01-01T09:00:00Z');
const RUN_DAY = new Date(FIRST_DAY.getTime() + 86_400_000);
const HUB = { accessKeyId: 'AKIAHUBSTANDIN000000', secretAccessKey: 'hub-secret' };

interface AccountTimes {
  readonly kind: 'sweep' | 'fast';
  readonly id: string;
  planMs: number;
  actMs: number;
  read: string;
  calls: number;
  throttled: number;
  reminders: number;
  queued: number;
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

/** Account ids whose full sweep falls on the run's day, and not. */
function accountIds(): { sweep: string; fast: string } {
  const slot = daysFromTo('1970-01-01', utcDate(RUN_DAY)) % 7;
  const ids = Array.from({ length: 7 }, (_, i) => String(300_000_000_000 + i));
  return {
    sweep: ids.find((id) => sweepSlot(id, 7) === slot)!,
    fast: ids.find((id) => sweepSlot(id, 7) !== slot)!,
  };
}

async function measure(): Promise<{
  accounts: AccountTimes[];
  peakRssMiB: number;
  reportMs: number;
  reportAtOrgMs: number;
}> {
  const { sweep, fast } = accountIds();
  const org = generateOrg({ accounts: { [sweep]: USERS, [fast]: USERS }, now: FIRST_DAY });
  tagAsEngineers(org);
  const config = parseConfig({
    accounts: [sweep, fast].map((id) => ({ id, name: `acct-${id}` })),
    slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
    policy: { maxDeactivationsPerRun: 1_000_000 },
    accountConcurrency: 2,
  });
  const clock = new ManualClock(FIRST_DAY);
  const dynamo = await startLocalDynamoDb();
  const sqs = await startSqsStandIn({ now: Date.now });
  const members = [...org.values()].flatMap((a) => a.users.map((u) => u.tags['slack-id'] ?? ''));
  try {
    const ledger = new DynamoDbLedger({ tableName: dynamo.tableName, client: dynamo.client });
    // The first scan (exhaustive) fills the ledger, unthrottled: the measured run is the next day's.
    const warm = await startIamStandIn({ org, startTime: clock.now() });
    try {
      const iam = gatewayFor(warm.endpoint).forInvocation(() => 15 * 60_000);
      const slack = new SimulatedSlack({ clock, members });
      await runEnforcement(config, { reader: iam, deactivator: iam, notifier: slack, ledger, clock });
    } finally {
      await warm.close();
    }
    clock.set(RUN_DAY);

    const { queue, url } = sqs.createQueue({ name: 'outbox.fifo', visibilityTimeoutSeconds: 120 });
    const outbox = new SqsOutboxQueue({
      queueUrl: url,
      client: new SQSClient({ endpoint: sqs.url, region: 'us-east-1', credentials: HUB }),
    });
    const server = await startIamStandIn({
      org,
      latencyMs: LATENCY_MS,
      throttle: { ratePerSecond: 10, burst: 20 },
      startTime: clock.now(),
    });
    try {
      const gateway = gatewayFor(server.endpoint);
      const iam = gateway.forInvocation(() => 15 * 60_000);
      const env: StepEnv = {
        config,
        ports: {
          reader: iam,
          deactivator: iam,
          ledger,
          notifier: new SimulatedSlack({ clock, members }),
          outbox,
        },
        clock,
        store: new MemoryRunStore(),
      };
      const run = startRun(config, clock, {});
      const unmeasured = { planMs: 0, actMs: 0, read: '', calls: 0, throttled: 0, reminders: 0, queued: 0 };
      const accounts: AccountTimes[] = [
        { kind: 'sweep', id: sweep, ...unmeasured },
        { kind: 'fast', id: fast, ...unmeasured },
      ];
      const timed = async (work: () => Promise<unknown>): Promise<number> => {
        const started = performance.now();
        await work();
        return performance.now() - started;
      };
      let reportMs = 0;
      let reportAtOrgMs = 0;
      const { peakRssMiB } = await withPeakRss(async () => {
        const outcomes = await Promise.all(
          accounts.map(async (account) => {
            let outcome: Awaited<ReturnType<typeof planAccount>> | undefined;
            account.planMs = await timed(async () => {
              outcome = await planAccount(run, { id: account.id, name: `acct-${account.id}` }, env);
            });
            return outcome!;
          }),
        );
        const verdict = await applyBreaker(run, outcomes, env);
        for (const account of accounts) {
          const before = queue.depth;
          account.actMs = await timed(() => actOnAccount(run, account.id, verdict, env));
          account.queued = queue.depth - before;
        }
        let report: Awaited<ReturnType<typeof reportRun>> | undefined;
        reportMs = await timed(async () => {
          report = await reportRun(
            run,
            accounts.map((a) => ({ id: a.id, name: `acct-${a.id}` })),
            env,
          );
        });
        reportAtOrgMs = await timed(() =>
          reportRun(run, orgAccounts(sweep, fast), { ...env, store: orgStore(env.store, sweep, fast) }),
        );
        for (const account of accounts) {
          const exhaustive = report!.exhaustiveReads.find((r) => r.account.id === account.id);
          account.read = exhaustive ? `exhaustive (${exhaustive.reason})` : 'fast';
          account.reminders = report!.actions.filter(
            (a) => a.accountId === account.id && a.kind === 'remind',
          ).length;
        }
        if (report!.failedAccounts.length || report!.incompleteAccounts.length)
          throw new Error(`run did not finish: ${JSON.stringify(report!.failedAccounts)}`);
      });
      const counts = gateway.callCounts();
      const throttled = server.stats().throttled;
      for (const account of accounts) {
        account.calls = Object.values(counts[account.id] ?? {}).reduce((a, b) => a + b, 0);
        account.throttled = Object.values(throttled[account.id] ?? {}).reduce((a, b) => a + b, 0);
      }
      return { accounts, peakRssMiB, reportMs, reportAtOrgMs };
    } finally {
      await server.close();
    }
  } finally {
    await sqs.close();
    await dynamo.close();
  }
}

/** 1,000 account ids: the first seventh stand for the sweep account, the rest for the fast one. */
function orgAccounts(sweep: string, fast: string): AccountRef[] {
  return Array.from({ length: ORG_ACCOUNTS }, (_, i) => ({
    id: String(900_000_000_000 + i),
    name: i < Math.round(ORG_ACCOUNTS / 7) ? `as-${sweep}` : `as-${fast}`,
  }));
}

/**
 * The report step's view of a 1,000-account run: each synthetic account's documents are the
 * measured account's, and every read waits S3's first-byte latency, as the deployed store's do.
 */
function orgStore(store: RunStore, sweep: string, fast: string): RunStore {
  const cut = 900_000_000_000 + Math.round(ORG_ACCOUNTS / 7);
  return {
    put: (runId, document) => store.put(runId, document),
    get: async (runId, kind, accountId) => {
      await delay(S3_GET_MS);
      const standsFor = accountId === undefined ? undefined : Number(accountId) < cut ? sweep : fast;
      return store.get(runId, kind, standsFor);
    },
  };
}

/** A Map with `concurrency` workers, each taking the next item in order when it is free. */
function mapMakespan(durationsMs: readonly number[], concurrency: number): number {
  const free = new Array<number>(Math.min(concurrency, durationsMs.length)).fill(0);
  for (const duration of durationsMs) {
    let earliest = 0;
    for (let w = 1; w < free.length; w++) if (free[w]! < free[earliest]!) earliest = w;
    free[earliest]! += duration;
  }
  return Math.max(0, ...free);
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function printTable(rows: readonly (readonly string[])[]): void {
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
  console.log(`access-key-enforcer org-scale bench on ${describeMachine()}`);
  console.log(
    `Two accounts of ${fmt(USERS)} users at once: IAM stand-in ${LATENCY_MS} ms per request, 10 TPS burst 20 per account, real clock; ledger on dynalite; outbox on the SQS stand-in. The day after the first scan.`,
  );
  const { accounts, peakRssMiB, reportMs, reportAtOrgMs } = await measure();
  printTable([
    ['account', 'read', 'plan', 'act', 'IAM calls', 'throttled', 'reminders', 'queued notices'],
    ...accounts.map((a) => [
      a.kind,
      a.read,
      `${fmt(a.planMs / 1000, 1)} s`,
      `${fmt(a.actMs / 1000, 1)} s`,
      fmt(a.calls),
      fmt(a.throttled),
      fmt(a.reminders),
      fmt(a.queued),
    ]),
  ]);
  console.log(
    `Peak RSS of this process (both accounts): ${fmt(peakRssMiB)} MiB. Report step: ${fmt(reportMs / 1000, 1)} s over these two; ` +
      `${fmt(reportAtOrgMs / 1000, 1)} s over ${fmt(ORG_ACCOUNTS)} (their documents repeated, ${S3_GET_MS} ms per run-store read).`,
  );

  const byKind = (kind: AccountTimes['kind']) => accounts.find((a) => a.kind === kind)!;
  const sweeping = Math.round(ORG_ACCOUNTS / 7);
  const planDurations = [
    ...new Array<number>(sweeping).fill(byKind('sweep').planMs),
    ...new Array<number>(ORG_ACCOUNTS - sweeping).fill(byKind('fast').planMs),
  ];
  const actDurations = [
    ...new Array<number>(sweeping).fill(byKind('sweep').actMs),
    ...new Array<number>(ORG_ACCOUNTS - sweeping).fill(byKind('fast').actMs),
  ];
  console.log('');
  console.log(
    `Extrapolated to ${fmt(ORG_ACCOUNTS)} accounts × ${fmt(USERS)} users: ${sweeping} sweep today (one in seven), listed first; ` +
      'each Map worker is its own Lambda and each account its own IAM bucket, so an account takes what it took here.',
  );
  const rows = [
    ['plan concurrency', 'act concurrency', 'plan Map', 'act Map', 'daily run (plan + act + report)'],
  ];
  const settings = [
    [40, 4],
    [100, DEFAULTS.actConcurrency],
    [DEFAULTS.planConcurrency, DEFAULTS.actConcurrency],
  ];
  for (const [plan, act] of settings) {
    const planMs = mapMakespan(planDurations, plan!);
    const actMs = mapMakespan(actDurations, act!);
    const total = planMs + actMs + reportAtOrgMs;
    const isDefault = plan === DEFAULTS.planConcurrency && act === DEFAULTS.actConcurrency;
    rows.push([
      `${plan}${isDefault ? ' (default)' : ''}`,
      String(act),
      `${fmt(planMs / 60_000, 1)} min`,
      `${fmt(actMs / 60_000, 1)} min`,
      `${fmt(total / 60_000, 1)} min`,
    ]);
  }
  printTable(rows);
  console.log(
    "Not in it: the state machine's own transitions (seconds) and the outbox's delivery, which Slack paces at about one message a second per channel (docs/state-machine.md).",
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
