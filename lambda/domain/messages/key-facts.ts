import { type KeySubject } from '../decisions';
import { type AccountRef, type Owner } from '../model';
import { type Fact, type Help } from './compose';
import { type DmOutcome, type MessageContext } from './context';
import { daysLeftPhrase, escapeMrkdwn, link, mention, plural } from './format';

/** "prod (111122223333)", or just the id when the account has no name of its own. */
export function accountLabel(account: AccountRef): string {
  return account.name === account.id ? account.id : `${escapeMrkdwn(account.name)} (${account.id})`;
}

/** The owner's name, with a mention when they have a Slack id (channel messages only). */
export function ownerLabel(owner: Owner): string {
  const name = escapeMrkdwn(owner.displayName);
  if (owner.slackId) return `${name} (${mention(owner.slackId)})`;
  return owner.userClass === 'unknown' ? `${name} (owner unknown)` : name;
}

/** The owner as named in their own DM: no mention of themselves. */
export function personName(owner: Owner): string {
  return escapeMrkdwn(owner.displayName);
}

/** "Hi Alice Example" in DMs: the display name is the full-name tag or the IAM user name. */
export function greeting(owner: Owner): string {
  return `Hi ${personName(owner)}`;
}

/** "2025-06-16 (UTC), 15 days left". */
export function deadlinePhrase(subject: KeySubject): string {
  return `${subject.deadline} (UTC), ${daysLeftPhrase(subject.daysLeft)}`;
}

/** Two rows: where, then what and when. The headline names the person. */
export function subjectFacts(subject: KeySubject): Fact[][] {
  return [
    [
      { label: 'IAM user', value: escapeMrkdwn(subject.userName) },
      { label: 'Account', value: accountLabel(subject.account) },
    ],
    [
      { label: 'Access key', value: subject.key.accessKeyId, code: true },
      { label: 'Age', value: plural(subject.ageDays, 'day') },
      // Issue 8 item 5: a class that is never deactivated has no deadline on which something happens.
      subject.deactivates === false
        ? { label: 'Deadline', value: 'none (not deactivated by policy)' }
        : { label: 'Deadline', value: deadlinePhrase(subject) },
    ],
  ];
}

/**
 * The profile hint may name the account or user (`<account-name>`, `<account-id>`, `<user-name>`),
 * so the command can be copied as is; other placeholders such as `<profile>` are left for the reader.
 */
function awsVaultProfile(subject: KeySubject, ctx: MessageContext): string {
  return ctx.rotation.awsVaultProfileHint
    .replace(/<account-name>/g, subject.account.name)
    .replace(/<account-id>/g, subject.account.id)
    .replace(/<user-name>/g, subject.userName);
}

/**
 * How to rotate an active key. The old key is deactivated, not deleted, first: a deactivated key
 * can be switched back on if something still needed it; a deleted one is gone (SPEC §3).
 */
export function rotationHelp(subject: KeySubject, ctx: MessageContext): Help {
  const user = escapeMrkdwn(subject.userName);
  const keyId = escapeMrkdwn(subject.key.accessKeyId);
  const vault = `aws-vault rotate ${escapeMrkdwn(awsVaultProfile(subject, ctx))}`;
  const create = `aws iam create-access-key --user-name ${user}`;
  const deactivate = `aws iam update-access-key --user-name ${user} --access-key-id ${keyId} --status Inactive`;
  const afterwards = 'Delete the old key only once you have confirmed nothing uses it.';
  const guide = escapeMrkdwn(ctx.rotation.docsUrl);
  return {
    mrkdwn: [
      '*How to rotate*',
      `\`${vault}\``,
      'or with the AWS CLI: create a new key, switch your tools to it, then deactivate the old one:',
      `\`\`\`${create}\n${deactivate}\`\`\``,
      `${afterwards} ${link(ctx.rotation.docsUrl, 'Rotation guide')}`,
    ].join('\n'),
    lines: [
      `Rotate: ${vault}`,
      `Or with the AWS CLI: ${create}, switch your tools to the new key, then ${deactivate}. ${afterwards}`,
      `Guide: ${guide}`,
    ],
  };
}

/** How to get going again after a deactivation; the old key can no longer create its successor. */
export function recoveryHelp(subject: KeySubject, ctx: MessageContext): Help {
  const create = `aws iam create-access-key --user-name ${escapeMrkdwn(subject.userName)}`;
  const steps =
    'create a new key (in the IAM console, or with other credentials: ' +
    `${create}) and switch your tools to it; delete the old key once nothing needs it.`;
  const noReactivate =
    'Re-activating the old key does not help: it is past its deadline and is deactivated again at the next run.';
  return {
    mrkdwn: [
      '*How to get going again*',
      `Create a new key (in the IAM console, or with other credentials: \`${create}\`) and switch your tools to it; delete the old key once nothing needs it.`,
      `${noReactivate} ${link(ctx.rotation.docsUrl, 'Rotation guide')}`,
    ].join('\n'),
    lines: [`To get going again: ${steps}`, noReactivate, `Guide: ${escapeMrkdwn(ctx.rotation.docsUrl)}`],
  };
}

/** What the channel should know about the owner's DM (SPEC §3 table, §5 unreachable owners). */
export function dmNotes(owner: Owner, dm: DmOutcome): string[] {
  const notes: string[] = [];
  if (dm.status === 'sent' && owner.slackId) notes.push(`DM sent to ${mention(owner.slackId)}.`);
  if (dm.status === 'unreachable') {
    notes.push(`could not reach owner (${escapeMrkdwn(dm.code)}), so this post is the only notice.`);
  }
  if (owner.userClass === 'unknown') {
    const declared = owner.declaredType ? ` (type tag is "${escapeMrkdwn(owner.declaredType)}")` : '';
    notes.push(`owner unknown: tag this user with type and slack-id${declared}.`);
  } else if (!owner.slackId) {
    notes.push(`No slack-id tag on this ${owner.userClass} user, so no DM: this post is the only notice.`);
  }
  return notes;
}

/** Missed runs are caught up with one message; the channel hears which reminders were dropped. */
export function skippedNote(skipped: readonly number[]): string[] {
  if (skipped.length === 0) return [];
  const days = skipped.map((day) => `day ${day}`).join(', ');
  return [
    `Catch-up after missed runs: ${skipped.length === 1 ? 'reminder' : 'reminders'} for ${days} skipped.`,
  ];
}
