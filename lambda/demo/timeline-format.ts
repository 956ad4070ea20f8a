import { type ActionRecord, type RunReport, type SentMessage } from '../engine/run-report';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const INDENT = '      ';
/** The how-to-rotate lines every reminder carries; the demo prints them once, then elides them. */
const HELP_PREFIXES = ['Rotate:', 'Or with the AWS CLI:', 'Guide:'];

/** Slack's mrkdwn escapes, undone for a terminal. */
export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function recipient(message: SentMessage): string {
  if (message.to.kind === 'dm') return `DM to ${message.to.slackId}`;
  return message.thread === 'reply' ? '#infra (key thread)' : '#infra';
}

/**
 * One day of the timeline. A DM is shown in full (that is what the engineer reads); its channel
 * mirror is shown by its first line only, since it repeats the DM's facts. Channel-only alerts
 * are shown in full.
 */
export class TimelineFormatter {
  private helpShown = false;
  private weeklyShown = false;

  formatDay(day: number, date: string, events: readonly string[], report: RunReport): string[] {
    const weekday = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? '';
    return [
      `=== Day ${day} · ${weekday} ${date} ===`,
      ...events.map((event) => `  (world) ${event}`),
      ...this.formatActions(report),
    ];
  }

  /** What one run sent and changed, without a heading (the CLI's `run` prints this). */
  formatActions(report: RunReport): string[] {
    const shown = report.actions.filter((a) => a.messages.length > 0 || a.kind === 'deactivate');
    const lines =
      shown.length === 0 ? ['  nothing due'] : shown.flatMap((action) => formatAction(action, this));
    if (report.errors.length > 0) {
      lines.push(`  ! ${report.errors.length} send(s) failed and will be retried at the next run`);
    }
    return lines;
  }

  /** True the first time only: the full how-to-rotate help is printed once. */
  takeHelp(): boolean {
    const first = !this.helpShown;
    this.helpShown = true;
    return first;
  }

  /** True the first time only: the weekly digest's charts and lists are printed once. */
  takeWeekly(): boolean {
    const first = !this.weeklyShown;
    this.weeklyShown = true;
    return first;
  }
}

function formatAction(action: ActionRecord, formatter: TimelineFormatter): string[] {
  const lines: string[] = [];
  if (action.kind === 'deactivate' && action.outcome === 'done') {
    lines.push(`  ✖ ${action.accessKeyId ?? ''} of ${action.userName ?? ''} set Inactive in IAM`);
  }
  const dmDelivered = action.messages.some((m) => m.to.kind === 'dm' && m.delivered);
  // A thread parent restates the notice below it; the demo prints each notice once.
  for (const message of action.messages.filter((m) => m.thread !== 'parent')) {
    const [headline = '', ...rest] = unescapeSlack(message.text).split('\n');
    const status = message.delivered ? '' : ' [NOT DELIVERED]';
    lines.push(`  → ${recipient(message)}${status}: ${headline}`);
    // A mirror of a delivered DM repeats its facts; when the DM failed, the channel post is the notice.
    const full = message.to.kind === 'dm' || !dmDelivered;
    if (action.kind === 'weekly-digest')
      lines.push(...weeklyLines(rest, formatter).map((line) => `${INDENT}${line}`));
    else if (full) lines.push(...elideHelp(rest, formatter).map((line) => `${INDENT}${line}`));
  }
  return lines;
}

/** The weekly digest in full once; later weeks by their totals and one line per account. */
function weeklyLines(lines: readonly string[], formatter: TimelineFormatter): string[] {
  if (formatter.takeWeekly()) return [...lines];
  return [
    ...lines.filter((line) => line !== '' && !line.startsWith(' ') && !line.endsWith(':')),
    '(charts and lists per account as in the first weekly digest above)',
  ];
}

function elideHelp(lines: readonly string[], formatter: TimelineFormatter): string[] {
  const isHelp = (line: string): boolean => HELP_PREFIXES.some((prefix) => line.startsWith(prefix));
  if (!lines.some(isHelp) || formatter.takeHelp()) return [...lines];
  return [
    ...lines.filter((line) => !isHelp(line)),
    '(how to rotate: aws-vault or AWS CLI steps and guide link, as shown above)',
  ];
}
