import { addDays, minDate } from '../dates';
import { type PlainText } from '../slack-message';
import { MAX_REASON_CHARS } from './exemption-request';
import { encodeKeyRef, type KeyRef, MORE_TIME_VIEW } from './key-ref';

/** Block and action ids of the modal's inputs; a submission's values are read by them. */
export const MORE_TIME_FIELDS = { reason: 'reason', until: 'until' } as const;

/** The subset of Slack's modal view the enforcer opens (`views.open`). */
export interface ModalView {
  readonly type: 'modal';
  readonly callback_id: string;
  readonly private_metadata: string;
  readonly title: PlainText;
  readonly submit: PlainText;
  readonly close: PlainText;
  readonly blocks: readonly unknown[];
}

function plain(text: string): PlainText {
  return { type: 'plain_text', text };
}

/**
 * "Ask for more time": a reason and a last day. The date picker cannot refuse a date, so the
 * latest one allowed is said in the hint and checked on submit (`checkExemptionRequest`). The
 * key travels in `private_metadata`, which Slack returns signed with the submission.
 */
export function moreTimeModal(ref: KeyRef, today: string, maxDays: number): ModalView {
  const latest = addDays(today, maxDays);
  return {
    type: 'modal',
    callback_id: MORE_TIME_VIEW,
    private_metadata: encodeKeyRef(ref),
    title: plain('Ask for more time'),
    submit: plain('Send to approvers'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `Access key *${ref.accessKeyId}* of IAM user ${ref.userName} (account ${ref.accountId}). An approver decides; until then the deadline stands.`,
        },
      },
      {
        type: 'input',
        block_id: MORE_TIME_FIELDS.reason,
        label: plain('Why does it need more time?'),
        element: {
          type: 'plain_text_input',
          action_id: MORE_TIME_FIELDS.reason,
          multiline: true,
          max_length: MAX_REASON_CHARS,
        },
      },
      {
        type: 'input',
        block_id: MORE_TIME_FIELDS.until,
        label: plain('Keep it active through'),
        hint: plain(`At most ${maxDays} days ahead: ${latest} or earlier.`),
        element: {
          type: 'datepicker',
          action_id: MORE_TIME_FIELDS.until,
          initial_date: minDate(addDays(today, 14), latest),
        },
      },
    ],
  };
}
