import { defaultCliDeps } from '../lambda/cli/cli-deps';
import { runCli } from '../lambda/cli/program';

// `scan | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2), defaultCliDeps()).then((code) => {
  process.exitCode = code;
});
