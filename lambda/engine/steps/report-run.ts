import { utcDate } from '../../domain/dates';
import { type InputProblem } from '../../domain/decisions';
import { type AccountRef } from '../../domain/model';
import { postDailyDigest } from '../daily-digest';
import { type DigestRun } from '../digest-post';
import { DeliveryService } from '../delivery';
import { SLACK_CONFIGURATION_DETAIL } from '../execute-plan';
import { recordAuditTrail } from '../audit-trail';
import { checkRuleFindings, type RuleAccountRead } from '../rule-findings';
import { type ActionRecord, type PortCalls, type RunReport, type RunSummary } from '../run-report';
import { exportSecurityHubFindings } from '../security-hub-export';
import { postWeeklyDigest } from '../weekly-digest';
import { messageContext, type RunContext } from './run-context';
import { type ActedDocument, type PlanSummaryDocument, type SlackTrouble } from './run-store';
import { countedPorts, SlackTroubleLog, type StepEnv } from './step-env';
import { mapWithConcurrency } from '../../util/concurrency';

/** Run-store documents the report step reads at once (S3 takes thousands of requests a second). */
const STORE_READS_AT_ONCE = 32;

type AccountFailure = { readonly account: AccountRef; readonly message: string };

/**
 * Step "report": gather what every step stored into the run's report (SPEC §5: accounts ok,
 * failed and incomplete, users, keys, reminders, deactivations, errors, duration), post the daily
 * digest when the day brought something new (SPEC §2) and, on its day, the weekly digest (issue
 * 10), each at most once. Logging and metrics are the caller's.
 */
export async function reportRun(
  run: RunContext,
  accounts: readonly AccountRef[],
  env: StepEnv,
): Promise<RunReport> {
  const { ports, calls } = countedPorts(env);
  const breaker = await env.store.get(run.runId, 'breaker');
  const summaries: PlanSummaryDocument[] = [];
  const acted: ActedDocument[] = [];
  const failedAccounts: AccountFailure[] = [];
  const incompleteAccounts: AccountFailure[] = [];
  // Read side by side: a state machine's store is S3, where 1,000 accounts read one after another
  // (two documents each) would take the report step a minute.
  const stored = await mapWithConcurrency(accounts, STORE_READS_AT_ONCE, async (account) => {
    const summary = await env.store.get(run.runId, 'plan-summary', account.id);
    const done =
      summary && summary.error === undefined
        ? await env.store.get(run.runId, 'acted', account.id)
        : undefined;
    return { summary, done };
  });
  for (const [index, account] of accounts.entries()) {
    const { summary, done } = stored[index]!;
    // Only a state machine can lose a step this way (its worker died and so did its Catch).
    if (!summary) {
      failedAccounts.push({ account, message: 'not planned: the plan step did not finish' });
      continue;
    }
    if (summary.error !== undefined) {
      (summary.incomplete ? incompleteAccounts : failedAccounts).push({ account, message: summary.error });
      continue;
    }
    if (!done || done.failure !== undefined) {
      failedAccounts.push({
        account,
        message: `not acted on: ${done?.failure ?? 'the act step did not finish'}`,
      });
    }
    summaries.push(summary);
    if (done) acted.push(done);
  }

  const actions: ActionRecord[] = [];
  // Never spread: a first run over ~100k keys would overflow the call stack (issue 9).
  for (const action of breaker?.actions ?? []) actions.push(action);
  for (const document of acted) for (const action of document.actions) actions.push(action);

  const troubles: SlackTrouble[] = [...(breaker ? [breaker.slack] : []), ...acted.map((d) => d.slack)];
  let configurationError = troubles.find((t) => t.configurationError)?.configurationError;
  const errors: string[] = troubles.flatMap((t) => t.errors);

  // The rules look across accounts (one person, several users), so they run here, once, after
  // every account was acted on; the Security Hub export follows them (issue 10).
  const ruleReads = await ruleReadsOf(run, summaries, env);
  const now = new Date(run.now);
  const rules = await checkRuleFindings(env.config, ruleReads, {
    ...ports,
    ctx: messageContext(env.config, run),
    now,
    dryRun: run.dryRun,
    accountConcurrency: env.config.accountConcurrency,
  });
  if (rules) for (const action of rules.actions) actions.push(action);
  const securityHub = await exportSecurityHubFindings(env.config, ruleReads, rules?.report.findings ?? [], {
    importer: env.securityHub,
    ledger: ports.ledger,
    now,
    dryRun: run.dryRun,
  });
  if (securityHub) for (const error of securityHub.errors) errors.push(error);
  // Each act step recorded its own account's trail; what the rules sent is only known here.
  for (const document of acted) for (const error of document.auditErrors ?? []) errors.push(error);
  const audit = await recordAuditTrail(env.config, ports.ledger, rules?.actions ?? [], [], now, run.dryRun);
  for (const error of audit) errors.push(error);
  for (const action of actions) {
    // A done action can carry an error too (a deactivation whose notice failed, a DM whose mirror failed).
    const error = action.outcome === 'failed' ? action.detail : action.error;
    if (error && error !== SLACK_CONFIGURATION_DETAIL) {
      errors.push(
        `${action.kind} ${action.accessKeyId ?? action.userName ?? ''} in ${action.accountId}: ${error}`,
      );
    }
  }
  const exhaustiveReads = summaries.flatMap((s) =>
    s.read?.path === 'exhaustive'
      ? [
          {
            account: s.account,
            reason: s.read.reason,
            ...(s.read.detail ? { detail: s.read.detail } : {}),
            ...(s.read.continues ? { continues: true } : {}),
          },
        ]
      : [],
  );
  const readPaths = {
    fast: summaries.filter((s) => s.read?.path === 'fast').length,
    exhaustive: exhaustiveReads.length,
  };
  const failedIds = new Set(failedAccounts.map((f) => f.account.id));
  const planned = summaries.filter((s) => !failedIds.has(s.account.id));
  const problems: InputProblem[] = summaries.flatMap((s) => s.problems);
  const exemptions = summaries.flatMap((s) => s.exemptions);
  const counts = summarize(
    run,
    planned,
    failedAccounts,
    incompleteAccounts,
    actions,
    problems,
    breaker?.trip,
  );
  const context = messageContext(env.config, run);
  const slack = new SlackTroubleLog();
  const delivery = new DeliveryService(ports.notifier, context, run.dryRun);
  const posting: DigestRun = {
    run,
    config: env.config,
    ledger: ports.ledger,
    clock: env.clock,
    delivery,
    context,
    summaries,
    actions,
  };
  const daily = await postDailyDigest({
    ...posting,
    counts: {
      accountsOk: counts.accountsOk,
      accountsFailed: failedAccounts,
      users: counts.users,
      keys: counts.keys,
      reminders: counts.reminders,
      deactivations: counts.deactivations,
      newKeys: counts.newKeys,
      readsGoingOn: exhaustiveReads.flatMap((r) =>
        r.continues ? [{ account: r.account, detail: r.detail ?? r.reason }] : [],
      ),
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
    },
    ...(rules ? { findings: rules.report.findings } : {}),
    previousNotices: new Map(ruleReads.map((r) => [r.account.id, r.ruleRead?.accountRecord?.ruleFindings])),
  });
  const weekly = await postWeeklyDigest({
    ...posting,
    accounts,
    unread: new Map([...failedAccounts, ...incompleteAccounts].map((f) => [f.account.id, f.message])),
    ...(rules ? { ruleFindings: rules.report } : {}),
  });
  for (const [post, posted] of [
    ['run digest', daily],
    ['weekly digest', weekly],
  ] as const) {
    if (!posted) continue;
    actions.push(posted.action);
    if (posted.slackFailure) slack.onFailure(posted.slackFailure, post);
    if (posted.ledgerError) errors.push(`${post}: ${posted.ledgerError}`);
  }
  for (const error of slack.trouble.errors) errors.push(error);
  configurationError ??= slack.trouble.configurationError;

  return {
    summary: {
      ...counts,
      errors:
        errors.length + failedAccounts.length + incompleteAccounts.length + (configurationError ? 1 : 0),
      readPaths,
      durationMs: env.clock.now().getTime() - new Date(run.wallClock).getTime(),
      calls: addCalls([
        ...summaries.map((s) => s.calls),
        breaker?.calls,
        ...acted.map((d) => d.calls),
        calls,
      ]),
    },
    actions,
    failedAccounts,
    incompleteAccounts,
    problems,
    exemptions,
    errors,
    exhaustiveReads,
    ...(breaker?.trip ? { breaker: breaker.trip } : {}),
    ...(configurationError ? { configurationError } : {}),
    ...(rules ? { ruleFindings: rules.report } : {}),
    ...(securityHub ? { securityHub: securityHub.report } : {}),
  };
}

/** The rule reads the plan step stored, for the accounts that were planned and acted on. */
async function ruleReadsOf(
  run: RunContext,
  summaries: readonly PlanSummaryDocument[],
  env: StepEnv,
): Promise<{ readonly account: AccountRef; readonly ruleRead?: RuleAccountRead }[]> {
  if (!env.config.rules && env.config.securityHub?.enabled !== true) return [];
  return mapWithConcurrency(summaries, STORE_READS_AT_ONCE, async (summary) => {
    const stored = await env.store.get(run.runId, 'rule-read', summary.account.id);
    return { account: summary.account, ...(stored ? { ruleRead: stored.read } : {}) };
  });
}

/** Outcomes the summary counts: carried out, planned (dry run), or queued for Slack (the outbox). */
const COUNTED: ReadonlySet<ActionRecord['outcome']> = new Set(['done', 'planned', 'queued']);

function summarize(
  run: RunContext,
  planned: readonly PlanSummaryDocument[],
  failedAccounts: readonly unknown[],
  incompleteAccounts: readonly unknown[],
  actions: readonly ActionRecord[],
  problems: readonly InputProblem[],
  trip: unknown,
): Omit<RunSummary, 'errors' | 'durationMs' | 'calls' | 'readPaths'> {
  const succeeded = (kind: ActionRecord['kind'], extra: (a: ActionRecord) => boolean = () => true): number =>
    actions.filter((a) => a.kind === kind && COUNTED.has(a.outcome) && extra(a)).length;
  const total = (stat: 'users' | 'keys' | 'activeKeys'): number =>
    planned.reduce((sum, s) => sum + (s.stats?.[stat] ?? 0), 0);
  return {
    runId: run.runId,
    today: utcDate(new Date(run.now)),
    dryRun: run.dryRun,
    ...(run.asOf ? { asOf: run.asOf } : {}),
    accountsOk: planned.length,
    accountsFailed: failedAccounts.length,
    accountsIncomplete: incompleteAccounts.length,
    users: total('users'),
    keys: total('keys'),
    activeKeys: total('activeKeys'),
    reminders: succeeded('remind') + succeeded('final-notice'),
    deactivations: succeeded('deactivate'),
    newKeys: succeeded('new-key', (a) => a.detail !== 'baseline'),
    thanks: succeeded('thanks'),
    problems: problems.length,
    breakerTripped: trip !== undefined,
  };
}

/** Sums each step's call counts into the run's (the one-process run's counts, step by step). */
function addCalls(parts: readonly (PortCalls | undefined)[]): PortCalls {
  const total: PortCalls = {};
  for (const part of parts)
    for (const [name, count] of Object.entries(part ?? {})) total[name] = (total[name] ?? 0) + count;
  return total;
}

/** Adapters name the account in their errors; the digest line names it already. */
function withoutAccountPrefix(message: string, accountId: string): string {
  const prefix = new RegExp(`^(Cannot read )?account ${accountId}( \\([^)]*\\))?: `);
  return message.replace(prefix, '');
}
