import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { type CliDeps } from '../../lambda/cli/cli-deps';
import { runCli } from '../../lambda/cli/program';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Deps that fail loudly if a test forgets to inject what a command uses: nothing reaches AWS or Slack. */
export function testDeps(overrides: Partial<CliDeps> = {}): CliDeps & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const refuse = (what: string) => (): never => {
    throw new Error(`test did not inject ${what}`);
  };
  return {
    out,
    err,
    io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), stderrIsTty: false },
    env: {},
    clock: { now: () => new Date('2027-03-01T09:00:00.000Z') },
    iam: refuse('iam'),
    notifier: refuse('notifier'),
    slackProbe: refuse('slackProbe'),
    dynamoLedger: () => new MemoryLedger(),
    fileLedger: refuse('fileLedger'),
    ...overrides,
  };
}

export async function cli(
  args: string[],
  deps: ReturnType<typeof testDeps> = testDeps(),
): Promise<CliResult> {
  const code = await runCli(args, deps);
  return { code, stdout: deps.out.join(''), stderr: deps.err.join('') };
}
