import {
  type AccountPlan,
  type BreakerTrip,
  type ExemptionNote,
  type InputProblem,
} from '../../domain/decisions';
import { type AccountKeyFacts } from '../../domain/digest/account-key-facts';
import { type AccountRecord, type KeyRecord } from '../../domain/ledger-records';
import { type AccountRef } from '../../domain/model';
import { type AccountReadPath } from '../read-account';
import { type RuleAccountRead } from '../rule-findings';
import { type ReadStamp } from '../record-read';
import { type ActionRecord, type PortCalls } from '../run-report';

/**
 * What one run's steps hand each other, kept outside the state machine's payload (256 KB per
 * state): a first scan's plan for one 5,000-user account alone is megabytes. The one-process run
 * keeps these in memory; the state machine in S3 under the run's id.
 */
export interface RunStore {
  put(runId: string, document: RunDocument): Promise<void>;
  get<K extends RunDocument['kind']>(
    runId: string,
    kind: K,
    accountId?: string,
  ): Promise<Extract<RunDocument, { kind: K }> | undefined>;
}

/** Run-level Slack trouble a step met, merged by the report step in the run's order. */
export interface SlackTrouble {
  /** A broken token or channel, reported once per run. */
  readonly configurationError?: string;
  /** Failed run-level posts (breaker alert, baseline summary), named by post. */
  readonly errors: readonly string[];
}

/** How planning one account went: all the report needs, without the decisions themselves. */
export interface PlanSummaryDocument {
  readonly kind: 'plan-summary';
  readonly account: AccountRef;
  /** Set when the account could not be read; `incomplete` when it ran out of time (SPEC §7). */
  readonly error?: string;
  readonly incomplete?: boolean;
  readonly read?: AccountReadPath;
  readonly stats?: AccountPlan['stats'];
  readonly problems: readonly InputProblem[];
  readonly exemptions: readonly ExemptionNote[];
  /** Ids of the problems and exemptions first seen today (`lambda/domain/digest/items-seen.ts`). */
  readonly firstSeenToday?: readonly string[];
  /** The account's active keys by age, when a weekly digest may be posted (issue 10). */
  readonly keyFacts?: AccountKeyFacts;
  /** Keys the plan deactivates: gone from the weekly digest once the act step did it. */
  readonly deactivating?: readonly { readonly accessKeyId: string; readonly ageDays: number }[];
  readonly calls: PortCalls;
}

/** What acting on one account needs: the plan and the ledger records (with versions) it was made on. */
export interface PlanDocument {
  readonly kind: 'plan';
  readonly plan: AccountPlan;
  /** Records at the versions the plan saw, so every write stays conditional on them. */
  readonly records: readonly KeyRecord[];
  readonly accountRecord?: AccountRecord;
  readonly stamp: ReadStamp;
}

/** The breaker's verdict, its alert, and the deactivations it withheld. */
export interface BreakerDocument {
  readonly kind: 'breaker';
  readonly trip?: BreakerTrip;
  readonly actions: readonly ActionRecord[];
  readonly slack: SlackTrouble;
  readonly calls: PortCalls;
}

/** What acting on one account did; `failure` when the act step itself failed after its retries. */
export interface ActedDocument {
  readonly kind: 'acted';
  readonly accountId: string;
  readonly actions: readonly ActionRecord[];
  readonly slack: SlackTrouble;
  readonly calls: PortCalls;
  readonly failure?: string;
  /** What of the account's audit trail (issue 10 item 4) could not be recorded. */
  readonly auditErrors?: readonly string[];
}

/**
 * What the rule checks and the Security Hub export need from one account's read (issue 10): they
 * run once for the whole organisation in the report step, since one rule looks across accounts.
 * Stored only when `rules` or `securityHub` is configured.
 */
export interface RuleReadDocument {
  readonly kind: 'rule-read';
  readonly read: RuleAccountRead;
}

export type RunDocument =
  PlanSummaryDocument | PlanDocument | BreakerDocument | ActedDocument | RuleReadDocument;

/** The document's name within its run: one per account for all but the breaker. */
export function documentName(kind: RunDocument['kind'], accountId?: string): string {
  return accountId === undefined ? kind : `${kind}/${accountId}`;
}

function accountOf(document: RunDocument): string | undefined {
  switch (document.kind) {
    case 'plan-summary':
      return document.account.id;
    case 'plan':
      return document.plan.account.id;
    case 'acted':
      return document.accountId;
    case 'rule-read':
      return document.read.account.id;
    case 'breaker':
      return undefined;
  }
}

/** The document's key within its run. */
export function documentKey(document: RunDocument): string {
  return documentName(document.kind, accountOf(document));
}

/**
 * Keeps documents as the objects they are: the one-process run holds its plans in memory as it
 * always did. `encode`/`decode` let a test pass every document through its stored form instead.
 */
export class MemoryRunStore implements RunStore {
  private readonly documents = new Map<string, unknown>();

  constructor(
    private readonly codec: {
      readonly encode: (document: RunDocument) => unknown;
      readonly decode: (stored: unknown) => RunDocument;
    } = { encode: (document) => document, decode: (stored) => stored as RunDocument },
  ) {}

  put(runId: string, document: RunDocument): Promise<void> {
    this.documents.set(`${runId}/${documentKey(document)}`, this.codec.encode(document));
    return Promise.resolve();
  }

  get<K extends RunDocument['kind']>(
    runId: string,
    kind: K,
    accountId?: string,
  ): Promise<Extract<RunDocument, { kind: K }> | undefined> {
    const stored = this.documents.get(`${runId}/${documentName(kind, accountId)}`);
    return Promise.resolve(
      stored === undefined ? undefined : (this.codec.decode(stored) as Extract<RunDocument, { kind: K }>),
    );
  }
}
