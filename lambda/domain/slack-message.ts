/**
 * The subset of Slack Block Kit the enforcer emits. Declared here (not imported from
 * `@slack/web-api`) so the domain stays free of I/O packages; the shapes are structurally
 * compatible with Slack's `KnownBlock`.
 */
export interface TextObject {
  readonly type: 'mrkdwn' | 'plain_text';
  readonly text: string;
}

export type PlainText = TextObject & { readonly type: 'plain_text' };

/** Slack's confirmation dialog, shown before a destructive button's action is sent. */
export interface ConfirmDialog {
  readonly title: PlainText;
  readonly text: TextObject;
  readonly confirm: PlainText;
  readonly deny: PlainText;
  readonly style?: 'danger' | 'primary';
}

/** A Block Kit button (issue 11 item 3): `value` names the key, never who may press it. */
export interface ButtonElement {
  readonly type: 'button';
  readonly action_id: string;
  readonly text: PlainText;
  readonly value: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmDialog;
}

export type Block =
  | { readonly type: 'header'; readonly text: PlainText }
  | { readonly type: 'section'; readonly text?: TextObject; readonly fields?: readonly TextObject[] }
  | { readonly type: 'context'; readonly elements: readonly TextObject[] }
  | { readonly type: 'divider' }
  | { readonly type: 'actions'; readonly block_id?: string; readonly elements: readonly ButtonElement[] };

/** A message ready to post: Block Kit plus the plain `text` fallback shown in notifications. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}
