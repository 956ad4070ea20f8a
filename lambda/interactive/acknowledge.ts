import App from '@slack/bolt/dist/App';
import AwsLambdaReceiver, { type AwsHandler } from '@slack/bolt/dist/receivers/AwsLambdaReceiver';
import { type Logger as BoltLogger, LogLevel } from '@slack/web-api';

import { type EnforcerConfig } from '../config/schema';
import { utcDate } from '../domain/dates';
import { checkExemptionRequest } from '../domain/interactive/exemption-request';
import { ACTION, MORE_TIME_VIEW } from '../domain/interactive/key-ref';
import { MORE_TIME_FIELDS, moreTimeModal } from '../domain/interactive/more-time-modal';
import {
  type Interaction,
  parseButtonPress,
  parseMoreTimeSubmission,
} from '../adapters/slack/interaction-payload';
import { type Clock } from '../ports';
import { type RunLogger } from '../runtime/run-telemetry';
import { type SlackInteractions, type WorkQueue } from './interactive-ports';

/** What answering Slack within its 3 seconds needs: no IAM, no ledger, at most one Slack call. */
export interface AcknowledgeDeps {
  readonly config: EnforcerConfig;
  readonly clock: Clock;
  readonly queue: WorkQueue;
  /** Only "Ask for more time" calls Slack here (`views.open`, bound to the 3-second trigger). */
  readonly slack: () => Promise<SlackInteractions>;
  readonly logger: RunLogger;
}

/**
 * The Bolt app behind the Function URL (issue 11 item 3), on `AwsLambdaReceiver`. Every listener
 * acknowledges at once and hands the work to a second invocation of this function (an
 * asynchronous `Invoke` of itself, `lambda/adapters/aws/self-invoke-queue.ts`): Slack wants its
 * answer within 3 seconds, and a Lambda behind a Function URL is frozen the moment it returns
 * that answer, so work "after the ack" in the same invocation (Bolt's `processBeforeResponse:
 * false`) may never run. Reading IAM through the member role, the ledger and several Slack posts
 * do not reliably fit in 3 seconds on a cold start. The only exceptions are answers that must be
 * in the acknowledgement: opening the modal (its trigger id lives 3 seconds) and refusing a
 * modal's bad input (`response_action: errors`), both quick and pure except `views.open`.
 */
export function createAcknowledger(signingSecret: string, deps: AcknowledgeDeps): AwsHandler {
  const receiver = new AwsLambdaReceiver({ signingSecret, logger: boltLogger(deps.logger) });
  const app = new App({
    receiver,
    // Bolt's own client is never used: Slack calls go through the enforcer's adapters, bounded in
    // time and with the token redacted from errors. No token is needed to route a request.
    authorize: () => Promise.resolve({}),
    convoStore: false,
    logger: boltLogger(deps.logger),
  });
  const enqueue = (interaction: Interaction) =>
    deps.queue.enqueue({ interaction, receivedAt: deps.clock.now().toISOString() });

  app.action(/^ake\./, async ({ ack, body }) => {
    const press = parseButtonPress(body);
    if (press === undefined) {
      deps.logger.warn('interaction not understood', { type: body.type });
      await ack();
      return;
    }
    const { triggerId, ...interaction } = press;
    deps.logger.info('interaction', { action: press.action, user: press.userId, key: press.ref.accessKeyId });
    if (press.action === ACTION.moreTime && triggerId !== undefined) {
      const { policy } = deps.config;
      await (
        await deps.slack()
      ).openModal(triggerId, moreTimeModal(press.ref, utcDate(deps.clock.now()), policy.maxExemptionDays));
      await ack();
      return;
    }
    await enqueue(interaction);
    await ack();
  });

  app.view(MORE_TIME_VIEW, async ({ ack, body }) => {
    const submission = parseMoreTimeSubmission(body);
    if (submission === undefined) {
      deps.logger.warn('interaction not understood', { type: body.type });
      await ack();
      return;
    }
    const today = utcDate(deps.clock.now());
    const checked = checkExemptionRequest(submission, today, deps.config.policy.maxExemptionDays);
    if (!checked.ok) {
      // Shown under each field; the modal stays open for a correction.
      const errors = {
        ...(checked.errors.reason !== undefined && { [MORE_TIME_FIELDS.reason]: checked.errors.reason }),
        ...(checked.errors.until !== undefined && { [MORE_TIME_FIELDS.until]: checked.errors.until }),
      };
      await ack({ response_action: 'errors', errors });
      return;
    }
    deps.logger.info('interaction', {
      action: 'more-time',
      user: submission.userId,
      key: submission.ref.accessKeyId,
    });
    await enqueue(submission);
    await ack();
  });

  app.error((error) => {
    // Every listener acknowledges last, so a failure means nothing was acknowledged: the receiver
    // answers 500 and Slack shows the presser an error, rather than silence.
    deps.logger.error('interaction failed', { error: error.message });
    return Promise.reject(error);
  });
  return receiver.toHandler();
}

/** Bolt's log lines at warning and above, into the function's structured log. */
function boltLogger(logger: RunLogger): BoltLogger {
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: (...msg: unknown[]) => logger.warn('bolt', { message: msg.map(String).join(' ') }),
    error: (...msg: unknown[]) => logger.error('bolt', { message: msg.map(String).join(' ') }),
    setLevel: ignore,
    getLevel: () => LogLevel.WARN,
    setName: ignore,
  };
}
