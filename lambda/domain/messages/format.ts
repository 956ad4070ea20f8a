import { type Block, type TextObject } from '../slack-message';

/** Slack refuses section text longer than this. */
export const SECTION_TEXT_LIMIT = 3000;
/** Slack refuses more blocks than this in one message. */
export const MAX_BLOCKS = 50;
/** Slack refuses a section with more fields than this, or a field longer than the next. */
const MAX_FIELDS = 10;
const FIELD_TEXT_LIMIT = 2000;
const HEADER_TEXT_LIMIT = 150;
/** Room kept at the end of a packed chunk for the "and N more" line. */
const MORE_RESERVE = 40;

const MRKDWN_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const SLACK_MEMBER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Escapes `&`, `<` and `>` as Slack's mrkdwn requires, so that a tag value such as `<!channel>`
 * is shown as text instead of notifying everyone.
 */
export function escapeMrkdwn(value: string): string {
  return value.replace(/[&<>]/g, (char) => MRKDWN_ESCAPES[char] ?? char);
}

/** `<@U123>` for a well-formed member id; anything else is shown escaped, never as a mention. */
export function mention(slackId: string): string {
  return SLACK_MEMBER_ID.test(slackId) ? `<@${slackId}>` : escapeMrkdwn(slackId);
}

/** A Slack link; `|` would end the URL part early, so it is percent-encoded. */
export function link(url: string, label: string): string {
  return `<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(label)}>`;
}

/** "1 day", "2 days". */
export function plural(count: number, unit: string): string {
  return `${count} ${unit}${Math.abs(count) === 1 ? '' : 's'}`;
}

/** How far away a deadline is, e.g. "15 days left", "today", "3 days ago". */
export function daysLeftPhrase(daysLeft: number): string {
  if (daysLeft > 0) return `${plural(daysLeft, 'day')} left`;
  if (daysLeft === 0) return 'today';
  return `${plural(-daysLeft, 'day')} ago`;
}

/** ISO 8601 in UTC without milliseconds, e.g. `2025-06-01T08:15:00Z`. */
export function utcTimestamp(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "a, b, c and 4 more", kept under `maxChars`. Items must already be escaped. */
export function joinCapped(items: readonly string[], maxChars: number): string {
  let shown = '';
  let count = 0;
  for (const item of items) {
    const next = shown === '' ? item : `${shown}, ${item}`;
    if (next.length > maxChars - MORE_RESERVE) break;
    shown = next;
    count += 1;
  }
  const omitted = items.length - count;
  if (omitted === 0) return shown;
  return shown === '' ? `${omitted} (too long to list)` : `${shown} and ${omitted} more`;
}

/**
 * Packs lines into at most `maxChunks` strings of at most `maxChars` each, ending with
 * "and N more" when lines had to be left out, so long lists never break Slack's limits.
 */
export function packLines(lines: readonly string[], maxChars: number, maxChunks: number): string[] {
  const budget = maxChars - MORE_RESERVE;
  const chunks: string[] = [];
  let current = '';
  let used = 0;
  for (const raw of lines) {
    const line = truncate(raw, budget);
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (candidate.length <= budget) {
      current = candidate;
    } else if (chunks.length + 1 < maxChunks) {
      chunks.push(current);
      current = line;
    } else {
      break;
    }
    used += 1;
  }
  const omitted = lines.length - used;
  if (omitted > 0) current = current === '' ? `and ${omitted} more` : `${current}\nand ${omitted} more`;
  if (current !== '') chunks.push(current);
  return chunks;
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Header text is plain_text: shown verbatim, so it must never contain user input. */
export function headerBlock(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, HEADER_TEXT_LIMIT) } };
}

/** A mrkdwn section, cut to Slack's 3000-character limit as a last resort. */
export function sectionBlock(mrkdwn: string): Block {
  return { type: 'section', text: mrkdwnText(truncate(mrkdwn, SECTION_TEXT_LIMIT)) };
}

/** One or more sections of two-column fields (Slack allows ten per section). */
export function fieldBlocks(fields: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let start = 0; start < fields.length; start += MAX_FIELDS) {
    const group = fields.slice(start, start + MAX_FIELDS);
    blocks.push({
      type: 'section',
      fields: group.map((field) => mrkdwnText(truncate(field, FIELD_TEXT_LIMIT))),
    });
  }
  return blocks;
}

/** Small grey footer text. */
export function contextBlock(mrkdwn: string): Block {
  return { type: 'context', elements: [mrkdwnText(truncate(mrkdwn, SECTION_TEXT_LIMIT))] };
}

/** A horizontal rule before instructions. */
export const DIVIDER: Block = { type: 'divider' };

function mrkdwnText(text: string): TextObject {
  return { type: 'mrkdwn', text };
}
