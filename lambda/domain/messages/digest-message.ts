import { type ExemptionNote, type InputProblem } from '../decisions';
import { type AccountRef } from '../model';
import { type SlackMessage } from '../slack-message';
import { renderMessage } from './compose';
import { type MessageContext } from './context';
import { escapeMrkdwn, plural } from './format';
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
  readonly exemptions: readonly ExemptionNote[];
  readonly problems: readonly InputProblem[];
  readonly errors: readonly string[];
}

/**
 * Section budgets per list. With the header, summary, fields and footer (4 blocks) they add up to
 * 4 + 4 + 10 + 20 + 5 = 43, under Slack's 50-block limit whatever the input.
 */
const SECTIONS = { failed: 4, exemptions: 10, problems: 20, errors: 5 } as const;
/** Per kind of problem, enough examples to act on; the rest are counted. */
const PROBLEMS_PER_CODE = 10;
/** The text fallback shows fewer, so that every kind of problem still gets a line. */
const PROBLEMS_PER_CODE_IN_TEXT = 2;

/**
 * End-of-run digest for the infra channel: counts, failed accounts, every exemption in force
 * (SPEC §2) and input problems grouped by kind, capped with "and N more" to stay within Slack's
 * limits (50 blocks, 3000 characters per section).
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
          { label: 'Problems', value: String(digest.problems.length) },
          { label: 'Errors', value: String(digest.errors.length) },
        ],
      ],
      lists: [
        {
          title: `Failed accounts (${failed})`,
          lines: digest.accountsFailed.map(
            ({ account, message }) => `${accountLabel(account)}: ${escapeMrkdwn(message)}`,
          ),
          maxSections: SECTIONS.failed,
        },
        {
          title: `Exemptions in force (${digest.exemptions.length})`,
          lines: digest.exemptions.map(
            (note) =>
              `${escapeMrkdwn(note.userName)} in ${accountLabel(note.account)} until ${note.until}: ` +
              'not deactivated through that date; reminders continue' +
              (note.approvedBy === undefined
                ? ''
                : ` (key ${note.accessKeyId ?? ''}, approved in Slack by ${escapeMrkdwn(note.approvedBy)})`),
          ),
          maxSections: SECTIONS.exemptions,
        },
        {
          title: `Input problems (${digest.problems.length})`,
          lines: problemLines(digest.problems, PROBLEMS_PER_CODE),
          textLines: problemLines(digest.problems, PROBLEMS_PER_CODE_IN_TEXT),
          maxSections: SECTIONS.problems,
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

/** Grouped by code so a hundred untagged users read as one problem with a hundred examples. */
function problemLines(problems: readonly InputProblem[], perCode: number): string[] {
  const byCode = new Map<string, InputProblem[]>();
  for (const problem of problems) byCode.set(problem.code, [...(byCode.get(problem.code) ?? []), problem]);
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
