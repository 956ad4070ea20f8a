/**
 * The exit codes each command's `--help` lists (issue 13): the README's "Exit codes" section says
 * the same, and a test keeps the two in step.
 */
export const EXIT_HELP = {
  program: [
    '0  all good',
    '1  the command ran and found a failure (see each command)',
    '2  the command could not run as asked: bad flag, missing or invalid',
    '   config or state file',
  ],
  scan: [
    '0  every account read (and, with --fail-on, no key at that level)',
    '1  an account could not be read (errors on stderr), or --fail-on',
    '   found a key at its level',
    '2  could not run as asked: bad flag, missing or invalid config or',
    '   state file',
  ],
  run: [
    '0  the run succeeded',
    '1  the run reported failure: an account failed or was incomplete, a',
    '   notice was not delivered, a deactivation failed, Slack refused the',
    '   token or channel, or the circuit breaker tripped',
    '2  could not run as asked: bad flag, no ledger, no SLACK_BOT_TOKEN,',
    '   missing or invalid config or state file',
  ],
  doctor: [
    '0  no check failed (warnings allowed)',
    '1  a check failed',
    '2  could not run as asked: bad flag, missing or invalid config',
  ],
  demo: ['0  the demo ran', '2  bad flag'],
  digest: [
    '0  the digest was built from every account',
    '1  an account could not be read (it is listed in the digest)',
    '2  could not run as asked: bad flag or date, missing or invalid',
    '   config or state file',
  ],
  audit: [
    '0  the audit trail was exported',
    '2  could not run as asked: bad flag or date, no ledger, missing or',
    '   invalid config or state file',
  ],
} as const;

export function exitHelpText(command: keyof typeof EXIT_HELP): string {
  return `\nExit codes:\n${EXIT_HELP[command].map((line) => `  ${line}`).join('\n')}\n`;
}
