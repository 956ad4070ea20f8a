import { readFileLedger } from '../adapters/file-ledger';
import { MemoryLedger } from '../adapters/memory-ledger';
import { type EnforcerConfig } from '../config/schema';
import { TimelineFormatter } from '../demo/timeline-format';
import { type RunReport, runSucceeded } from '../engine/run-report';
import { runEnforcement } from '../engine/run-enforcement';
import { type Ledger, type Notifier } from '../ports';
import { accountFailureFromMessage } from './account-failure';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
import { withProgress } from './progress';
import { describeProblem } from './scan-command';

export interface RunOptions {
  readonly dryRun: boolean;
  readonly asOf?: string;
  readonly state?: string;
  readonly table?: string;
  readonly format: 'text' | 'json';
  /** The circuit breaker's limit for this run only (the Lambda payload's `maxDeactivations`). */
  readonly maxDeactivations?: number;
}

/** A dry run sends nothing; this refuses, should anything try. */
const SILENT: Notifier = {
  sendDirect: () => Promise.reject(new Error('dry run: nothing may be sent')),
  postToChannel: () => Promise.reject(new Error('dry run: nothing may be sent')),
  updateChannelMessage: () => Promise.reject(new Error('dry run: nothing may be sent')),
};

/**
 * `run`: one enforcement run, identical to the Lambda's (same engine, same adapters). Real runs
 * need a ledger, or every run would start from scratch and repeat every reminder.
 */
export async function runCommand(
  config: EnforcerConfig,
  options: RunOptions,
  deps: CliDeps,
): Promise<ExitCode> {
  if (options.state && options.table) throw new CliUsageError('--state and --table: choose one ledger');
  if (!options.dryRun && !options.state && !options.table) {
    throw new CliUsageError(
      'A real run needs its memory: pass --state FILE (created if missing) or --table NAME, or use --dry-run.',
    );
  }
  const token = deps.env.SLACK_BOT_TOKEN;
  if (!options.dryRun && !token && !deps.slackIsSimulated) {
    throw new CliUsageError(
      'Set SLACK_BOT_TOKEN to the bot token (xoxb-…) for a real run, or use --dry-run.',
    );
  }
  // Without a token only `--demo` gets here, and its simulated Slack takes no token.
  const notifier = options.dryRun ? SILENT : deps.notifier(token ?? '', config);
  const iam = deps.iam(config, { includeLastUsed: false });
  const { ledger, close } = await openLedger(options, deps);
  let report: RunReport;
  try {
    report = await runEnforcement(
      config,
      {
        reader: withProgress(iam, deps.io, config.accounts.length),
        deactivator: iam,
        notifier,
        ledger,
        clock: deps.clock,
      },
      {
        dryRun: options.dryRun,
        ...(options.asOf ? { asOf: options.asOf } : {}),
        ...(options.maxDeactivations !== undefined ? { maxDeactivations: options.maxDeactivations } : {}),
      },
    );
  } finally {
    await close();
  }
  deps.io.stdout(
    options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatRun(report, config),
  );
  return runSucceeded(report) ? EXIT.ok : EXIT.failed;
}

async function openLedger(
  options: RunOptions,
  deps: CliDeps,
): Promise<{ ledger: Ledger; close: () => Promise<void> }> {
  if (options.table) return { ledger: deps.dynamoLedger(options.table), close: () => Promise.resolve() };
  if (options.state && options.dryRun) {
    // SPEC §6: a dry run records nothing, so the state file is read, never created, locked or
    // compacted; a dry run can then also look over the shoulder of a real run holding the lock.
    return { ledger: new MemoryLedger(await readFileLedger(options.state)), close: () => Promise.resolve() };
  }
  if (options.state) {
    const ledger = await deps.fileLedger(options.state);
    return { ledger, close: () => ledger.close() };
  }
  return { ledger: new MemoryLedger(), close: () => Promise.resolve() };
}

export function formatRun(report: RunReport, config: EnforcerConfig): string {
  const { summary } = report;
  const actions = new TimelineFormatter().formatActions(report);
  const lines = [
    `Run ${summary.runId} for ${summary.today}${summary.dryRun ? ' — DRY RUN: planned actions; nothing was sent, changed or recorded' : ''}`,
    ...actions,
    '',
    `accounts ok ${summary.accountsOk}, failed ${summary.accountsFailed} · users ${summary.users} · keys ${summary.keys} · ` +
      `reminders ${summary.reminders} · deactivations ${summary.deactivations} · new keys ${summary.newKeys} · errors ${summary.errors}`,
    messageLine(report),
  ];
  if (report.configurationError) lines.push(`configuration error: ${report.configurationError}`);
  for (const failed of report.failedAccounts) {
    const { line, fix } = accountFailureFromMessage(failed.account, failed.message, config);
    lines.push(`failed: ${line}`, `  fix: ${fix}`);
  }
  for (const error of report.errors) lines.push(`error: ${error}`);
  for (const problem of report.problems) lines.push(`warning: ${describeProblem(problem)}`);
  if (report.breaker)
    lines.push(
      `circuit breaker: ${report.breaker.withheld.length} deactivations withheld (limit ${report.breaker.limit})`,
    );
  return `${lines.join('\n')}\n`;
}

/**
 * SPEC §2 "running twice on the same day sends nothing": the count of Slack messages makes that
 * promise visible from the CLI (reminders alone do not count the digest and channel posts).
 */
function messageLine(report: RunReport): string {
  const all = report.actions.flatMap((action) => action.messages);
  // A key thread's parent restates a notice (issue 11 item 2): counted apart, not as a message.
  const messages = all.filter((message) => message.thread !== 'parent');
  const threads = all.length - messages.length;
  if (report.summary.dryRun) return `messages planned ${messages.length} (none sent)`;
  const sent = messages.filter((message) => message.delivered).length;
  if (messages.length === 0) return 'messages sent 0: nothing new to tell anyone today';
  const failed = sent < messages.length ? `, ${messages.length - sent} not delivered (see above)` : '';
  return `messages sent ${sent}${failed}${threads > 0 ? `; key threads opened in the channel ${threads}` : ''}`;
}
