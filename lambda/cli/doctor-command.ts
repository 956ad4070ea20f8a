import { type EnforcerConfig } from '../config/schema';
import { decideAccount } from '../domain/account-policy';
import { errorMessage } from '../engine/execute-plan';
import { utcDate } from '../domain/dates';
import { type AccessKeyInfo, type AccountRef, type AccountScan } from '../domain/model';
import { accountFailure } from './account-failure';
import { type CliDeps } from './cli-deps';
import { ruleFindingChecks, rulesConfigChecks } from './doctor-rules';
import { EXIT, type ExitCode } from './cli-io';

type Verdict = 'ok' | 'warn' | 'fail';
const MARK: Record<Verdict, string> = { ok: '✔', warn: '!', fail: '✖' };

interface Check {
  readonly verdict: Verdict;
  readonly text: string;
  readonly fix?: string;
}

/**
 * `doctor`: checks a setup account by account and says how to fix what is wrong. It reads only:
 * no message is sent, no key is changed, nothing is recorded. Exit 1 when any check fails.
 */
export async function doctorCommand(config: EnforcerConfig, deps: CliDeps): Promise<ExitCode> {
  const sections: { title: string; checks: Check[] }[] = [];
  sections.push({
    title: 'Config',
    checks: [
      { verdict: 'ok', text: `valid: ${config.accounts.length} accounts, role ${config.memberRoleName}` },
    ],
  });
  sections.push({ title: 'Rules', checks: rulesConfigChecks(config) });
  sections.push({ title: 'Slack', checks: await slackChecks(config, deps) });
  const iam = deps.iam(config, { includeLastUsed: true });
  const scans: { account: AccountRef; scan: AccountScan }[] = [];
  for (const entry of config.accounts) {
    const account: AccountRef = { id: entry.id, name: entry.name ?? entry.id };
    sections.push({
      title: `Account ${account.name} (${account.id})`,
      checks: await accountChecks(account, config, iam, deps, scans),
    });
  }
  if (config.rules)
    sections.push({
      title: 'Rule findings',
      checks: await ruleFindingChecks(config, scans, iam, deps.clock.now()),
    });

  const lines: string[] = [];
  for (const section of sections) {
    lines.push(section.title);
    for (const check of section.checks) {
      lines.push(`  ${MARK[check.verdict]} ${check.text}`);
      if (check.fix) lines.push(`      fix: ${check.fix}`);
    }
  }
  const all = sections.flatMap((s) => s.checks);
  const failed = all.filter((c) => c.verdict === 'fail').length;
  const warned = all.filter((c) => c.verdict === 'warn').length;
  lines.push(
    '',
    failed ? `${failed} check(s) failed, ${warned} warning(s).` : `All checks passed, ${warned} warning(s).`,
  );
  deps.io.stdout(`${lines.join('\n')}\n`);
  return failed ? EXIT.failed : EXIT.ok;
}

async function slackChecks(config: EnforcerConfig, deps: CliDeps): Promise<Check[]> {
  const token = deps.env.SLACK_BOT_TOKEN;
  if (!token) {
    return [
      {
        verdict: 'warn',
        text: 'SLACK_BOT_TOKEN is not set: token and channel not checked',
        fix: 'export SLACK_BOT_TOKEN=xoxb-… (the value in the hub secret) and run doctor again',
      },
    ];
  }
  const probe = deps.slackProbe(token, config.slack.apiUrl);
  const auth = await probe.authTest();
  if (!auth.ok) {
    return [
      {
        verdict: 'fail',
        text: `token refused by Slack: ${auth.error ?? 'unknown'}`,
        fix: 'reinstall the Slack app and put its Bot User OAuth Token (xoxb-…) in the secret',
      },
    ];
  }
  const checks: Check[] = [{ verdict: 'ok', text: 'token valid (auth.test)' }];
  const channel = await probe.channelInfo(config.slack.infraChannel);
  if (channel.ok)
    checks.push({ verdict: 'ok', text: `infra channel ${config.slack.infraChannel} reachable` });
  else if (channel.error === 'missing_scope') {
    checks.push({
      verdict: 'warn',
      text: `infra channel ${config.slack.infraChannel} not verifiable without the channels:read scope (the enforcer does not need it)`,
      fix: 'make sure the bot is invited: /invite @Access Key Enforcer in the channel',
    });
  } else {
    checks.push({
      verdict: 'fail',
      text: `infra channel ${config.slack.infraChannel}: ${channel.error ?? 'unknown'}`,
      fix: 'check slack.infraChannel is the channel id (C…, from the channel details) and invite the bot',
    });
  }
  return checks;
}

async function accountChecks(
  account: AccountRef,
  config: EnforcerConfig,
  iam: ReturnType<CliDeps['iam']>,
  deps: CliDeps,
  scans: { account: AccountRef; scan: AccountScan }[],
): Promise<Check[]> {
  let scan;
  try {
    scan = await iam.readAccount(account);
    scans.push({ account, scan });
  } catch (error) {
    // The section title names the account; the error text keeps AWS's own wording.
    return [{ verdict: 'fail', text: errorMessage(error), fix: accountFailure(account, error, config).fix }];
  }
  const checks: Check[] = [
    {
      verdict: 'ok',
      text: `role ${config.memberRoleName} assumable; IAM reads permitted (${scan.users.length} users)`,
    },
  ];
  const plan = decideAccount({ account, scan, ledger: { keys: [] }, config, now: deps.clock.now() });
  for (const failure of scan.failedUsers)
    checks.push({ verdict: 'warn', text: `user ${failure.userName} unreadable: ${failure.message}` });
  const byUser = new Map<string, string[]>();
  for (const problem of plan.problems) {
    if (!problem.userName || problem.code === 'user-read-failed' || problem.code === 'key-busy') continue;
    byUser.set(problem.userName, [...(byUser.get(problem.userName) ?? []), problem.message]);
  }
  for (const [user, messages] of byUser) {
    checks.push({
      verdict: 'warn',
      text: `user ${user}: ${messages.join('; ')}`,
      fix: `aws iam tag-user --user-name ${user} --tags Key=${config.tags.type},Value=engineer Key=${config.tags.slackId},Value=U…`,
    });
  }
  for (const decision of plan.decisions) {
    if (decision.kind === 'second-key') {
      checks.push({
        verdict: 'warn',
        text: `engineer ${decision.userName} has ${decision.activeKeys.length} active keys (rule: at most one)`,
        fix: secondKeyFix(decision.userName, decision.activeKeys),
      });
    }
  }
  if (byUser.size === 0 && !plan.decisions.some((d) => d.kind === 'second-key'))
    checks.push({ verdict: 'ok', text: 'every user has usable owner tags' });
  return checks;
}

/**
 * Names the key to deactivate, so the fix line can be pasted: the one used least recently (never
 * used counts as oldest), the older on a tie; doctor cannot know which one the owner still needs.
 */
function secondKeyFix(userName: string, keys: readonly AccessKeyInfo[]): string {
  const lastUse = (key: AccessKeyInfo): number => key.lastUsedDate?.getTime() ?? Number.NEGATIVE_INFINITY;
  const [candidate] = [...keys].sort(
    (a, b) => lastUse(a) - lastUse(b) || a.createDate.getTime() - b.createDate.getTime(),
  );
  if (!candidate) return 'deactivate the key that is no longer used';
  const used = candidate.lastUsedDate ? `last used ${utcDate(candidate.lastUsedDate)}` : 'never used';
  return `if ${candidate.accessKeyId} (${used}) is the unused one: aws iam update-access-key --user-name ${userName} --access-key-id ${candidate.accessKeyId} --status Inactive`;
}
