import {
  type DeactivateDecision,
  type DeactivationNoticeRetryDecision,
  type FinalNoticeDecision,
  type KeySubject,
  type RemindDecision,
  type ThanksDecision,
} from '../decisions';
import { type SlackMessage } from '../slack-message';
import { type MessageParts, renderMessage } from './compose';
import { type DmOutcome, type MessageContext, type WithHistory } from './context';
import { escapeMrkdwn } from './format';
import { accountLabel, deactivatedFacts, subjectFacts } from './key-facts';
import { deadlineRun } from './moments';

type OwnerDecision =
  | RemindDecision
  | FinalNoticeDecision
  | DeactivateDecision
  | DeactivationNoticeRetryDecision
  | ThanksDecision;

/**
 * The parent of a key's thread in the infra channel (issue 11 item 2): the key's state as of its
 * latest notice, rewritten with `chat.update` each time; the notices themselves are the replies.
 * It never mentions the owner: a reply does, where the DM could not reach them, and an edit would
 * not notify anyone anyway.
 */
export function keyThreadParent(
  decision: WithHistory<OwnerDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): SlackMessage {
  return renderMessage(parentParts(decision, ctx, dm), ctx);
}

function parentParts(decision: WithHistory<OwnerDecision>, ctx: MessageContext, dm: DmOutcome): MessageParts {
  const { subject } = decision;
  const done = decision.kind !== 'remind' && decision.kind !== 'final-notice';
  const facts = done ? deactivatedFacts(subject, ctx, ctx.today) : subjectFacts(subject, ctx);
  return {
    title: `Access key ${subject.key.accessKeyId}`,
    headline:
      `*${escapeMrkdwn(subject.owner.displayName)}* · IAM user ${escapeMrkdwn(subject.userName)} ` +
      `in ${accountLabel(subject.account)}: ${stateOf(decision)}`,
    facts: [
      ...(decision.kind === 'thanks' ? facts.slice(0, 1) : facts),
      [
        { label: 'Next step', value: nextStep(decision, ctx) },
        { label: 'Latest notice to owner', value: ownerDelivery(dm) },
      ],
    ],
    notes: ['Every notice about this key is in this thread; this message shows where it stands now.'],
  };
}

function stateOf(decision: OwnerDecision): string {
  switch (decision.kind) {
    case 'remind':
      return `reminded at ${decision.milestone} days`;
    case 'final-notice':
      return 'final notice sent';
    case 'deactivate':
      return decision.reason === 'reactivated' ? 're-activated, deactivated again' : 'deactivated';
    case 'deactivation-notice-retry':
      return 'deactivated (late notice sent)';
    case 'thanks':
      return decision.how === 'deleted' ? 'deleted by its owner: done' : 'deactivated by its owner: done';
  }
}

function nextStep(decision: OwnerDecision, ctx: MessageContext): string {
  if (decision.kind === 'thanks') return 'none';
  if (decision.kind === 'remind' || decision.kind === 'final-notice') return rotateBy(decision.subject, ctx);
  return 'the owner creates a new key if one is still needed; re-activating this one is undone';
}

function rotateBy(subject: KeySubject, ctx: MessageContext): string {
  if (subject.deactivates === false) return 'rotate the key (it is not deactivated by policy)';
  return `rotate the key before it is deactivated at ${deadlineRun(subject, ctx)}`;
}

function ownerDelivery(dm: DmOutcome): string {
  switch (dm.status) {
    case 'sent':
      return 'delivered by DM';
    case 'unreachable':
      return `not delivered: DM refused (${escapeMrkdwn(dm.code)}); the reply mentions the owner`;
    case 'not-attempted':
      return 'no DM possible: the reply in this thread is the only notice';
  }
}
