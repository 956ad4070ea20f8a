import { type AccountRef, type Owner } from '../model';
import { type RealtimeNewKey } from '../realtime-event';
import { type SlackMessage } from '../slack-message';
import { type MessageParts, renderMessage } from './compose';
import { newKeyButtons, showsButtons } from './buttons';
import { type MessageContext } from './context';
import { escapeMrkdwn, mention, utcTimestamp } from './format';
import { accountLabel } from './key-facts';

/**
 * A user agent is the caller's to choose and can be long; the alert shows enough to recognise a
 * tool (console, CLI, an SDK) and leaves the rest to CloudTrail.
 */
const USER_AGENT_CHARS = 200;
const CALLER_FIELD_CHARS = 300;

/**
 * The real-time alert for a key that was just created (SPEC §4): the daily new-key alert's facts
 * plus who created it, from where and with what, and a warning when the creator was not the key's
 * own user. Every value from the event is escaped: the user agent and the session name in the ARN
 * are the caller's to choose, and must not become a `<!channel>` or a link.
 */
export function realtimeNewKeyMessage(
  event: RealtimeNewKey,
  account: AccountRef,
  ctx: MessageContext,
  owner: RealtimeOwner = { kind: 'not-read' },
): SlackMessage {
  return renderMessage(realtimeNewKeyParts(event, account, owner, showsButtons(ctx)), ctx);
}

/**
 * Who owns the key's IAM user, from its tags read through the member role at the time of the alert
 * (issue 11): the person to ask "was this you?". Reading can fail; the alert goes out regardless.
 */
export type RealtimeOwner =
  | { readonly kind: 'known'; readonly owner: Owner }
  | { readonly kind: 'unreadable'; readonly detail: string }
  | { readonly kind: 'not-read' };

function realtimeNewKeyParts(
  event: RealtimeNewKey,
  account: AccountRef,
  owner: RealtimeOwner,
  buttons: boolean,
): MessageParts {
  const user = escapeMrkdwn(event.userName);
  const keyId = escapeMrkdwn(event.key.accessKeyId);
  const creator = creatorLabel(event);
  const deactivate = `aws iam update-access-key --user-name ${user} --access-key-id ${keyId} --status Inactive`;
  return {
    title: event.createdBySomeoneElse ? 'New access key, created by someone else' : 'New access key',
    headline: `New access key ${keyId} for IAM user ${user} in ${accountLabel(account)}, created by ${creator}.`,
    facts: [
      [
        { label: 'Created by', value: creator, code: event.creator.arn !== undefined },
        { label: 'Owner', value: ownerValue(owner) },
      ],
      [{ label: 'Caller type', value: shown(event.creator.type, CALLER_FIELD_CHARS) }],
      [
        { label: 'Source IP', value: shown(event.sourceIp, CALLER_FIELD_CHARS) },
        { label: 'User agent', value: shown(event.userAgent, USER_AGENT_CHARS) },
      ],
      [
        { label: 'Access key', value: keyId, code: true },
        { label: 'Created (UTC)', value: utcTimestamp(event.key.createDate) },
      ],
    ],
    notes: [
      ...(event.createdBySomeoneElse
        ? [
            `:warning: The creator is not ${user} itself: check with the owner of ${user} that they ` +
              'expected a new key, and that it reached them rather than someone else.',
          ]
        : []),
      ...askOwner(owner),
      'Please confirm a colleague created it; if nobody did, deactivate it and investigate:',
      `\`\`\`${deactivate}\`\`\``,
    ],
    ...(buttons
      ? {
          actions: newKeyButtons({
            accountId: account.id,
            userName: event.userName,
            accessKeyId: event.key.accessKeyId,
          }),
        }
      : {}),
  };
}

function ownerValue(owner: RealtimeOwner): string {
  switch (owner.kind) {
    case 'known':
      return owner.owner.slackId
        ? `${escapeMrkdwn(owner.owner.displayName)} (${mention(owner.owner.slackId)})`
        : `${escapeMrkdwn(owner.owner.displayName)} (owner unknown: no usable slack-id tag)`;
    case 'unreadable':
      return "could not read the user's tags";
    case 'not-read':
      return 'not known yet (the daily run reads the tags)';
  }
}

/** The owner is mentioned here, once, because only they can say whether the key is theirs. */
function askOwner(owner: RealtimeOwner): string[] {
  if (owner.kind === 'unreadable')
    return [`The owner could not be looked up: ${escapeMrkdwn(owner.detail)}.`];
  if (owner.kind !== 'known' || !owner.owner.slackId) return [];
  return [`${mention(owner.owner.slackId)}, did you create this key? If not, say so here at once.`];
}

/** The principal ARN when CloudTrail gives one, else the caller's type and name. */
function creatorLabel(event: RealtimeNewKey): string {
  const { arn, type, userName } = event.creator;
  if (arn !== undefined) return shown(arn, CALLER_FIELD_CHARS);
  return shown(userName === undefined ? type : `${type} ${userName}`, CALLER_FIELD_CHARS);
}

/** Escaped and cut to `max` characters; "unknown" when the event did not say. */
function shown(value: string | undefined, max: number): string {
  if (value === undefined || value.trim() === '') return 'unknown';
  // Backticks would close the inline code a value may be shown in; they carry no meaning here.
  const plain = value.replace(/`/g, "'");
  return escapeMrkdwn(plain.length <= max ? plain : `${plain.slice(0, max - 1)}…`);
}
