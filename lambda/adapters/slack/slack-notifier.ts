import { setTimeout as delay } from 'node:timers/promises';

import { WebAPIRateLimitedError, type WebClient } from '@slack/web-api';

import { type SlackMessage } from '../../domain/slack-message';
import { type ChannelPostOptions, type Notifier, type SendResult } from '../../ports';
import { createBudgetedWebClient, type SlackErrorLogger } from './budgeted-web-client';
import { ChannelPacer } from './channel-pacer';
import { classifySlackErrorCode, slackErrorCode, type SlackTarget } from './classify-slack-error';
import { redactToken } from './redact-token';

/** A failed {@link SendResult}. */
export type SendFailure = Extract<SendResult, { ok: false }>;

/** Options for {@link SlackNotifier}. */
export interface SlackNotifierOptions {
  /**
   * Bot token (`xoxb-…`). Sent only in the `Authorization` header; never logged, and redacted from
   * any Slack text that ends up in a result.
   */
  readonly token: string;
  /** Id of the infra channel (`C0123ABCD`); the bot must be a member. */
  readonly infraChannel: string;
  /**
   * Slack Web API base URL; point it at a proxy or a local stand-in.
   * @default 'https://slack.com/api/'
   */
  readonly apiUrl?: string;
  /**
   * A client to use for every call. Its own retry, timeout and rate-limit settings then apply, and
   * only the "no time left" check of `remainingTimeMs` does.
   * @default a WebClient built per call with that call's time budget
   */
  readonly client?: WebClient;
  /**
   * Time left before the Lambda is stopped (`context.getRemainingTimeInMillis`). Retries, timeouts,
   * rate-limit waits and pacing are cut to fit it minus `safetyMarginMs`; with no time left the
   * notifier does not call Slack and returns `unavailable` (code `no_time_left`).
   * @default unlimited
   */
  readonly remainingTimeMs?: () => number;
  /**
   * Time kept back from `remainingTimeMs` for recording results. Keep it above `retryMaxDelayMs`.
   * @default 5000
   */
  readonly safetyMarginMs?: number;
  /** @default 10000 */
  readonly requestTimeoutMs?: number;
  /**
   * Retries per call, for transport failures (HTTP 5xx, network, timeouts) and for 429s separately.
   * @default 3
   */
  readonly maxRetries?: number;
  /** First wait between transport retries; later waits double. @default 500 */
  readonly retryMinDelayMs?: number;
  /** @default 4000 */
  readonly retryMaxDelayMs?: number;
  /**
   * Minimum time between two posts to the infra channel (Slack allows about one per second per channel).
   * @default 1100
   */
  readonly channelMinIntervalMs?: number;
  /** Epoch milliseconds, for the pacer. @default Date.now */
  readonly now?: () => number;
  /** Used for pacing and rate-limit waits. @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Receives WebClient's error-level lines (redacted). @default none: WebClient stays silent */
  readonly logger?: SlackErrorLogger;
  /**
   * The infra channel's pacer, when it must outlive this notifier: the outbox sender builds a
   * notifier per invocation, and one invocation's last post must pace the next one's first.
   * @default a pacer of this notifier's own, from `channelMinIntervalMs`, `now` and `sleep`
   */
  readonly pacer?: ChannelPacer;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | SendFailure;

/**
 * Sends the enforcer's messages with Slack's Web API and turns every failure into a
 * {@link SendResult} (SPEC §5); it never throws for a Slack failure.
 *
 * A DM is `conversations.open` (once per member per notifier, so once per run) plus
 * `chat.postMessage`; a channel post is one paced `chat.postMessage`. After the first
 * `misconfigured` failure the notifier stops calling Slack and returns that same failure, so a
 * broken token or channel is reported once rather than once per message.
 */
export class SlackNotifier implements Notifier {
  private readonly dmChannels = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private readonly pacer: ChannelPacer;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxRetries: number;
  private misconfiguration: SendFailure | undefined;

  constructor(private readonly options: SlackNotifierOptions) {
    this.sleep = options.sleep ?? ((ms) => delay(ms));
    this.maxRetries = options.maxRetries ?? 3;
    this.pacer =
      options.pacer ??
      new ChannelPacer({
        minIntervalMs: options.channelMinIntervalMs ?? 1100,
        now: options.now ?? Date.now,
        sleep: this.sleep,
      });
  }

  async sendDirect(slackId: string, message: SlackMessage): Promise<SendResult> {
    const channel = await this.openDirectChannel(slackId);
    if (!channel.ok) return channel;
    return this.post(channel.value, message, 'direct', `DM to ${slackId}`);
  }

  async postToChannel(message: SlackMessage, options: ChannelPostOptions = {}): Promise<SendResult> {
    if (this.misconfiguration) return this.misconfiguration;
    const target = `infra channel ${this.options.infraChannel}`;
    if (!(await this.pacer.wait(this.budgetMs()))) return this.noTimeLeft('chat.postMessage', target);
    return this.post(this.options.infraChannel, message, 'channel', target, options.threadTs);
  }

  async updateChannelMessage(ts: string, message: SlackMessage): Promise<SendResult> {
    if (this.misconfiguration) return this.misconfiguration;
    const what = `message ${ts} in infra channel ${this.options.infraChannel}`;
    // chat.update is a Tier 3 method, but edits count against the channel's posting pace too.
    if (!(await this.pacer.wait(this.budgetMs()))) return this.noTimeLeft('chat.update', what);
    const { infraChannel: channel } = this.options;
    const updated = await this.call('chat.update', 'channel', what, (client) =>
      client.chat.update({ channel, ts, text: message.text, blocks: [...message.blocks] }),
    );
    return updated.ok ? sent(updated.value.ts ?? ts) : updated;
  }

  /** The first configuration failure of this notifier's lifetime, if any. */
  configurationError(): SendResult | undefined {
    return this.misconfiguration;
  }

  /** Web API calls made so far, by method (a 429 retry is a new call; transport retries are not). */
  callCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  private async openDirectChannel(slackId: string): Promise<Outcome<string>> {
    const cached = this.dmChannels.get(slackId);
    if (cached !== undefined) return { ok: true, value: cached };
    const what = `DM to ${slackId}`;
    const opened = await this.call('conversations.open', 'direct', what, (client) =>
      client.conversations.open({ users: slackId }),
    );
    if (!opened.ok) return opened;
    const id = opened.value.channel?.id;
    if (id === undefined)
      return this.fail(new Error('response has no channel id'), 'conversations.open', 'direct', what);
    this.dmChannels.set(slackId, id);
    return { ok: true, value: id };
  }

  private async post(
    channel: string,
    message: SlackMessage,
    target: SlackTarget,
    what: string,
    threadTs?: string,
  ): Promise<SendResult> {
    const posted = await this.call('chat.postMessage', target, what, (client) =>
      client.chat.postMessage({
        channel,
        text: message.text,
        blocks: [...message.blocks],
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      }),
    );
    return posted.ok ? sent(posted.value.ts) : posted;
  }

  private async call<T>(
    method: string,
    target: SlackTarget,
    what: string,
    invoke: (client: WebClient) => Promise<T>,
  ): Promise<Outcome<T>> {
    for (let attempt = 0; ; attempt += 1) {
      // Re-checked on every attempt: a concurrent call may have found the setup broken meanwhile.
      if (this.misconfiguration) return this.misconfiguration;
      const budgetMs = this.budgetMs();
      if (budgetMs <= 0) return this.noTimeLeft(method, what);
      this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
      try {
        return { ok: true, value: await invoke(this.clientFor(budgetMs)) };
      } catch (error) {
        const waitMs = error instanceof WebAPIRateLimitedError ? error.retryAfter * 1000 : undefined;
        // Slack blocks the channel for everyone: later posts queue behind the wait (and this retry).
        if (waitMs !== undefined && target === 'channel') this.pacer.holdFor(waitMs);
        if (waitMs === undefined || attempt >= this.maxRetries || waitMs >= this.budgetMs()) {
          const failure = this.fail(error, method, target, what);
          return waitMs === undefined ? failure : { ...failure, retryAfterMs: waitMs };
        }
        await this.sleep(waitMs);
      }
    }
  }

  private clientFor(budgetMs: number): WebClient {
    const { options } = this;
    return (
      options.client ??
      createBudgetedWebClient(
        {
          token: options.token,
          apiUrl: options.apiUrl ?? 'https://slack.com/api/',
          maxRetries: this.maxRetries,
          retryMinDelayMs: options.retryMinDelayMs ?? 500,
          retryMaxDelayMs: options.retryMaxDelayMs ?? 4000,
          requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
          ...(options.logger ? { logger: options.logger } : {}),
        },
        budgetMs,
      )
    );
  }

  private budgetMs(): number {
    const { remainingTimeMs, safetyMarginMs = 5000 } = this.options;
    return remainingTimeMs ? remainingTimeMs() - safetyMarginMs : Number.POSITIVE_INFINITY;
  }

  private fail(error: unknown, method: string, target: SlackTarget, what: string): SendFailure {
    const { code, detail } = slackErrorCode(error);
    const reason = classifySlackErrorCode(code, target);
    const text = `Slack ${method} (${what}) failed: ${code}${detail === undefined ? '' : ` (${detail})`}`;
    const failure: SendFailure = {
      ok: false,
      reason,
      code: redactToken(code, this.options.token),
      message: redactToken(text, this.options.token),
    };
    if (reason === 'misconfigured') this.misconfiguration ??= failure;
    return failure;
  }

  private noTimeLeft(method: string, what: string): SendFailure {
    return {
      ok: false,
      reason: 'unavailable',
      code: 'no_time_left',
      message: `Slack ${method} (${what}) not attempted: the run is out of time`,
    };
  }
}

function sent(ts: string | undefined): SendResult {
  return ts === undefined ? { ok: true } : { ok: true, ts };
}
