import * as z from './zod';

/**
 * The team's rules beyond key age (issue 10 item 1). They report and remind; they never
 * deactivate anything. The section is optional: without it no rule runs, so turning the rules on
 * is a deliberate `"rules": {}`, after which every rule is on with the defaults below.
 */

const DaysSchema = z.number().check(z.int(), z.gte(1), z.lte(3650));
const enabled = z._default(z.boolean(), true);

export const RulesSchema = z.strictObject({
  /** An engineer (`type=engineer`) without an MFA device while having a console password or an active key. */
  mfa: z._default(z.strictObject({ enabled }), { enabled: true }),
  /** A console password older than `maxAgeDays`; also says whether the account's password policy enforces MaxPasswordAge. */
  passwordAge: z._default(
    z.strictObject({
      enabled,
      /** @default 90 */
      maxAgeDays: z._default(DaysSchema, 90),
    }),
    { enabled: true, maxAgeDays: 90 },
  ),
  /** One person, several IAM users: the same `slack-id` on several engineer users, in one account or across accounts. */
  duplicatePerson: z._default(z.strictObject({ enabled }), { enabled: true }),
  /** Active keys never used `neverUsedAfterDays` after creation, or not used for `unusedForDays`. */
  unusedKeys: z._default(
    z.strictObject({
      enabled,
      /** @default 7 */
      neverUsedAfterDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(365)), 7),
      /** @default 90 */
      unusedForDays: z._default(DaysSchema, 90),
    }),
    { enabled: true, neverUsedAfterDays: 7, unusedForDays: 90 },
  ),
  /** DM the owner (valid `slack-id`) once when a finding first appears. @default true */
  notifyOwners: z._default(z.boolean(), true),
  /** Days after which a finding still present is DMed again. @default 30 */
  remindEveryDays: z._default(DaysSchema, 30),
});
export type RulesConfig = z.infer<typeof RulesSchema>;
