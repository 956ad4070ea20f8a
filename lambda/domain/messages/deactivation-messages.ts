import {
  type DeactivateDecision,
  type DeactivationNoticeRetryDecision,
  type ThanksDecision,
} from '../decisions';
import { type MessageParts } from './compose';
import { type DmOutcome, type MessageContext } from './context';
import { escapeMrkdwn, plural } from './format';
import {
  accountLabel,
  dmNotes,
  greeting,
  ownerLabel,
  personName,
  recoveryHelp,
  skippedNote,
  subjectFacts,
} from './key-facts';

const INACTIVE_NOT_DELETED = 'The key is set Inactive, not deleted.';
const LATE_NOTICE =
  'This notice is late: the key was deactivated in an earlier run, when nobody could be told.';

function deactivateTitle(decision: DeactivateDecision): string {
  return decision.reason === 'reactivated' ? 'Access key deactivated again' : 'Access key deactivated';
}

/** Why, in the owner's words: the deadline, or a re-activation of a key already deactivated. */
function ownerReason(decision: DeactivateDecision, ctx: MessageContext): string {
  const { subject } = decision;
  if (decision.reason === 'reactivated') {
    return (
      `had been deactivated for being past its rotation deadline and someone re-activated it, ` +
      `so it was deactivated again today (${ctx.today})`
    );
  }
  return `was deactivated today (${ctx.today}): it is ${plural(subject.ageDays, 'day')} old`;
}

/** The owner's notice that their key was set Inactive, with how to get going again. */
export function deactivateOwner(decision: DeactivateDecision, ctx: MessageContext): MessageParts {
  const { subject } = decision;
  return {
    title: deactivateTitle(decision),
    headline: `${greeting(subject.owner)}, your AWS access key ${subject.key.accessKeyId} ${ownerReason(decision, ctx)}.`,
    facts: subjectFacts(subject),
    notes: [INACTIVE_NOT_DELETED],
    help: recoveryHelp(subject, ctx),
  };
}

/** The channel's notice of a deactivation; a re-activated key names its owner (SPEC §2). */
export function deactivateChannel(decision: DeactivateDecision, dm: DmOutcome): MessageParts {
  const { subject } = decision;
  const key = `access key ${subject.key.accessKeyId} (owner ${ownerLabel(subject.owner)})`;
  const headline =
    decision.reason === 'reactivated'
      ? `Deactivated again: ${key} had been deactivated by the enforcer and someone re-activated it.`
      : `Deactivated ${key} at ${plural(subject.ageDays, 'day')} old.`;
  return {
    title: deactivateTitle(decision),
    headline,
    facts: subjectFacts(subject),
    notes: [INACTIVE_NOT_DELETED, ...dmNotes(subject.owner, dm), ...skippedNote(decision.skipped)],
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
      `${greeting(subject.owner)}, your AWS access key ${subject.key.accessKeyId} was deactivated ` +
      `(${plural(subject.ageDays, 'day')} old, past its rotation deadline).`,
    facts: subjectFacts(subject),
    notes: [LATE_NOTICE, INACTIVE_NOT_DELETED],
    help: recoveryHelp(subject, ctx),
  };
}

/** The channel copy of a late deactivation notice. */
export function retryChannel(decision: DeactivationNoticeRetryDecision, dm: DmOutcome): MessageParts {
  const { subject } = decision;
  return {
    title: LATE_TITLE,
    headline:
      `Late notice: access key ${subject.key.accessKeyId} (owner ${ownerLabel(subject.owner)}) was ` +
      `deactivated in an earlier run.`,
    facts: subjectFacts(subject),
    notes: [LATE_NOTICE_CHANNEL, INACTIVE_NOT_DELETED, ...dmNotes(subject.owner, dm)],
  };
}

function beforeDeadline(daysLeft: number): string {
  return daysLeft > 0 ? `, ${plural(daysLeft, 'day')} before the deadline` : '';
}

/** Short on purpose: the owner did the right thing and needs no instructions. */
export function thanksOwner(decision: ThanksDecision): MessageParts {
  const { subject } = decision;
  return {
    title: 'Thanks for rotating your access key',
    headline:
      `Thanks, ${personName(subject.owner)}! You ${decision.how} your old AWS access key ` +
      `${subject.key.accessKeyId} (IAM user ${escapeMrkdwn(subject.userName)} in ${accountLabel(subject.account)})` +
      `${beforeDeadline(subject.daysLeft)}. Nothing more to do.`,
  };
}

/** The channel's "rotated" note. */
export function thanksChannel(decision: ThanksDecision, dm: DmOutcome): MessageParts {
  const { subject } = decision;
  return {
    title: 'Access key rotated',
    headline:
      `Rotated: ${ownerLabel(subject.owner)} ${decision.how} old access key ${subject.key.accessKeyId} ` +
      `of IAM user ${escapeMrkdwn(subject.userName)} in ${accountLabel(subject.account)} at ` +
      `${plural(subject.ageDays, 'day')} old${beforeDeadline(subject.daysLeft)}.`,
    notes: dmNotes(subject.owner, dm),
  };
}
