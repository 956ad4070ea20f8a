import { type Block, type SlackMessage } from '../../lambda/domain/slack-message';

/**
 * Block Kit drawn as Slack draws it, closely enough for a README picture: the messages are the
 * product's real ones, only the chrome around them is imitated. Not a general mrkdwn renderer:
 * it covers what our builders emit (bold, italic, code, code blocks, links, mentions, quotes).
 */

/** Display names for `<@U…>` mentions, as Slack would resolve them. */
export type MentionNames = ReadonlyMap<string, string>;

export interface DrawnMessage {
  readonly message: SlackMessage;
  /** e.g. "08:00". */
  readonly time: string;
}

export interface ThreadPicture {
  readonly channelName: string;
  readonly parent: DrawnMessage;
  readonly replies: readonly DrawnMessage[];
}

export interface DmPicture {
  readonly recipientName: string;
  readonly messages: readonly DrawnMessage[];
}

const APP_NAME = 'access-key-enforcer';

export function dmPage(picture: DmPicture, names: MentionNames): string {
  const body = picture.messages.map((drawn) => messageHtml(drawn, names)).join('\n');
  return page(
    `<div class="pane-title">${escapeHtml(APP_NAME)} <span class="muted">· direct message to ${escapeHtml(picture.recipientName)}</span></div>${body}`,
  );
}

export function threadPage(picture: ThreadPicture, names: MentionNames): string {
  const replies = picture.replies.map((drawn) => messageHtml(drawn, names)).join('\n');
  const count = picture.replies.length;
  return page(
    `<div class="pane-title">Thread <span class="muted">· #${escapeHtml(picture.channelName)}</span></div>` +
      messageHtml(picture.parent, names) +
      `<div class="replies-rule"><span>${count} ${count === 1 ? 'reply' : 'replies'}</span></div>` +
      replies,
  );
}

function messageHtml(drawn: DrawnMessage, names: MentionNames): string {
  const blocks = drawn.message.blocks.map((block) => blockHtml(block, names)).join('\n');
  return (
    `<div class="message"><div class="avatar">🔑</div><div class="content">` +
    `<div class="byline"><b>${APP_NAME}</b> <span class="app">APP</span> <span class="muted">${escapeHtml(drawn.time)}</span></div>` +
    `${blocks}</div></div>`
  );
}

function blockHtml(block: Block, names: MentionNames): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${escapeHtml(block.text.text)}</div>`;
    case 'section': {
      const text = block.text
        ? `<div class="section">${textHtml(block.text.text, block.text.type, names)}</div>`
        : '';
      const fields = block.fields
        ? `<div class="fields">${block.fields.map((field) => `<div>${textHtml(field.text, field.type, names)}</div>`).join('')}</div>`
        : '';
      return text + fields;
    }
    case 'context':
      return `<div class="context">${block.elements.map((element) => textHtml(element.text, element.type, names)).join(' ')}</div>`;
    case 'divider':
      return '<hr>';
    default:
      return actionsHtml(block);
  }
}

/** Buttons, when messages carry them (interactivity enabled): drawn from their labels only. */
function actionsHtml(block: unknown): string {
  const elements = (block as { elements?: unknown }).elements;
  if (!Array.isArray(elements)) return '';
  const labels = elements
    .map((element: unknown) => (element as { text?: { text?: unknown } }).text?.text)
    .filter((label): label is string => typeof label === 'string');
  return `<div class="actions">${labels.map((label) => `<span class="button">${escapeHtml(label)}</span>`).join('')}</div>`;
}

function textHtml(text: string, type: 'mrkdwn' | 'plain_text', names: MentionNames): string {
  return type === 'plain_text' ? escapeHtml(text).replaceAll('\n', '<br>') : mrkdwnHtml(text, names);
}

/** Slack's mrkdwn arrives with `&`, `<`, `>` already escaped as entities, as HTML needs them. */
export function mrkdwnHtml(text: string, names: MentionNames): string {
  const kept: string[] = [];
  const keep = (html: string): string => `\uE000${kept.push(html) - 1}\uE000`;
  let html = text
    .replace(/```\n?([\s\S]*?)```/g, (_m, code: string) => keep(`<pre>${code.replace(/\n$/, '')}</pre>`))
    .replace(/`([^`\n]+)`/g, (_m, code: string) => keep(`<code>${code}</code>`))
    .replace(/<@([UW][A-Z0-9]+)>/g, (_m, id: string) =>
      keep(`<span class="mention">@${escapeHtml(names.get(id) ?? id)}</span>`),
    )
    .replace(/<#(C[A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) =>
      keep(`<span class="mention">#${name ?? id}</span>`),
    )
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_m, _url: string, label: string) => keep(`<a>${label}</a>`))
    .replace(/<(https?:[^>]+)>/g, (_m, url: string) => keep(`<a>${url}</a>`));
  html = html
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/gm, '$1<b>$2</b>')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/gm, '$1<i>$2</i>')
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,:;!?])/gm, '$1<s>$2</s>')
    .replace(/^&gt; ?(.*)$/gm, '<span class="quote">$1</span>')
    .replaceAll('\n', '<br>');
  return html.replace(/\uE000(\d+)\uE000/g, (_m, index: string) => kept[Number(index)] ?? '');
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function page(body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font: 15px/1.47 "Noto Sans", "DejaVu Sans", sans-serif; color: #1d1c1d; }
main { width: 760px; padding: 8px 0 16px; }
.pane-title { font-weight: 700; font-size: 17px; padding: 10px 20px 12px; border-bottom: 1px solid #ddd; margin-bottom: 8px; }
.muted { color: #616061; font-weight: 400; font-size: 13px; }
.message { display: flex; padding: 8px 20px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #4a154b; color: #fff; font-size: 20px; display: flex; align-items: center; justify-content: center; flex: none; margin-right: 10px; }
.content { flex: 1; min-width: 0; }
.byline { margin-bottom: 2px; }
.app { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: 700; padding: 1px 3px; border-radius: 2px; }
.header { font-weight: 900; font-size: 18px; margin: 4px 0; }
.section { margin: 4px 0; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; margin: 4px 0; }
.context { color: #616061; font-size: 12px; margin: 4px 0; }
hr { border: 0; border-top: 1px solid #ddd; margin: 8px 0; }
pre { font: 12px/1.5 "DejaVu Sans Mono", monospace; background: #f8f8f8; border: 1px solid #ddd; border-radius: 4px; padding: 8px; margin: 4px 0; white-space: pre-wrap; word-break: break-all; }
code { font: 12px "DejaVu Sans Mono", monospace; color: #c01343; background: #f6f6f6; border: 1px solid #ddd; border-radius: 3px; padding: 0 3px; }
a { color: #1264a3; }
.mention { color: #1264a3; background: #e8f5fa; border-radius: 3px; padding: 0 2px; }
.quote { display: inline-block; border-left: 4px solid #ddd; padding-left: 8px; }
.replies-rule { display: flex; align-items: center; color: #616061; font-size: 13px; padding: 4px 20px; }
.replies-rule::after { content: ""; flex: 1; border-top: 1px solid #ddd; margin-left: 8px; }
.actions { margin: 8px 0 4px; }
.button { display: inline-block; border: 1px solid #bbb; border-radius: 4px; padding: 3px 12px; margin-right: 8px; font-weight: 700; font-size: 13px; }
</style></head><body><main>${body}</main></body></html>`;
}
