import { METRIC } from '../config/environment';
import { type RunReport, runSucceeded } from '../engine/run-report';

export { runSucceeded };

/** The structured logger the handler needs; Powertools' Logger fits it. */
export interface RunLogger {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** The metrics sink the handler needs; Powertools' Metrics fits it. */
export interface RunMetrics {
  addMetric(name: string, unit: 'Count', value: number): void;
  publishStoredMetrics(): void;
}

/**
 * SPEC §5: one structured summary line per run, one line per error and problem (so each is
 * searchable), and the counts as metrics for the stack's alarms.
 */
export function recordRun(
  report: RunReport,
  logger: RunLogger,
  metrics: RunMetrics,
  /** A failure outside the engine's report (account discovery), which makes the run unsuccessful. */
  runFailure?: string,
): void {
  const { summary } = report;
  logger.info('run summary', { summary, breakerTripped: report.breaker !== undefined });
  if (report.configurationError) logger.error('configuration error', { error: report.configurationError });
  for (const failed of report.failedAccounts) {
    logger.error('account failed', {
      accountId: failed.account.id,
      accountName: failed.account.name,
      error: failed.message,
    });
  }
  for (const incomplete of report.incompleteAccounts) {
    logger.error('account incomplete, resumes next run', {
      accountId: incomplete.account.id,
      accountName: incomplete.account.name,
      error: incomplete.message,
    });
  }
  for (const error of report.errors) logger.warn('run error', { error });
  for (const problem of report.problems) logger.warn('input problem', { problem });

  metrics.addMetric(METRIC.accountsOk, 'Count', summary.accountsOk);
  metrics.addMetric(METRIC.accountsFailed, 'Count', summary.accountsFailed);
  metrics.addMetric(METRIC.reminders, 'Count', summary.reminders);
  metrics.addMetric(METRIC.deactivations, 'Count', summary.deactivations);
  metrics.addMetric(METRIC.newKeys, 'Count', summary.newKeys);
  metrics.addMetric(METRIC.errors, 'Count', summary.errors);
  metrics.addMetric(METRIC.successfulRuns, 'Count', runSucceeded(report) && !runFailure ? 1 : 0);
  metrics.publishStoredMetrics();
}
