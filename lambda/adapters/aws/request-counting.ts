import { type IAMClient } from '@aws-sdk/client-iam';
import { type STSClient } from '@aws-sdk/client-sts';

const MIDDLEWARE_NAME = 'accessKeyEnforcerRequestCounter';

/**
 * Counts every HTTP request a client sends, as `<service>:<Operation>`, from inside the SDK's own
 * middleware stack. It sits in `finalizeRequest` after the SDK's retry middleware, so each attempt
 * that reaches the wire is one count, whoever retried it (our loop or the SDK), and nothing that
 * never left (a request refused by the client-side rate limiter) is counted.
 */
export function countRequests(
  client: IAMClient | STSClient,
  service: 'iam' | 'sts',
  record: (operation: string, input: unknown) => void,
): void {
  const stack = client.middlewareStack as unknown as CountingStack;
  // A client handed to a second gateway keeps counting for the first: a stack takes one counter.
  if (stack.identify().some((entry) => entry.startsWith(MIDDLEWARE_NAME))) return;
  stack.add(
    (next, context) => (args) => {
      record(`${service}:${context.commandName.replace(/Command$/, '')}`, args.input);
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME },
  );
}

/** The account id in a role ARN (`arn:<partition>:iam::<account>:role/<name>`), for STS counts. */
export function accountOfRoleArn(input: unknown): string {
  const arn = (input as { RoleArn?: unknown } | undefined)?.RoleArn;
  return typeof arn === 'string' ? (arn.split(':')[4] ?? 'unknown') : 'unknown';
}

/** The slice of the SDK's `MiddlewareStack` used here, without its wide generic parameters. */
interface CountingStack {
  identify(): string[];
  add(
    middleware: (
      next: (args: { input: unknown }) => Promise<unknown>,
      context: { commandName: string },
    ) => (args: { input: unknown }) => Promise<unknown>,
    options: { step: 'finalizeRequest'; priority: 'low'; name: string },
  ): void;
}
