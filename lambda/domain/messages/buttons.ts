import { type KeySubject } from '../decisions';
import { ACTION, encodeKeyRef, type KeyRef } from '../interactive/key-ref';
import { type ButtonElement, type PlainText } from '../slack-message';
import { type MessageContext } from './context';

function plain(text: string): PlainText {
  return { type: 'plain_text', text };
}

/** Buttons only where the endpoint answers them, and never on a dry run's messages. */
export function showsButtons(ctx: MessageContext): boolean {
  return ctx.interactive === true && ctx.dryRun !== true;
}

export function keyRefOf(subject: KeySubject): KeyRef {
  return {
    accountId: subject.account.id,
    userName: subject.userName,
    accessKeyId: subject.key.accessKeyId,
  };
}

/**
 * On a reminder to the owner: check now, or ask for more time. No "more time" for a key whose
 * class is never deactivated: it has no deadline to move.
 */
export function reminderButtons(subject: KeySubject): ButtonElement[] {
  const value = encodeKeyRef(keyRefOf(subject));
  return [
    {
      type: 'button',
      action_id: ACTION.rotated,
      text: plain("I've rotated – check now"),
      value,
      style: 'primary',
    },
    ...(subject.deactivates === false
      ? []
      : [{ type: 'button' as const, action_id: ACTION.moreTime, text: plain('Ask for more time'), value }]),
  ];
}

/** On a new-key alert: the owner says it was them, or the owner or an approver deactivates it. */
export function newKeyButtons(ref: KeyRef): ButtonElement[] {
  const value = encodeKeyRef(ref);
  return [
    { type: 'button', action_id: ACTION.newKeyMine, text: plain('It was me'), value, style: 'primary' },
    {
      type: 'button',
      action_id: ACTION.newKeyNotMine,
      text: plain('Not me – deactivate'),
      value,
      style: 'danger',
      // Deactivating breaks whatever uses the key: Slack asks once more before sending the click.
      confirm: {
        title: plain('Deactivate this key?'),
        text: {
          type: 'mrkdwn',
          text: `Access key ${ref.accessKeyId} of IAM user ${ref.userName} will be set Inactive now. Anything using it stops working; it can be re-activated in IAM.`,
        },
        confirm: plain('Deactivate'),
        deny: plain('Cancel'),
        style: 'danger',
      },
    },
  ];
}

/** On a request for more time, in the key's thread: for the configured approvers only. */
export function exemptionDecisionButtons(ref: KeyRef): ButtonElement[] {
  const value = encodeKeyRef(ref);
  return [
    { type: 'button', action_id: ACTION.approveExemption, text: plain('Approve'), value, style: 'primary' },
    { type: 'button', action_id: ACTION.denyExemption, text: plain('Deny'), value, style: 'danger' },
  ];
}
