import { ACTION } from '../domain/interactive/key-ref';
import { failureMessage } from '../domain/messages';
import { type Interaction, InteractionSchema } from '../adapters/slack/interaction-payload';
import { checkRotationNow } from './check-rotation';
import { decideExemption, requestExemption } from './exemption-flow';
import { type InteractiveJob } from './interactive-ports';
import { confirmNewKey, deactivateNewKey } from './new-key-answers';
import { type JobOutcome, messageContextFor, tellPresser, type WorkDeps } from './work-context';
import * as z from '../config/zod';

/** Marks the worker's event, which only this function's own role may send (`lambda:InvokeFunction`). */
export const JOB_EVENT_SOURCE = 'access-key-enforcer.interactive';

const JobEventSchema = z.object({
  source: z.literal(JOB_EVENT_SOURCE),
  job: z.object({ interaction: InteractionSchema, receivedAt: z.iso.datetime() }),
});

/** The event that carries a job to the worker invocation. */
export function jobEvent(job: InteractiveJob): { readonly source: string; readonly job: InteractiveJob } {
  return { source: JOB_EVENT_SOURCE, job };
}

/** The job in a worker event, or undefined when the event is not one. */
export function parseJobEvent(event: unknown): InteractiveJob | undefined {
  const parsed = JobEventSchema.safeParse(event);
  return parsed.success ? parsed.data.job : undefined;
}

/**
 * Does the work of one press, after Slack has its acknowledgement. A failure tells the presser (so
 * nobody waits for an answer that never comes) and is returned as `failed` for the log.
 */
export async function runInteractiveJob(deps: WorkDeps, job: InteractiveJob): Promise<JobOutcome> {
  const { interaction } = job;
  try {
    return await dispatch(deps, interaction);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    try {
      await tellPresser(
        deps,
        interaction,
        failureMessage(whatWasAsked(interaction), messageContextFor(deps, deps.clock.now())),
      );
    } catch {
      // Slack is the thing failing: the log line is all there is.
    }
    return { outcome: 'failed', action: actionName(interaction), detail };
  }
}

function dispatch(deps: WorkDeps, interaction: Interaction): Promise<JobOutcome> {
  if (interaction.kind === 'more-time') return requestExemption(deps, interaction);
  switch (interaction.action) {
    case ACTION.rotated:
      return checkRotationNow(deps, interaction);
    case ACTION.approveExemption:
    case ACTION.denyExemption:
      return decideExemption(deps, interaction);
    case ACTION.newKeyMine:
      return confirmNewKey(deps, interaction);
    case ACTION.newKeyNotMine:
      return deactivateNewKey(deps, interaction);
    case ACTION.moreTime:
      // Answered in the acknowledgement itself (the modal must open within the trigger's 3 seconds).
      return Promise.resolve({ outcome: 'done', action: 'more-time', detail: 'modal opened' });
  }
}

function actionName(interaction: Interaction): string {
  return interaction.kind === 'more-time' ? 'more-time' : interaction.action;
}

function whatWasAsked(interaction: Interaction): string {
  if (interaction.kind === 'more-time') return 'Your request for more time';
  switch (interaction.action) {
    case ACTION.rotated:
      return 'Checking the key';
    case ACTION.approveExemption:
    case ACTION.denyExemption:
      return 'Deciding the request';
    case ACTION.newKeyMine:
      return 'Confirming the key';
    case ACTION.newKeyNotMine:
      return 'Deactivating the key';
    case ACTION.moreTime:
      return 'Opening the form';
  }
}
