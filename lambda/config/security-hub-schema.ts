import * as z from './zod';

/**
 * Findings in the hub account's Security Hub (issue 10 item 3): one per key past a reminder
 * milestone, overdue, exempt or unused, imported with `BatchImportFindings` into the account's own
 * product. Off by default; turning it on also grants the hub function that one action.
 */
export const SecurityHubSchema = z.strictObject({
  /** @default false */
  enabled: z._default(z.boolean(), false),
});
export type SecurityHubConfig = z.infer<typeof SecurityHubSchema>;
