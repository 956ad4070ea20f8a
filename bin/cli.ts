import { defaultCliDeps } from '../lambda/cli/cli-deps';
import { runCli } from '../lambda/cli/program';

// On Node < 22 the AWS SDK warns that its releases after early January 2027 need Node 22
// (aws/aws-sdk-js-v3#7983). The README states that plan; in the CLI the warning would only wedge
// itself into the progress on stderr. The SDK's own switch, and only when the user has not set it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `scan | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

void runCli(process.argv.slice(2), defaultCliDeps()).then((code) => {
  process.exitCode = code;
});
