import { defaultCliDeps } from '../lambda/cli/cli-deps';
import { runCli } from '../lambda/cli/program';

void runCli(process.argv.slice(2), defaultCliDeps()).then((code) => {
  process.exitCode = code;
});
