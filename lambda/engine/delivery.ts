import { type KeyRecord } from '../domain/ledger-records';
import {
  type ChannelDecision,
  channelMessage,
  type DmOutcome,
  keyThreadParent,
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
  /** A new thread parent was posted for the key (first notice, or the old one was deleted): record it. */
  readonly thread?: KeyThread;
  /** Slack's `ts` of the notice where it was delivered (the DM, else the channel post), when known. */
  readonly ts?: string;
}

/** A key's thread in the infra channel, as its ledger record keeps it. */
export type KeyThread = NonNullable<KeyRecord['channelThread']>;

type Failure = Extract<SendResult, { ok: false }>;
type Opened = { readonly ok: true; readonly ts: string; readonly created: boolean } | Failure;

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

  /**
   * `thread`: the key's recorded thread. The channel copy goes into it as a reply, after its parent
   * is rewritten to the key's new state (issue 11 item 2).
   */
  async notify(
    decision: OwnerDecision & { directMessage: boolean },
    onOwnerDelivered?: OnOwnerDelivered,
    thread?: KeyThread,
  ): Promise<Delivery> {
    const slackId = decision.subject.owner.slackId;
    const messages: SentMessage[] = [];
    let dm: DmOutcome = { status: 'not-attempted' };
    let dmTs: Pick<Delivery, 'ts'> = {};
    if (decision.directMessage && slackId !== undefined) {
      const message = ownerMessage(decision, this.ctx);
      const result = await this.send({ kind: 'dm', slackId }, message);
      messages.push({ to: { kind: 'dm', slackId }, text: message.text, delivered: result.ok });
      dmTs = tsOf(result);
      if (result.ok) dm = { status: 'sent' };
      else if (result.reason === 'owner-unreachable') dm = { status: 'unreachable', code: result.code };
      else return { messages, failure: result };
    }
    const mirror = channelMessage(decision, this.ctx, dm);
    if (dm.status === 'sent' && onOwnerDelivered && !this.dryRun && !(await onOwnerDelivered(mirror)))
      return { deliveredTo: 'owner', messages, mirrored: false, leaseLost: true, ...dmTs };
    const channel = await this.postInThread(mirror, keyThreadParent(decision, this.ctx, dm), thread);
    for (const m of channel.messages) messages.push(m);
    const newThread = channel.thread ? { thread: channel.thread } : {};
    if (dm.status === 'sent') {
      const mirrored = channel.deliveredTo !== undefined;
      return {
        deliveredTo: 'owner',
        messages,
        mirrored,
        ...(channel.failure ? { mirrorFailure: channel.failure } : {}),
        ...newThread,
        ...dmTs,
      };
    }
    return channel.deliveredTo
      ? { deliveredTo: 'channel', messages, ...newThread, ...(channel.ts ? { ts: channel.ts } : {}) }
      : { messages, ...failureOf(channel), ...newThread };
  }

  /**
   * A notice about a key, as a reply in the key's thread. The parent is updated first (or posted,
   * when the key has none or it was deleted), so the thread's top always shows the latest state.
   */
  async postInThread(notice: SlackMessage, parent: SlackMessage, thread?: KeyThread): Promise<Delivery> {
    if (this.dryRun) return this.post(notice);
    const messages: SentMessage[] = [];
    const open = async (ts: string | undefined): Promise<Opened> => {
      const opened = await this.openThread(parent, ts);
      if (opened.ok && opened.created)
        messages.push({ to: { kind: 'channel' }, text: parent.text, delivered: true, thread: 'parent' });
      return opened;
    };
    let opened = await open(thread?.ts);
    // A notifier that gives no `ts` (a stub) cannot thread: the notice goes top-level as before.
    if (opened.ok && opened.ts === '') return this.post(notice);
    let reply: SendResult = opened;
    if (opened.ok) reply = await this.notifier.postToChannel(notice, { threadTs: opened.ts });
    // Deleted between the update and the reply: one new parent, then the reply again.
    if (opened.ok && !opened.created && !reply.ok && reply.reason === 'thread-lost') {
      opened = await open(undefined);
      reply = opened.ok ? await this.notifier.postToChannel(notice, { threadTs: opened.ts }) : opened;
    }
    messages.push({ to: { kind: 'channel' }, text: notice.text, delivered: reply.ok, thread: 'reply' });
    const newThread = opened.ok && opened.created ? { thread: { ts: opened.ts } } : {};
    return reply.ok
      ? { deliveredTo: 'channel', messages, ...newThread, ...tsOf(reply) }
      : { messages, failure: reply, ...newThread };
  }

  /** A message owed to a key's thread (a mirror retried): a reply there, else top-level. */
  async reply(message: SlackMessage, thread?: KeyThread): Promise<Delivery> {
    if (this.dryRun || thread === undefined) return this.post(message);
    const result = await this.notifier.postToChannel(message, { threadTs: thread.ts });
    if (!result.ok && result.reason === 'thread-lost') return this.post(message);
    const messages: SentMessage[] = [
      { to: { kind: 'channel' }, text: message.text, delivered: result.ok, thread: 'reply' },
    ];
    return result.ok ? { deliveredTo: 'channel', messages, ...tsOf(result) } : { messages, failure: result };
  }

  /** The thread's parent rewritten to `parent`, or a new one; `ts` is '' for a notifier that gives none. */
  private async openThread(parent: SlackMessage, ts: string | undefined): Promise<Opened> {
    if (ts !== undefined) {
      const updated = await this.notifier.updateChannelMessage(ts, parent);
      if (updated.ok) return { ok: true, ts, created: false };
      if (updated.reason !== 'thread-lost') return updated;
    }
    const posted = await this.notifier.postToChannel(parent);
    if (!posted.ok) return posted;
    return { ok: true, ts: posted.ts ?? '', created: posted.ts !== undefined };
  }

  /** A channel-only post for a decision (new key, second key, baseline). */
  async channel(decision: ChannelDecision, dm: DmOutcome = { status: 'not-attempted' }): Promise<Delivery> {
    return this.post(channelMessage(decision, this.ctx, dm));
  }

  /** Any prepared message to the channel. */
  async post(message: SlackMessage): Promise<Delivery> {
    const result = await this.send({ kind: 'channel' }, message);
    const messages = [{ to: { kind: 'channel' as const }, text: message.text, delivered: result.ok }];
    return result.ok ? { deliveredTo: 'channel', messages, ...tsOf(result) } : { messages, failure: result };
  }

  private async send(to: SentMessage['to'], message: SlackMessage): Promise<SendResult> {
    if (this.dryRun) return { ok: true };
    return to.kind === 'dm'
      ? this.notifier.sendDirect(to.slackId, message)
      : this.notifier.postToChannel(message);
  }
}

function tsOf(result: SendResult): Pick<Delivery, 'ts'> {
  return result.ok && result.ts !== undefined && result.ts !== '' ? { ts: result.ts } : {};
}

function failureOf(delivery: Delivery): Pick<Delivery, 'failure'> {
  return delivery.failure ? { failure: delivery.failure } : {};
}
