import {
  type ChannelDecision,
  channelMessage,
  type DmOutcome,
  type MessageContext,
  type OwnerDecision,
  ownerMessage,
} from '../domain/messages';
import { type SlackMessage } from '../domain/slack-message';
import { type Notifier, type SendResult } from '../ports';
import { type SentMessage } from './run-report';

/** Where a notice ended up (SPEC §5: a DM Slack rejects counts as delivered once the channel has it). */
export interface Delivery {
  readonly deliveredTo?: 'owner' | 'channel';
  readonly messages: readonly SentMessage[];
  /** Set when Slack itself failed (unavailable or misconfigured): nothing may be marked done. */
  readonly failure?: Extract<SendResult, { ok: false }>;
  /** For a DM delivered to the owner: whether its channel mirror was posted (`false`: owed). */
  readonly mirrored?: boolean;
  /** The mirror's failure, when `mirrored` is false because Slack failed. */
  readonly mirrorFailure?: Extract<SendResult, { ok: false }>;
  /** The DM was delivered but recording it lost the key's lease: nothing more was sent. */
  readonly leaseLost?: boolean;
}

/**
 * Called as soon as Slack accepts the owner's DM, before the channel mirror (issue 8 item 14): the
 * caller records the delivery (and the mirror it still owes) so a crash while mirroring never
 * sends the DM again. Returning `false` (the record could not be written) stops the mirror.
 */
export type OnOwnerDelivered = (mirror: SlackMessage) => Promise<boolean>;

/**
 * Sends the owner's DM (when the decision allows one) and the channel mirror. When Slack is down
 * or misconfigured for the DM, the mirror is not attempted either, so that next run's retry sends
 * both and the channel never sees a reminder the owner did not get.
 */
export class DeliveryService {
  constructor(
    private readonly notifier: Notifier,
    private readonly ctx: MessageContext,
    private readonly dryRun: boolean,
  ) {}

  get context(): MessageContext {
    return this.ctx;
  }

  async notify(
    decision: OwnerDecision & { directMessage: boolean },
    onOwnerDelivered?: OnOwnerDelivered,
  ): Promise<Delivery> {
    const slackId = decision.subject.owner.slackId;
    const messages: SentMessage[] = [];
    let dm: DmOutcome = { status: 'not-attempted' };
    if (decision.directMessage && slackId !== undefined) {
      const message = ownerMessage(decision, this.ctx);
      const result = await this.send({ kind: 'dm', slackId }, message);
      messages.push({ to: { kind: 'dm', slackId }, text: message.text, delivered: result.ok });
      if (result.ok) dm = { status: 'sent' };
      else if (result.reason === 'owner-unreachable') dm = { status: 'unreachable', code: result.code };
      else return { messages, failure: result };
    }
    const mirror = channelMessage(decision, this.ctx, dm);
    if (dm.status === 'sent' && onOwnerDelivered && !this.dryRun && !(await onOwnerDelivered(mirror)))
      return { deliveredTo: 'owner', messages, mirrored: false, leaseLost: true };
    const channel = await this.post(mirror);
    for (const m of channel.messages) messages.push(m);
    if (dm.status === 'sent') {
      const mirrored = channel.deliveredTo !== undefined;
      return {
        deliveredTo: 'owner',
        messages,
        mirrored,
        ...(channel.failure ? { mirrorFailure: channel.failure } : {}),
      };
    }
    return channel.deliveredTo ? { deliveredTo: 'channel', messages } : { messages, ...failureOf(channel) };
  }

  /** A channel-only post for a decision (new key, second key, baseline). */
  async channel(decision: ChannelDecision, dm: DmOutcome = { status: 'not-attempted' }): Promise<Delivery> {
    return this.post(channelMessage(decision, this.ctx, dm));
  }

  /** Any prepared message to the channel. */
  async post(message: SlackMessage): Promise<Delivery> {
    const result = await this.send({ kind: 'channel' }, message);
    const messages = [{ to: { kind: 'channel' as const }, text: message.text, delivered: result.ok }];
    return result.ok ? { deliveredTo: 'channel', messages } : { messages, failure: result };
  }

  private async send(to: SentMessage['to'], message: SlackMessage): Promise<SendResult> {
    if (this.dryRun) return { ok: true };
    return to.kind === 'dm'
      ? this.notifier.sendDirect(to.slackId, message)
      : this.notifier.postToChannel(message);
  }
}

function failureOf(delivery: Delivery): Pick<Delivery, 'failure'> {
  return delivery.failure ? { failure: delivery.failure } : {};
}
