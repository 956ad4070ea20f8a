import { type EnforcerConfig } from '../config/schema';
import { type MessageContext } from '../domain/messages';
import { type Clock, type Ledger } from '../ports';
import { type DeliveryService } from './delivery';
import { type PostOnceOutcome } from './post-once';
import { type ActionRecord } from './run-report';
import { type RunContext } from './steps/run-context';
import { type PlanSummaryDocument } from './steps/run-store';

/** What the report step hands either digest (daily and weekly, issue 10). */
export interface DigestRun {
  readonly run: RunContext;
  readonly config: EnforcerConfig;
  readonly ledger: Ledger;
  /** Real time, for the digest's claim in the ledger. */
  readonly clock: Clock;
  readonly delivery: DeliveryService;
  readonly context: MessageContext;
  /** The accounts that were planned, with what the plan step kept. */
  readonly summaries: readonly PlanSummaryDocument[];
  readonly actions: readonly ActionRecord[];
}

/** A digest post as the run reports it; none at all when nothing was owed or it was skipped. */
export interface DigestPost {
  readonly action: ActionRecord;
  /** Slack's refusal, for the run's Slack trouble (a broken setup is reported once). */
  readonly slackFailure?: { readonly reason: string; readonly code: string; readonly message: string };
  /** The ledger could not say or record whether it was posted. */
  readonly ledgerError?: string;
}

export function digestPost(
  kind: 'run-digest' | 'weekly-digest',
  outcome: PostOnceOutcome,
): DigestPost | undefined {
  if (outcome.kind === 'skipped') return undefined;
  if (outcome.kind === 'error')
    return {
      action: { accountId: '', kind, outcome: 'failed', detail: outcome.message, messages: [] },
      ledgerError: outcome.message,
    };
  const failure = outcome.delivery.failure;
  return {
    action: {
      accountId: '',
      kind,
      outcome: outcome.kind === 'planned' ? 'planned' : outcome.kind === 'posted' ? 'done' : 'failed',
      ...(failure ? { detail: `Slack ${failure.reason}: ${failure.code}` } : {}),
      messages: outcome.delivery.messages,
    },
    ...(failure ? { slackFailure: failure } : {}),
    ...(outcome.error ? { ledgerError: outcome.error } : {}),
  };
}
