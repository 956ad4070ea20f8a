import { daysFromTo } from '../dates';
import { type InputProblem } from '../decisions';
import { PRODUCT_NAME } from '../messages/compose';
import { type MessageContext } from '../messages/context';
import {
  contextBlock,
  DIVIDER,
  escapeMrkdwn,
  fieldBlocks,
  headerBlock,
  mention,
  packLines,
  plural,
  SECTION_TEXT_LIMIT,
  sectionBlock,
} from '../messages/format';
import { accountLabel } from '../messages/key-facts';
import { runMoment } from '../messages/moments';
import { type Block, type SlackMessage } from '../slack-message';
import { type OverdueKey } from './account-key-facts';
import { chartLines } from './age-chart';
import { cut, delta, plainOf, points, signed } from './digest-format';
import { type AccountDigest, type WeeklyDigest } from './weekly-digest';
import { compliantPercent, type DigestFigures, type FiguresChange } from './weekly-snapshot';

/** Per account, enough lines to act on; the rest are counted. */
const LINES_PER_LIST = 5;
const FINDING_EXAMPLES = 3;
/** A tag value (a full name) may be 256 characters; a digest line shows the start of it. */
const NAME_CHARS = 40;
const FINDING_CHARS = 160;
/** Past this, the `text` fallback drops the per-account charts (Slack refuses 40,000). */
const FULL_TEXT_LIMIT = 12_000;
const PROBLEM_EXAMPLES = 10;

/** How the user classes (SPEC §3) read in "not deactivated (…)": a config may spare any class. */
const CLASS_NAMES: Readonly<Record<OverdueKey['treatedAs'], string>> = {
  engineer: 'engineer',
  machine: 'machine user',
  unknown: 'owner unknown',
};

/** One section's content, as mrkdwn for its block and as plain lines for the `text` fallback. */
interface Part {
  readonly mrkdwn: string;
  readonly text: readonly string[];
  /** A one-line form for a `text` fallback that must stay short. */
  readonly short?: string;
}

/**
 * The weekly compliance digest for the infra channel (issue 10 item 2): per account, active keys
 * by age as a monospace bar chart, the compliant share, overdue keys with the run that acts on
 * them, exemptions in force and when they end, rule findings, and the change since the last
 * digest. Within Slack's limits however large the organisation: at most 20 accounts one by one
 * (the most overdue first), the rest summed up and counted.
 */
export function weeklyDigestMessage(digest: WeeklyDigest, ctx: MessageContext): SlackMessage {
  const dryRunMark = ctx.dryRun ? '[DRY RUN] ' : '';
  const title = `${dryRunMark}Weekly access key digest`;
  const headline = headlineOf(digest, ctx);
  const fields = totalsFields(digest);
  const overall = chartPart('All accounts', digest.byAge, ctx);
  const accounts = digest.shown.map((account) => accountPart(account, digest, ctx));
  const tail = [leftOutPart(digest), ...notReadParts(digest), ...problemParts(digest.problems)].filter(
    (part): part is Part => part !== undefined,
  );
  const footer = footerOf(digest, ctx);

  const blocks: Block[] = [
    headerBlock(title),
    sectionBlock(headline),
    ...fieldBlocks(fields.map(([label, value]) => `*${label}*\n${value}`)),
    sectionBlock(overall.mrkdwn),
    DIVIDER,
    ...accounts.map((part) => sectionBlock(part.mrkdwn)),
    ...tail.map((part) => sectionBlock(part.mrkdwn)),
    contextBlock(footer),
  ];
  const totalsLine = fields.map(([label, value]) => `${label}: ${value}`).join(' · ');
  const full = [
    `${dryRunMark}${headline}`,
    totalsLine,
    ...overall.text,
    ...accounts.flatMap((part) => ['', ...part.text]),
    ...tail.flatMap((part) => ['', ...part.text]),
    '',
    plainOf(footer),
  ].join('\n');
  const text =
    full.length <= FULL_TEXT_LIMIT
      ? full
      : [
          `${dryRunMark}${headline}`,
          totalsLine,
          ...accounts.map((part) => part.short ?? ''),
          ...tail.map((part) => part.short ?? part.text[0] ?? ''),
          plainOf(footer),
        ].join('\n');
  return { text, blocks };
}

function headlineOf(digest: WeeklyDigest, ctx: MessageContext): string {
  const { totals, totalsChange: change } = digest;
  const since = digest.since ? ` since ${digest.since}` : '';
  const share = compliantPercent(totals);
  const compliance =
    share === undefined
      ? 'no active keys'
      : `${share}% compliant${change?.compliantPoints !== undefined ? ` (${points(change.compliantPoints)}${since})` : ''}`;
  return (
    `Week to ${runMoment(digest.today, ctx)}: ${plural(digest.accountsRead, 'account')}, ` +
    `${plural(totals.activeKeys, 'active key')}, ${compliance}, ` +
    `${totals.overdue} overdue${change ? ` (${signed(change.overdue)})` : ''}.`
  );
}

function totalsFields(digest: WeeklyDigest): [string, string][] {
  const { totals, totalsChange: change } = digest;
  const share = compliantPercent(totals);
  return [
    ['Active keys', `${totals.activeKeys}${delta(change?.activeKeys)}`],
    [
      'Compliant',
      share === undefined
        ? 'no active keys'
        : `${share}%${change?.compliantPoints !== undefined ? ` (${points(change.compliantPoints)})` : ''}`,
    ],
    ['Overdue', `${totals.overdue}${delta(change?.overdue)}`],
    ['Exemptions in force', `${totals.exemptions}${delta(change?.exemptions)}`],
    [
      'Rule findings',
      totals.findings === undefined ? 'rule checks off' : `${totals.findings}${delta(change?.findings)}`,
    ],
    [
      'Accounts',
      `${digest.accountsRead} read${digest.notRead.length > 0 ? `, ${digest.notRead.length} not read` : ''}`,
    ],
  ];
}

/** The age ranges as a bar chart in a code block: Slack shows it monospace, so bars line up. */
function chartPart(title: string, byAge: readonly number[], ctx: MessageContext): Part {
  const lines = chartLines(byAge, ctx);
  return { mrkdwn: `*${title}*\n\`\`\`\n${lines.join('\n')}\n\`\`\``, text: [`${title}:`, ...indent(lines)] };
}

function accountPart(digest: AccountDigest, week: WeeklyDigest, ctx: MessageContext): Part {
  const { figures, change } = digest;
  const summary = accountSummary(figures, change);
  const title = `${accountLabel(digest.account)}: ${summary}`;
  const chart = chartLines(digest.keys.byAge, ctx);
  const details = [
    ...listLines(
      `Overdue (${figures.overdue})`,
      digest.keys.overdueKeys.map((key) => overdueLine(key, week.today, ctx)),
      figures.overdue,
    ),
    ...listLines(
      `Exemptions in force (${digest.exemptions.length})`,
      [...digest.exemptions]
        .sort((a, b) => (a.until < b.until ? -1 : a.until > b.until ? 1 : 0))
        .map(
          (note) =>
            `${escapeMrkdwn(note.userName)} until ${note.until} (${endsPhrase(note.until, week.today)})` +
            (note.approvedBy === undefined
              ? ''
              : `, key ${note.accessKeyId ?? ''}, approved in Slack by ${mention(note.approvedBy)}`),
        ),
      digest.exemptions.length,
    ),
    ...findingLines(digest),
  ];
  const mrkdwn = [`*${title}*`, '```', ...chart, '```', ...details.map((line) => line.mrkdwn)].join('\n');
  return {
    mrkdwn: mrkdwn.length <= SECTION_TEXT_LIMIT ? mrkdwn : `${mrkdwn.slice(0, SECTION_TEXT_LIMIT - 2)}…`,
    text: [title, ...indent(chart), ...details.map((line) => line.text)],
    short: title,
  };
}

function accountSummary(figures: DigestFigures, change: FiguresChange | undefined): string {
  const share = compliantPercent(figures);
  return [
    `${plural(figures.activeKeys, 'active key')}${delta(change?.activeKeys)}`,
    share === undefined
      ? 'no active keys'
      : `${share}% compliant${change?.compliantPoints !== undefined ? ` (${points(change.compliantPoints)})` : ''}`,
    `${figures.overdue} overdue${delta(change?.overdue)}`,
  ].join(' · ');
}

interface DetailLine {
  readonly mrkdwn: string;
  readonly text: string;
}

/** A titled list, its first lines shown and the rest counted; nothing when it is empty. */
function listLines(title: string, lines: readonly string[], total: number): DetailLine[] {
  if (total === 0) return [];
  const shown = lines.slice(0, LINES_PER_LIST);
  const more = total - shown.length;
  return [
    { mrkdwn: `*${title}*`, text: `  ${title}:` },
    ...shown.map((line) => ({ mrkdwn: `• ${line}`, text: `  - ${plainOf(line)}` })),
    ...(more > 0 ? [{ mrkdwn: `• and ${more} more`, text: `  - and ${more} more` }] : []),
  ];
}

/** What happens next to an overdue key, from the policy's own next step and deadline. */
function overdueLine(key: OverdueKey, today: string, ctx: MessageContext): string {
  const owner = key.ownerName ? ` (${escapeMrkdwn(cut(key.ownerName, NAME_CHARS))})` : '';
  const who = `${escapeMrkdwn(key.userName)}${owner} \`${key.accessKeyId}\` ${key.ageDays} days`;
  return `${who}: ${nextPhrase(key, today, ctx)}`;
}

function nextPhrase(key: OverdueKey, today: string, ctx: MessageContext): string {
  if (key.deadline === undefined) return `not deactivated (${CLASS_NAMES[key.treatedAs]}), reminders only`;
  const run = (date: string): string => `deactivated by the run on ${runMoment(date, ctx)}`;
  if (key.exemptUntil !== undefined) return `exempt until ${key.exemptUntil}, then ${run(key.deadline)}`;
  if (key.next?.action === 'deactivate' && key.next.date <= today)
    return 'due for deactivation today, not carried out (see the run alerts)';
  if (key.next?.action === 'final-notice') return `final notice, then ${run(key.deadline)}`;
  return run(key.next?.action === 'deactivate' ? key.next.date : key.deadline);
}

function findingLines(digest: AccountDigest): DetailLine[] {
  const findings = digest.findings;
  if (findings.length === 0) return [];
  const byRule = new Map<string, number>();
  for (const finding of findings) byRule.set(finding.rule, (byRule.get(finding.rule) ?? 0) + 1);
  const counts = [...byRule.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([rule, count]) => `${rule} ${count}`)
    .join(' · ');
  const title = `Rule findings (${findings.length}): ${counts}`;
  // A finding's summary names its user already ("bob has a console password but no MFA device").
  const examples = findings
    .slice(0, FINDING_EXAMPLES)
    .map((finding) => escapeMrkdwn(cut(finding.summary, FINDING_CHARS)));
  const more = findings.length - examples.length;
  return [
    { mrkdwn: `*${title}*`, text: `  ${title}` },
    ...examples.map((line) => ({ mrkdwn: `• ${line}`, text: `  - ${plainOf(line)}` })),
    ...(more > 0 ? [{ mrkdwn: `• and ${more} more`, text: `  - and ${more} more` }] : []),
  ];
}

function leftOutPart(digest: WeeklyDigest): Part | undefined {
  const { leftOut } = digest;
  if (leftOut.accounts === 0) return undefined;
  const findings = leftOut.findings === undefined ? '' : `, ${plural(leftOut.findings, 'rule finding')}`;
  const line =
    `${plural(leftOut.accounts, 'more account')} not shown, with ${plural(leftOut.activeKeys, 'active key')}, ` +
    `${leftOut.overdue} overdue, ${plural(leftOut.exemptions, 'exemption')}${findings}: ` +
    '`access-key-enforcer scan` lists every key.';
  return { mrkdwn: `*And ${plural(leftOut.accounts, 'more account')}*\n${line}`, text: [plainOf(line)] };
}

function notReadParts(digest: WeeklyDigest): Part[] {
  if (digest.notRead.length === 0) return [];
  const title = `Not read today (${digest.notRead.length})`;
  const lines = digest.notRead.map(
    ({ account, failure }) => `${accountLabel(account)}: ${escapeMrkdwn(cut(failure, 200))}`,
  );
  return sectionsOf(title, lines, 2);
}

/** Standing input problems (untagged users…), the daily digest having listed each once (SPEC §2). */
function problemParts(problems: readonly InputProblem[]): Part[] {
  if (problems.length === 0) return [];
  const byCode = new Map<string, InputProblem[]>();
  for (const problem of problems) {
    const group = byCode.get(problem.code);
    if (group) group.push(problem);
    else byCode.set(problem.code, [problem]);
  }
  const counts = [...byCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, group]) => `${code} ${group.length}`)
    .join(' · ');
  const lines = [...byCode.values()].flatMap((group) =>
    group.slice(0, PROBLEM_EXAMPLES).map((problem) => {
      const where = [problem.accountId, problem.userName, problem.accessKeyId]
        .filter((part): part is string => part !== undefined)
        .map(escapeMrkdwn)
        .join(' · ');
      return `${where}: ${escapeMrkdwn(cut(problem.message, 200))}`;
    }),
  );
  const shownExamples = lines.length;
  const more = problems.length - shownExamples;
  return sectionsOf(
    `Input problems (${problems.length}): ${counts}`,
    [...lines, ...(more > 0 ? [`and ${more} more: \`access-key-enforcer doctor\` lists them all`] : [])],
    2,
  );
}

/** A titled list packed into at most `maxSections` sections, with "and N more" past them. */
function sectionsOf(title: string, lines: readonly string[], maxSections: number): Part[] {
  const chunks = packLines(lines, SECTION_TEXT_LIMIT - title.length - 4, maxSections);
  return chunks.map((chunk, i) => {
    const plain = chunk.split('\n').map((line) => `  - ${plainOf(line)}`);
    return {
      mrkdwn: i === 0 ? `*${title}*\n${chunk}` : chunk,
      text: i === 0 ? [plainOf(title), ...plain] : plain,
      short: i === 0 ? plainOf(title) : '',
    };
  });
}

function footerOf(digest: WeeklyDigest, ctx: MessageContext): string {
  const compared = digest.since
    ? `changes since the digest of ${digest.since}`
    : 'first weekly digest: nothing earlier to compare with';
  const rule = `compliant: active keys younger than ${ctx.policy.deactivateAtDays} days`;
  const dryRun = ctx.dryRun ? ' · *DRY RUN*: nothing was changed or sent' : '';
  return `${PRODUCT_NAME} · ${digest.today} · ${compared} · ${rule}${dryRun}`;
}

function endsPhrase(until: string, today: string): string {
  const days = daysFromTo(today, until);
  if (days <= 0) return 'ends today';
  return `ends in ${plural(days, 'day')}`;
}

function indent(lines: readonly string[]): string[] {
  return lines.map((line) => `  ${line}`);
}
