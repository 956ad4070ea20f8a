/**
 * Removes every occurrence of the bot token (raw and URL-encoded) from text that may be surfaced in a
 * result, a log line or an error. SPEC §7: the token never appears in logs or errors. Slack does not
 * echo tokens in error text today; this keeps that true if a proxy, a stand-in or a future API does.
 */
export function redactToken(text: string, token: string): string {
  if (token === '') return text;
  return [token, encodeURIComponent(token)].reduce((out, form) => out.split(form).join('[redacted]'), text);
}
