import { type SlackMessage } from '../domain/slack-message';
import { type Clock, type Notifier, type SendResult } from '../ports';
import { slackRejection } from './slack-limits';

/** Where a message went. */
export type SlackRecipient = { readonly kind: 'dm'; readonly slackId: string } | { readonly kind: 'channel' };

/** A message Slack accepted. */
export interface SlackDelivery {
  readonly at: Date;
  readonly to: SlackRecipient;
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
  private outage?: SendFailure;
  private misconfiguration?: SendFailure;

  constructor(options: SimulatedSlackOptions) {
    this.clock = options.clock;
    this.members = new Set(options.members);
    this.inactiveMembers = new Set(options.inactiveMembers);
  }

  /** Messages Slack accepted, in order. */
  get deliveries(): readonly SlackDelivery[] {
    return this.attemptLog.filter((a) => a.result.ok).map(({ at, to, message }) => ({ at, to, message }));
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

  /** Forgets recorded messages; members and failure switches stay as they are. */
  clear(): void {
    this.attemptLog.length = 0;
  }

  sendDirect(slackId: string, message: SlackMessage): Promise<SendResult> {
    return Promise.resolve(this.send({ kind: 'dm', slackId }, message));
  }

  postToChannel(message: SlackMessage): Promise<SendResult> {
    return Promise.resolve(this.send({ kind: 'channel' }, message));
  }

  private send(to: SlackRecipient, message: SlackMessage): SendResult {
    const result = this.answer(to, message);
    this.attemptLog.push({ at: this.clock.now(), to, message, result });
    return result;
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
