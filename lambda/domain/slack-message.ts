/**
 * The subset of Slack Block Kit the enforcer emits. Declared here (not imported from
 * `@slack/web-api`) so the domain stays free of I/O packages; the shapes are structurally
 * compatible with Slack's `KnownBlock`.
 */
export interface TextObject {
  readonly type: 'mrkdwn' | 'plain_text';
  readonly text: string;
}

export type Block =
  | { readonly type: 'header'; readonly text: TextObject & { readonly type: 'plain_text' } }
  | { readonly type: 'section'; readonly text?: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] }
  | { readonly type: 'divider' };

/** A message ready to post: Block Kit plus the plain `text` fallback shown in notifications. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}
