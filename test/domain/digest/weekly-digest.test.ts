import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { type AccountKeyFacts } from '../../../lambda/domain/digest/account-key-facts';
import {
  type AccountWeek,
  MAX_ACCOUNTS_SHOWN,
  weeklyDigest,
  weeklySnapshot,
} from '../../../lambda/domain/digest/weekly-digest';
import { weeklyDigestMessage } from '../../../lambda/domain/digest/weekly-digest-message';
import { slackRejection } from '../../../lambda/simulation/slack-limits';
import { expectWithinSlackLimits } from '../messages/fixtures';
import { context, PROD, SANDBOX, STAGING, threeAccountWeek, TODAY } from './three-account-week';

const golden = (file: string): string => readFileSync(join(__dirname, 'golden', file), 'utf8');

describe('the weekly digest of a 3-account week', () => {
  const message = weeklyDigestMessage(weeklyDigest(threeAccountWeek()), context());

  it('renders the golden Block Kit', () => {
    expect(message.blocks).toEqual(JSON.parse(golden('three-account-week.json')));
    expectWithinSlackLimits(message);
    expect(slackRejection(message)).toBeUndefined();
  });

  it('carries every fact in the golden text fallback', () => {
    expect(`${message.text}\n`).toBe(golden('three-account-week.txt'));
  });

  it('charts each account by age, the overdue range being exactly its overdue keys', () => {
    const digest = weeklyDigest(threeAccountWeek());

    const prod = digest.shown.find((a) => a.account.id === PROD.id);
    // prod: 5, 12, 70, 78, 96 (exempt) and 120 (machine) days; bob's 40-day key is inactive.
    expect(prod?.keys.byAge).toEqual([2, 0, 1, 1, 2]);
    expect(prod?.figures).toEqual({ activeKeys: 6, compliant: 4, overdue: 2, exemptions: 1, findings: 1 });
    expect(digest.byAge).toEqual([6, 1, 2, 2, 2]);
  });

  it('states the change since last week for the organisation and each account', () => {
    expect(message.text).toContain('85% compliant (+6 pts since 2027-03-08), 2 overdue (−1).');
    expect(message.text).toContain(
      'prod (111111111111): 6 active keys (−1) · 67% compliant (+10 pts) · 2 overdue (−1)',
    );
    expect(message.text).toContain('Rule findings: 2 (+1)');
  });

  it('names what happens to each overdue key from the policy, exemptions with their end', () => {
    expect(message.text).toContain(
      'erin (Erin Evans) AKIA0000000000000001 96 days: exempt until 2027-03-25, then deactivated by the run on 2027-03-26 at about 09:00 UTC',
    );
    expect(message.text).toContain('not deactivated (machine user), reminders only');
    expect(message.text).toContain('erin until 2027-03-25 (ends in 10 days)');
  });

  it('escapes tag values in Block Kit', () => {
    expect(JSON.stringify(message.blocks)).toContain('CI &lt;deploy&gt; &amp; release');
    expect(JSON.stringify(message.blocks)).not.toContain('<deploy>');
  });

  it('puts the accounts with the most overdue keys first', () => {
    expect(weeklyDigest(threeAccountWeek()).shown.map((a) => a.account.id)).toEqual([
      PROD.id,
      SANDBOX.id, // a finding, the same share as staging
      STAGING.id,
    ]);
  });
});

describe('the weekly digest without an earlier week', () => {
  it('shows no change and says it is the first', () => {
    const { text } = weeklyDigestMessage(
      weeklyDigest({ ...threeAccountWeek(), previous: undefined }),
      context(),
    );

    expect(text).not.toMatch(/pts|\(±0\)|\(−|\(\+/);
    expect(text).toContain('first weekly digest: nothing earlier to compare with');
  });

  it('says "rule checks off" rather than 0 findings when the rules are not configured', () => {
    const input = threeAccountWeek();
    const { text } = weeklyDigestMessage(
      weeklyDigest({
        ...input,
        rulesChecked: false,
        accounts: input.accounts.map((a) => ({ ...a, findings: [] })),
        previous: undefined,
      }),
      context(),
    );

    expect(text).toContain('Rule findings: rule checks off');
  });

  it('lists accounts that could not be read and leaves them out of the figures', () => {
    const input = threeAccountWeek();
    const [prod, staging] = input.accounts;
    const failed: AccountWeek = {
      account: SANDBOX,
      failure: 'AccessDenied on sts:AssumeRole',
      exemptions: [],
      problems: [],
      findings: [],
    };

    const digest = weeklyDigest({ ...input, accounts: [prod!, staging!, failed] });
    const { text } = weeklyDigestMessage(digest, context());

    expect(digest.totals.activeKeys).toBe(11);
    expect(text).toContain('Not read today (1)\n  - sandbox (333333333333): AccessDenied on sts:AssumeRole');
    expect(text).toContain('Accounts: 2 read, 1 not read');
  });

  it('marks a dry run', () => {
    const message = weeklyDigestMessage(weeklyDigest(threeAccountWeek()), context({ dryRun: true }));

    expect(message.text.startsWith('[DRY RUN] Week to')).toBe(true);
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[DRY RUN] Weekly access key digest' },
    });
  });
});

describe('the weekly digest of a large organisation', () => {
  /** `count` accounts, account i with i % 7 overdue keys, many untagged users and long names. */
  function organisation(count: number): AccountWeek[] {
    return Array.from({ length: count }, (_, i) => {
      const account = { id: String(100000000000 + i), name: `account-${i}-${'x'.repeat(50)}` };
      const overdue = i % 7;
      const keys: AccountKeyFacts = {
        byAge: [10, 5, 3, 2, overdue],
        activeKeys: 20 + overdue,
        overdue,
        overdueKeys: Array.from({ length: overdue }, (_key, k) => ({
          userName: `user-${k}-${'y'.repeat(50)}`,
          ownerName: 'z'.repeat(128),
          accessKeyId: `AKIA${String(i * 10 + k).padStart(16, '0')}`,
          ageDays: 95 + k,
          treatedAs: 'engineer' as const,
          deadline: '2027-03-20',
          next: { action: 'deactivate' as const, date: '2027-03-20' },
        })),
      };
      return {
        account,
        keys,
        exemptions: Array.from({ length: 8 }, (_exemption, e) => ({
          account,
          userName: `exempt-${e}-${'e'.repeat(60)}`,
          until: '2027-04-01',
        })),
        problems: Array.from({ length: 30 }, (_problem, p) => ({
          accountId: account.id,
          userName: `untagged-${p}`,
          code: 'missing-type' as const,
          message: 'no type tag (engineer|machine)',
        })),
        findings: Array.from({ length: 6 }, (_finding, f) => ({
          id: `mfa-missing/${account.id}/u${f}`,
          rule: 'mfa-missing' as const,
          account,
          userName: `u${f}`,
          summary: `u${f} has a console password but no MFA device ${'w'.repeat(300)}`,
          advice: '',
        })),
      };
    });
  }

  it.each([25, 1000])(
    'stays within Slack limits with %i accounts and says how many were left out',
    (count) => {
      const accounts = organisation(count);
      const digest = weeklyDigest({ today: TODAY, accounts, rulesChecked: true });
      const message = weeklyDigestMessage(digest, context());

      expectWithinSlackLimits(message);
      expect(slackRejection(message)).toBeUndefined();
      expect(digest.shown).toHaveLength(MAX_ACCOUNTS_SHOWN);
      expect(digest.shown.every((a) => a.figures.overdue === 6)).toBe(count >= 7 * MAX_ACCOUNTS_SHOWN);
      const leftOut = count - MAX_ACCOUNTS_SHOWN;
      expect(message.text).toContain(`${leftOut} more accounts not shown`);
      const overdueShown = digest.shown.reduce((sum, a) => sum + a.figures.overdue, 0);
      expect(digest.leftOut.overdue + overdueShown).toBe(digest.totals.overdue);
      expect(message.text).toContain(`Input problems (${count * 30}): missing-type ${count * 30}`);
    },
  );

  it('keeps last week’s figures of at most 1,000 accounts, and the totals of all', () => {
    const accounts = organisation(1200);

    const snapshot = weeklySnapshot({ today: TODAY, accounts, rulesChecked: true });

    expect(Object.keys(snapshot.accounts)).toHaveLength(1000);
    expect(snapshot.totals.activeKeys).toBe(accounts.reduce((sum, a) => sum + (a.keys?.activeKeys ?? 0), 0));
    expect(JSON.stringify(snapshot).length).toBeLessThan(150_000);
  });
});
