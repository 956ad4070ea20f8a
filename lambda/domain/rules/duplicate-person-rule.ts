import { findingId, type RuleFinding } from './rule-finding';
import { type AccountRuleContext, isEngineer } from './rule-context';

/**
 * Each engineer has one IAM user and assumes roles from it: the same `slack-id` on engineer users
 * in several accounts, or on several users of one account, is a finding on each of those users.
 * Machine users carry their owner's `slack-id` by design and are left out.
 */
export function duplicatePersonFindings(accounts: readonly AccountRuleContext[]): RuleFinding[] {
  const bySlackId = new Map<string, { ctx: AccountRuleContext; userName: string }[]>();
  for (const ctx of accounts) {
    for (const { user, owner } of ctx.users) {
      if (!isEngineer(owner) || owner.slackId === undefined) continue;
      const list = bySlackId.get(owner.slackId) ?? [];
      list.push({ ctx, userName: user.userName });
      bySlackId.set(owner.slackId, list);
    }
  }
  const findings: RuleFinding[] = [];
  for (const [slackId, users] of bySlackId) {
    if (users.length < 2) continue;
    const all = users.map((u) => `${u.ctx.account.name}/${u.userName}`);
    for (const { ctx, userName } of users) {
      const owned = ctx.users.find((u) => u.user.userName === userName);
      findings.push({
        id: findingId('duplicate-person', ctx.account.id, userName),
        rule: 'duplicate-person',
        account: ctx.account,
        userName,
        ...(owned ? { owner: owned.owner } : {}),
        summary: `Slack member ${slackId} has ${users.length} IAM users: ${all.join(', ')}`,
        advice: 'Keep one IAM user per person and assume roles into the other accounts; remove the others.',
      });
    }
  }
  return findings;
}
