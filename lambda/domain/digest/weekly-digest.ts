import { type ExemptionNote, type InputProblem } from '../decisions';
import { type AccountRef } from '../model';
import { type RuleFinding } from '../rules/rule-finding';
import { type AccountKeyFacts } from './account-key-facts';
import {
  changeSince,
  compliantPercent,
  type DigestFigures,
  type FiguresChange,
  SNAPSHOT_ACCOUNTS_KEPT,
  type WeeklySnapshot,
} from './weekly-snapshot';
import { compareText } from '../text-order';

/** Accounts shown one by one; with more, the digest shows the worst and sums up the rest. */
export const MAX_ACCOUNTS_SHOWN = 20;

/** What the run knows about one account this week. */
export interface AccountWeek {
  readonly account: AccountRef;
  /** Absent when the account could not be read today ({@link failure} says why). */
  readonly keys?: AccountKeyFacts;
  readonly failure?: string;
  readonly exemptions: readonly ExemptionNote[];
  readonly problems: readonly InputProblem[];
  readonly findings: readonly RuleFinding[];
}

export interface WeeklyDigestInput {
  /** UTC date of the run. */
  readonly today: string;
  readonly accounts: readonly AccountWeek[];
  /** Whether the rule checks ran: without them, findings are "off", not 0. */
  readonly rulesChecked: boolean;
  /** The latest earlier weekly digest's figures, from the ledger. */
  readonly previous?: WeeklySnapshot;
}

/** One account as the digest shows it. */
export interface AccountDigest {
  readonly account: AccountRef;
  readonly keys: AccountKeyFacts;
  readonly figures: DigestFigures;
  /** Absent for an account the earlier digest did not have. */
  readonly change?: FiguresChange;
  readonly exemptions: readonly ExemptionNote[];
  readonly findings: readonly RuleFinding[];
}

/** The weekly compliance digest (issue 10 item 2), as data; `weeklyDigestMessage` renders it. */
export interface WeeklyDigest {
  readonly today: string;
  /** The date of the figures compared with; absent for the first digest. */
  readonly since?: string;
  readonly totals: DigestFigures;
  readonly totalsChange?: FiguresChange;
  /** Active keys per age range over every account read. */
  readonly byAge: readonly number[];
  readonly accountsRead: number;
  /** The accounts shown one by one: most overdue keys first, then the lowest compliant share. */
  readonly shown: readonly AccountDigest[];
  /** The accounts summed up instead, and what they hold. */
  readonly leftOut: { readonly accounts: number } & DigestFigures;
  readonly notRead: readonly { readonly account: AccountRef; readonly failure: string }[];
  /** Standing input problems of every account read (untagged users, bad exemption tags…). */
  readonly problems: readonly InputProblem[];
  readonly rulesChecked: boolean;
}

/** Pure: this week's digest from each account's facts and the previous digest's figures. */
export function weeklyDigest(input: WeeklyDigestInput, maxAccounts = MAX_ACCOUNTS_SHOWN): WeeklyDigest {
  const read: AccountDigest[] = [];
  const notRead: { account: AccountRef; failure: string }[] = [];
  for (const week of input.accounts) {
    if (!week.keys) {
      notRead.push({ account: week.account, failure: week.failure ?? 'not read today' });
      continue;
    }
    const figures = figuresOf(week.keys, week, input.rulesChecked);
    const change = changeSince(figures, input.previous?.accounts[week.account.id]);
    read.push({
      account: week.account,
      keys: week.keys,
      figures,
      ...(change ? { change } : {}),
      exemptions: week.exemptions,
      findings: week.findings,
    });
  }
  read.sort(worstFirst);
  const totals = sumFigures(
    read.map((a) => a.figures),
    input.rulesChecked,
  );
  const leftOut = read.slice(maxAccounts);
  const totalsChange = changeSince(totals, input.previous?.totals);
  return {
    today: input.today,
    ...(input.previous ? { since: input.previous.on } : {}),
    totals,
    ...(totalsChange ? { totalsChange } : {}),
    byAge: sumByAge(read.map((a) => a.keys.byAge)),
    accountsRead: read.length,
    shown: read.slice(0, maxAccounts),
    leftOut: {
      accounts: leftOut.length,
      ...sumFigures(
        leftOut.map((a) => a.figures),
        input.rulesChecked,
      ),
    },
    notRead: notRead.sort((a, b) => compareText(a.account.id, b.account.id)),
    problems: input.accounts.filter((week) => week.keys).flatMap((week) => week.problems),
    rulesChecked: input.rulesChecked,
  };
}

/** What next week's digest compares with: the totals and the worst accounts' figures. */
export function weeklySnapshot(input: WeeklyDigestInput): WeeklySnapshot {
  const digest = weeklyDigest(input, SNAPSHOT_ACCOUNTS_KEPT);
  const accounts: Record<string, DigestFigures> = {};
  for (const shown of digest.shown) accounts[shown.account.id] = shown.figures;
  return { on: input.today, totals: digest.totals, accounts };
}

function figuresOf(keys: AccountKeyFacts, week: AccountWeek, rulesChecked: boolean): DigestFigures {
  return {
    activeKeys: keys.activeKeys,
    compliant: keys.activeKeys - keys.overdue,
    overdue: keys.overdue,
    exemptions: week.exemptions.length,
    ...(rulesChecked ? { findings: week.findings.length } : {}),
  };
}

function sumFigures(all: readonly DigestFigures[], rulesChecked: boolean): DigestFigures {
  const sum = (pick: (f: DigestFigures) => number | undefined): number =>
    all.reduce((total, f) => total + (pick(f) ?? 0), 0);
  return {
    activeKeys: sum((f) => f.activeKeys),
    compliant: sum((f) => f.compliant),
    overdue: sum((f) => f.overdue),
    exemptions: sum((f) => f.exemptions),
    ...(rulesChecked ? { findings: sum((f) => f.findings) } : {}),
  };
}

function sumByAge(all: readonly (readonly number[])[]): number[] {
  const total: number[] = [];
  for (const byAge of all) byAge.forEach((count, i) => (total[i] = (total[i] ?? 0) + count));
  return total;
}

function worstFirst(a: AccountDigest, b: AccountDigest): number {
  return (
    b.figures.overdue - a.figures.overdue ||
    (compliantPercent(a.figures) ?? 100) - (compliantPercent(b.figures) ?? 100) ||
    (b.figures.findings ?? 0) - (a.figures.findings ?? 0) ||
    compareText(a.account.name, b.account.name) ||
    compareText(a.account.id, b.account.id)
  );
}
