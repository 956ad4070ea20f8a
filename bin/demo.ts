import { runDemo } from '../lambda/demo/run-demo';

// `npm start`: the enforcer's daily job over the embedded simulated organisation.
runDemo({ write: (line) => process.stdout.write(`${line}\n`) }).catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
