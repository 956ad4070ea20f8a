import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';

import { type AsffFinding, type SecurityHubTarget } from '../../domain/security-hub/asff';
import { type ImportFailure, type SecurityHubImporter } from '../../engine/security-hub-export';

/** `BatchImportFindings` takes at most 100 findings per request. */
export const IMPORT_BATCH_SIZE = 100;

export interface SecurityHubImporterOptions {
  /** A client in the hub account and region, with the hub function's own credentials. */
  readonly client: SecurityHubClient;
  readonly target: SecurityHubTarget;
}

/**
 * Imports findings into the hub account's Security Hub, in batches of 100. A finding Security Hub
 * refuses (`FailedFindings`) is returned, not thrown, so the others still count; a request that
 * fails as a whole throws, and the engine retries everything next run.
 */
export class AwsSecurityHubImporter implements SecurityHubImporter {
  readonly target: SecurityHubTarget;
  private readonly client: SecurityHubClient;

  constructor(options: SecurityHubImporterOptions) {
    this.client = options.client;
    this.target = options.target;
  }

  async importFindings(
    findings: readonly AsffFinding[],
  ): Promise<{ readonly failed: readonly ImportFailure[] }> {
    const failed: ImportFailure[] = [];
    for (let start = 0; start < findings.length; start += IMPORT_BATCH_SIZE) {
      const batch = findings.slice(start, start + IMPORT_BATCH_SIZE).map(toSdk);
      const answer = await this.client.send(new BatchImportFindingsCommand({ Findings: batch }));
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

type Mutable<T> = T extends readonly (infer U)[]
  ? Mutable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Mutable<T[K]> }
    : T;

/**
 * The domain's ASFF is the SDK's shape, read-only; the copy only drops `readonly`, and the
 * assignment makes the compiler check that every field is one the SDK knows, with its type.
 */
function toSdk(finding: AsffFinding): AwsSecurityFinding {
  const sdk: AwsSecurityFinding = structuredClone(finding) as Mutable<AsffFinding>;
  return sdk;
}
