import { type ExemptionRequest } from '../ledger-records';
import { type KeySubject } from '../decisions';
import { type KeyRef } from '../interactive/key-ref';
import { type RotationCheck } from '../interactive/rotation-check';
import { type AccountRef } from '../model';
import { type SlackMessage } from '../slack-message';
import { exemptionDecisionButtons } from './buttons';
import { type MessageParts, renderMessage } from './compose';
import { type MessageContext } from './context';
import { escapeMrkdwn, mention, plural, utcTimestamp } from './format';
import { accountLabel } from './key-facts';
import { deadlineRun } from './moments';

/**
 * What the enforcer answers when someone presses one of its buttons (issue 11 item 3): to the
 * presser, to the key's owner, and in the key's thread, where every action taken from Slack is
 * posted (SPEC §8). Pure, like every other message.
 */

/** The key in words: "access key AKIA… of IAM user alice in prod (111122223333)". */
function keyWords(ref: KeyRef, account: AccountRef): string {
  return `access key ${ref.accessKeyId} of IAM user ${escapeMrkdwn(ref.userName)} in ${accountLabel(account)}`;
}

function small(title: string, headline: string, ctx: MessageContext, notes: string[] = []): SlackMessage {
  return renderMessage({ title, headline, notes }, ctx);
}

/** Shown only to the presser (`chat.postEphemeral`): why nothing was done. */
export function refusalMessage(reason: string, ctx: MessageContext): SlackMessage {
  return small('Not done', `Nothing was done: ${reason}.`, ctx);
}

/** Something went wrong on our side; the presser may try again. */
export function failureMessage(what: string, ctx: MessageContext): SlackMessage {
  return small('Not done', `${what} did not work this time: please try again in a few minutes.`, ctx);
}

function stillDueNotes(stillDue: readonly KeySubject[], ctx: MessageContext): string[] {
  return stillDue.map(
    (subject) =>
      `Access key ${subject.key.accessKeyId} of the same user is ${plural(subject.ageDays, 'day')} old and ` +
      (subject.deactivates === false
        ? 'due for rotation too.'
        : `will be deactivated by ${deadlineRun(subject, ctx)} unless rotated.`),
  );
}

/** The answer to "I've rotated – check now", in the owner's DM. */
export function rotationAnswer(
  check: RotationCheck,
  ref: KeyRef,
  account: AccountRef,
  ctx: MessageContext,
): SlackMessage {
  if (check.kind === 'rotated') {
    const state = check.how === 'deleted' ? 'deleted' : 'inactive';
    return small(
      'Thanks for rotating',
      `Thanks: ${keyWords(ref, account)} is ${state} now, so nothing more will happen about it.`,
      ctx,
      stillDueNotes(check.stillDue, ctx),
    );
  }
  const { subject } = check;
  const next =
    subject.deactivates === false
      ? 'Its user class is not deactivated by policy, but please rotate it.'
      : `It will be deactivated by ${deadlineRun(subject, ctx)} unless it is rotated first.`;
  return small(
    'Still active',
    `${capitalised(keyWords(ref, account))} is still Active (${plural(subject.ageDays, 'day')} old). ${next}`,
    ctx,
    [
      'Once everything uses the new key, deactivate this one, then press "I\'ve rotated – check now" again.',
      ...stillDueNotes(check.stillDue, ctx),
    ],
  );
}

/** The same answer as a reply in the key's thread. */
export function rotationThreadReply(
  check: RotationCheck,
  pressedBy: string,
  ctx: MessageContext,
): SlackMessage {
  const who = `${mention(pressedBy)} pressed "I've rotated – check now"`;
  if (check.kind === 'rotated')
    return small(
      'Rotation checked',
      `${who}: the key is ${check.how === 'deleted' ? 'deleted' : 'inactive'} now. Done.`,
      ctx,
    );
  const { subject } = check;
  const next =
    subject.deactivates === false
      ? 'not deactivated by policy'
      : `deactivation by ${deadlineRun(subject, ctx)}`;
  return small('Rotation checked', `${who}: the key is still Active; ${next}.`, ctx);
}

/** The request for more time, in the key's thread, with Approve / Deny for the approvers. */
export function exemptionRequestMessage(
  ref: KeyRef,
  account: AccountRef,
  request: ExemptionRequest,
  approvers: string,
  ctx: MessageContext,
): SlackMessage {
  const parts: MessageParts = {
    title: `Request for more time: ${ref.accessKeyId}`,
    headline:
      `${mention(request.requestedBy)} asks that ${keyWords(ref, account)} is not deactivated ` +
      `through ${request.until}.`,
    facts: [[{ label: 'Reason', value: escapeMrkdwn(request.reason) }]],
    notes: [
      `Approvers: ${approvers}. An approved exemption counts like the exemption tag and ends on its date.`,
    ],
    actions: exemptionDecisionButtons(ref),
  };
  return renderMessage(parts, ctx);
}

/** The request once decided: the same words, the decision instead of the buttons. */
export function exemptionDecidedMessage(
  ref: KeyRef,
  account: AccountRef,
  request: ExemptionRequest,
  ctx: MessageContext,
): SlackMessage {
  const decided = request.status === 'approved' ? 'Approved' : 'Denied';
  return renderMessage(
    {
      title: `Request for more time: ${ref.accessKeyId} (${decided.toLowerCase()})`,
      headline:
        `${mention(request.requestedBy)} asked that ${keyWords(ref, account)} is not deactivated ` +
        `through ${request.until}.`,
      facts: [[{ label: 'Reason', value: escapeMrkdwn(request.reason) }]],
      notes: [
        `${decided} by ${mention(request.decidedBy ?? '')}` +
          (request.decidedAt === undefined ? '.' : ` at ${utcTimestamp(new Date(request.decidedAt))}.`),
      ],
    },
    ctx,
  );
}

/** The decision, as a thread reply and as a DM to the owner who asked. */
export function exemptionDecisionNotice(
  ref: KeyRef,
  account: AccountRef,
  request: ExemptionRequest,
  subject: KeySubject | undefined,
  ctx: MessageContext,
): SlackMessage {
  if (request.status === 'approved') {
    const after = subject
      ? ` After it, the key is deactivated by ${deadlineRun(subject, ctx)} unless rotated.`
      : '';
    return small(
      'More time approved',
      `${mention(request.decidedBy ?? '')} approved more time for ${keyWords(ref, account)}: it is not ` +
        `deactivated through ${request.until}.${after}`,
      ctx,
      ['Reminders continue meanwhile; the exemption is in the ledger and in `scan`.'],
    );
  }
  return small(
    'More time denied',
    `${mention(request.decidedBy ?? '')} denied more time for ${keyWords(ref, account)}.` +
      (subject ? ` It is deactivated by ${deadlineRun(subject, ctx)} unless rotated first.` : ''),
    ctx,
  );
}

/** To the owner who asked: where the request went. */
export function exemptionRequestedNotice(
  ref: KeyRef,
  account: AccountRef,
  request: ExemptionRequest,
  ctx: MessageContext,
): SlackMessage {
  return small(
    'Request sent',
    `Your request to keep ${keyWords(ref, account)} active through ${request.until} went to the approvers ` +
      'in the infra channel. You will hear here when one of them decides.',
    ctx,
  );
}

/** "It was me", as a reply in the new-key alert's thread. */
export function newKeyConfirmedReply(ref: KeyRef, pressedBy: string, ctx: MessageContext): SlackMessage {
  return small(
    'New key confirmed',
    `${mention(pressedBy)}, the owner of IAM user ${escapeMrkdwn(ref.userName)}, confirmed creating access key ${ref.accessKeyId}.`,
    ctx,
  );
}

/** "Not me – deactivate", done: in the thread, and to the owner when someone else asked. */
export function newKeyDeactivatedNotice(
  ref: KeyRef,
  account: AccountRef,
  pressedBy: string,
  as: 'owner' | 'approver',
  ctx: MessageContext,
): SlackMessage {
  const asked = as === 'owner' ? 'its owner' : 'an approver';
  return small(
    'Key deactivated on request',
    `${capitalised(keyWords(ref, account))} was set Inactive at the request of ${mention(pressedBy)} (${asked}), ` +
      'who said it was not theirs.',
    ctx,
    [
      'Check CloudTrail for what the key did. If it turns out to be needed, create a new key rather than ' +
        're-activating this one: the enforcer deactivates a re-activated key again.',
    ],
  );
}

/** "Not me" on a key that is no longer active: nothing to do. */
export function alreadyInactiveNotice(ref: KeyRef, account: AccountRef, ctx: MessageContext): SlackMessage {
  return small('Nothing to do', `${capitalised(keyWords(ref, account))} is not active (any more).`, ctx);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
