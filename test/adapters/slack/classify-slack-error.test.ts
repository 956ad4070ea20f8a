import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';

import {
  classifySlackErrorCode,
  SlackTransportError,
  slackErrorCode,
  type SlackTarget,
} from '../../../lambda/adapters/slack/classify-slack-error';
import { type SendFailureReason } from '../../../lambda/ports';

describe('classifySlackErrorCode', () => {
  it.each<[string, SlackTarget, SendFailureReason]>([
    // Owner unreachable: only ever for a DM.
    ['user_not_found', 'direct', 'owner-unreachable'],
    ['users_not_found', 'direct', 'owner-unreachable'],
    ['invalid_users', 'direct', 'owner-unreachable'],
    ['user_not_visible', 'direct', 'owner-unreachable'],
    ['user_disabled', 'direct', 'owner-unreachable'],
    ['cannot_dm_bot', 'direct', 'owner-unreachable'],
    ['messages_tab_disabled', 'direct', 'owner-unreachable'],
    ['channel_not_found', 'direct', 'owner-unreachable'],
    ['is_archived', 'direct', 'owner-unreachable'],
    ['account_inactive', 'direct', 'owner-unreachable'],
    // The same codes on the infra channel are our setup.
    ['channel_not_found', 'channel', 'misconfigured'],
    ['is_archived', 'channel', 'misconfigured'],
    ['account_inactive', 'channel', 'misconfigured'],
    ['not_in_channel', 'channel', 'misconfigured'],
    // Token and workspace problems, whatever the target.
    ['invalid_auth', 'direct', 'misconfigured'],
    ['invalid_auth', 'channel', 'misconfigured'],
    ['not_authed', 'direct', 'misconfigured'],
    ['token_revoked', 'channel', 'misconfigured'],
    ['token_expired', 'direct', 'misconfigured'],
    ['missing_scope', 'direct', 'misconfigured'],
    ['missing_scope', 'channel', 'misconfigured'],
    ['not_allowed_token_type', 'channel', 'misconfigured'],
    ['team_access_not_granted', 'direct', 'misconfigured'],
    ['restricted_action', 'channel', 'misconfigured'],
    ['unknown_method', 'channel', 'misconfigured'],
    ['http_404', 'direct', 'misconfigured'],
    // Slack down or throttling: retry next run.
    ['ratelimited', 'channel', 'unavailable'],
    ['service_unavailable', 'direct', 'unavailable'],
    ['fatal_error', 'channel', 'unavailable'],
    ['internal_error', 'direct', 'unavailable'],
    ['request_timeout', 'channel', 'unavailable'],
    ['http_500', 'channel', 'unavailable'],
    ['http_503', 'direct', 'unavailable'],
    ['ECONNREFUSED', 'channel', 'unavailable'],
    ['network_error', 'direct', 'unavailable'],
    ['no_time_left', 'channel', 'unavailable'],
    // Unknown codes must not silence the rest of the run.
    ['some_future_error', 'channel', 'unavailable'],
    ['user_not_found', 'channel', 'unavailable'],
  ])('classifies %s on a %s send as %s', (code, target, reason) => {
    expect(classifySlackErrorCode(code, target)).toBe(reason);
  });
});

describe('slackErrorCode', () => {
  it.each<[string, unknown, { code: string; detail?: string }]>([
    [
      'a platform error',
      new WebAPIPlatformError({ ok: false, error: 'user_not_found' }),
      { code: 'user_not_found' },
    ],
    [
      'missing_scope with the scope to add',
      new WebAPIPlatformError({ ok: false, error: 'missing_scope', needed: 'im:write' } as never),
      { code: 'missing_scope', detail: 'needed scope: im:write' },
    ],
    [
      'a platform error without a code',
      new WebAPIPlatformError({ ok: false, error: '' }),
      { code: 'unknown_error' },
    ],
    ['a rejected 429', new WebAPIRateLimitedError(30), { code: 'ratelimited', detail: 'retry after 30s' }],
    ['an HTTP error', new WebAPIHTTPError(503, 'Service Unavailable', {}, ''), { code: 'http_503' }],
    [
      'a timed-out request',
      new WebAPIRequestError(
        Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      ),
      { code: 'request_timeout', detail: 'The operation was aborted due to timeout' },
    ],
    [
      'a refused connection',
      new WebAPIRequestError(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        }),
      ),
      { code: 'ECONNREFUSED', detail: 'fetch failed' },
    ],
    [
      'a request error without errno',
      new WebAPIRequestError(new Error('socket hang up')),
      { code: 'network_error', detail: 'socket hang up' },
    ],
    [
      'retries out of time',
      new Error('RetryOperation timeout occurred'),
      { code: 'request_timeout', detail: 'retries ran out of time' },
    ],
    ['anything else', 'boom', { code: 'unexpected_error', detail: 'boom' }],
  ])('reduces %s to a code', (_name, error, expected) => {
    expect(slackErrorCode(error)).toEqual(expected);
  });
});

describe('SlackTransportError', () => {
  it.each<[string, unknown, string, string]>([
    [
      'a refused connection',
      new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) }),
      'ECONNREFUSED',
      'request failed: fetch failed: ECONNREFUSED',
    ],
    [
      'an abort',
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      'request_timeout',
      'request timed out',
    ],
    ['a bare failure', new Error('socket hang up'), 'network_error', 'request failed: socket hang up'],
    ['a non-error', 'boom', 'network_error', 'request failed: boom'],
  ])('names %s by its code', (_name, cause, code, message) => {
    const error = new SlackTransportError(cause);

    expect({ code: error.code, message: error.message, cause: error.cause }).toEqual({
      code,
      message,
      cause,
    });
  });
});
