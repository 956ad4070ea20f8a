import { type AwsSecurityFinding } from '@aws-sdk/client-securityhub';

import { type AsffFinding, type SecurityHubTarget } from '../../domain/security-hub/asff';
import { type ImportFailure, type SecurityHubImporter } from '../../engine/security-hub-export';
import { withRetry } from './retry';
import { type SignedJsonClient } from './signed-json-client';

/** `BatchImportFindings` takes at most 100 findings per request. */
export const IMPORT_BATCH_SIZE = 100;

/** `BatchImportFindings` is `POST /findings/import` in Security Hub's REST-JSON API. */
export const IMPORT_PATH = '/findings/import';

export interface SecurityHubImporterOptions {
  /** Signed requests to Security Hub in the hub account and region, with the function's own role. */
  readonly client: SignedJsonClient;
  readonly target: SecurityHubTarget;
  /** Time one import may spend waiting out throttling before the run gives up (next run retries). @default 60000 */
  readonly budgetMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

interface ImportAnswer {
  readonly FailedFindings?: readonly { Id?: string; ErrorCode?: string; ErrorMessage?: string }[];
}

/**
 * Imports findings into the hub account's Security Hub, in batches of 100. A finding Security Hub
 * refuses (`FailedFindings`) is returned, not thrown, so the others still count; a request that
 * fails as a whole throws, and the engine retries everything next run. Security Hub throttles
 * `BatchImportFindings` (10 TPS, burst 30), so throttling is waited out while the budget lasts.
 */
export class AwsSecurityHubImporter implements SecurityHubImporter {
  readonly target: SecurityHubTarget;
  private readonly client: SignedJsonClient;
  private readonly budgetMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(options: SecurityHubImporterOptions) {
    this.client = options.client;
    this.target = options.target;
    this.budgetMs = options.budgetMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
  }

  async importFindings(
    findings: readonly AsffFinding[],
  ): Promise<{ readonly failed: readonly ImportFailure[] }> {
    const failed: ImportFailure[] = [];
    const endsAt = this.now() + this.budgetMs;
    for (let start = 0; start < findings.length; start += IMPORT_BATCH_SIZE) {
      const batch = findings.slice(start, start + IMPORT_BATCH_SIZE).map(toSdk);
      const answer = (await withRetry(
        'securityhub:BatchImportFindings',
        () => this.client.post(IMPORT_PATH, { Findings: batch }),
        { sleep: this.sleep, deadline: () => endsAt - this.now(), maxAttempts: 4 },
      )) as ImportAnswer;
      for (const refused of answer.FailedFindings ?? [])
        failed.push({
          id: refused.Id ?? '?',
          code: refused.ErrorCode ?? 'Unknown',
          message: refused.ErrorMessage ?? 'no message',
        });
    }
    return { failed };
  }
}

/**
 * The assignment makes the compiler check the domain's ASFF against the SDK's model (every field
 * one Security Hub knows, with its type) although only the JSON is sent; the import is type-only.
 */
function toSdk(finding: AsffFinding): AwsSecurityFinding {
  const sdk: AwsSecurityFinding = finding as Mutable<AsffFinding>;
  return sdk;
}

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;
