import { withoutDeactivations } from '../../domain/circuit-breaker';
import { HOUR_MS } from '../../domain/dates';
import { recordAuditTrail } from '../audit-trail';
import { DeliveryService } from '../delivery';
import { executePlan } from '../execute-plan';
import { KeyLedgerSession } from '../key-ledger-session';
import { InProcessOutbox, type NoticeOutbox, QueuedOutbox } from '../outbox/notice-outbox';
import { recordRead } from '../record-read';
import { type PortCalls } from '../run-report';
import { type BreakerVerdict } from './apply-breaker';
import { messageContext, type RunContext } from './run-context';
import { countedPorts, SlackTroubleLog, type StepEnv } from './step-env';

/**
 * Step "act on account": carry out one account's stored plan, less its deactivations when the
 * breaker tripped. Every ledger write is conditional on the versions the plan was made on, so a
 * retried or repeated step (another worker, a same-day re-run) sends and changes nothing twice.
 * An account without a plan (its read failed) has nothing to do. With an outbox queue (the state
 * machine), notices are queued for the sender instead of sent (issue 12 item 4).
 */
export async function actOnAccount(
  run: RunContext,
  accountId: string,
  verdict: BreakerVerdict,
  env: StepEnv,
): Promise<void> {
  const document = await env.store.get(run.runId, 'plan', accountId);
  if (!document) return;
  const { ports, calls } = countedPorts(env);
  const slack = new SlackTroubleLog();
  const plan = verdict.tripped ? withoutDeactivations(document.plan) : document.plan;
  const context = messageContext(env.config, run);
  const delivery = new DeliveryService(ports.notifier, context, run.dryRun);
  const outbox: NoticeOutbox =
    ports.outbox && !run.dryRun
      ? new QueuedOutbox(ports.outbox, run, env.clock, env.config.outbox.maxMessageAgeHours * HOUR_MS)
      : new InProcessOutbox(delivery, env.clock);
  const actions = await executePlan(plan, {
    session: new KeyLedgerSession(ports.ledger, document.records, run.runId, env.clock),
    ledger: ports.ledger,
    deactivator: ports.deactivator,
    delivery,
    outbox,
    accountRecord: document.accountRecord,
    today: context.today,
    clock: env.clock,
    dryRun: run.dryRun,
    onSlackFailure: slack.onFailure,
    readStamp: document.stamp,
  });
  // A baseline that was written carries the stamp; one that failed or lost a race did not.
  if (!run.dryRun && !actions.some((action) => action.kind === 'baseline' && action.outcome === 'done'))
    await recordRead(ports.ledger, accountId, document.accountRecord, document.stamp);
  // Here, with the plan at hand, not in the report step: there it would read every account's plan
  // and keys one after another, which 1,000 accounts could not fit in one invocation.
  const auditErrors = await recordAuditTrail(
    env.config,
    ports.ledger,
    actions,
    [plan],
    new Date(run.now),
    run.dryRun,
  );
  await env.store.put(run.runId, {
    kind: 'acted',
    accountId,
    actions,
    slack: slack.trouble,
    calls,
    ...(auditErrors.length > 0 ? { auditErrors } : {}),
  });
}

/** Records an account whose act step failed after the state machine's retries (its Catch). */
export async function recordActFailure(
  run: RunContext,
  accountId: string,
  failure: string,
  env: Pick<StepEnv, 'store'>,
  calls: PortCalls = {},
): Promise<void> {
  await env.store.put(run.runId, {
    kind: 'acted',
    accountId,
    actions: [],
    slack: { errors: [] },
    calls,
    failure,
  });
}
