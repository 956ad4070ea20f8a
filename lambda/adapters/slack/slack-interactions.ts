import { type WebClient } from '@slack/web-api';

import { type ModalView } from '../../domain/interactive/more-time-modal';
import { type SlackMessage } from '../../domain/slack-message';
import { type SlackInteractions } from '../../interactive/interactive-ports';
import { createBudgetedWebClient, type SlackErrorLogger } from './budgeted-web-client';
import { slackErrorCode } from './classify-slack-error';
import { redactToken } from './redact-token';

/** A Slack call of the buttons failed; the message names the method and Slack's code, never the token. */
export class SlackInteractionError extends Error {
  override readonly name = 'SlackInteractionError';
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface SlackInteractionsOptions {
  readonly token: string;
  /** @default 'https://slack.com/api/' */
  readonly apiUrl?: string;
  /** Time left for Slack calls; the acknowledgement passes what remains of Slack's 3 seconds. */
  readonly remainingTimeMs: () => number;
  readonly logger?: SlackErrorLogger;
}

/**
 * `views.open`, `chat.postEphemeral` and `usergroups.users.list` for the buttons (issue 11 item 3),
 * on the same budgeted, redacting WebClient as the notifier. Unlike the notifier these throw: each
 * caller has one thing to do when Slack fails, and says so to the presser.
 */
export class SlackInteractionsClient implements SlackInteractions {
  constructor(private readonly options: SlackInteractionsOptions) {}

  async openModal(triggerId: string, view: ModalView): Promise<void> {
    await this.call('views.open', (client) =>
      client.views.open({
        trigger_id: triggerId,
        view: view as unknown as Parameters<WebClient['views']['open']>[0]['view'],
      }),
    );
  }

  async postEphemeral(channelId: string, userId: string, message: SlackMessage): Promise<void> {
    await this.call('chat.postEphemeral', (client) =>
      client.chat.postEphemeral({
        channel: channelId,
        user: userId,
        text: message.text,
        blocks: [...message.blocks],
      }),
    );
  }

  async userGroupMembers(userGroupId: string): Promise<readonly string[]> {
    const answer = await this.call('usergroups.users.list', (client) =>
      client.usergroups.users.list({ usergroup: userGroupId }),
    );
    return answer.users ?? [];
  }

  private async call<T>(method: string, invoke: (client: WebClient) => Promise<T>): Promise<T> {
    const { token } = this.options;
    const client = createBudgetedWebClient(
      {
        token,
        apiUrl: this.options.apiUrl ?? 'https://slack.com/api/',
        // The acknowledgement has under 3 seconds: one retry at most, quickly.
        maxRetries: 1,
        retryMinDelayMs: 200,
        retryMaxDelayMs: 500,
        requestTimeoutMs: 2500,
        ...(this.options.logger ? { logger: this.options.logger } : {}),
      },
      this.options.remainingTimeMs(),
    );
    try {
      return await invoke(client);
    } catch (error) {
      const { code, detail } = slackErrorCode(error);
      const text = `Slack ${method} failed: ${code}${detail === undefined ? '' : ` (${detail})`}`;
      throw new SlackInteractionError(method, redactToken(code, token), redactToken(text, token));
    }
  }
}
