import { type KeySubject } from '../decisions';
import { type Help } from './compose';
import { type MessageContext } from './context';
import { escapeMrkdwn, link } from './format';

/** One command to copy. Each gets its own block so that pasting one never runs the next (issue 11). */
interface Step {
  readonly say: string;
  readonly command?: string;
}

const NEW_KEY = escapeMrkdwn('<NEW-KEY-ID>');

function commands(subject: KeySubject) {
  const user = escapeMrkdwn(subject.userName);
  const keyId = escapeMrkdwn(subject.key.accessKeyId);
  return {
    create: `aws iam create-access-key --user-name ${user}`,
    verify: `aws iam get-access-key-last-used --access-key-id ${NEW_KEY}`,
    deactivate: `aws iam update-access-key --user-name ${user} --access-key-id ${keyId} --status Inactive`,
  };
}

/**
 * Steps as numbered lines, each command in its own code block; plain lines for the text fallback.
 * `preface` is an alternative to all the steps (aws-vault does them in one command).
 */
function render(
  title: string,
  steps: readonly Step[],
  outro: string,
  ctx: MessageContext,
  preface?: Step,
): Help {
  const numbered = steps.map((step, i) => ({ ...step, say: `${i + 1}. ${step.say}` }));
  const alternative = preface ? 'Or with the AWS CLI, one step at a time:' : undefined;
  const block = (step: Step) => (step.command ? [`${step.say}:`, `\`\`\`${step.command}\`\`\``] : [step.say]);
  const line = (step: Step) => (step.command ? `${step.say}: ${step.command}` : step.say);
  return {
    mrkdwn: [
      `*${title}*`,
      ...(preface ? [...block(preface), alternative] : []),
      ...numbered.flatMap(block),
      `${outro} ${link(ctx.rotation.docsUrl, 'Rotation guide')}`,
    ].join('\n'),
    lines: [
      `${title}:`,
      ...(preface && alternative ? [line(preface), alternative] : []),
      ...numbered.map(line),
      outro,
      `Guide: ${escapeMrkdwn(ctx.rotation.docsUrl)}`,
    ],
  };
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

const KEEP_OLD = 'Delete the old key only once you have confirmed nothing uses it.';
const VERIFY_SAY = `Check that the new key is in use: LastUsedDate is set after you switched (use the new key's id)`;

/**
 * How a person rotates their own key. The old key is deactivated, not deleted: a deactivated key can
 * be switched back on if something still needed it; a deleted one is gone (SPEC §3).
 */
function engineerRotation(subject: KeySubject, ctx: MessageContext): Help {
  const vault = `aws-vault rotate ${escapeMrkdwn(awsVaultProfile(subject, ctx))}`;
  return render('How to rotate', cliSteps(subject), KEEP_OLD, ctx, {
    say: 'If you use aws-vault for this key, one command does it all',
    command: vault,
  });
}

function cliSteps(subject: KeySubject): Step[] {
  const cmd = commands(subject);
  return [
    { say: 'Create the new key', command: cmd.create },
    { say: 'Switch the tools and profiles that use this key to the new one' },
    { say: VERIFY_SAY, command: cmd.verify },
    { say: 'Only then deactivate the old key', command: cmd.deactivate },
  ];
}

/** For a key nobody is known to hold: whoever picks it up rotates it with the AWS CLI. */
function cliRotation(subject: KeySubject, ctx: MessageContext): Help {
  return render('How to rotate', cliSteps(subject), KEEP_OLD, ctx);
}

/**
 * A machine has no aws-vault of its own: `aws-vault rotate` would rotate the reader's key. Its key
 * lives in a secret or CI variable, which is the step people forget (issue 11).
 */
function machineRotation(subject: KeySubject, ctx: MessageContext): Help {
  const cmd = commands(subject);
  const user = escapeMrkdwn(subject.userName);
  return render(
    'How to rotate a machine user’s key',
    [
      { say: 'Create the new key', command: cmd.create },
      {
        say: `Update the secret where ${user} reads its key (Secrets Manager, SSM, CI variables), for example`,
        command: `aws secretsmanager put-secret-value --secret-id ${escapeMrkdwn('<SECRET-ID>')} --secret-string file://new-key.json`,
      },
      { say: VERIFY_SAY, command: cmd.verify },
      { say: 'Only then deactivate the old key', command: cmd.deactivate },
    ],
    KEEP_OLD,
    ctx,
  );
}

/**
 * How to rotate an active key, in the steps that fit who holds it. `aws-vault rotate` rotates the
 * reader's own key, so it is offered only to an engineer, reading about their own key.
 */
export function rotationHelp(subject: KeySubject, ctx: MessageContext): Help {
  switch (subject.owner.userClass) {
    case 'engineer':
      return engineerRotation(subject, ctx);
    case 'machine':
      return machineRotation(subject, ctx);
    case 'unknown':
      return cliRotation(subject, ctx);
  }
}

const NO_REACTIVATE =
  'Re-activating the old key does not help: it is past its deadline and is deactivated again at the next run.';

/** How to get going again after a deactivation; the old key can no longer create its successor. */
export function recoveryHelp(subject: KeySubject, ctx: MessageContext): Help {
  const cmd = commands(subject);
  const user = escapeMrkdwn(subject.userName);
  const machine = subject.owner.userClass === 'machine';
  return render(
    'How to get going again',
    [
      { say: 'Create a new key, in the IAM console or with other credentials', command: cmd.create },
      machine
        ? { say: `Update the secret where ${user} reads its key (Secrets Manager, SSM, CI variables)` }
        : { say: 'Switch your tools and profiles to the new key' },
      { say: VERIFY_SAY, command: cmd.verify },
    ],
    `${NO_REACTIVATE} ${KEEP_OLD}`,
    ctx,
  );
}
