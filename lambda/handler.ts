import { METRIC } from './config/environment';
import { type EnforcerConfig } from './config/schema';
import { type DailyRunTime } from './domain/run-time';
import { type SecurityHubImporter } from './engine/security-hub-export';
import { type RunReport, runFailureReasons, type RunSummary } from './engine/run-report';
import { runEnforcement } from './engine/run-enforcement';
import { type AccountReader, type Clock, type KeyDeactivator, type Ledger, type Notifier } from './ports';
import { defaultDeps } from './runtime/default-deps';
import { DRY_RUN_NOTIFIER } from './runtime/dry-run-notifier';
import { parseInvocation } from './runtime/invocation';
import { type AccountDiscovery, resolveRunAccounts, type RunAccounts } from './runtime/run-accounts';
import { recordRun, type RunLogger, type RunMetrics } from './runtime/run-telemetry';

/** The parts of the Lambda context the handler uses. */
export interface InvocationContext {
  readonly awsRequestId?: string;
  getRemainingTimeInMillis?(): number;
}

/** Everything the handler wires together; built once per container by `defaultDeps()`. */
export interface HandlerDeps {
  readonly config: EnforcerConfig;
  readonly reader: AccountReader;
  readonly deactivator: KeyDeactivator;
  /**
   * Binds IAM access to one invocation's time budget (issue 8 item 6: a warm container must never
   * retry against the previous invocation's deadline). Without it, `reader` and `deactivator` are used.
   */
  readonly iamFor?: (remainingTimeMs: () => number) => {
    readonly reader: AccountReader;
    readonly deactivator: KeyDeactivator;
  };
  readonly ledger: Ledger;
  readonly clock: Clock;
  /** Builds the notifier for one invocation: fetches the token and bounds retries by the time left. */
  readonly notifier: (remainingTimeMs: () => number) => Promise<Notifier>;
  readonly logger: RunLogger;
  readonly metrics: RunMetrics;
  /** Lists the organisation's accounts; used when `config.organization` is enabled. */
  readonly discoverAccounts?: AccountDiscovery;
  /** The deployed schedule's time of day, which messages name as the moment the run acts. */
  readonly runTime?: DailyRunTime;
  /** The hub account's Security Hub, when `config.securityHub.enabled` (issue 10). */
  readonly securityHub?: SecurityHubImporter;
}

/** Thrown after a run that processed everything it could but must make the invocation fail (SPEC §5). */
export class RunFailedError extends Error {
  override readonly name = 'RunFailedError';
  constructor(
    readonly summary: RunSummary,
    reason: string,
  ) {
    super(`Enforcement run ${summary.runId} failed: ${reason}`);
  }
}

/**
 * The Lambda handler only wires: validate the payload, get a notifier, run the engine, report.
 * Everything it needs is injected so the whole path runs in tests without AWS or Slack.
 */
export function createHandler(deps: HandlerDeps | (() => HandlerDeps)) {
  let resolved: HandlerDeps | undefined;
  return async (event: unknown, context: InvocationContext = {}): Promise<RunSummary> => {
    resolved ??= typeof deps === 'function' ? deps() : deps;
    const { config, logger, metrics } = resolved;
    const invocation = parseInvocation(event);
    const remainingTimeMs = (): number => context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    const dryRun = invocation.dryRun ?? config.dryRun;
    let notifier: Notifier;
    let targets: RunAccounts;
    try {
      targets = await resolveRunAccounts(config, resolved.discoverAccounts, remainingTimeMs);
      // A dry run sends nothing, so it must work before the token is in the secret (first deploy).
      notifier = dryRun ? DRY_RUN_NOTIFIER : await resolved.notifier(remainingTimeMs);
    } catch (error) {
      // Nothing has been read, sent or changed: failing here is safe and the alarm fires.
      logger.error('cannot start run', { error: error instanceof Error ? error.message : String(error) });
      metrics.addMetric(METRIC.successfulRuns, 'Count', 0);
      metrics.publishStoredMetrics();
      throw error;
    }
    const iam = resolved.iamFor?.(remainingTimeMs) ?? resolved;
    const report: RunReport = await runEnforcement(
      config,
      {
        reader: iam.reader,
        deactivator: iam.deactivator,
        ledger: resolved.ledger,
        notifier,
        clock: resolved.clock,
        ...(resolved.securityHub && { securityHub: resolved.securityHub }),
      },
      {
        dryRun,
        ...(invocation.asOf ? { asOf: invocation.asOf } : {}),
        ...(invocation.maxDeactivations !== undefined
          ? { maxDeactivations: invocation.maxDeactivations }
          : {}),
        ...(context.awsRequestId ? { runId: context.awsRequestId } : {}),
        remainingTimeMs,
        accounts: targets.accounts,
        ...(resolved.runTime ? { runTime: resolved.runTime } : {}),
      },
    );
    const discoveryFailure =
      targets.discoveryFailure && `account discovery failed: ${targets.discoveryFailure}`;
    if (discoveryFailure) logger.error('account discovery failed', { error: targets.discoveryFailure });
    recordRun(report, logger, metrics, discoveryFailure);
    // Thrown only after everything was processed, so one failure never stops the rest (SPEC §5).
    const reasons = [...runFailureReasons(report), ...(discoveryFailure ? [discoveryFailure] : [])];
    if (reasons.length > 0) throw new RunFailedError(report.summary, reasons.join('; '));
    return report.summary;
  };
}

/** The deployed entry point. Dependencies are built on first invocation, once per container. */
export const handler = createHandler(() => defaultDeps(process.env));
