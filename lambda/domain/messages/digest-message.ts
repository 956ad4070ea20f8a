import { type ExemptionNote, type InputProblem } from '../decisions';
import { type AccountRef } from '../model';
import { type RuleFinding } from '../rules/rule-finding';
import { type SlackMessage } from '../slack-message';
import { renderMessage } from './compose';
import { type MessageContext } from './context';
import { escapeMrkdwn, mention, plural } from './format';
import { accountLabel } from './key-facts';
import { runMoment } from './moments';

/** What one run did, as counted by the engine. */
export interface RunDigest {
  readonly accountsOk: number;
  readonly accountsFailed: readonly { readonly account: AccountRef; readonly message: string }[];
  readonly users: number;
  readonly keys: number;
  readonly reminders: number;
  readonly deactivations: number;
  readonly newKeys: number;
  /**
   * Accounts whose first scan or full sweep was too large for one run and goes on next run, with
   * how far it got: every key listed so far was decided.
   */
  readonly readsGoingOn?: readonly { readonly account: AccountRef; readonly detail: string }[];
  /** Exemptions first seen today (SPEC §2); the weekly digest lists every one in force. */
  readonly newExemptions: readonly ExemptionNote[];
  /** Input problems first seen today (a user untagged today); standing ones are in the weekly digest. */
  readonly newProblems: readonly InputProblem[];
  /** Rule findings first seen today. */
  readonly newFindings: readonly RuleFinding[];
  /** Standing items today, counted here and listed in the weekly digest. `findings` absent: rules off. */
  readonly standing: { readonly exemptions: number; readonly problems: number; readonly findings?: number };
  /** The weekly digest's day, e.g. "Mondays"; absent when it is off. */
  readonly weeklyDigestDay?: string;
  readonly errors: readonly string[];
}

/**
 * Section budgets per list. With the header, summary, fields, note and footer (5 blocks) they add
 * up to 5 + 4 + 2 + 8 + 16 + 6 + 5 = 46, under Slack's 50-block limit whatever the input.
 */
const SECTIONS = { failed: 4, goingOn: 2, exemptions: 8, problems: 16, findings: 6, errors: 5 } as const;
/** Per kind of problem, enough examples to act on; the rest are counted. */
const PROBLEMS_PER_CODE = 10;
/** The text fallback shows fewer, so that every kind of problem still gets a line. */
const PROBLEMS_PER_CODE_IN_TEXT = 2;

/**
 * End-of-run digest for the infra channel: counts, failed accounts, and what is new today (SPEC
 * §2): exemptions, input problems grouped by kind, rule findings. Standing ones are counted and
 * left to the weekly digest, so the same untagged user is not re-posted every day. Capped with
 * "and N more" to stay within Slack's limits (50 blocks, 3000 characters per section).
 */
export function runDigestMessage(digest: RunDigest, ctx: MessageContext): SlackMessage {
  const failed = digest.accountsFailed.length;
  return renderMessage(
    {
      title: failed > 0 ? 'Access key run: some accounts failed' : 'Access key run summary',
      headline:
        `Run of ${runMoment(ctx.today, ctx)}: ${plural(digest.accountsOk, 'account')} ok, ${failed} failed; ` +
        `${plural(digest.reminders, 'reminder')}, ${plural(digest.deactivations, 'deactivation')}, ` +
        `${plural(digest.newKeys, 'new key')}.`,
      facts: [
        [
          { label: 'Accounts ok', value: String(digest.accountsOk) },
          { label: 'Accounts failed', value: String(failed) },
          { label: 'Users', value: String(digest.users) },
          { label: 'Keys', value: String(digest.keys) },
        ],
        [
          { label: 'Reminders', value: String(digest.reminders) },
          { label: 'Deactivations', value: String(digest.deactivations) },
          { label: 'New keys', value: String(digest.newKeys) },
          { label: 'New problems', value: String(digest.newProblems.length) },
          { label: 'Errors', value: String(digest.errors.length) },
        ],
      ],
      notes: standingNote(digest),
      lists: [
        {
          title: `Failed accounts (${failed})`,
          lines: digest.accountsFailed.map(
            ({ account, message }) => `${accountLabel(account)}: ${escapeMrkdwn(message)}`,
          ),
          maxSections: SECTIONS.failed,
        },
        {
          title: `Reads going on next run (${digest.readsGoingOn?.length ?? 0})`,
          lines: (digest.readsGoingOn ?? []).map(
            ({ account, detail }) => `${accountLabel(account)}: ${escapeMrkdwn(detail)}`,
          ),
          maxSections: SECTIONS.goingOn,
        },
        {
          title: `New exemptions (${digest.newExemptions.length})`,
          lines: digest.newExemptions.map(
            (note) =>
              `${escapeMrkdwn(note.userName)} in ${accountLabel(note.account)} until ${note.until}: ` +
              'not deactivated through that date; reminders continue' +
              (note.approvedBy === undefined
                ? ''
                : ` (key ${note.accessKeyId ?? ''}, approved in Slack by ${mention(note.approvedBy)})`),
          ),
          maxSections: SECTIONS.exemptions,
        },
        {
          title: `New input problems (${digest.newProblems.length})`,
          lines: problemLines(digest.newProblems, PROBLEMS_PER_CODE),
          textLines: problemLines(digest.newProblems, PROBLEMS_PER_CODE_IN_TEXT),
          maxSections: SECTIONS.problems,
        },
        {
          title: `New rule findings (${digest.newFindings.length})`,
          lines: digest.newFindings.map(
            (finding) => `${accountLabel(finding.account)}: ${escapeMrkdwn(finding.summary)}`,
          ),
          maxSections: SECTIONS.findings,
        },
        {
          title: `Errors (${digest.errors.length})`,
          lines: digest.errors.map(escapeMrkdwn),
          maxSections: SECTIONS.errors,
        },
      ],
    },
    ctx,
  );
}

/** Where the standing items went: counted, and listed in the weekly digest (SPEC §2). */
function standingNote(digest: RunDigest): string[] {
  const { exemptions, problems, findings } = digest.standing;
  const parts = [
    ...(exemptions > 0 ? [plural(exemptions, 'exemption') + ' in force'] : []),
    ...(problems > 0 ? [plural(problems, 'input problem')] : []),
    ...(findings ? [plural(findings, 'rule finding')] : []),
  ];
  if (parts.length === 0) return [];
  const where = digest.weeklyDigestDay
    ? `listed in the weekly digest (${digest.weeklyDigestDay})`
    : '`access-key-enforcer scan` and `doctor` list them';
  return [`Standing: ${parts.join(', ')}; ${where}.`];
}

/** Grouped by code so a hundred untagged users read as one problem with a hundred examples. */
function problemLines(problems: readonly InputProblem[], perCode: number): string[] {
  const byCode = new Map<string, InputProblem[]>();
  for (const problem of problems) {
    const group = byCode.get(problem.code);
    if (group) group.push(problem);
    else byCode.set(problem.code, [problem]);
  }
  return [...byCode.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([code, group]) => [
      `${code} (${group.length}):`,
      ...group.slice(0, perCode).map((problem) => `- ${problemLine(problem)}`),
      ...(group.length > perCode ? [`- and ${group.length - perCode} more ${code}`] : []),
    ]);
}

function problemLine(problem: InputProblem): string {
  const where = [problem.accountId, problem.userName, problem.accessKeyId]
    .filter((part): part is string => part !== undefined)
    .map(escapeMrkdwn)
    .join(' · ');
  return `${where}: ${escapeMrkdwn(problem.message)}`;
}
