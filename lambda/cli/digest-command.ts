import { readFileLedger } from '../adapters/file-ledger';
import { MemoryLedger } from '../adapters/memory-ledger';
import { type EnforcerConfig } from '../config/schema';
import { runDemoWorld } from '../demo/run-demo';
import { unescapeSlack } from '../demo/timeline-format';
import { type RunReport, runSucceeded } from '../engine/run-report';
import { runEnforcement } from '../engine/run-enforcement';
import { type Ledger, type Notifier } from '../ports';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
import { withProgress } from './progress';

export interface DigestOptions {
  readonly asOf?: string;
  readonly state?: string;
  readonly table?: string;
}

/** The demo's third Monday: two weekly digests before it, so it shows a change. */
const DEMO_DIGEST_DAYS = 15;

/** A preview sends nothing; this refuses, should anything try. */
const SILENT: Notifier = {
  sendDirect: () => Promise.reject(new Error('digest preview: nothing may be sent')),
  postToChannel: () => Promise.reject(new Error('digest preview: nothing may be sent')),
  updateChannelMessage: () => Promise.reject(new Error('digest preview: nothing may be sent')),
};

/**
 * `digest`: this week's compliance digest as the channel would get it (issue 10), printed as
 * text. A dry run of the engine asked for the weekly digest whatever the day: it sends, changes
 * and records nothing; the change since last week comes from the ledger (`--state`/`--table`).
 */
export async function digestCommand(
  config: EnforcerConfig,
  options: DigestOptions,
  deps: CliDeps,
): Promise<ExitCode> {
  if (options.state && options.table) throw new CliUsageError('--state and --table: choose one ledger');
  const iam = deps.iam(config, { includeLastUsed: false });
  const report = await runEnforcement(
    config,
    {
      reader: withProgress(iam, deps.io, config.accounts.length),
      deactivator: iam,
      notifier: SILENT,
      ledger: await readOnlyLedger(options, deps),
      clock: deps.clock,
    },
    { dryRun: true, previewWeeklyDigest: true, ...(options.asOf ? { asOf: options.asOf } : {}) },
  );
  deps.io.stdout(`${weeklyDigestText(report)}\n`);
  return runSucceeded(report) ? EXIT.ok : EXIT.failed;
}

/**
 * `digest --demo`: the weekly digest the simulated organisation of `npm start` gets on its third
 * Monday, after two weeks of daily runs, so that it shows the change since last week.
 */
export async function demoDigestCommand(deps: CliDeps): Promise<ExitCode> {
  const { reports } = await runDemoWorld({ write: () => undefined, days: DEMO_DIGEST_DAYS });
  const last = reports.at(-1);
  if (!last) return EXIT.failed;
  deps.io.stdout(`${weeklyDigestText(last)}\n`);
  return EXIT.ok;
}

function weeklyDigestText(report: RunReport): string {
  const digest = report.actions.find((action) => action.kind === 'weekly-digest');
  const text = digest?.messages[0]?.text;
  if (text === undefined) throw new Error(`no weekly digest in run ${report.summary.runId}`);
  return unescapeSlack(text);
}

async function readOnlyLedger(options: DigestOptions, deps: CliDeps): Promise<Ledger> {
  if (options.table) return deps.dynamoLedger(options.table);
  // Read, never created, locked or compacted: a preview records nothing (SPEC §6).
  if (options.state) return new MemoryLedger(await readFileLedger(options.state));
  return new MemoryLedger();
}
