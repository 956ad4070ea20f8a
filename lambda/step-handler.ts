import { S3RunStore } from './adapters/aws/s3-run-store';
import { SqsOutboxQueue } from './adapters/aws/sqs-outbox';
import { ENV } from './config/environment';
import { defaultDeps, MissingEnvironmentError } from './runtime/default-deps';
import { createStepHandler } from './runtime/step-handlers';

/** The state machine's entry point. Dependencies are built on first invocation, once per container. */
export const handler = createStepHandler(() => {
  const bucketName = process.env[ENV.runBucketName];
  if (!bucketName) throw new MissingEnvironmentError(ENV.runBucketName);
  // Set by the stack with the state machine: the act step then queues its notices (issue 12 item 4).
  const queueUrl = process.env[ENV.outboxQueueUrl];
  return {
    ...defaultDeps(process.env),
    store: new S3RunStore({ bucketName }),
    ...(queueUrl ? { outbox: new SqsOutboxQueue({ queueUrl }) } : {}),
  };
});
