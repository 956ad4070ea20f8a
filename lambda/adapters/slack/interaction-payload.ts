import { ACTION, type ActionId, decodeKeyRef, type KeyRef } from '../../domain/interactive/key-ref';
import { MORE_TIME_FIELDS } from '../../domain/interactive/more-time-modal';
import * as z from '../../config/zod';

/**
 * Slack's interaction payloads, parsed (DESIGN: outside input is parsed in adapters with zod).
 * Only the fields the enforcer uses are read; everything else Slack sends is ignored. The payload
 * is trusted for who pressed (it is signed by Slack) and for which key the button was about (we
 * wrote the value), never for whether that person may.
 */

/** A press of one of the enforcer's buttons. */
export interface ButtonPress {
  readonly kind: 'button';
  readonly action: ActionId;
  readonly ref: KeyRef;
  /** Who pressed: a Slack member id. */
  readonly userId: string;
  /** The conversation the button was in: the owner's DM or the infra channel. */
  readonly channelId?: string;
  /** `ts` of the message carrying the button. */
  readonly messageTs?: string;
}

/** "Ask for more time", submitted. */
export interface MoreTimeSubmission {
  readonly kind: 'more-time';
  readonly ref: KeyRef;
  readonly userId: string;
  readonly reason?: string;
  readonly until?: string;
}

export type Interaction = ButtonPress | MoreTimeSubmission;

const ACTION_IDS = Object.values(ACTION) as [ActionId, ...ActionId[]];
const MemberId = z.string().check(z.regex(/^[UW][A-Z0-9]{2,}$/));
const ChannelId = z.string().check(z.regex(/^[CDG][A-Z0-9]{2,}$/));
const MessageTs = z.string().check(z.regex(/^\d+\.\d+$/));

const BlockActionsSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: MemberId }),
  trigger_id: z.optional(z.string().check(z.minLength(1))),
  channel: z.optional(z.object({ id: ChannelId })),
  container: z.optional(z.object({ message_ts: z.optional(MessageTs), channel_id: z.optional(ChannelId) })),
  actions: z.array(z.object({ action_id: z.string(), value: z.optional(z.string()) })).check(z.minLength(1)),
});

const ViewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  user: z.object({ id: MemberId }),
  view: z.object({
    private_metadata: z.string(),
    state: z.object({
      values: z.record(
        z.string(),
        z.record(
          z.string(),
          z.object({
            value: z.nullish(z.string()),
            selected_date: z.nullish(z.string()),
          }),
        ),
      ),
    }),
  }),
});

/** The first action of a `block_actions` payload when it is one of our buttons, with its trigger id. */
export function parseButtonPress(body: unknown): (ButtonPress & { readonly triggerId?: string }) | undefined {
  const parsed = BlockActionsSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { user, actions, channel, container, trigger_id: triggerId } = parsed.data;
  const [action] = actions;
  const actionId = z.enum(ACTION_IDS).safeParse(action?.action_id);
  const ref = action?.value === undefined ? undefined : decodeKeyRef(action.value);
  if (!actionId.success || ref === undefined) return undefined;
  const channelId = channel?.id ?? container?.channel_id;
  return {
    kind: 'button',
    action: actionId.data,
    ref,
    userId: user.id,
    ...(channelId !== undefined && { channelId }),
    ...(container?.message_ts !== undefined && { messageTs: container.message_ts }),
    ...(triggerId !== undefined && { triggerId }),
  };
}

/** A submitted "Ask for more time" modal; its fields as typed, checked later by the policy. */
export function parseMoreTimeSubmission(body: unknown): MoreTimeSubmission | undefined {
  const parsed = ViewSubmissionSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { user, view } = parsed.data;
  const ref = decodeKeyRef(view.private_metadata);
  if (ref === undefined) return undefined;
  const values = view.state.values;
  const reason = values[MORE_TIME_FIELDS.reason]?.[MORE_TIME_FIELDS.reason]?.value ?? undefined;
  const until = values[MORE_TIME_FIELDS.until]?.[MORE_TIME_FIELDS.until]?.selected_date ?? undefined;
  return {
    kind: 'more-time',
    ref,
    userId: user.id,
    ...(reason !== undefined && { reason }),
    ...(until !== undefined && { until }),
  };
}

/** The same shapes for the work queue: a job is re-read with these schemas, never trusted blindly. */
const KeyRefSchema = z.object({
  accountId: z.string().check(z.regex(/^\d{12}$/)),
  userName: z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/)),
  accessKeyId: z.string().check(z.regex(/^[A-Z0-9]{16,128}$/)),
});

export const InteractionSchema: z.ZodMiniType<Interaction> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('button'),
    action: z.enum(ACTION_IDS),
    ref: KeyRefSchema,
    userId: MemberId,
    channelId: z.optional(ChannelId),
    messageTs: z.optional(MessageTs),
  }),
  z.object({
    kind: z.literal('more-time'),
    ref: KeyRefSchema,
    userId: MemberId,
    reason: z.optional(z.string().check(z.maxLength(3000))),
    until: z.optional(z.string().check(z.maxLength(10))),
  }),
]);
