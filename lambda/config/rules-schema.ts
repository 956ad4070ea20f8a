import * as z from './zod';

/**
 * The team's rules beyond key age (issue 10 item 1). They report and remind; they never
 * deactivate anything. The section is optional: without it no rule runs, so turning the rules on
 * is a deliberate `"rules": {}`, after which every rule is on with the defaults below.
 */

const DaysSchema = z.number().int().min(1).max(3650);
const enabled = z.boolean().default(true);

export const RulesSchema = z.strictObject({
  /** An engineer (`type=engineer`) without an MFA device while having a console password or an active key. */
  mfa: z.strictObject({ enabled }).default({ enabled: true }),
  /** A console password older than `maxAgeDays`; also says whether the account's password policy enforces MaxPasswordAge. */
  passwordAge: z
    .strictObject({
      enabled,
      /** @default 90 */
      maxAgeDays: DaysSchema.default(90),
    })
    .default({ enabled: true, maxAgeDays: 90 }),
  /** One person, several IAM users: the same `slack-id` on several engineer users, in one account or across accounts. */
  duplicatePerson: z.strictObject({ enabled }).default({ enabled: true }),
  /** Active keys never used `neverUsedAfterDays` after creation, or not used for `unusedForDays`. */
  unusedKeys: z
    .strictObject({
      enabled,
      /** @default 7 */
      neverUsedAfterDays: z.number().int().min(1).max(365).default(7),
      /** @default 90 */
      unusedForDays: DaysSchema.default(90),
    })
    .default({ enabled: true, neverUsedAfterDays: 7, unusedForDays: 90 }),
  /** DM the owner (valid `slack-id`) once when a finding first appears. @default true */
  notifyOwners: z.boolean().default(true),
  /** Days after which a finding still present is DMed again. @default 30 */
  remindEveryDays: DaysSchema.default(30),
});
export type RulesConfig = z.infer<typeof RulesSchema>;
