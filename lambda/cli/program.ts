import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import packageJson from '../../package.json';
import { FileLedgerCorruptError } from '../adapters/file-ledger';
import { redactToken } from '../adapters/slack/redact-token';
import { runDemo } from '../demo/run-demo';
import { type CliDeps } from './cli-deps';
import { CliUsageError, EXIT, type ExitCode } from './cli-io';
import { tryParseUtcDate } from '../domain/dates';
import { auditCommand } from './audit-command';
import { demoCliWorld } from './demo-world';
import { demoDigestCommand, digestCommand } from './digest-command';
import { doctorCommand } from './doctor-command';
import { exitHelpText } from './exit-help';
import { loadEngineConfig, parseAsOf, selectAccounts } from './load-config';
import { runCommand } from './run-command';
import { scanCommand } from './scan-command';

/**
 * Every byte the CLI prints passes through here: the Slack token is replaced wherever it occurs
 * (a command's result, an error from AWS or Slack, a library's log line). SPEC §10.
 */
function withRedactedOutput(deps: CliDeps): CliDeps {
  const token = deps.env.SLACK_BOT_TOKEN ?? '';
  if (token === '') return deps;
  return {
    ...deps,
    io: {
      ...deps.io,
      stdout: (text) => deps.io.stdout(redactToken(text, token)),
      stderr: (text) => deps.io.stderr(redactToken(text, token)),
    },
  };
}

/** The package version, so `--version` cannot drift from package.json. */
export const CLI_VERSION: string = packageJson.version;

interface CommonFlags {
  readonly config: string;
  readonly account: string[];
  readonly demo?: boolean;
}

function parseCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  if (value.trim() === '') throw new InvalidArgumentError('expected an account id or name from the config');
  return [...previous, value];
}

/**
 * Runs the `access-key-enforcer` command line with injected dependencies; returns the exit code
 * (0 ok, 1 a failure was found, 2 the command could not run as asked). Never calls process.exit.
 */
export async function runCli(argv: readonly string[], givenDeps: CliDeps): Promise<ExitCode> {
  const deps = withRedactedOutput(givenDeps);
  let code: ExitCode = EXIT.ok;
  const program = new Command('access-key-enforcer')
    .description('Makes AWS teams rotate IAM access keys: inventory, enforcement runs and setup checks.')
    .version(CLI_VERSION)
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({ writeOut: deps.io.stdout, writeErr: deps.io.stderr })
    .addHelpText('after', exitHelpText('program'));

  const common = (command: Command): Command =>
    command
      .option('-c, --config <path>', 'config file (the one `cdk deploy` uses)', 'enforcer.config.json')
      .option('--account <id|name>', 'only this account, by id or config name (repeatable)', collect, [])
      .option('--demo', 'use the simulated organisation of `npm start` instead of AWS');

  const prepare = (flags: CommonFlags): { config: ReturnType<typeof loadEngineConfig>; deps: CliDeps } => {
    if (flags.demo) {
      const world = demoCliWorld(deps);
      return { config: selectAccounts(world.config, flags.account), deps: world.deps };
    }
    return { config: selectAccounts(loadEngineConfig(flags.config, deps.readFile), flags.account), deps };
  };

  common(program.command('scan').description('read-only inventory of every key, its age and next milestone'))
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .option('--as-of <date>', 'look at the keys as on this UTC date (YYYY-MM-DD)')
    .addOption(
      new Option('--fail-on <level>', 'exit 1 when any key is at this level or worse').choices([
        'overdue',
        'warning',
      ]),
    )
    .option('--state <file>', 'read what was already sent from this state file (read-only)')
    .option('--table <name>', 'read what was already sent from this DynamoDB ledger table')
    .addHelpText('after', exitHelpText('scan'))
    .action(
      async (
        flags: CommonFlags & {
          format: 'table' | 'json' | 'csv';
          asOf?: string;
          failOn?: 'overdue' | 'warning';
          state?: string;
          table?: string;
        },
      ) => {
        const { config, deps: d } = prepare(flags);
        const asOf = parseAsOf(flags.asOf);
        code = await scanCommand(
          config,
          {
            format: flags.format,
            ...(asOf ? { asOf } : {}),
            ...(flags.failOn ? { failOn: flags.failOn } : {}),
            ...(flags.state ? { state: flags.state } : {}),
            ...(flags.table ? { table: flags.table } : {}),
          },
          d,
        );
      },
    );

  common(program.command('audit').description("export the ledger's audit trail: every action taken, per key"))
    .requiredOption('--since <date>', 'first UTC date exported (YYYY-MM-DD)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--state <file>', 'the ledger in this state file (read-only)')
    .option('--table <name>', 'the ledger in this DynamoDB table (read-only)')
    .addHelpText('after', exitHelpText('audit'))
    .action(
      async (
        flags: CommonFlags & { since: string; format: 'csv' | 'json'; state?: string; table?: string },
      ) => {
        const since = flags.since;
        if (!tryParseUtcDate(since))
          throw new CliUsageError(`--since ${since}: expected a date like 2027-01-31`);
        const { config, deps: d } = prepare(flags);
        code = await auditCommand(
          config,
          {
            since,
            format: flags.format,
            ...(flags.state ? { state: flags.state } : {}),
            ...(flags.table ? { table: flags.table } : {}),
          },
          d,
        );
      },
    );

  common(program.command('run').description('one enforcement run, exactly as the Lambda does it'))
    .option('--dry-run', 'print planned actions; change, send and record nothing', false)
    .option('--as-of <date>', 'act as if today were this UTC date (YYYY-MM-DD)')
    .option('--state <file>', 'ledger in a local JSON file (created if missing; crash-safe)')
    .option('--table <name>', 'ledger in this DynamoDB table (the deployed one)')
    .option(
      '--max-deactivations <n>',
      'circuit breaker limit for this run only, after reviewing the list (default: policy.maxDeactivationsPerRun)',
      parseCount,
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', exitHelpText('run'))
    .action(
      async (
        flags: CommonFlags & {
          dryRun: boolean;
          asOf?: string;
          state?: string;
          table?: string;
          maxDeactivations?: number;
          format: 'text' | 'json';
        },
      ) => {
        const asOf = parseAsOf(flags.asOf);
        if (asOf && !flags.dryRun) {
          // SPEC §6: a run that changes or sends anything acts at the real time; a preview that
          // marked milestones done "as of" a later date would skip real reminders.
          throw new CliUsageError(
            `--as-of ${asOf} needs --dry-run: a real run always acts at the real time (preview with run --dry-run --as-of ${asOf})`,
          );
        }
        const { config, deps: d } = prepare(flags);
        code = await runCommand(
          config,
          {
            dryRun: flags.dryRun,
            format: flags.format,
            ...(asOf ? { asOf } : {}),
            ...(flags.state ? { state: flags.state } : {}),
            ...(flags.table ? { table: flags.table } : {}),
            ...(flags.maxDeactivations !== undefined ? { maxDeactivations: flags.maxDeactivations } : {}),
          },
          d,
        );
      },
    );

  common(
    program
      .command('digest')
      .description("print this week's compliance digest as the channel gets it; sends and changes nothing"),
  )
    .option('--as-of <date>', 'the digest as on this UTC date (YYYY-MM-DD)')
    .option('--state <file>', 'compare with last week from this state file (read-only)')
    .option('--table <name>', 'compare with last week from this DynamoDB ledger table (read-only)')
    .addHelpText('after', exitHelpText('digest'))
    .action(async (flags: CommonFlags & { asOf?: string; state?: string; table?: string }) => {
      const asOf = parseAsOf(flags.asOf);
      if (flags.demo && !flags.state && !flags.table && !asOf) {
        code = await demoDigestCommand(deps);
        return;
      }
      const { config, deps: d } = prepare(flags);
      code = await digestCommand(
        config,
        {
          ...(asOf ? { asOf } : {}),
          ...(flags.state ? { state: flags.state } : {}),
          ...(flags.table ? { table: flags.table } : {}),
        },
        d,
      );
    });

  common(
    program
      .command('doctor')
      .description('check config, roles, permissions, Slack and user tags; changes nothing'),
  )
    .addHelpText('after', exitHelpText('doctor'))
    .action(async (flags: CommonFlags) => {
      const { config, deps: d } = prepare(flags);
      code = await doctorCommand(config, d);
    });

  program
    .command('demo')
    .description('the enforcer over a simulated organisation for 30 days (what `npm start` runs)')
    .option('--days <n>', 'days to simulate', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 365) throw new InvalidArgumentError('expected 1 to 365');
      return n;
    })
    .addHelpText('after', exitHelpText('demo'))
    .action(async (flags: { days?: number }) => {
      await runDemo({
        write: (line) => deps.io.stdout(`${line}\n`),
        ...(flags.days ? { days: flags.days } : {}),
      });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; bad flags with a message already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    // A state file that is not a ledger is bad input the operator must fix, like a bad flag: exit 2.
    if (error instanceof CliUsageError || error instanceof FileLedgerCorruptError) {
      deps.io.stderr(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    deps.io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
