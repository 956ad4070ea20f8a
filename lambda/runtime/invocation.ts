import { tryParseUtcDate } from '../domain/dates';
import { formatIssues } from '../config/parse-config';
import * as z from '../config/zod';

/**
 * What a manual invocation may ask for (SPEC §6), e.g. `{ "dryRun": true, "asOf": "2027-01-31" }`.
 * A scheduled invocation's payload carries none of these and gets the configured behaviour.
 * Unknown fields (the scheduler's own) are ignored; a known field with a bad value is refused.
 */
export const InvocationSchema = z
  .object({
    dryRun: z.optional(z.boolean()),
    asOf: z.optional(
      z
        .string()
        .check(z.refine((value) => tryParseUtcDate(value) !== undefined, 'must be a date like 2027-01-31')),
    ),
    /** Lets one reviewed run go past the circuit breaker (SPEC §2). */
    maxDeactivations: z.optional(z.number().check(z.int(), z.gte(0))),
  })
  .check(
    // SPEC §6: a run that changes or sends anything acts at the real time; a preview must say so.
    z.refine((invocation) => invocation.asOf === undefined || invocation.dryRun === true, {
      path: ['asOf'],
      message: 'is only allowed with "dryRun": true (a real run always acts at the real time)',
    }),
  );
export type Invocation = z.infer<typeof InvocationSchema>;

export class InvalidInvocationError extends Error {
  override readonly name = 'InvalidInvocationError';
}

export function parseInvocation(event: unknown): Invocation {
  if (event === null || event === undefined || typeof event !== 'object') return {};
  const result = InvocationSchema.safeParse(event);
  if (!result.success)
    throw new InvalidInvocationError(`Invalid invocation payload: ${formatIssues(result.error).join('; ')}`);
  return result.data;
}
