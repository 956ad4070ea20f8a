import { randomUUID } from 'node:crypto';

import { type EnforcerConfig } from '../config/schema';
import { applyCircuitBreaker } from '../domain/circuit-breaker';
import { parseUtcDate, utcDate } from '../domain/dates';
import { type AccountPlan, type InputProblem } from '../domain/decisions';
import { type AccountRecord } from '../domain/ledger-records';
import { breakerMessage, type MessageContext, type RunDigest, runDigestMessage } from '../domain/messages';
import { type AccountRef } from '../domain/model';
import { type Clock, isReadIncomplete } from '../ports';
import { mapWithConcurrency } from '../util/concurrency';
import { countingPorts, type EnginePorts } from './counting-ports';
import { DeliveryService } from './delivery';
import { errorMessage, executePlan, SLACK_CONFIGURATION_DETAIL } from './execute-plan';
import { KeyLedgerSession, recordsForPlan } from './key-ledger-session';
import { type AccountReadPath, readAndDecide } from './read-account';
import { type ReadStamp, recordRead } from './record-read';
import { recordAuditTrail } from './audit-trail';
import { checkRuleFindings, type RuleAccountRead, ruleReadOf } from './rule-findings';
import { exportSecurityHubFindings, type SecurityHubImporter } from './security-hub-export';
import { type ActionRecord, type PortCalls, type RunReport, type RunSummary } from './run-report';

export interface EngineDeps extends EnginePorts {
  readonly clock: Clock;
  /** Security Hub, when `securityHub.enabled` (issue 10). */
  readonly securityHub?: SecurityHubImporter;
}

export interface RunOptions {
  /** Overrides `config.dryRun` (SPEC §6). */
  readonly dryRun?: boolean;
  /** Act as if today were this UTC date (YYYY-MM-DD), at the current time of day. */
  readonly asOf?: string;
  /** Identifies this run in leases and logs. @default a random UUID */
  readonly runId?: string;
  /** Raises the circuit breaker's limit for this run only, after a human has reviewed the list. */
  readonly maxDeactivations?: number;
  /** Time left before the caller must stop (the Lambda's remaining time); accounts not started by then are reported failed. */
  readonly remainingTimeMs?: () => number;
  /** The accounts of this run (explicit and discovered, resolved by the caller). @default config.accounts */
  readonly accounts?: readonly EnforcerConfig['accounts'][number][];
}

/** SPEC §6: a run that changes or sends anything acts at the real time; only a dry run may preview. */
export class AsOfWithoutDryRunError extends Error {
  override readonly name = 'AsOfWithoutDryRunError';
  constructor(asOf: string) {
    super(`asOf ${asOf} is only allowed in a dry run: a real run always acts at the real time`);
  }
}

/** Below this, no new account is started: the rest of the run needs time to record and report. */
const TIME_RESERVE_MS = 60_000;

interface AccountRead {
  readonly account: AccountRef;
  readonly plan?: AccountPlan;
  readonly accountRecord?: AccountRecord;
  readonly session?: KeyLedgerSession;
  readonly error?: string;
  /** Set when the read ran out of time: the account resumes next run (SPEC §7). */
  readonly incomplete?: boolean;
  readonly read?: AccountReadPath;
  readonly stamp?: ReadStamp;
  readonly ruleRead?: RuleAccountRead;
}

/**
 * One enforcement run (SPEC §2): read and decide every account with bounded concurrency, apply
 * the circuit breaker across all of them, act, and report. The Lambda, the CLI and the demo all
 * call this one function.
 */
export async function runEnforcement(
  config: EnforcerConfig,
  deps: EngineDeps,
  options: RunOptions = {},
): Promise<RunReport> {
  const dryRun = options.dryRun ?? config.dryRun;
  if (options.asOf !== undefined && !dryRun) throw new AsOfWithoutDryRunError(options.asOf);
  const wallClock = deps.clock.now();
  const now = options.asOf ? atTimeOfDay(options.asOf, wallClock) : wallClock;
  const today = utcDate(now);
  const runId = options.runId ?? randomUUID();
  const calls: PortCalls = {};
  const ports = countingPorts(deps, calls);
  const ctx: MessageContext = {
    today,
    runTimeUtc: now.toISOString().slice(11, 16),
    rotation: config.rotation,
    policy: config.policy,
    dryRun,
  };
  const delivery = new DeliveryService(ports.notifier, ctx, dryRun);
  const errors: string[] = [];
  let configurationError: string | undefined;
  // Failures of key actions are reported per action (naming the key); a broken setup once; and
  // failures of run-level posts (breaker, digest, baseline summary) under the post's name.
  const onSlackFailure = (
    failure: { reason: string; code: string; message: string },
    post?: string,
  ): void => {
    if (failure.reason === 'misconfigured')
      configurationError ??= `Slack configuration: ${failure.code}: ${failure.message}`;
    else if (post) errors.push(`Slack ${failure.reason} posting the ${post}: ${failure.code}`);
  };

  const outOfTime = (): boolean => (options.remainingTimeMs?.() ?? Infinity) < TIME_RESERVE_MS;

  const accounts = (options.accounts ?? config.accounts).map((a) => ({ id: a.id, name: a.name ?? a.id }));
  const reads = await mapWithConcurrency(
    accounts,
    config.accountConcurrency,
    async (account): Promise<AccountRead> => {
      if (outOfTime()) return { account, error: 'not started: the run ran out of time' };
      try {
        const readAt = deps.clock.now();
        const ledger = await ports.ledger.readAccount(account.id);
        const { plan, read, exhaustive, scan, inventory } = await readAndDecide({
          account,
          ledger,
          reader: ports.reader,
          config,
          now,
          wallClock,
        });
        const session = new KeyLedgerSession(
          ports.ledger,
          recordsForPlan(plan, ledger.keys),
          runId,
          deps.clock,
        );
        const stamp: ReadStamp = {
          lastReadAt: readAt.toISOString(),
          ...(exhaustive ? { lastFullScanOn: utcDate(readAt) } : {}),
        };
        return {
          account,
          plan,
          session,
          read,
          stamp,
          ...(ledger.account ? { accountRecord: ledger.account } : {}),
          ...ruleReadOf(config, {
            account,
            scan,
            ...(inventory ? { inventory } : {}),
            ...(ledger.account ? { accountRecord: ledger.account } : {}),
            ledger,
          }),
        };
      } catch (error) {
        if (isReadIncomplete(error)) return { account, error: errorMessage(error), incomplete: true };
        return { account, error: errorMessage(error) };
      }
    },
  );

  const planned = reads.flatMap((read) => (read.plan ? [read.plan] : []));
  const limit = options.maxDeactivations ?? config.policy.maxDeactivationsPerRun;
  const breaker = applyCircuitBreaker(planned, limit);
  const actions: ActionRecord[] = [];
  if (breaker.trip) appendAll(actions, await reportBreaker(breaker.trip, delivery, dryRun, onSlackFailure));

  const planByAccount = new Map(breaker.plans.map((plan) => [plan.account.id, plan]));
  const executed = await mapWithConcurrency(reads, config.accountConcurrency, async (read) => {
    const plan = planByAccount.get(read.account.id);
    if (!plan || !read.session) return [];
    const done = await executePlan(plan, {
      session: read.session,
      ledger: ports.ledger,
      deactivator: ports.deactivator,
      delivery,
      accountRecord: read.accountRecord,
      today,
      clock: deps.clock,
      dryRun,
      onSlackFailure,
      ...(read.stamp ? { readStamp: read.stamp } : {}),
    });
    if (!dryRun && read.stamp && !done.some((action) => action.kind === 'baseline'))
      await recordRead(ports.ledger, read.account.id, read.accountRecord, read.stamp);
    return done;
  });
  // Never spread: a first run over ~100k keys would overflow the call stack (issue 9).
  for (const accountActions of executed) appendAll(actions, accountActions);
  const rules = await checkRuleFindings(config, reads, {
    ...ports,
    ctx,
    now,
    dryRun,
    accountConcurrency: config.accountConcurrency,
  });
  if (rules) appendAll(actions, rules.actions);
  const securityHub = await exportSecurityHubFindings(config, reads, rules?.report.findings ?? [], {
    importer: deps.securityHub,
    ledger: ports.ledger,
    now,
    dryRun,
  });
  if (securityHub) appendAll(errors, securityHub.errors);
  appendAll(errors, await recordAuditTrail(config, ports.ledger, actions, breaker.plans, now, dryRun));

  const failedAccounts = reads.flatMap((read) =>
    read.error && !read.incomplete ? [{ account: read.account, message: read.error }] : [],
  );
  const incompleteAccounts = reads.flatMap((read) =>
    read.error && read.incomplete ? [{ account: read.account, message: read.error }] : [],
  );
  for (const action of actions) {
    // A done action can carry an error too (a deactivation whose notice failed, a DM whose mirror failed).
    const error = action.outcome === 'failed' ? action.detail : action.error;
    if (error && error !== SLACK_CONFIGURATION_DETAIL) {
      errors.push(
        `${action.kind} ${action.accessKeyId ?? action.userName ?? ''} in ${action.accountId}: ${error}`,
      );
    }
  }
  const exhaustiveReads = reads.flatMap((read) =>
    read.read?.path === 'exhaustive'
      ? [
          {
            account: read.account,
            reason: read.read.reason,
            ...(read.read.detail ? { detail: read.read.detail } : {}),
          },
        ]
      : [],
  );
  const readPaths = {
    fast: reads.filter((read) => read.read?.path === 'fast').length,
    exhaustive: exhaustiveReads.length,
  };
  const problems: InputProblem[] = planned.flatMap((plan) => plan.problems);
  const exemptions = planned.flatMap((plan) => plan.exemptions);
  const counts = summarize({
    runId,
    today,
    dryRun,
    options,
    planned,
    failedAccounts,
    incompleteAccounts,
    actions,
    problems,
    tripped: breaker.trip !== undefined,
  });
  const digest: RunDigest = {
    accountsOk: counts.accountsOk,
    accountsFailed: failedAccounts,
    users: counts.users,
    keys: counts.keys,
    reminders: counts.reminders,
    deactivations: counts.deactivations,
    newKeys: counts.newKeys,
    exemptions,
    problems,
    // The digest never says "Errors: 0" when an account failed or was not read in full.
    errors: [
      ...(configurationError ? [configurationError] : []),
      ...failedAccounts.map(
        (f) => `account ${f.account.id} failed: ${withoutAccountPrefix(f.message, f.account.id)}`,
      ),
      ...incompleteAccounts.map(
        (f) =>
          `account ${f.account.id} incomplete, resumes next run: ${withoutAccountPrefix(f.message, f.account.id)}`,
      ),
      ...errors,
    ],
  };
  if (shouldPostDigest(config.slack.runDigest, digest, actions)) {
    const posted = await delivery.post(runDigestMessage(digest, ctx));
    if (posted.failure) onSlackFailure(posted.failure, 'run digest');
    actions.push({
      accountId: '',
      kind: 'run-digest',
      outcome: dryRun ? 'planned' : posted.deliveredTo ? 'done' : 'failed',
      messages: posted.messages,
    });
  }

  return {
    summary: {
      ...counts,
      errors:
        errors.length + failedAccounts.length + incompleteAccounts.length + (configurationError ? 1 : 0),
      readPaths,
      durationMs: deps.clock.now().getTime() - wallClock.getTime(),
      calls: { ...calls },
    },
    actions,
    failedAccounts,
    incompleteAccounts,
    problems,
    exemptions,
    errors,
    exhaustiveReads,
    ...(breaker.trip ? { breaker: breaker.trip } : {}),
    ...(configurationError ? { configurationError } : {}),
    ...(rules ? { ruleFindings: rules.report } : {}),
    ...(securityHub ? { securityHub: securityHub.report } : {}),
  };
}

async function reportBreaker(
  trip: NonNullable<ReturnType<typeof applyCircuitBreaker>['trip']>,
  delivery: DeliveryService,
  dryRun: boolean,
  onSlackFailure: (failure: { reason: string; code: string; message: string }, post?: string) => void,
): Promise<ActionRecord[]> {
  const posted = await delivery.post(breakerMessage(trip, delivery.context));
  if (posted.failure) onSlackFailure(posted.failure, 'circuit-breaker alert');
  const withheld: ActionRecord[] = trip.withheld.map((d) => ({
    accountId: d.subject.account.id,
    kind: 'deactivate',
    userName: d.subject.userName,
    accessKeyId: d.subject.key.accessKeyId,
    outcome: 'withheld',
    detail: `circuit breaker: ${trip.withheld.length} deactivations exceed the limit of ${trip.limit}`,
    messages: [],
  }));
  return [
    {
      accountId: '',
      kind: 'breaker-tripped',
      outcome: dryRun ? 'planned' : 'done',
      messages: posted.messages,
    },
    ...withheld,
  ];
}

function shouldPostDigest(
  mode: EnforcerConfig['slack']['runDigest'],
  digest: RunDigest,
  actions: readonly ActionRecord[],
): boolean {
  if (mode === 'never') return false;
  if (mode === 'always') return true;
  const acted = actions.some((a) => a.messages.length > 0 || a.kind === 'deactivate');
  // SPEC §2: the daily digest reports what is new today. Standing problems (untagged users,
  // exemptions in force) belong to the weekly digest, so they alone never cause a post: a
  // same-day re-run that acted on nothing posts nothing.
  return acted || digest.accountsFailed.length > 0 || digest.errors.length > 0;
}

/** An as-of date at the current time of day: how the engine, and so scan, read `--as-of`. */
export function atTimeOfDay(date: string, wallClock: Date): Date {
  const midnight = parseUtcDate(date).getTime();
  return new Date(midnight + (wallClock.getTime() % 86_400_000));
}

interface SummaryInput {
  readonly runId: string;
  readonly today: string;
  readonly dryRun: boolean;
  readonly options: RunOptions;
  readonly planned: readonly AccountPlan[];
  readonly failedAccounts: readonly unknown[];
  readonly incompleteAccounts: readonly unknown[];
  readonly actions: readonly ActionRecord[];
  readonly problems: readonly InputProblem[];
  readonly tripped: boolean;
}

function summarize(input: SummaryInput): Omit<RunSummary, 'errors' | 'durationMs' | 'calls' | 'readPaths'> {
  const succeeded = (kind: ActionRecord['kind'], extra: (a: ActionRecord) => boolean = () => true): number =>
    input.actions.filter(
      (a) => a.kind === kind && (a.outcome === 'done' || a.outcome === 'planned') && extra(a),
    ).length;
  return {
    runId: input.runId,
    today: input.today,
    dryRun: input.dryRun,
    ...(input.options.asOf ? { asOf: input.options.asOf } : {}),
    accountsOk: input.planned.length,
    accountsFailed: input.failedAccounts.length,
    accountsIncomplete: input.incompleteAccounts.length,
    users: sum(input.planned.map((p) => p.stats.users)),
    keys: sum(input.planned.map((p) => p.stats.keys)),
    activeKeys: sum(input.planned.map((p) => p.stats.activeKeys)),
    reminders: succeeded('remind') + succeeded('final-notice'),
    deactivations: succeeded('deactivate'),
    newKeys: succeeded('new-key', (a) => a.detail !== 'baseline'),
    thanks: succeeded('thanks'),
    problems: input.problems.length,
    breakerTripped: input.tripped,
  };
}

/** Adapters name the account in their errors; the digest line names it already. */
function withoutAccountPrefix(message: string, accountId: string): string {
  const prefix = new RegExp(`^(Cannot read )?account ${accountId}( \\([^)]*\\))?: `);
  return message.replace(prefix, '');
}

function appendAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
