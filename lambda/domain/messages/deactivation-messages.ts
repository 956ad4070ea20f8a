import {
  type DeactivateDecision,
  type DeactivationNoticeRetryDecision,
  type ThanksDecision,
} from '../decisions';
import { type MessageParts } from './compose';
import { type DmOutcome, type KeyHistory, type MessageContext, type WithHistory } from './context';
import { escapeMrkdwn, plural } from './format';
import {
  accountLabel,
  deactivatedFacts,
  dmNotes,
  opening,
  ownerLabel,
  personName,
  recoveryHelp,
  skippedNote,
} from './key-facts';
import { ageInstant, runMoment } from './moments';

const INACTIVE_NOT_DELETED = 'The key is set Inactive, not deleted.';
const LATE_NOTICE =
  'This notice is late: the key was deactivated in an earlier run, when nobody could be told.';

function deactivateTitle(decision: DeactivateDecision): string {
  return decision.reason === 'reactivated' ? 'Access key deactivated again' : 'Access key deactivated';
}

/**
 * Why today and not on the day the key turned 91 (issue 11: never a bare "14 days ago"). The
 * policy holds a deactivation back for an exemption, for minimum notice, or through a Slack outage;
 * it says which only through `history`.
 */
function whyToday(decision: DeactivateDecision, ctx: MessageContext, history?: KeyHistory): string[] {
  if (decision.reason === 'reactivated') return [];
  const ended = history?.exemptionEndedOn;
  if (ended !== undefined) {
    return [`The exemption on the IAM user ended on ${ended}, so today's run deactivated the key.`];
  }
  const turned = ageInstant(decision.subject);
  if (decision.subject.daysLeft >= 0 || turned === undefined) return [];
  return [
    `It turned ${ctx.policy.deactivateAtDays} days old on ${turned}; deactivation was held back until ` +
      'today by an exemption that has ended, the minimum notice after its last reminder, or a Slack outage.',
  ];
}

/** Why, in the owner's words: the deadline, or a re-activation of a key already deactivated. */
function ownerReason(decision: DeactivateDecision, ctx: MessageContext): string {
  const { subject } = decision;
  const when = `today's run, ${runMoment(ctx.today, ctx)}`;
  if (decision.reason === 'reactivated') {
    return (
      `had been deactivated for being past its rotation deadline and someone re-activated it, ` +
      `so ${when}, deactivated it again`
    );
  }
  return `was deactivated by ${when}; it is ${plural(subject.ageDays, 'day')} old`;
}

/** The owner's notice that their key was set Inactive, with how to get going again. */
export function deactivateOwner(
  decision: WithHistory<DeactivateDecision>,
  ctx: MessageContext,
): MessageParts {
  const { subject } = decision;
  return {
    title: deactivateTitle(decision),
    headline: `${opening(subject)} ${ownerReason(decision, ctx)}.`,
    facts: deactivatedFacts(subject, ctx, runMoment(ctx.today, ctx)),
    notes: [...whyToday(decision, ctx, decision.history), INACTIVE_NOT_DELETED],
    help: recoveryHelp(subject, ctx),
  };
}

/** The channel's notice of a deactivation; a re-activated key names its owner (SPEC §2). */
export function deactivateChannel(
  decision: WithHistory<DeactivateDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): MessageParts {
  const { subject } = decision;
  const key = `access key ${subject.key.accessKeyId} of ${ownerLabel(subject.owner, dm)}`;
  const headline =
    decision.reason === 'reactivated'
      ? `Deactivated again: ${key} had been deactivated by the enforcer and someone re-activated it.`
      : `Deactivated ${key} at ${plural(subject.ageDays, 'day')} old, in today's run.`;
  return {
    title: deactivateTitle(decision),
    headline,
    facts: deactivatedFacts(subject, ctx, runMoment(ctx.today, ctx)),
    notes: [
      ...whyToday(decision, ctx, decision.history),
      INACTIVE_NOT_DELETED,
      ...dmNotes(subject.owner, dm, decision.history),
      ...skippedNote(decision.skipped, decision.history),
    ],
  };
}

const LATE_NOTICE_CHANNEL = 'Nobody could be told at the time.';
const LATE_TITLE = 'Access key deactivated (late notice)';

/** The deactivation notice that could not be delivered in an earlier run. */
export function retryOwner(decision: DeactivationNoticeRetryDecision, ctx: MessageContext): MessageParts {
  const { subject } = decision;
  return {
    title: LATE_TITLE,
    headline:
      `${opening(subject)} was deactivated in an earlier run ` +
      `(${plural(subject.ageDays, 'day')} old now, past its rotation deadline).`,
    facts: deactivatedFacts(subject, ctx, 'in an earlier run'),
    notes: [LATE_NOTICE, INACTIVE_NOT_DELETED],
    help: recoveryHelp(subject, ctx),
  };
}

/** The channel copy of a late deactivation notice. */
export function retryChannel(
  decision: WithHistory<DeactivationNoticeRetryDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): MessageParts {
  const { subject } = decision;
  return {
    title: LATE_TITLE,
    headline:
      `Late notice: access key ${subject.key.accessKeyId} of ${ownerLabel(subject.owner, dm)} was ` +
      `deactivated in an earlier run.`,
    facts: deactivatedFacts(subject, ctx, 'in an earlier run'),
    notes: [LATE_NOTICE_CHANNEL, INACTIVE_NOT_DELETED, ...dmNotes(subject.owner, dm, decision.history)],
  };
}

function beforeDeadline(daysLeft: number): string {
  return daysLeft > 0 ? `, ${plural(daysLeft, 'day')} before the deadline` : '';
}

/** Short on purpose: the owner did the right thing and needs no instructions. */
export function thanksOwner(decision: ThanksDecision): MessageParts {
  const { subject } = decision;
  const user = escapeMrkdwn(subject.userName);
  const account = accountLabel(subject.account);
  const rest = `${beforeDeadline(subject.daysLeft)}. Nothing more to do.`;
  if (subject.owner.userClass === 'machine') {
    return {
      title: 'Thanks for rotating the access key',
      headline:
        `Thanks! The old AWS access key ${subject.key.accessKeyId} of machine user ${user} in ${account} ` +
        `was ${decision.how}${rest}`,
    };
  }
  return {
    title: 'Thanks for rotating your access key',
    headline:
      `Thanks, ${personName(subject.owner)}! You ${decision.how} your old AWS access key ` +
      `${subject.key.accessKeyId} (IAM user ${user} in ${account})${rest}`,
  };
}

/** The channel's "rotated" note. */
export function thanksChannel(decision: WithHistory<ThanksDecision>, dm: DmOutcome): MessageParts {
  const { subject } = decision;
  return {
    title: 'Access key rotated',
    headline:
      subject.owner.userClass === 'machine'
        ? `Rotated: old access key ${subject.key.accessKeyId} of ${ownerLabel(subject.owner, dm)} in ` +
          `${accountLabel(subject.account)} was ${decision.how} at ${plural(subject.ageDays, 'day')} old` +
          `${beforeDeadline(subject.daysLeft)}.`
        : `Rotated: ${ownerLabel(subject.owner, dm)} ${decision.how} old access key ${subject.key.accessKeyId} ` +
          `of IAM user ${escapeMrkdwn(subject.userName)} in ${accountLabel(subject.account)} at ` +
          `${plural(subject.ageDays, 'day')} old${beforeDeadline(subject.daysLeft)}.`,
    notes: dmNotes(subject.owner, dm, decision.history),
  };
}
