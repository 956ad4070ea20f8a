import { type RuleFinding, type RuleId } from '../rules/rule-finding';
import { type SlackMessage } from '../slack-message';
import { renderMessage } from './compose';
import { type MessageContext } from './context';
import { escapeMrkdwn } from './format';
import { accountLabel } from './key-facts';

const TITLES: Readonly<Record<RuleId, string>> = {
  'mfa-missing': 'MFA device missing',
  'password-age': 'Console password overdue for rotation',
  'password-policy': 'Password policy does not expire passwords',
  'duplicate-person': 'One person, several IAM users',
  'unused-key': 'Unused access key',
};

/**
 * The owner's DM about one rule finding (issue 10 item 1). It says plainly that nothing will be
 * deactivated for it: the rules only report and remind.
 */
export function ruleFindingMessage(
  finding: RuleFinding,
  reminder: boolean,
  ctx: MessageContext,
): SlackMessage {
  const title = reminder ? `Reminder: ${TITLES[finding.rule]}` : TITLES[finding.rule];
  return renderMessage(
    {
      title,
      headline: `${escapeMrkdwn(finding.summary)} (${accountLabel(finding.account)}).`,
      facts: [
        [
          { label: 'Account', value: accountLabel(finding.account) },
          ...(finding.userName ? [{ label: 'IAM user', value: escapeMrkdwn(finding.userName) }] : []),
          ...(finding.accessKeyId ? [{ label: 'Key', value: finding.accessKeyId, code: true }] : []),
        ],
      ],
      notes: [
        escapeMrkdwn(finding.advice),
        ...(finding.command ? [`\`${escapeMrkdwn(finding.command)}\``] : []),
        'Nothing is deactivated for this finding; it is a team rule the enforcer reports.',
      ],
    },
    ctx,
  );
}
