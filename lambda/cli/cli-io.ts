/** Exit codes: 0 all good, 1 the command ran and found a failure, 2 the command could not run as asked. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where a command writes: results to stdout (pipeable), progress and errors to stderr. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stderr is a terminal: progress may redraw one line. */
  readonly stderrIsTty: boolean;
}

/** The command cannot run as asked (bad flag value, missing file): exit 2 with a message saying what to do. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
