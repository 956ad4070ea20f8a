import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';

import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig, type EnforcerConfigInput } from '../../lambda/config/schema';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { type RunReport } from '../../lambda/engine/run-report';
import { MemoryRunStore } from '../../lambda/engine/steps/run-store';
import { STORED_FORM } from '../../lambda/engine/steps/run-store-codec';
import { type InvocationContext } from '../../lambda/handler';
import { type RunLogger, type RunMetrics } from '../../lambda/runtime/run-telemetry';
import { createStepHandler, type RunVerdict } from '../../lambda/runtime/step-handlers';
import { generateOrg, ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { type SimulatedOrg } from '../../lambda/simulation/simulated-org';
import { buildApp, configWithDeploy } from '../lib/support/cdk-app';

/**
 * The state machine exactly as `cdk synth` writes it, executed by aws-local-stepfunctions with
 * every Task bound in-process to the real step handler (`createStepHandler`) over a simulated
 * organisation. Only the Lambda hop is replaced: the definition, its Maps, Retry and Catch are
 * the synthesized ones.
 */

/** aws-local-stepfunctions 3.x needs Node 22 (`Promise.withResolvers`); CI runs this on Node 24. */
export const INTERPRETER_RUNS = typeof (Promise as { withResolvers?: unknown }).withResolvers === 'function';

export const TASK_STATES = [
  'ListTargets',
  'PlanAccount',
  'RecordPlanFailure',
  'ApplyBreaker',
  'ActOnAccount',
  'RecordActFailure',
  'Report',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The hub stack's state machine definition in state-machine mode, intrinsic functions resolved. */
export function synthesizedDefinition(run: Record<string, unknown> = {}): Record<string, Json> {
  const { stacks } = buildApp(configWithDeploy({ run: { mode: 'state-machine', ...run } }));
  const template = Template.fromStack(stacks.hub);
  const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  if (machines.length !== 1) throw new Error(`expected one state machine, found ${machines.length}`);
  const definition = (machines[0] as { Properties: { DefinitionString: unknown } }).Properties
    .DefinitionString;
  return JSON.parse(resolveIntrinsics(definition)) as Record<string, Json>;
}

/** `Fn::Join` of strings and ARNs, as CloudFormation would render it for one fake account. */
function resolveIntrinsics(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsics).join(separator);
  }
  if ('Fn::GetAtt' in object) {
    const [logicalId] = object['Fn::GetAtt'] as [string, string];
    return `arn:aws:lambda:eu-central-1:111111111111:function:${logicalId}`;
  }
  if ('Ref' in object) return String(object.Ref).replace(/^AWS::/, 'pseudo-');
  throw new Error(`unexpected intrinsic in the definition: ${JSON.stringify(value)}`);
}

/** A logger and metrics sink that keep what they were given. */
export class Telemetry implements RunLogger, RunMetrics {
  readonly lines: { level: string; message: string; extra: Record<string, unknown> }[] = [];
  readonly metrics: { name: string; value: number }[] = [];
  info(message: string, extra: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, extra });
  }
  warn(message: string, extra: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, extra });
  }
  error(message: string, extra: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, extra });
  }
  addMetric(name: string, _unit: 'Count', value: number): void {
    this.metrics.push({ name, value });
  }
  publishStoredMetrics(): void {}
}

export const TODAY = new Date('2027-03-01T08:00:00.000Z');

/** One deployment over one simulated organisation: its IAM, Slack, ledger, clock and run store. */
export class StateMachineWorld {
  readonly clock = new ManualClock(TODAY);
  readonly org: SimulatedOrg;
  readonly slack: SimulatedSlack;
  readonly ledger = new MemoryLedger();
  /** Documents pass through their stored (S3) form, so nothing survives that JSON would lose. */
  readonly store = new MemoryRunStore(STORED_FORM);
  readonly telemetry = new Telemetry();
  /** The engine config; a test may replace it between runs, as a redeploy would. */
  config: EnforcerConfig;
  /** Calls made to each Task state, and the handler's answer or error. */
  readonly taskCalls: { state: TaskState; input: unknown; error?: string }[] = [];
  private readonly overrides = new Map<
    string,
    (input: Record<string, unknown>) => Promise<unknown> | undefined
  >();

  constructor(options: {
    readonly seed: number | string;
    readonly accounts: number;
    readonly usersPerAccount?: number;
    readonly config?: Partial<EnforcerConfigInput>;
  }) {
    this.org = generateOrg({
      seed: options.seed,
      today: TODAY,
      accounts: options.accounts,
      usersPerAccount: options.usersPerAccount ?? 2,
    });
    this.slack = new SimulatedSlack({
      clock: this.clock,
      members: this.org.slack.members,
      inactiveMembers: this.org.slack.inactiveMembers,
    });
    this.config = parseConfig({
      accounts: this.org.accounts.map((a) => ({ ...a })),
      slack: { infraChannel: 'C0INFRA01' },
      policy: { maxDeactivationsPerRun: 10_000 },
      ...options.config,
    });
  }

  /**
   * Makes one Task state misbehave for some inputs: `fn` returns a promise to use instead of the
   * step handler (e.g. a rejection like Lambda's), or `undefined` to let the handler run.
   */
  intercept(state: TaskState, fn: (input: Record<string, unknown>) => Promise<unknown> | undefined): void {
    this.overrides.set(state, fn);
  }

  /** Runs the synthesized definition as an execution named `runId` with `input`. */
  async execute(definition: Record<string, Json>, runId: string, input: Json = {}): Promise<RunVerdict> {
    const handler = createStepHandler({
      config: this.config,
      reader: this.org.iam,
      deactivator: this.org.iam,
      ledger: this.ledger,
      clock: this.clock,
      notifier: () => Promise.resolve(this.slack),
      logger: this.telemetry,
      metrics: this.telemetry,
      store: this.store,
    });
    const context: InvocationContext = { getRemainingTimeInMillis: () => 600_000 };
    const local = Object.fromEntries(
      TASK_STATES.map((state) => [
        state,
        async (taskInput: Json): Promise<Json> => {
          const call: (typeof this.taskCalls)[number] = { state, input: taskInput };
          this.taskCalls.push(call);
          try {
            const replaced = this.overrides.get(state)?.(taskInput as Record<string, unknown>);
            return (await (replaced ?? handler(taskInput, context))) as Json;
          } catch (error) {
            call.error = error instanceof Error ? error.name : String(error);
            throw error;
          }
        },
      ]),
    );
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const execution = machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: local,
        // Retries happen as defined; only their waits are cut, so tests stay fast.
        retryIntervalOverrides: Object.fromEntries(TASK_STATES.map((state) => [state, 0])),
      },
      context: { Execution: { Name: runId, Input: input } },
    });
    const result = (await execution.result) as unknown as { report: RunVerdict };
    return result.report;
  }

  /** The same organisation run in one process by `runEnforcement`, as the CLI and single Lambda do. */
  runInProcess(runId: string): Promise<RunReport> {
    return runEnforcement(
      this.config,
      {
        reader: this.org.iam,
        deactivator: this.org.iam,
        notifier: this.slack,
        ledger: this.ledger,
        clock: this.clock,
      },
      { runId },
    );
  }

  /** Every message Slack accepted, as recipient and text, sorted: workers interleave differently. */
  sentMessages(): string[] {
    return this.slack.deliveries
      .map(
        (d) =>
          `${d.to.kind === 'dm' ? d.to.slackId : 'channel'}${d.threadTs ? ' (reply)' : ''}: ${d.message.text}`,
      )
      .sort();
  }

  /** Keys set Inactive, as `account/user/key`, sorted. */
  deactivatedKeys(): string[] {
    return this.org.accounts
      .flatMap((account) =>
        this.org.iam
          .listUsers(account.id)
          .flatMap((user) =>
            user.keys
              .filter((key) => key.status === 'Inactive')
              .map((key) => `${account.id}/${user.userName}/${key.accessKeyId}`),
          ),
      )
      .sort();
  }
}
