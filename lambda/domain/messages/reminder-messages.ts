import { type FinalNoticeDecision, type RemindDecision, type Withheld } from '../decisions';
import { type Owner, type UserClass } from '../model';
import { type MessageParts } from './compose';
import { type DmOutcome, type MessageContext } from './context';
import { plural } from './format';
import {
  deadlinePhrase,
  dmNotes,
  greeting,
  ownerLabel,
  rotationHelp,
  skippedNote,
  subjectFacts,
} from './key-facts';

/** What the owner is asked to do, depending on how close the deadline is. */
function request(daysLeft: number): string {
  if (daysLeft > 0) return `please rotate it within ${plural(daysLeft, 'day')}`;
  if (daysLeft === 0) return 'please rotate it today';
  return 'it is past its rotation deadline: please rotate it';
}

const CLASS_NAMES: Readonly<Record<UserClass, string>> = {
  engineer: 'Engineer users',
  machine: 'Machine users',
  unknown: 'Users without a known owner',
};

/** Why the deadline will not bring a deactivation (SPEC §2 exemptions, §3 classes, minimum notice). */
function withheldNotes(decision: RemindDecision, owner: Owner): string[] {
  const notes: string[] = [];
  const exemptUntil = decision.exemptUntil ?? exemptionEnd(decision.withheld);
  if (exemptUntil) {
    notes.push(
      `Deactivation is paused until ${exemptUntil} by the exemption tag on the IAM user; reminders continue.`,
    );
  }
  if (decision.withheld?.reason === 'user-class') {
    notes.push(`${CLASS_NAMES[owner.userClass]} are not deactivated by policy; rotate it anyway.`);
  }
  return notes;
}

function exemptionEnd(withheld: Withheld | undefined): string | undefined {
  return withheld?.reason === 'exempt' ? withheld.until : undefined;
}

function remindTitle(decision: RemindDecision): string {
  return `Access key reminder (day ${decision.milestone}): ${deadlineWords(decision.subject.daysLeft)}`;
}

function deadlineWords(daysLeft: number): string {
  if (daysLeft > 0) return `${plural(daysLeft, 'day')} left`;
  return daysLeft === 0 ? 'deadline today' : 'past the deadline';
}

/** The owner's reminder at a milestone. */
export function remindOwner(decision: RemindDecision, ctx: MessageContext): MessageParts {
  const { subject } = decision;
  return {
    title: remindTitle(decision),
    headline:
      `${greeting(subject.owner)}, your AWS access key ${subject.key.accessKeyId} is ` +
      `${plural(subject.ageDays, 'day')} old: ${request(subject.daysLeft)}.`,
    facts: subjectFacts(subject),
    notes: withheldNotes(decision, subject.owner),
    help: rotationHelp(subject, ctx),
  };
}

/** The channel mirror of a reminder; carries rotation help when the owner did not get the DM. */
export function remindChannel(decision: RemindDecision, ctx: MessageContext, dm: DmOutcome): MessageParts {
  const { subject } = decision;
  return {
    title: remindTitle(decision),
    headline:
      `Reminder (day ${decision.milestone}) for ${ownerLabel(subject.owner)}: access key ` +
      `${subject.key.accessKeyId} is ${plural(subject.ageDays, 'day')} old.`,
    facts: subjectFacts(subject),
    notes: [
      ...dmNotes(subject.owner, dm),
      ...withheldNotes(decision, subject.owner),
      ...skippedNote(decision.skipped),
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
      `${greeting(subject.owner)}, your AWS access key ${subject.key.accessKeyId} is ` +
      `${plural(subject.ageDays, 'day')} old, past the ${ctx.policy.deactivateAtDays}-day limit: ` +
      `it will be deactivated on ${deadlinePhrase(subject)}, unless you rotate it first.`,
    facts: subjectFacts(subject),
    notes: [finalNoticeNote(ctx)],
    help: rotationHelp(subject, ctx),
  };
}

/** The channel mirror of a final notice; carries rotation help when the owner did not get the DM. */
export function finalNoticeChannel(
  decision: FinalNoticeDecision,
  ctx: MessageContext,
  dm: DmOutcome,
): MessageParts {
  const { subject } = decision;
  return {
    title: FINAL_TITLE,
    headline:
      `Final notice for ${ownerLabel(subject.owner)}: access key ${subject.key.accessKeyId} was first seen ` +
      `past its deadline at ${plural(subject.ageDays, 'day')} old; new deadline ${deadlinePhrase(subject)}.`,
    facts: subjectFacts(subject),
    notes: [...dmNotes(subject.owner, dm), finalNoticeNote(ctx), ...skippedNote(decision.skipped)],
    ...(dm.status === 'sent' ? {} : { help: rotationHelp(subject, ctx) }),
  };
}
