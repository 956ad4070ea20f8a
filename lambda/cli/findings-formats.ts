import { type RuleFinding } from '../domain/rules/rule-finding';

/**
 * Rule findings (issue 10) in `scan`: a section under the key table, and a `findings` array in
 * JSON. Both appear only when the config has a `rules` section.
 */

/** One finding in `scan --format json`: an absent field is `null`, like the keys' columns. */
export interface JsonFinding {
  readonly id: string;
  readonly rule: RuleFinding['rule'];
  readonly accountId: string;
  readonly accountName: string;
  readonly userName: string | null;
  readonly accessKeyId: string | null;
  readonly ownerSlackId: string | null;
  readonly summary: string;
  readonly advice: string;
  readonly command: string | null;
}

export function jsonFindings(findings: readonly RuleFinding[]): JsonFinding[] {
  return findings.map((f) => ({
    id: f.id,
    rule: f.rule,
    accountId: f.account.id,
    accountName: f.account.name,
    userName: f.userName ?? null,
    accessKeyId: f.accessKeyId ?? null,
    ownerSlackId: f.owner?.slackId ?? null,
    summary: f.summary,
    advice: f.advice,
    command: f.command ?? null,
  }));
}

/** The table's findings section, wrapped for an 80-column terminal; a command stays on one line to copy. */
export function findingLines(findings: readonly RuleFinding[], notes: readonly string[]): string[] {
  const lines = [
    '',
    findings.length === 0
      ? 'Rule findings: none.'
      : `Rule findings (${findings.length}): reported and reminded, never deactivated.`,
  ];
  for (const finding of findings) {
    lines.push(...wrap(`${finding.rule} in ${finding.account.name}: ${finding.summary}`, '  ', '    '));
    if (finding.command) lines.push(`    $ ${finding.command}`);
  }
  for (const note of notes) lines.push(...wrap(`note: ${note}`, '  ', '    '));
  return lines;
}

const WIDTH = 79;

function wrap(text: string, first: string, rest: string): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(' ')) {
    const indent = lines.length === 0 ? first : rest;
    if (line.length > indent.length && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line = line.length > indent.length ? `${line} ${word}` : `${line}${word}`;
    }
  }
  lines.push(line);
  return lines;
}
