// The CDK app: `npx cdk synth` / `npx cdk deploy <stack>`; `-c config=path.json` picks the config.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

import { ConfigValidationError } from '../lambda/config/parse-config';
import { loadAppConfig } from '../lib/config/app-config';
import { addEnforcerStacks } from '../lib/enforcer-app';

function main(): void {
  const app = new App();
  const configPath: unknown = app.node.tryGetContext('config');
  const config = loadAppConfig(typeof configPath === 'string' ? configPath : 'enforcer.config.json');
  addEnforcerStacks(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

try {
  main();
} catch (error) {
  // A config mistake is the user's to fix: show the named fields, not a stack trace.
  if (!(error instanceof ConfigValidationError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
