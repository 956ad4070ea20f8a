import { createHmac } from 'node:crypto';

import { type FunctionUrlRequest } from '../../lambda/interactive/request-guard';

/** The signing secret the tests' Slack app has (32 hexadecimal characters, like Slack's). */
export const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';

export interface SignOptions {
  readonly secret?: string;
  /** Epoch seconds written into `X-Slack-Request-Timestamp`. @default now */
  readonly timestamp?: number;
  /** Function URLs may base64 the body; both must verify. @default false */
  readonly base64?: boolean;
  /** Replaces the computed signature (a forgery). */
  readonly signature?: string;
}

/**
 * A request as Slack sends it to the Function URL: the payload form-encoded in `payload=`, signed
 * with v0 HMAC-SHA256 over `v0:<timestamp>:<body>`, wrapped in Lambda's payload format 2.0.
 */
export function signedRequest(payload: unknown, options: SignOptions = {}): FunctionUrlRequest {
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature =
    options.signature ??
    `v0=${createHmac('sha256', options.secret ?? SIGNING_SECRET)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex')}`;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/',
    rawQueryString: '',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': signature,
      'x-slack-request-timestamp': timestamp,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    },
    body: options.base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: { http: { method: 'POST' } },
  };
}

/** A `block_actions` payload: `userId` pressed the button `actionId` (with `value`) in `channelId`. */
export function buttonPress(options: {
  readonly actionId: string;
  readonly value: string;
  readonly userId: string;
  readonly channelId: string;
  readonly messageTs?: string;
}): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: options.userId, username: options.userId.toLowerCase(), team_id: 'T0FAKE001' },
    api_app_id: 'A0ENFORCER',
    token: 'legacy-verification-token-unused',
    trigger_id: '1234567890.987654321.abcdef0123456789',
    team: { id: 'T0FAKE001', domain: 'fake' },
    container: {
      type: 'message',
      message_ts: options.messageTs ?? '1700000000.000100',
      channel_id: options.channelId,
      is_ephemeral: false,
    },
    channel: { id: options.channelId, name: options.channelId.startsWith('D') ? 'directmessage' : 'infra' },
    response_url: 'https://hooks.slack.com/actions/T0FAKE001/1/unused',
    actions: [
      {
        type: 'button',
        action_id: options.actionId,
        block_id: 'b1',
        text: { type: 'plain_text', text: 'button' },
        value: options.value,
        action_ts: '1700000001.000200',
      },
    ],
  };
}

/** A `view_submission` of the "Ask for more time" modal, as Slack sends it back. */
export function moreTimeSubmission(options: {
  readonly privateMetadata: string;
  readonly userId: string;
  readonly reason: string | null;
  readonly until: string | null;
}): Record<string, unknown> {
  return {
    type: 'view_submission',
    user: { id: options.userId, team_id: 'T0FAKE001' },
    api_app_id: 'A0ENFORCER',
    team: { id: 'T0FAKE001' },
    trigger_id: '1234567890.987654321.fedcba',
    view: {
      id: 'V0MODAL01',
      type: 'modal',
      callback_id: 'ake.more-time-request',
      private_metadata: options.privateMetadata,
      state: {
        values: {
          reason: { reason: { type: 'plain_text_input', value: options.reason } },
          until: { until: { type: 'datepicker', selected_date: options.until } },
        },
      },
    },
  };
}
