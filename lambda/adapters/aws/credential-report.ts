import { GenerateCredentialReportCommand, GetCredentialReportCommand } from '@aws-sdk/client-iam';

import { type CredentialReportRow } from '../../domain/inventory-read';
import { type CredentialReportProblem, CredentialReportUnavailableError } from '../../ports';
import { parseCredentialReportCsv } from './credential-report-csv';
import { awsErrorCode, awsErrorDetail } from './errors';
import { type AccountIam } from './user-reader';

/** The credential report as IAM last generated it. */
export interface CredentialReport {
  /** Anything that changed after this is not in `rows`. */
  readonly generatedAt: Date;
  readonly rows: readonly CredentialReportRow[];
}

/** How long to wait for IAM to finish a report, and how. */
export interface CredentialReportWait {
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds left of the call's budget; no wait is started that would end after it. */
  readonly remainingTimeMs: () => number;
  /** Longest total wait for a report to generate. */
  readonly maxWaitMs: number;
  /** First wait between GenerateCredentialReport calls; doubles each time up to `maxPollMs`. */
  readonly firstPollMs: number;
  readonly maxPollMs: number;
}

/**
 * The error codes, wire code first then the SDK's class name (schema-based SDK errors carry the
 * class name in `name`), that make the report unusable today, and what to call the problem.
 */
const PROBLEMS: ReadonlyArray<readonly [readonly string[], CredentialReportProblem]> = [
  [['LimitExceeded', 'LimitExceededException'], 'limit-exceeded'],
  [['ReportInProgress', 'CredentialReportNotReadyException'], 'in-progress'],
  [
    [
      'ReportNotPresent',
      'CredentialReportNotPresentException',
      'ReportExpired',
      'CredentialReportExpiredException',
    ],
    'not-present',
  ],
];

/**
 * GenerateCredentialReport until `COMPLETE` (IAM reuses a report younger than 4 hours, so that is
 * usually the first answer), then GetCredentialReport, parsed by column name. Throws
 * `CredentialReportUnavailableError` when the report cannot serve today's read; other AWS errors
 * (and exhausted retries) are rethrown as they are.
 */
export async function readCredentialReport(
  account: AccountIam,
  accountId: string,
  wait: CredentialReportWait,
): Promise<CredentialReport> {
  try {
    await generateUntilComplete(account, accountId, wait);
    const out = await account.call('iam:GetCredentialReport', () =>
      account.iam.send(new GetCredentialReportCommand({})),
    );
    if (!out.Content || !out.GeneratedTime) {
      throw unavailable(accountId, 'unparseable', 'GetCredentialReport returned no Content or GeneratedTime');
    }
    if (out.ReportFormat !== undefined && out.ReportFormat !== 'text/csv') {
      throw unavailable(accountId, 'unparseable', `the report is ${String(out.ReportFormat)}, not text/csv`);
    }
    const parsed = parseCredentialReportCsv(new TextDecoder('utf-8').decode(out.Content));
    if (!parsed.ok) throw unavailable(accountId, 'unparseable', parsed.reason);
    return { generatedAt: out.GeneratedTime, rows: parsed.rows };
  } catch (error) {
    if (error instanceof CredentialReportUnavailableError) throw error;
    const problem = problemOf(error);
    if (!problem) throw error;
    throw unavailable(accountId, problem, `${awsErrorCode(error)} (${awsErrorDetail(error)})`, error);
  }
}

async function generateUntilComplete(
  { iam, call }: AccountIam,
  accountId: string,
  wait: CredentialReportWait,
): Promise<void> {
  let waited = 0;
  for (let poll = wait.firstPollMs; ; poll = Math.min(poll * 2, wait.maxPollMs)) {
    const out = await call('iam:GenerateCredentialReport', () =>
      iam.send(new GenerateCredentialReportCommand({})),
    );
    if (out.State === 'COMPLETE') return;
    const delay = Math.min(poll, wait.maxWaitMs - waited);
    if (delay <= 0 || delay >= wait.remainingTimeMs()) {
      throw unavailable(
        accountId,
        'in-progress',
        `still ${out.State ?? 'not COMPLETE'} after waiting ${waited} ms`,
      );
    }
    await wait.sleep(delay);
    waited += delay;
  }
}

function problemOf(error: unknown): CredentialReportProblem | undefined {
  const code = awsErrorCode(error);
  const name = error instanceof Error ? error.name : undefined;
  return PROBLEMS.find(
    ([codes]) => codes.includes(code) || (name !== undefined && codes.includes(name)),
  )?.[1];
}

function unavailable(
  accountId: string,
  problem: CredentialReportProblem,
  detail: string,
  cause?: unknown,
): CredentialReportUnavailableError {
  return new CredentialReportUnavailableError(
    accountId,
    problem,
    `account ${accountId}: credential report ${problem}: ${detail}`,
    cause === undefined ? undefined : { cause },
  );
}
