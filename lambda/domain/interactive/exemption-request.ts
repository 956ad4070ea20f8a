import { addDays, tryParseUtcDate } from '../dates';

/** Longest reason kept: it goes into a channel message and the audit trail. */
export const MAX_REASON_CHARS = 500;

export type RequestCheck =
  | { readonly ok: true; readonly until: string; readonly reason: string }
  /** Errors by modal field, as Slack shows them under each input (`response_action: errors`). */
  | { readonly ok: false; readonly errors: { readonly reason?: string; readonly until?: string } };

/**
 * A request for more time, as the owner submits it and again when an approver approves it: a
 * reason, and a last day from today to at most `maxDays` ahead (`policy.maxExemptionDays`, the
 * tag's own limit), so no exemption approved in Slack outlasts what a tag may say.
 */
export function checkExemptionRequest(
  input: { readonly reason?: string | undefined; readonly until?: string | undefined },
  today: string,
  maxDays: number,
): RequestCheck {
  const errors: { reason?: string; until?: string } = {};
  const reason = (input.reason ?? '').trim();
  if (reason === '') errors.reason = 'Say why the key needs more time.';
  else if (reason.length > MAX_REASON_CHARS) errors.reason = `At most ${MAX_REASON_CHARS} characters.`;
  const until = input.until ?? '';
  const latest = addDays(today, maxDays);
  if (!tryParseUtcDate(until)) errors.until = 'Pick a date.';
  else if (until < today) errors.until = `Pick today (${today}) or a later day.`;
  else if (until > latest) errors.until = `At most ${maxDays} days ahead: ${latest} or earlier.`;
  if (errors.reason !== undefined || errors.until !== undefined) return { ok: false, errors };
  return { ok: true, until, reason };
}
