import { SlackNotifier, type SlackNotifierOptions } from '../../../lambda/adapters/slack/slack-notifier';
import { type SlackMessage } from '../../../lambda/domain/slack-message';
import { FAKE_SLACK_MEMBER, type FakeSlack } from '../../support/fake-slack-server';

/** The infra channel the fake Slack knows. */
export const INFRA_CHANNEL = 'C0INFRA01';
export const OWNER = FAKE_SLACK_MEMBER;

export const reminder: SlackMessage = {
  text: 'Access key AKIAIOSFODNN7EXAMPLE is 76 days old: rotate it by 2025-07-01.',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Rotate your AWS access key' } },
    { type: 'section', text: { type: 'mrkdwn', text: '*AKIAIOSFODNN7EXAMPLE* is 76 days old.' } },
  ],
};

/** A notifier against the fake Slack with near-zero retry delays and no pacing, unless overridden. */
export function notifierFor(slack: FakeSlack, overrides: Partial<SlackNotifierOptions> = {}): SlackNotifier {
  return new SlackNotifier({
    token: slack.token,
    apiUrl: slack.url,
    infraChannel: INFRA_CHANNEL,
    retryMinDelayMs: 1,
    retryMaxDelayMs: 5,
    channelMinIntervalMs: 0,
    ...overrides,
  });
}

/** A `sleep` that returns at once and remembers what it was asked to wait. */
export function recordingSleep(): { sleeps: number[]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  };
}

/** `expect.stringContaining`, typed as the string it stands for (jest types it `any`). */
export function textContaining(text: string): string {
  return expect.stringContaining(text) as string;
}
