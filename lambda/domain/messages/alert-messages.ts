import { daysFromTo, utcDate } from '../dates';
import {
  type BaselineDecision,
  type BreakerTrip,
  type NewKeyDecision,
  type SecondKeyDecision,
} from '../decisions';
import { type AccessKeyInfo } from '../model';
import { type MessageParts } from './compose';
import { keyRefOf, newKeyButtons, showsButtons } from './buttons';
import { type MessageContext, type WithHistory } from './context';
import { escapeMrkdwn, joinCapped, plural, utcTimestamp } from './format';
import { accountLabel, dmNotes, ownerLabel } from './key-facts';
import { deadlineRun } from './moments';

/** Name lists in the baseline stay short: the digest and the problems list carry the details. */
const NAME_LIST_CHARS = 1200;

/** A key nobody was told about: a human should confirm a colleague created it (SPEC §4). */
export function newKeyChannel(decision: WithHistory<NewKeyDecision>, ctx: MessageContext): MessageParts {
  const { subject } = decision;
  const user = escapeMrkdwn(subject.userName);
  const activeCount = decision.otherActiveKeys.length + 1;
  const others =
    decision.otherActiveKeys.length === 0
      ? []
      : [`${user} now has ${activeCount} active keys (also ${decision.otherActiveKeys.join(', ')}).`];
  return {
    title: 'New access key',
    headline: `New access key ${subject.key.accessKeyId} for IAM user ${user} in ${accountLabel(subject.account)}.`,
    facts: [
      [
        { label: 'Owner', value: ownerLabel(subject.owner) },
        { label: 'Created (UTC)', value: utcTimestamp(subject.key.createDate) },
      ],
    ],
    notes: [
      'Please confirm a colleague created it; if nobody did, deactivate it and investigate.',
      ...others,
      ...ownerUnknownNote(decision),
      ...lifetimeNote(decision, ctx),
    ],
    ...(showsButtons(ctx) ? { actions: newKeyButtons(keyRefOf(subject)) } : {}),
  };
}

function ownerUnknownNote(decision: WithHistory<NewKeyDecision>): string[] {
  return decision.subject.owner.userClass === 'unknown'
    ? dmNotes(decision.subject.owner, { status: 'not-attempted' }, decision.history)
    : [];
}

/** What will happen to the key if nobody rotates it, so the alert is also its schedule. */
function lifetimeNote(decision: NewKeyDecision, ctx: MessageContext): string[] {
  const { subject } = decision;
  const days = ctx.policy.remindAtDays.join(', ');
  if (subject.deactivates === false)
    return [`Reminders at ${days} days old; this user class is not deactivated by policy.`];
  return [
    `Reminders at ${days} days old; unless rotated, it will be deactivated by ${deadlineRun(subject, ctx)}.`,
  ];
}

/** Calendar days since creation: the decision carries no ages for these keys, only dates. */
function keyLine(key: AccessKeyInfo, flagged: readonly string[], ctx: MessageContext): string {
  const created = utcDate(key.createDate);
  const age = plural(daysFromTo(created, ctx.today), 'day');
  const mark = flagged.includes(key.accessKeyId) ? ' (newly flagged)' : '';
  return `${key.accessKeyId}: created ${created}, ${age} old${mark}`;
}

/** Check first, then deactivate, in separate blocks: pasting one never runs the other (issue 11). */
function retireOldest(user: string, oldest: string, newest: string): string[] {
  return [
    '1. Check that the newest key is in use (LastUsedDate after the switch):',
    `\`\`\`aws iam get-access-key-last-used --access-key-id ${newest}\`\`\``,
    '2. Only then deactivate the oldest one:',
    `\`\`\`aws iam update-access-key --user-name ${user} --access-key-id ${oldest} --status Inactive\`\`\``,
  ];
}

/** More than one active key on a user; each newly flagged key is marked. */
export function secondKeyChannel(decision: SecondKeyDecision, ctx: MessageContext): MessageParts {
  const user = escapeMrkdwn(decision.userName);
  const keys = [...decision.activeKeys].sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
  const oldest = keys[0]?.accessKeyId ?? '';
  return {
    title: 'More than one active access key',
    headline:
      `${ownerLabel(decision.owner)} has ${keys.length} active access keys on IAM user ${user} in ` +
      `${accountLabel(decision.account)}; the rule is at most one active key.`,
    notes: [
      ...keys.map((key) => keyLine(key, decision.keysToFlag, ctx)),
      ...retireOldest(user, oldest, keys[keys.length - 1]?.accessKeyId ?? ''),
    ],
  };
}

/** One summary for an account's first scan instead of an alert per existing key (SPEC §4). */
export function baselineChannel(decision: BaselineDecision, ctx: MessageContext): MessageParts {
  const names = (users: readonly string[]) => joinCapped(users.map(escapeMrkdwn), NAME_LIST_CHARS);
  const notes = [
    'Existing keys were recorded without alerts; from now on every new key in this account is alerted.',
    ...(decision.keysPastDeadline > 0
      ? [
          `Keys past the deadline get a final notice with a new deadline ` +
            `${plural(ctx.policy.minimumNoticeDays, 'day')} away, not an immediate deactivation.`,
        ]
      : []),
    ...(decision.ownerUnknownUsers.length > 0
      ? [
          `owner unknown: tag these users (${decision.ownerUnknownUsers.length}): ${names(decision.ownerUnknownUsers)}`,
        ]
      : []),
    ...(decision.secondKeyUsers.length > 0
      ? [`More than one active key (${decision.secondKeyUsers.length}): ${names(decision.secondKeyUsers)}`]
      : []),
  ];
  return {
    title: 'First scan of an account',
    headline: `First scan of ${accountLabel(decision.account)}: ${plural(decision.users, 'user')}, ${plural(decision.keys, 'key')}.`,
    facts: [
      [
        { label: 'Users', value: String(decision.users) },
        { label: 'Keys', value: `${decision.keys} (${decision.activeKeys} active)` },
      ],
      [
        { label: 'Due soon', value: String(decision.keysDueSoon) },
        { label: 'Past the deadline', value: String(decision.keysPastDeadline) },
      ],
    ],
    notes,
  };
}

/** Every withheld key, then what to do: the breaker guards against mass outages (SPEC §2). */
export function breakerChannel(trip: BreakerTrip): MessageParts {
  const count = trip.withheld.length;
  const lines = trip.withheld.map(({ subject }) =>
    [
      subject.key.accessKeyId,
      `IAM user ${escapeMrkdwn(subject.userName)}`,
      accountLabel(subject.account),
      `${plural(subject.ageDays, 'day')} old`,
      `owner ${ownerLabel(subject.owner)}`,
    ].join(' · '),
  );
  return {
    title: 'Circuit breaker: no keys deactivated',
    headline:
      `Circuit breaker tripped: this run would have deactivated ${plural(count, 'key')}, more than the ` +
      `limit of ${trip.limit}, so it deactivated none.`,
    lists: [{ title: `Withheld deactivations (${count})`, lines, maxSections: 40 }],
    notes: [
      'How to proceed: check that this is expected (first deployment, a newly watched account) and not ' +
        'a clock or ledger error.',
      `If it is expected, allow it for one run only: invoke the function with ` +
        `\`{"maxDeactivations": ${count}}\` or run \`access-key-enforcer run --max-deactivations ${count}\` ` +
        '(preview with `--dry-run` first); the configured limit stays as it is. Or have the owners rotate by hand.',
      'Until then reminders continue, nothing is deactivated, and the breaker trips again at each run.',
    ],
  };
}
