import {
  type BaselineDecision,
  type DeactivateDecision,
  type DeactivationNoticeRetryDecision,
  type FinalNoticeDecision,
  type NewKeyDecision,
  type RemindDecision,
  type SecondKeyDecision,
  type BreakerTrip,
  type ThanksDecision,
} from '../decisions';
import { type SlackMessage } from '../slack-message';
import { breakerChannel, baselineChannel, newKeyChannel, secondKeyChannel } from './alert-messages';
import { type MessageParts, renderMessage } from './compose';
import { type DmOutcome, type MessageContext, type WithHistory } from './context';
import {
  deactivateChannel,
  deactivateOwner,
  retryChannel,
  retryOwner,
  thanksChannel,
  thanksOwner,
} from './deactivation-messages';
import { finalNoticeChannel, finalNoticeOwner, remindChannel, remindOwner } from './reminder-messages';

/**
 * Slack messages for every decision, as pure functions of the decision and a context: same input,
 * same message. Each has Block Kit blocks and a `text` that carries every fact on its own.
 */
export { type DmOutcome, type KeyHistory, type MessageContext, type WithHistory } from './context';
export { type RunDigest, runDigestMessage } from './digest-message';
export * from './interactive-messages';
export { realtimeNewKeyMessage, type RealtimeOwner } from './realtime-messages';
export { keyThreadParent } from './thread-parent';

/** Decisions that DM the key's owner. */
export type OwnerDecision =
  | RemindDecision
  | FinalNoticeDecision
  | DeactivateDecision
  | DeactivationNoticeRetryDecision
  | ThanksDecision;

/** Decisions posted to the infra channel. */
export type ChannelDecision = OwnerDecision | NewKeyDecision | SecondKeyDecision | BaselineDecision;

/** The DM to the key's owner (second person: "your access key ..."). */
export function ownerMessage(decision: WithHistory<OwnerDecision>, ctx: MessageContext): SlackMessage {
  return renderMessage(ownerParts(decision, ctx), ctx);
}

function ownerParts(decision: WithHistory<OwnerDecision>, ctx: MessageContext): MessageParts {
  switch (decision.kind) {
    case 'remind':
      return remindOwner(decision, ctx);
    case 'final-notice':
      return finalNoticeOwner(decision, ctx);
    case 'deactivate':
      return deactivateOwner(decision, ctx);
    case 'deactivation-notice-retry':
      return retryOwner(decision, ctx);
    case 'thanks':
      return thanksOwner(decision);
  }
}

/**
 * The infra-channel post for a decision: a mirror of the DM, with an `<@SLACKID>` mention only when
 * the DM did not reach the owner (issue 11: no double ping), "owner unknown: ..." naming the tag to
 * fix when the owner class is unknown, and "could not reach owner (<code>)" when the DM was rejected.
 */
export function channelMessage(
  decision: WithHistory<ChannelDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): SlackMessage {
  return renderMessage(channelParts(decision, ctx, dm), ctx);
}

function channelParts(
  decision: WithHistory<ChannelDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): MessageParts {
  switch (decision.kind) {
    case 'remind':
      return remindChannel(decision, ctx, dm);
    case 'final-notice':
      return finalNoticeChannel(decision, ctx, dm);
    case 'deactivate':
      return deactivateChannel(decision, ctx, dm);
    case 'deactivation-notice-retry':
      return retryChannel(decision, ctx, dm);
    case 'thanks':
      return thanksChannel(decision, dm);
    case 'new-key':
      return newKeyChannel(decision, ctx);
    case 'second-key':
      return secondKeyChannel(decision, ctx);
    case 'baseline':
      return baselineChannel(decision, ctx);
  }
}

/** Circuit breaker tripped: lists every withheld deactivation and how to proceed. */
export function breakerMessage(trip: BreakerTrip, ctx: MessageContext): SlackMessage {
  return renderMessage(breakerChannel(trip), ctx);
}
