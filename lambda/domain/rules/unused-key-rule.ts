import { wholeDaysBetween } from '../dates';
import { keyLastUse } from './rule-facts';
import { findingId, type RuleFinding } from './rule-finding';
import { type AccountRuleContext } from './rule-context';

/**
 * Unused keys are the cheapest to remove: an active key never used `neverUsedAfterDays` after its
 * creation, or last used `unusedForDays` or more ago. The advice is the exact delete command; the
 * enforcer itself cannot delete (it has no such permission), so deleting stays a human decision.
 * A key whose last use is unknown (no report row, last use not fetched) is not judged.
 */
export function unusedKeyFindings(ctx: AccountRuleContext): RuleFinding[] {
  const { neverUsedAfterDays, unusedForDays } = ctx.rules.unusedKeys;
  const findings: RuleFinding[] = [];
  for (const { user, owner } of ctx.users) {
    for (const key of user.keys) {
      if (key.status !== 'Active') continue;
      const lastUse = keyLastUse(key, user.report);
      if (lastUse === undefined) continue;
      const age = wholeDaysBetween(key.createDate, ctx.now);
      let summary: string;
      if (lastUse === null) {
        if (age < neverUsedAfterDays) continue;
        summary = `key ${key.accessKeyId} of ${user.userName} is active and has never been used in ${age} days`;
      } else {
        const idle = wholeDaysBetween(lastUse, ctx.now);
        if (idle < unusedForDays) continue;
        summary = `key ${key.accessKeyId} of ${user.userName} is active and was last used ${idle} days ago (${lastUse.toISOString().slice(0, 10)})`;
      }
      findings.push({
        id: findingId('unused-key', ctx.account.id, user.userName, key.accessKeyId),
        rule: 'unused-key',
        account: ctx.account,
        userName: user.userName,
        accessKeyId: key.accessKeyId,
        owner,
        summary,
        advice: 'If nothing needs this key, delete it (the enforcer never deletes keys):',
        command: deleteKeyCommand(user.userName, key.accessKeyId),
      });
    }
  }
  return findings;
}

/** The exact command, quoted for a POSIX shell when the user name needs it. */
export function deleteKeyCommand(userName: string, accessKeyId: string): string {
  const user = /^[A-Za-z0-9_.@+=,-]+$/.test(userName) ? userName : `'${userName.replace(/'/g, `'\\''`)}'`;
  return `aws iam delete-access-key --user-name ${user} --access-key-id ${accessKeyId}`;
}
