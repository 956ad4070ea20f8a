import { type RulesConfig } from '../config/rules-schema';
import { type EnforcerConfig } from '../config/schema';
import { unreadUsers } from '../domain/account-policy';
import { utcDate } from '../domain/dates';
import { type AccountInventory } from '../domain/inventory-read';
import { type AccountLedger, type AccountRecord } from '../domain/ledger-records';
import { type MessageContext } from '../domain/messages';
import { ruleFindingMessage } from '../domain/messages/rule-finding-message';
import { type AccountRef, type AccountScan } from '../domain/model';
import { evaluateRules } from '../domain/rules/evaluate-rules';
import { planFindingNotices, recordDelivered, sameNotices } from '../domain/rules/finding-notices';
import { type PasswordPolicyFacts, type RuleAccount, ruleUsers } from '../domain/rules/rule-facts';
import { type RuleFinding, type RuleId } from '../domain/rules/rule-finding';
import { type AccountReader, type Ledger, type Notifier } from '../ports';
import { mapWithConcurrency } from '../util/concurrency';
import { errorMessage } from './execute-plan';
import { type ActionRecord } from './run-report';
import { updateAccountRecord } from './update-account-record';

/** What one account's read leaves for the rules. */
export interface RuleAccountRead {
  readonly account: AccountRef;
  readonly scan: AccountScan;
  /** The credential report and tags, when the read used them (the fast path). */
  readonly inventory?: AccountInventory;
  /** The account record as read at the start of the run: its finding notices. */
  readonly accountRecord?: AccountRecord;
  /** The account's ledger as read at the start of the run, for the Security Hub findings' deadlines. */
  readonly ledger?: AccountLedger;
}

/** The run report's part about the rules. */
export interface RuleFindingsReport {
  readonly findings: readonly RuleFinding[];
  /** What the rules could not read (a report, a password policy), one line per account. */
  readonly notes: readonly string[];
}

export interface RuleFindingsDeps {
  readonly reader: AccountReader;
  readonly ledger: Ledger;
  readonly notifier: Notifier;
  readonly ctx: MessageContext;
  readonly now: Date;
  readonly dryRun: boolean;
  readonly accountConcurrency: number;
}

export interface RuleFindingsOutcome {
  readonly report: RuleFindingsReport;
  readonly actions: readonly ActionRecord[];
}

/**
 * Keeps what the rules and the Security Hub export need from a read, only when either is
 * configured (no memory cost otherwise).
 */
export function ruleReadOf(
  config: EnforcerConfig,
  read: RuleAccountRead,
): { readonly ruleRead?: RuleAccountRead } {
  return config.rules || config.securityHub?.enabled ? { ruleRead: read } : {};
}

/** An account as the rules see it, and which rules could be judged in full for it today. */
export interface GatheredAccount {
  readonly facts: RuleAccount;
  readonly evaluated: ReadonlySet<RuleId>;
  readonly notes: readonly string[];
}

/**
 * Reads what the rules need beyond the account's read: the credential report when the read did
 * not use it (a day the report could not be trusted, or the fast path off, reads user by user;
 * the rules then read the report too: GenerateCredentialReport, GetCredentialReport and
 * GetAccountAuthorizationDetails pages), and one `GetAccountPasswordPolicy`. Nothing here fails the account: what cannot be read
 * becomes a note, and the rules that need it are not judged today.
 */
export async function gatherRuleAccount(
  read: Omit<RuleAccountRead, 'accountRecord'>,
  reader: AccountReader,
  rules: RulesConfig,
): Promise<GatheredAccount> {
  const notes: string[] = [];
  const where = `rules: account ${read.account.id}`;
  let inventory = read.inventory;
  if (!inventory && reader.readInventory) {
    try {
      inventory = await reader.readInventory(read.account);
    } catch (error) {
      notes.push(
        `${where}: credential report not read, MFA, password and unused-key rules skipped: ${errorMessage(error)}`,
      );
    }
  } else if (!inventory) {
    notes.push(`${where}: this reader has no credential report; MFA, password and unused-key rules skipped`);
  }
  let passwordPolicy: PasswordPolicyFacts | undefined;
  if (rules.passwordAge.enabled && reader.readPasswordPolicy) {
    try {
      passwordPolicy = await reader.readPasswordPolicy(read.account);
    } catch (error) {
      passwordPolicy = { kind: 'unknown', reason: errorMessage(error) };
    }
    if (passwordPolicy.kind === 'unknown')
      notes.push(`${where}: password policy unknown: ${passwordPolicy.reason}`);
  }
  const evaluated = new Set<RuleId>();
  const judged = (rule: RuleId, enabled: boolean, possible: boolean): void => {
    // A disabled rule is "judged" too: its old findings are forgotten rather than kept forever.
    if (!enabled || possible) evaluated.add(rule);
  };
  judged('mfa-missing', rules.mfa.enabled, inventory !== undefined);
  judged('password-age', rules.passwordAge.enabled, inventory !== undefined);
  judged(
    'password-policy',
    rules.passwordAge.enabled,
    inventory !== undefined && passwordPolicy !== undefined && passwordPolicy.kind !== 'unknown',
  );
  judged('unused-key', rules.unusedKeys.enabled, inventory !== undefined);
  return {
    facts: {
      account: read.account,
      users: ruleUsers(read.scan.users, inventory?.users),
      ...(passwordPolicy ? { passwordPolicy } : {}),
    },
    evaluated,
    notes,
  };
}

/**
 * The rule checks of one run (issue 10 item 1), after the key policy has acted: evaluate every
 * rule over every account read, DM each owner once per new finding (and again every
 * `remindEveryDays`), and remember on the account record which findings were told. Findings never
 * deactivate anything. Returns undefined when `rules` is not configured.
 */
export async function checkRuleFindings(
  config: EnforcerConfig,
  reads: readonly { readonly account: AccountRef; readonly ruleRead?: RuleAccountRead }[],
  deps: RuleFindingsDeps,
): Promise<RuleFindingsOutcome | undefined> {
  const rules = config.rules;
  if (!rules) return undefined;
  const ruleReads = reads.flatMap((read) => (read.ruleRead ? [read.ruleRead] : []));
  const gathered = await mapWithConcurrency(ruleReads, deps.accountConcurrency, (read) =>
    gatherRuleAccount(read, deps.reader, rules),
  );
  const findings = evaluateRules({
    accounts: gathered.map((g) => g.facts),
    rules,
    tags: config.tags,
    now: deps.now,
  });
  // One person's users may be in an account that could not be read: then nobody knows.
  const everyAccountRead = ruleReads.length === reads.length;
  const today = utcDate(deps.now);
  const actions: ActionRecord[] = [];
  const notes = gathered.flatMap((g) => g.notes);
  for (const [i, read] of ruleReads.entries()) {
    const evaluated = new Set(gathered[i]?.evaluated);
    if (everyAccountRead || !rules.duplicatePerson.enabled) evaluated.add('duplicate-person');
    const previous = read.accountRecord?.ruleFindings;
    const plan = planFindingNotices({
      findings: findings.filter((f) => f.account.id === read.account.id),
      previous,
      evaluated,
      unreadUsers: unreadUsers(read.scan),
      today,
      remindEveryDays: rules.remindEveryDays,
      mayMessage: (finding) => {
        const owner = finding.owner;
        if (!rules.notifyOwners || !owner?.slackId) return undefined;
        return config.userClasses[owner.userClass].directMessage ? owner.slackId : undefined;
      },
    });
    let records = plan.records;
    for (const notice of plan.notices) {
      const message = ruleFindingMessage(notice.finding, notice.reminder, deps.ctx);
      const base = {
        accountId: read.account.id,
        kind: 'rule-finding' as const,
        ...(notice.finding.userName ? { userName: notice.finding.userName } : {}),
        ...(notice.finding.accessKeyId ? { accessKeyId: notice.finding.accessKeyId } : {}),
        milestone: notice.reminder ? 'reminder' : 'first',
      };
      const to = { kind: 'dm' as const, slackId: notice.slackId };
      if (deps.dryRun) {
        actions.push({
          ...base,
          outcome: 'planned',
          detail: notice.finding.id,
          // Delivered as far as a dry run can tell, like every other planned message.
          messages: [{ to, text: message.text, delivered: true }],
        });
        continue;
      }
      const sent = await deps.notifier.sendDirect(notice.slackId, message);
      if (sent.ok) records = recordDelivered(records, notice, today);
      actions.push({
        ...base,
        outcome: sent.ok ? 'done' : 'failed',
        detail: sent.ok ? notice.finding.id : `${notice.finding.id}: DM failed: ${sent.code}`,
        messages: [{ to, text: message.text, delivered: sent.ok }],
      });
    }
    if (!deps.dryRun && !sameNotices(previous, records)) {
      const error = await updateAccountRecord(deps.ledger, read.account.id, { ruleFindings: records });
      if (error) notes.push(`rules: account ${read.account.id}: finding notices not recorded: ${error}`);
    }
  }
  return { report: { findings, notes }, actions };
}
