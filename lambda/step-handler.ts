import { S3RunStore } from './adapters/aws/s3-run-store';
import { ENV } from './config/environment';
import { defaultDeps, MissingEnvironmentError } from './runtime/default-deps';
import { createStepHandler } from './runtime/step-handlers';

/** The state machine's entry point. Dependencies are built on first invocation, once per container. */
export const handler = createStepHandler(() => {
  const bucketName = process.env[ENV.runBucketName];
  if (!bucketName) throw new MissingEnvironmentError(ENV.runBucketName);
  return { ...defaultDeps(process.env), store: new S3RunStore({ bucketName }) };
});
