import { type KeySubject } from '../decisions';
import { type AccountRef, type Owner } from '../model';
import { type Fact } from './compose';
import { type DmOutcome, type KeyHistory, type MessageContext } from './context';
import { daysLeftPhrase, escapeMrkdwn, mention, plural } from './format';
import { ageInstant, runMoment } from './moments';

export { recoveryHelp, rotationHelp } from './rotation-help';

/** "prod (111122223333)", or just the id when the account has no name of its own. */
export function accountLabel(account: AccountRef): string {
  return account.name === account.id ? account.id : `${escapeMrkdwn(account.name)} (${account.id})`;
}

/**
 * The owner's name in the channel. A mention only where it is the owner's notice: an owner who got
 * the DM is not pinged a second time by its mirror (issue 11).
 */
export function ownerLabel(owner: Owner, dm?: DmOutcome): string {
  const name = escapeMrkdwn(owner.displayName);
  const machine = owner.userClass === 'machine' ? `machine user ${name}` : name;
  if (owner.slackId && dm?.status !== 'sent') return `${machine} (${mention(owner.slackId)})`;
  return owner.userClass === 'unknown' ? `${name} (owner unknown)` : machine;
}

/** The owner as named in their own DM: no mention of themselves. */
export function personName(owner: Owner): string {
  return escapeMrkdwn(owner.displayName);
}

/**
 * "Hi Alice Example, your AWS access key AKIA…". A machine user's DM reaches the person or team in
 * its slack-id tag, so it is addressed to them, never to the machine (issue 11).
 */
export function opening(subject: KeySubject): string {
  const { owner, key } = subject;
  return owner.userClass === 'machine'
    ? `To the owner of machine user ${personName(owner)}: its AWS access key ${key.accessKeyId}`
    : `Hi ${personName(owner)}, your AWS access key ${key.accessKeyId}`;
}

/** The deadline as a fact: when the run that acts happens, or that nothing happens. */
function deadlineFact(subject: KeySubject, ctx: MessageContext): Fact {
  // Issue 8 item 5: a class that is never deactivated has no deadline on which something happens.
  if (subject.deactivates === false)
    return { label: 'Deactivation', value: 'none (not deactivated by policy)' };
  return {
    label: 'Deactivation run',
    value: `${runMoment(subject.deadline, ctx)}, ${daysLeftPhrase(subject.daysLeft)}`,
  };
}

/** Two rows: where, then what and when. The headline names the person. */
export function subjectFacts(subject: KeySubject, ctx: MessageContext): Fact[][] {
  const turns = subject.deactivates === false ? undefined : ageInstant(subject);
  return [
    [
      { label: 'IAM user', value: escapeMrkdwn(subject.userName) },
      { label: 'Account', value: accountLabel(subject.account) },
    ],
    [
      { label: 'Access key', value: subject.key.accessKeyId, code: true },
      { label: 'Age', value: plural(subject.ageDays, 'day') },
      ...(turns
        ? [
            {
              label: `${subject.ageDays >= ctx.policy.deactivateAtDays ? 'Turned' : 'Turns'} ${ctx.policy.deactivateAtDays} days`,
              value: turns,
            },
          ]
        : []),
      deadlineFact(subject, ctx),
    ],
  ];
}

/** Facts of a key already deactivated: the run that did it, not a deadline "N days ago". */
export function deactivatedFacts(subject: KeySubject, ctx: MessageContext, on: string): Fact[][] {
  const turns = ageInstant(subject);
  return [
    [
      { label: 'IAM user', value: escapeMrkdwn(subject.userName) },
      { label: 'Account', value: accountLabel(subject.account) },
    ],
    [
      { label: 'Access key', value: subject.key.accessKeyId, code: true },
      { label: 'Age', value: plural(subject.ageDays, 'day') },
      ...(turns ? [{ label: `Turned ${ctx.policy.deactivateAtDays} days`, value: turns }] : []),
      { label: 'Deactivated', value: on },
    ],
  ];
}

function hasProblem(history: KeyHistory | undefined, code: string): boolean {
  return history?.problems?.some((problem) => problem.code === code) ?? false;
}

/**
 * What to fix when nobody can be told: a missing `slack-id` and a malformed one need different
 * fixes (issue 11). Without the user's problems, an engineer-typed unknown owner can only have one
 * of the two, so both are named.
 */
function ownerUnknownNote(owner: Owner, history: KeyHistory | undefined): string {
  const example = 'a Slack member id like U0123ABCD';
  if (hasProblem(history, 'invalid-slack-id')) {
    return `owner unknown: the slack-id tag on this user is not ${example}; correct it.`;
  }
  if (hasProblem(history, 'missing-slack-id')) {
    return `owner unknown: this ${escapeMrkdwn(owner.declaredType ?? 'engineer')} user has no slack-id tag; add one (${example}).`;
  }
  if (owner.declaredType === undefined) {
    return `owner unknown: tag this user with type (engineer or machine) and slack-id (${example}).`;
  }
  if (owner.declaredType.trim().toLowerCase() === 'engineer') {
    return `owner unknown: the slack-id tag on this engineer user is missing or is not ${example}; fix it.`;
  }
  return (
    `owner unknown: tag this user with type and slack-id (type tag is "${escapeMrkdwn(owner.declaredType)}", ` +
    'which is neither engineer nor machine).'
  );
}

/** What the channel should know about the owner's DM (SPEC §3 table, §5 unreachable owners). */
export function dmNotes(owner: Owner, dm: DmOutcome, history?: KeyHistory): string[] {
  const notes: string[] = [];
  if (dm.status === 'sent') notes.push('The owner got this by DM.');
  if (dm.status === 'unreachable') {
    notes.push(`could not reach owner (${escapeMrkdwn(dm.code)}), so this post is the only notice.`);
  }
  if (owner.userClass === 'unknown') {
    notes.push(ownerUnknownNote(owner, history));
  } else if (!owner.slackId) {
    const tag = hasProblem(history, 'invalid-slack-id') ? 'valid slack-id tag' : 'slack-id tag';
    notes.push(`No ${tag} on this ${owner.userClass} user, so no DM: this post is the only notice.`);
  }
  return notes;
}

/**
 * Milestones marked done without a message. "Missed runs" is only said when known: on a key's first
 * sight (first deployment, a newly watched account) those reminders were never due to anyone.
 */
export function skippedNote(skipped: readonly number[], history?: KeyHistory): string[] {
  if (skipped.length === 0) return [];
  const one = skipped.length === 1;
  const reminders = `${one ? 'reminder' : 'reminders'} for ${dayList(skipped)}`;
  if (history?.firstSeenToday === true) {
    return [
      `First sight of this key: the ${reminders} ${one ? 'was' : 'were'} already past, so this post replaces ${one ? 'it' : 'them'}.`,
    ];
  }
  if (history?.firstSeenToday === false) return [`Catch-up after missed runs: ${reminders} skipped.`];
  return [
    `The ${reminders} ${one ? 'was' : 'were'} not sent (missed runs, or the key was first seen after then); ` +
      `this post replaces ${one ? 'it' : 'them'}.`,
  ];
}

/** "day 76", "days 81 and 86", "days 76, 81 and 86". */
function dayList(days: readonly number[]): string {
  if (days.length === 1) return `day ${days[0]}`;
  return `days ${days.slice(0, -1).join(', ')} and ${days[days.length - 1]}`;
}
