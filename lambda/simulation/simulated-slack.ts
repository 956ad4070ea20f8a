import { type SlackMessage } from '../domain/slack-message';
import { type ChannelPostOptions, type Clock, type Notifier, type SendResult } from '../ports';
import { slackRejection } from './slack-limits';

/** Where a message went. */
export type SlackRecipient = { readonly kind: 'dm'; readonly slackId: string } | { readonly kind: 'channel' };

/** A message Slack accepted. */
export interface SlackDelivery {
  readonly at: Date;
  readonly to: SlackRecipient;
  readonly message: SlackMessage;
  /** Slack's id of the message (set once accepted). */
  readonly ts?: string;
  /** For a thread reply: the parent's `ts`. */
  readonly threadTs?: string;
}

/** A `chat.update` Slack accepted: the channel message `ts` now reads `message`. */
export interface SlackUpdate {
  readonly at: Date;
  readonly ts: string;
  readonly message: SlackMessage;
}

/** Every send, accepted or not, with what Slack answered. */
export interface SlackAttempt extends SlackDelivery {
  readonly result: SendResult;
}

/** A failed send as the notifier port reports it. */
export type SendFailure = Extract<SendResult, { ok: false }>;

export interface SimulatedSlackOptions {
  /** Stamps each delivery. */
  readonly clock: Clock;
  /** Workspace member ids a DM can reach. */
  readonly members?: Iterable<string>;
  /** Member ids of deactivated accounts: DMs to them fail with `account_inactive`. */
  readonly inactiveMembers?: Iterable<string>;
}

interface QueuedFailure {
  remaining: number;
  readonly failure: SendFailure;
  readonly only?: SlackRecipient['kind'];
}

/**
 * Slack in memory: the notifier port over a workspace of known members, recording what was
 * delivered and when, refusing messages the real API refuses (see `slackRejection`), and with
 * switches for the failures SPEC §5 plans for. Precedence follows the real API: auth, then rate
 * limits and outages, then the request itself, then the recipient.
 */
export class SimulatedSlack implements Notifier {
  private readonly clock: Clock;
  private readonly members: Set<string>;
  private readonly inactiveMembers: Set<string>;
  private readonly attemptLog: SlackAttempt[] = [];
  private readonly queued: QueuedFailure[] = [];
  private readonly updateLog: SlackUpdate[] = [];
  /** Channel messages as they read now, by `ts`; a deleted one is gone. */
  private readonly channelNow = new Map<string, SlackMessage>();
  private posted = 0;
  private outage?: SendFailure;
  private misconfiguration?: SendFailure;

  constructor(options: SimulatedSlackOptions) {
    this.clock = options.clock;
    this.members = new Set(options.members);
    this.inactiveMembers = new Set(options.inactiveMembers);
  }

  /** Messages Slack accepted, in order. */
  get deliveries(): readonly SlackDelivery[] {
    return this.attemptLog
      .filter((a) => a.result.ok)
      .map(({ at, to, message, ts, threadTs }) => ({
        at,
        to,
        message,
        ...(ts !== undefined ? { ts } : {}),
        ...(threadTs !== undefined ? { threadTs } : {}),
      }));
  }

  /** Accepted `chat.update`s, in order. */
  get updates(): readonly SlackUpdate[] {
    return [...this.updateLog];
  }

  /** Every send, in order, with Slack's answer: for asserting on retries and fallbacks. */
  get attempts(): readonly SlackAttempt[] {
    return [...this.attemptLog];
  }

  addMember(slackId: string): void {
    this.members.add(slackId);
    this.inactiveMembers.delete(slackId);
  }

  /** The person left: their id still exists, but DMs fail with `account_inactive`. */
  deactivateMember(slackId: string): void {
    this.members.delete(slackId);
    this.inactiveMembers.add(slackId);
  }

  /** Every send returns `unavailable` while on (Slack down, or throttling after retries). */
  setOutage(on: boolean, code: 'ratelimited' | 'service_unavailable' = 'service_unavailable'): void {
    this.outage = on ? slackFailure('unavailable', code) : undefined;
  }

  /** The next `count` sends (only DMs or only channel posts, when `only` is set) return `result`. */
  failNext(count: number, result: SendFailure, only?: SlackRecipient['kind']): void {
    if (count <= 0) return;
    this.queued.push(
      only ? { remaining: count, failure: result, only } : { remaining: count, failure: result },
    );
  }

  /** Every send fails as with a revoked or wrong token, until `restore()`. */
  misconfigure(code = 'invalid_auth'): void {
    this.misconfiguration = slackFailure('misconfigured', code);
  }

  /** Clears the outage, queued failures and misconfiguration. */
  restore(): void {
    this.outage = undefined;
    this.misconfiguration = undefined;
    this.queued.length = 0;
  }

  /** Delivered DMs to one member. */
  messagesTo(slackId: string): SlackDelivery[] {
    return this.deliveries.filter((d) => d.to.kind === 'dm' && d.to.slackId === slackId);
  }

  /** Delivered channel posts. */
  channelMessages(): SlackDelivery[] {
    return this.deliveries.filter((d) => d.to.kind === 'channel');
  }

  /** Delivered channel posts outside any thread: what a reader scrolls past in the channel. */
  channelTopLevel(): SlackDelivery[] {
    return this.channelMessages().filter((d) => d.threadTs === undefined);
  }

  /** Delivered replies in the thread of `parentTs` (every thread when omitted). */
  threadReplies(parentTs?: string): SlackDelivery[] {
    return this.channelMessages().filter(
      (d) => d.threadTs !== undefined && (parentTs === undefined || d.threadTs === parentTs),
    );
  }

  /** A channel message as it reads now (after updates); `undefined` once deleted. */
  channelMessage(ts: string): SlackMessage | undefined {
    return this.channelNow.get(ts);
  }

  /** Someone deleted a channel message: updating it or replying in its thread now fails. */
  deleteMessage(ts: string): void {
    this.channelNow.delete(ts);
  }

  /** Forgets recorded messages; members and failure switches stay as they are. */
  clear(): void {
    this.attemptLog.length = 0;
    this.updateLog.length = 0;
  }

  sendDirect(slackId: string, message: SlackMessage): Promise<SendResult> {
    return Promise.resolve(this.send({ kind: 'dm', slackId }, message));
  }

  postToChannel(message: SlackMessage, options: ChannelPostOptions = {}): Promise<SendResult> {
    return Promise.resolve(this.send({ kind: 'channel' }, message, options.threadTs));
  }

  updateChannelMessage(ts: string, message: SlackMessage): Promise<SendResult> {
    const result = this.answerUpdate(ts, message);
    if (result.ok) {
      this.channelNow.set(ts, message);
      this.updateLog.push({ at: this.clock.now(), ts, message });
    }
    return Promise.resolve(result);
  }

  private send(to: SlackRecipient, message: SlackMessage, threadTs?: string): SendResult {
    const answered = this.answer(to, message);
    // Slack refuses a reply whose parent was deleted; it never re-creates the parent.
    const result =
      answered.ok && threadTs !== undefined && !this.channelNow.has(threadTs)
        ? slackFailure('thread-lost', 'thread_not_found')
        : answered;
    const ts = result.ok ? this.nextTs() : undefined;
    if (ts !== undefined && to.kind === 'channel') this.channelNow.set(ts, message);
    this.attemptLog.push({
      at: this.clock.now(),
      to,
      message,
      result: ts !== undefined ? { ok: true, ts } : result,
      ...(ts !== undefined ? { ts } : {}),
      ...(threadTs !== undefined ? { threadTs } : {}),
    });
    return ts !== undefined ? { ok: true, ts } : result;
  }

  private answerUpdate(ts: string, message: SlackMessage): SendResult {
    const answered = this.answer({ kind: 'channel' }, message);
    if (!answered.ok) return answered;
    return this.channelNow.has(ts) ? answered : slackFailure('thread-lost', 'message_not_found');
  }

  /** Like Slack's: seconds of the clock plus a sequence number, unique within the workspace. */
  private nextTs(): string {
    this.posted += 1;
    return `${Math.floor(this.clock.now().getTime() / 1000)}.${String(this.posted).padStart(6, '0')}`;
  }

  private answer(to: SlackRecipient, message: SlackMessage): SendResult {
    if (this.misconfiguration) return this.misconfiguration;
    if (this.outage) return this.outage;
    const queued = this.takeQueued(to.kind);
    if (queued) return queued;
    const rejection = slackRejection(message);
    // A malformed message is our bug, not Slack's or the owner's: surfaced like a setup error.
    if (rejection) return slackFailure('misconfigured', rejection);
    if (to.kind === 'channel') return { ok: true };
    if (this.inactiveMembers.has(to.slackId)) return slackFailure('owner-unreachable', 'account_inactive');
    if (!this.members.has(to.slackId)) return slackFailure('owner-unreachable', 'user_not_found');
    return { ok: true };
  }

  private takeQueued(kind: SlackRecipient['kind']): SendFailure | undefined {
    const entry = this.queued.find((q) => q.only === undefined || q.only === kind);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queued.splice(this.queued.indexOf(entry), 1);
    return entry.failure;
  }
}

/** Builds a failure as the real adapter reports it: the reason decides, the code explains. */
export function slackFailure(reason: SendFailure['reason'], code: string): SendFailure {
  return { ok: false, reason, code, message: `Slack API error: ${code}` };
}
