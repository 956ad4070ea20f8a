/**
 * Captures everything a test's code writes: `process.stdout`/`process.stderr` (where Powertools'
 * Logger and Metrics write through their own `Console`) and the global `console` methods (where
 * WebClient, the AWS SDK or a stray `console.log` would write). Nothing reaches the terminal
 * while it is installed, which also keeps the handler's JSON lines out of the test report.
 */
export interface OutputCapture {
  /** Every line written so far, in order, from any of the captured sinks. */
  readonly lines: readonly string[];
  /** The lines that are JSON objects, parsed. */
  jsonLines(): Record<string, unknown>[];
  /** Puts every sink back. */
  restore(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function captureOutput(): OutputCapture {
  const lines: string[] = [];
  const record = (text: string): void => {
    lines.push(...text.split('\n').filter((line) => line !== ''));
  };
  const toText = (chunk: unknown): string =>
    typeof chunk === 'string'
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk).toString('utf8')
        : '';
  const streamSpies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => {
      record(toText(chunk));
      return true;
    }),
  );
  const consoleSpies = CONSOLE_METHODS.map((method) =>
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      record(
        args.map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)))).join(' '),
      );
    }),
  );
  return {
    lines,
    jsonLines: () => lines.flatMap((line) => parseObject(line)),
    restore: () => {
      for (const spy of [...streamSpies, ...consoleSpies]) spy.mockRestore();
    },
  };
}

function parseObject(line: string): Record<string, unknown>[] {
  if (!line.startsWith('{')) return [];
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null ? [parsed as Record<string, unknown>] : [];
  } catch {
    return [];
  }
}
