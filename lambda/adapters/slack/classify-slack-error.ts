import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
} from '@slack/web-api';

import { type SendFailureReason } from '../../ports';

/**
 * Where a Slack call was going. The same Slack error code can mean "this person cannot be reached"
 * on a DM and "our setup is broken" on the infra channel (`channel_not_found`, `is_archived`,
 * `account_inactive`), so the classification needs to know.
 */
export type SlackTarget = 'direct' | 'channel';

/**
 * Codes that mean the owner cannot be reached by DM (SPEC §5: fall back to the channel).
 * Only consulted for DMs; on the infra channel the target-dependent ones are configuration errors.
 */
const OWNER_UNREACHABLE_ON_DM: ReadonlySet<string> = new Set([
  'user_not_found',
  'users_not_found',
  'invalid_users',
  'user_not_visible',
  'user_disabled',
  'cannot_dm_bot',
  'messages_tab_disabled',
  // Target-dependent: for a DM they describe the member's conversation, not our setup.
  'channel_not_found',
  'is_archived',
  'account_inactive',
]);

/**
 * Codes that mean a key's thread parent was deleted (or is no longer ours to edit). Checked before
 * everything else: on the infra channel they must never latch the notifier as misconfigured.
 */
const THREAD_LOST: ReadonlySet<string> = new Set([
  'message_not_found',
  'thread_not_found',
  'cant_update_message',
]);

/** Codes that mean the token, its scopes, the workspace or the infra channel are set up wrongly. */
const MISCONFIGURED: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'not_allowed_token_type',
  'team_access_not_granted',
  'ekm_access_denied',
  'restricted_action',
  'org_login_required',
  'enterprise_is_restricted',
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  // A wrong `apiUrl` reaches something that is not the Slack Web API.
  'unknown_method',
  'http_400',
  'http_401',
  'http_403',
  'http_404',
  'http_405',
]);

/**
 * Classifies a Slack error code (see {@link slackErrorCode}) for SPEC §5.
 *
 * Anything not known to be about the owner or the setup is `unavailable`: that includes Slack's own
 * transient codes (`ratelimited`, `service_unavailable`, `fatal_error`, `internal_error`,
 * `request_timeout`), HTTP 5xx, network errors, and codes we do not recognise. Unavailable leaves the
 * milestone pending for the next run, which loses nothing; misclassifying an unknown code as
 * `misconfigured` would silence every later message of the run.
 */
export function classifySlackErrorCode(code: string, target: SlackTarget): SendFailureReason {
  if (target === 'channel' && THREAD_LOST.has(code)) return 'thread-lost';
  if (target === 'direct' && OWNER_UNREACHABLE_ON_DM.has(code)) return 'owner-unreachable';
  if (MISCONFIGURED.has(code)) return 'misconfigured';
  return 'unavailable';
}

/** A failure reduced to a Slack-style code plus optional detail for the human-readable message. */
export interface SlackErrorCode {
  /** Slack's `error` string, `ratelimited`, `http_<status>`, `request_timeout`, a network errno, or `unexpected_error`. */
  readonly code: string;
  readonly detail?: string;
}

/**
 * Reduces whatever a WebClient call threw to a code. Pure: reads the error, never logs or rethrows.
 * The result may still contain text from Slack, so callers redact the token before surfacing it.
 */
export function slackErrorCode(error: unknown): SlackErrorCode {
  if (error instanceof WebAPIPlatformError) return platformCode(error);
  if (error instanceof WebAPIRateLimitedError)
    return { code: 'ratelimited', detail: `retry after ${error.retryAfter}s` };
  if (error instanceof WebAPIHTTPError) return { code: `http_${error.statusCode}` };
  if (error instanceof WebAPIRequestError) return requestCode(error.original);
  // node-retry gives up with this error when `maxRetryTime` (our time budget) runs out.
  if (error instanceof Error && error.message === 'RetryOperation timeout occurred')
    return { code: 'request_timeout', detail: 'retries ran out of time' };
  return { code: 'unexpected_error', detail: error instanceof Error ? error.message : String(error) };
}

function platformCode(error: WebAPIPlatformError): SlackErrorCode {
  const data: Record<string, unknown> = { ...error.data };
  const code = typeof data.error === 'string' && data.error !== '' ? data.error : 'unknown_error';
  // missing_scope names the scope to add, which is exactly what an operator needs to fix it.
  return typeof data.needed === 'string' ? { code, detail: `needed scope: ${data.needed}` } : { code };
}

function requestCode(original: Error): SlackErrorCode {
  if (original instanceof SlackTransportError) return { code: original.code, detail: original.message };
  // An injected client's own fetch: same reading, on whatever WebClient kept of the error.
  return { code: transportCode(original), detail: original.message };
}

/**
 * A failed `fetch` of the Web API, with its cause reduced to a code. The notifier's fetch throws
 * this instead of undici's error because WebClient keeps an error only if it is `instanceof Error`
 * of its own realm and otherwise flattens it to a string, losing the errno (this happens under
 * jest, whose sandbox has its own `Error`).
 */
export class SlackTransportError extends Error {
  override readonly name = 'SlackTransportError';
  /** `request_timeout`, an errno such as `ECONNREFUSED`, or `network_error`. */
  readonly code: string;

  constructor(cause: unknown) {
    const code = transportCode(cause);
    super(code === 'request_timeout' ? 'request timed out' : `request failed: ${describe(cause)}`, { cause });
    this.code = code;
  }
}

/** Reads undici's failures by shape, not class, so it works across realms. */
function transportCode(error: unknown): string {
  const name = text(error, 'name');
  const message = text(error, 'message') ?? '';
  // AbortSignal.timeout (WebClient's timeout and our deadline) rejects with a TimeoutError.
  if (name === 'TimeoutError' || name === 'AbortError' || /^(TimeoutError|AbortError)\b/.test(message))
    return 'request_timeout';
  // undici reports "fetch failed" with the errno (ECONNREFUSED, ENOTFOUND...) on its cause.
  return text(field(error, 'cause'), 'code') ?? text(error, 'code') ?? 'network_error';
}

function describe(error: unknown): string {
  const parts = [text(error, 'message') ?? String(error), text(field(error, 'cause'), 'code')];
  return parts.filter((part) => part !== undefined).join(': ');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function text(value: unknown, key: string): string | undefined {
  const found = field(value, key);
  return typeof found === 'string' ? found : undefined;
}
