import { formatIssues } from '../config/parse-config';
import * as z from '../config/zod';

/**
 * What the state machine (`lib/constructs/run-state-machine.ts`) passes each step: the `step`
 * name and the step's small inputs, never a plan. Parsed here so a malformed event is refused
 * with the field named instead of half-running a step.
 */
const AccountRefSchema = z.object({ id: z.string().check(z.regex(/^\d{12}$/)), name: z.string() });

export const RunContextSchema = z.object({
  runId: z.string().check(z.minLength(1)),
  now: z.iso.datetime(),
  wallClock: z.iso.datetime(),
  dryRun: z.boolean(),
  asOf: z.optional(z.string()),
  maxDeactivations: z.optional(z.number().check(z.int(), z.gte(0))),
  discoveryFailure: z.optional(z.string()),
  runTime: z.optional(
    z.object({
      hour: z.number().check(z.int(), z.gte(0), z.lte(23)),
      minute: z.number().check(z.int(), z.gte(0), z.lte(59)),
      timeZone: z.string(),
    }),
  ),
});

/** The error a Catch hands on: Step Functions' `{ Error, Cause }`. */
const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.optional(z.string()) });

export const StepEventSchema = z.discriminatedUnion('step', [
  /** `input` is the execution's input: the same payload as the Lambda's (SPEC §6). */
  z.object({ step: z.literal('listTargets'), runId: z.string().check(z.minLength(1)), input: z.unknown() }),
  z.object({ step: z.literal('planAccount'), run: RunContextSchema, account: AccountRefSchema }),
  z.object({
    step: z.literal('recordPlanFailure'),
    run: RunContextSchema,
    account: AccountRefSchema,
    error: CaughtErrorSchema,
  }),
  z.object({
    step: z.literal('applyBreaker'),
    run: RunContextSchema,
    outcomes: z.array(
      z.object({ accountId: z.string(), deactivations: z.number().check(z.int(), z.gte(0)) }),
    ),
  }),
  z.object({
    step: z.literal('actOnAccount'),
    run: RunContextSchema,
    account: AccountRefSchema,
    verdict: z.object({ tripped: z.boolean() }),
  }),
  z.object({
    step: z.literal('recordActFailure'),
    run: RunContextSchema,
    account: AccountRefSchema,
    error: CaughtErrorSchema,
  }),
  z.object({ step: z.literal('report'), run: RunContextSchema, accounts: z.array(AccountRefSchema) }),
]);
export type StepEvent = z.infer<typeof StepEventSchema>;
export type StepName = StepEvent['step'];

export class InvalidStepEventError extends Error {
  override readonly name = 'InvalidStepEventError';
}

export function parseStepEvent(event: unknown): StepEvent {
  const result = StepEventSchema.safeParse(event);
  if (!result.success)
    throw new InvalidStepEventError(`Invalid step event: ${formatIssues(result.error).join('; ')}`);
  return result.data;
}

/**
 * Errors the state machine names as a timeout: its own task timeout, and Lambda's function
 * timeout as the Lambda integration reports it. SPEC §7: "incomplete, resumes next run".
 */
export const TIMEOUT_ERRORS = ['States.Timeout', 'Sandbox.Timedout'] as const;

/** A caught error as one line for the report. */
export function describeCaughtError(error: { readonly Error: string; readonly Cause?: string }): string {
  const cause = error.Cause ? `: ${causeMessage(error.Cause)}` : '';
  return `${error.Error}${cause}`.slice(0, 1000);
}

/** A Lambda error's Cause is JSON (`{"errorMessage": ...}`); a state's own is plain text. */
function causeMessage(cause: string): string {
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed && typeof parsed === 'object' && 'errorMessage' in parsed) return String(parsed.errorMessage);
  } catch {
    // plain text
  }
  return cause;
}
