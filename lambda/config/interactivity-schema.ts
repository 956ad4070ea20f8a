import * as z from './zod';

/** A Slack member id, as the `slack-id` tag holds it (`lambda/domain/owner.ts`). */
const SlackMemberIdSchema = z
  .string()
  .check(z.regex(/^[UW][A-Z0-9]{6,20}$/, 'must be a Slack member id like U0123ABCD'));

/**
 * Who may approve or deny a request for more time, and press "Not me – deactivate" on a key that
 * is not theirs (SPEC §8). Decided from this list at the moment of the click, never from the
 * payload: a user group is read with `usergroups.users.list` (the `usergroups:read` scope).
 */
export const ApproversSchema = z
  .strictObject({
    /** Slack member ids. @default [] */
    users: z._default(z.array(SlackMemberIdSchema).check(z.maxLength(100)), []),
    /** A Slack user group id (`S…`) whose members approve. @default none */
    userGroup: z.optional(
      z.string().check(z.regex(/^S[A-Z0-9]{6,20}$/, 'must be a Slack user group id like S0123ABCD')),
    ),
  })
  .check(
    z.refine((approvers) => approvers.users.length > 0 || approvers.userGroup !== undefined, {
      message: 'must name at least one approver: users (member ids) or userGroup (a user group id)',
    }),
  );
export type Approvers = z.infer<typeof ApproversSchema>;

/**
 * Buttons in the messages and the interactivity endpoint that answers them (issue 11 item 3). On,
 * the hub stack deploys the endpoint (a Lambda Function URL) and its signing-secret secret, and
 * reminders and new-key alerts carry buttons. Off or absent: no buttons, no endpoint.
 */
export const InteractivitySchema = z.strictObject({
  /** @default true */
  enabled: z._default(z.boolean(), true),
  approvers: ApproversSchema,
});
export type InteractivityConfig = z.infer<typeof InteractivitySchema>;

/** Whether the messages carry buttons (and the stack deploys the endpoint). */
export function interactivityEnabled(slack: { readonly interactivity?: InteractivityConfig }): boolean {
  return slack.interactivity?.enabled === true;
}
