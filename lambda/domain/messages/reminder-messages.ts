import { type FinalNoticeDecision, type RemindDecision } from '../decisions';
import { type UserClass } from '../model';
import { type MessageParts } from './compose';
import { type DmOutcome, type MessageContext, type WithHistory } from './context';
import { reminderButtons, showsButtons } from './buttons';
import { plural } from './format';
import { dmNotes, opening, ownerLabel, rotationHelp, skippedNote, subjectFacts } from './key-facts';
import { deadlineRun, lateInDayNote } from './moments';

const CLASS_NAMES: Readonly<Record<UserClass, string>> = {
  engineer: 'Engineer users',
  machine: 'Machine users',
  unknown: 'Users without a known owner',
};

function exemptUntil(decision: RemindDecision): string | undefined {
  return (
    decision.exemptUntil ?? (decision.withheld?.reason === 'exempt' ? decision.withheld.until : undefined)
  );
}

/**
 * What happens, and when (issue 11): the run that deactivates the key, the exemption holding it
 * back and what follows it, or that the key's class is never deactivated.
 */
function consequence(decision: RemindDecision, ctx: MessageContext): string {
  const { subject } = decision;
  const until = exemptUntil(decision);
  if (neverDeactivated(decision)) {
    // Issue 8 item 5: no date is named, since nothing happens on it for this class.
    return (
      `Rotation is ${dueWords(subject.daysLeft)}. ${CLASS_NAMES[subject.owner.userClass]} are not ` +
      'deactivated by policy, so nothing happens automatically: please rotate it anyway.'
    );
  }
  if (until !== undefined) {
    return (
      `An exemption on the IAM user is in force until ${until}, so it is not deactivated before then. ` +
      `When the exemption ends, it will be deactivated by ${deadlineRun(subject, ctx)} unless it is rotated first.`
    );
  }
  if (subject.daysLeft < 0) {
    return `It is past its deactivation date (${subject.deadline}): any daily run may now deactivate it, so please rotate it today.`;
  }
  return `It will be deactivated by ${deadlineRun(subject, ctx)} unless it is rotated before then.`;
}

/** The class is never deactivated: the subject says so, or the policy withheld it for the class. */
function neverDeactivated(decision: RemindDecision): boolean {
  return decision.subject.deactivates === false || decision.withheld?.reason === 'user-class';
}

/** Notes beyond the headline: an exemption alongside a never-deactivated class, a late-in-day key. */
function notes(decision: RemindDecision, ctx: MessageContext): string[] {
  const until = exemptUntil(decision);
  if (neverDeactivated(decision)) {
    return until === undefined ? [] : [`An exemption on the IAM user is in force until ${until}.`];
  }
  return until === undefined ? lateInDayNote(decision.subject, ctx) : [];
}

/** The deactivation age is not a reminder day: a key reminded then is one the policy does not deactivate. */
function overdue(decision: RemindDecision, ctx: MessageContext): boolean {
  return decision.milestone >= ctx.policy.deactivateAtDays;
}

function remindTitle(decision: RemindDecision, ctx: MessageContext): string {
  const { subject } = decision;
  const until = exemptUntil(decision);
  if (overdue(decision, ctx)) {
    return until === undefined
      ? 'Overdue access key: not deactivated by policy'
      : `Overdue access key: exemption until ${until}`;
  }
  const lead = `Access key reminder (day ${decision.milestone})`;
  if (neverDeactivated(decision)) return `${lead}: rotation ${dueWords(subject.daysLeft)}`;
  if (until !== undefined) return `${lead}: exemption until ${until}`;
  return subject.daysLeft > 0
    ? `${lead}: deactivation in ${plural(subject.daysLeft, 'day')}`
    : `${lead}: deactivation today`;
}

function dueWords(daysLeft: number): string {
  if (daysLeft > 0) return `due in ${plural(daysLeft, 'day')}`;
  return daysLeft === 0 ? 'due today' : 'overdue';
}

/** The owner's reminder at a milestone. */
export function remindOwner(decision: WithHistory<RemindDecision>, ctx: MessageContext): MessageParts {
  const { subject } = decision;
  return {
    title: remindTitle(decision, ctx),
    headline: `${opening(subject)} is ${plural(subject.ageDays, 'day')} old. ` + consequence(decision, ctx),
    facts: subjectFacts(subject, ctx),
    notes: notes(decision, ctx),
    help: rotationHelp(subject, ctx),
    ...(showsButtons(ctx) ? { actions: reminderButtons(subject) } : {}),
  };
}

/** The channel mirror of a reminder; carries rotation help when the owner did not get the DM. */
export function remindChannel(
  decision: WithHistory<RemindDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): MessageParts {
  const { subject } = decision;
  const label = overdue(decision, ctx) ? 'Overdue, not deactivated' : `Reminder (day ${decision.milestone})`;
  return {
    title: remindTitle(decision, ctx),
    headline:
      `${label}: access key ${subject.key.accessKeyId} of ${ownerLabel(subject.owner, dm)} is ` +
      `${plural(subject.ageDays, 'day')} old. ${consequence(decision, ctx)}`,
    facts: subjectFacts(subject, ctx),
    notes: [
      ...notes(decision, ctx),
      ...dmNotes(subject.owner, dm, decision.history),
      ...skippedNote(decision.skipped, decision.history),
    ],
    ...(dm.status === 'sent' ? {} : { help: rotationHelp(subject, ctx) }),
  };
}

const FINAL_TITLE = 'Final notice: access key past its rotation deadline';

function finalNoticeNote(ctx: MessageContext): string {
  return (
    `The enforcer had not reminded anyone about this key before, so it gets a new deadline ` +
    `${plural(ctx.policy.minimumNoticeDays, 'day')} from today instead of being deactivated at once.`
  );
}

/** The last reminder for a key first seen past its deadline (SPEC §2 minimum notice). */
export function finalNoticeOwner(decision: FinalNoticeDecision, ctx: MessageContext): MessageParts {
  const { subject } = decision;
  return {
    title: FINAL_TITLE,
    headline:
      `${opening(subject)} is ${plural(subject.ageDays, 'day')} old, past the ` +
      `${ctx.policy.deactivateAtDays}-day limit: it will be deactivated by ${deadlineRun(subject, ctx)} ` +
      'unless it is rotated first.',
    facts: subjectFacts(subject, ctx),
    notes: [finalNoticeNote(ctx)],
    help: rotationHelp(subject, ctx),
    ...(showsButtons(ctx) ? { actions: reminderButtons(subject) } : {}),
  };
}

/** The channel mirror of a final notice; carries rotation help when the owner did not get the DM. */
export function finalNoticeChannel(
  decision: WithHistory<FinalNoticeDecision>,
  ctx: MessageContext,
  dm: DmOutcome,
): MessageParts {
  const { subject } = decision;
  return {
    title: FINAL_TITLE,
    headline:
      `Final notice for ${ownerLabel(subject.owner, dm)}: access key ${subject.key.accessKeyId} was first seen ` +
      `past its deadline at ${plural(subject.ageDays, 'day')} old; it will be deactivated by ${deadlineRun(subject, ctx)}.`,
    facts: subjectFacts(subject, ctx),
    notes: [
      ...dmNotes(subject.owner, dm, decision.history),
      finalNoticeNote(ctx),
      ...skippedNote(decision.skipped, decision.history),
    ],
    ...(dm.status === 'sent' ? {} : { help: rotationHelp(subject, ctx) }),
  };
}
