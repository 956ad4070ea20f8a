import { z } from 'zod';

import { type EnforcerConfig } from '../../lambda/config/schema';

/**
 * `deploy.run`: how the daily run executes in AWS (issue 12 item 5). The engine is the same in
 * both modes (lambda/engine/steps); only who calls the steps differs.
 */
export const RunSchema = z.strictObject({
  /**
   * `single-lambda`: the schedule invokes one Lambda that runs the five steps in-process (the
   * product's original shape). `state-machine`: the schedule starts a Step Functions state
   * machine that plans and acts on each account in its own Lambda invocation. `auto` picks
   * single-lambda while the organisation fits one invocation with room to spare
   * ({@link SINGLE_LAMBDA_LIMITS}). @default "auto"
   */
  mode: z.enum(['auto', 'single-lambda', 'state-machine']).default('auto'),
  /**
   * IAM users you expect per account, for `auto`'s choice only (the stack cannot count them).
   * @default 50
   */
  expectedUsersPerAccount: z.number().int().min(1).max(100_000).default(50),
  /**
   * Accounts planned at once by the state machine's plan Map. IAM's rate is per account, so
   * accounts read side by side do not slow each other; each uses one of the hub's Lambda
   * concurrency while it runs. `npm run bench:org` measures 1,000 accounts × 5,000 users in about
   * 9 minutes at 200 (the one in seven that sweeps today takes 8–9 minutes on its own, listed
   * first), and about 35 at 40. Lower it when the hub account's Lambda concurrency quota is small.
   * @default 200
   */
  planConcurrency: z.number().int().min(1).max(1000).default(200),
  /**
   * Accounts acted on at once by the state machine's act Map. The act steps queue their Slack
   * notices for the outbox's one sender (issue 12 item 4), so this is bound by IAM and the ledger,
   * not by Slack's pace. At 4, 1,000 accounts take over 4 minutes to act on. @default 40
   */
  actConcurrency: z.number().int().min(1).max(1000).default(40),
});
export type RunConfig = z.infer<typeof RunSchema>;

/**
 * Where one 15-minute invocation still has room to spare. docs/cost.md measures about 2 s of wall
 * time per account on the daily fast path at 4 accounts at once: 100 accounts take under a
 * minute. A first scan or weekly sweep lists every user's keys (one `ListAccessKeys` each, at
 * most about 10 a second per account): 5,000 users take 8–9 minutes (`npm run bench:org`), over
 * half the limit. Past either bound, the state machine gives every account its own 15 minutes.
 */
export const SINGLE_LAMBDA_LIMITS = { accounts: 100, users: 5_000 } as const;

/** The mode the stack deploys and the reason `cdk synth` prints. */
export interface RunModeChoice {
  readonly mode: 'single-lambda' | 'state-machine';
  readonly reason: string;
}

export function chooseRunMode(
  engine: Pick<EnforcerConfig, 'accounts' | 'organization'>,
  run: RunConfig,
): RunModeChoice {
  if (run.mode !== 'auto') return { mode: run.mode, reason: `deploy.run.mode is "${run.mode}"` };
  if (engine.organization?.enabled === true) {
    return {
      mode: 'state-machine',
      reason:
        'deploy.run.mode is "auto" and accounts are discovered from AWS Organizations: their number is ' +
        'unknown at synth and grows without a redeploy (set deploy.run.mode to "single-lambda" for a small organisation)',
    };
  }
  const accounts = engine.accounts.length;
  const users = accounts * run.expectedUsersPerAccount;
  const fits = accounts <= SINGLE_LAMBDA_LIMITS.accounts && users <= SINGLE_LAMBDA_LIMITS.users;
  const size =
    `${accounts} accounts × ${run.expectedUsersPerAccount} expected users = ${users} users ` +
    `(one invocation: up to ${SINGLE_LAMBDA_LIMITS.accounts} accounts and ${SINGLE_LAMBDA_LIMITS.users} users)`;
  return fits
    ? {
        mode: 'single-lambda',
        reason: `deploy.run.mode is "auto" and the organisation fits one invocation: ${size}`,
      }
    : {
        mode: 'state-machine',
        reason: `deploy.run.mode is "auto" and the organisation is past one invocation: ${size}`,
      };
}
