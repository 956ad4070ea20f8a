import { SQSClient } from '@aws-sdk/client-sqs';

import { SqsOutboxQueue } from '../../lambda/adapters/aws/sqs-outbox';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig, type EnforcerConfigInput } from '../../lambda/config/schema';
import { DAY_MS, HOUR_MS } from '../../lambda/domain/dates';
import { type KeyRecord } from '../../lambda/domain/ledger-records';
import { runEnforcement, type RunOptions } from '../../lambda/engine/run-enforcement';
import { type RunReport } from '../../lambda/engine/run-report';
import { createOutboxSender } from '../../lambda/outbox/outbox-sender-handler';
import { OUTBOX_SENDER } from '../../lambda/outbox/sender-settings';
import { type Notifier } from '../../lambda/ports';
import { ManualClock, SimulatedIam, SimulatedSlack } from '../../lambda/simulation';
import { type SimulatedOrg } from '../../lambda/simulation/simulated-org';
import { Telemetry } from '../runtime/state-machine-harness';
import {
  drainQueue,
  type DrainResult,
  type EventSourceOptions,
  type FifoQueue,
  type SqsStandIn,
  startSqsStandIn,
} from '../support/sqs-stand-in';

export const PROD = { id: '111111111111', name: 'prod' };
export const START = new Date('2027-03-01T08:00:00.000Z');

/**
 * The state machine's way of sending, in one process: the act step (through `runEnforcement` with
 * an outbox queue) writes to a FIFO queue in the SQS stand-in, and the outbox sender's handler
 * drains it as Lambda's event source would, on one manual clock shared by the ledger, the queue
 * and Slack. Slack is in memory by default; a test passes a notifier factory for the real adapter.
 */
export class OutboxWorld {
  readonly clock = new ManualClock(START);
  readonly iam: SimulatedIam;
  readonly ledger = new MemoryLedger();
  readonly slack: SimulatedSlack;
  readonly telemetry = new Telemetry();
  config: EnforcerConfig;
  queue!: FifoQueue;
  deadLetters!: FifoQueue;
  private sqs!: SqsStandIn;
  private client!: SQSClient;
  private outbox!: SqsOutboxQueue;

  private constructor(config: Partial<EnforcerConfigInput>, members: readonly string[], org?: SimulatedOrg) {
    this.iam = org?.iam ?? new SimulatedIam({ clock: this.clock });
    this.slack = new SimulatedSlack({
      clock: this.clock,
      members: org?.slack.members ?? members,
      inactiveMembers: org?.slack.inactiveMembers ?? [],
    });
    if (!org) this.iam.addAccount(PROD.id);
    this.config = parseConfig({
      accounts: org ? org.accounts.map((a) => ({ ...a })) : [PROD],
      // The report step posts the digests itself, never through the outbox: out of this world.
      slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
      digest: { weekly: { enabled: false } },
      ...config,
    });
  }

  static async start(
    options: {
      readonly config?: Partial<EnforcerConfigInput>;
      readonly members?: readonly string[];
      readonly maxReceiveCount?: number;
      /** A simulated organisation instead of one empty account (`prod`). */
      readonly org?: SimulatedOrg;
    } = {},
  ): Promise<OutboxWorld> {
    const world = new OutboxWorld(
      options.config ?? {},
      options.members ?? ['U0ALICE01', 'U0BOB0001'],
      options.org,
    );
    world.sqs = await startSqsStandIn({ now: () => world.clock.now().getTime() });
    world.deadLetters = world.sqs.createQueue({ name: 'outbox-dlq.fifo' }).queue;
    const { queue, url } = world.sqs.createQueue({
      name: 'outbox.fifo',
      visibilityTimeoutSeconds: OUTBOX_SENDER.visibilityTimeoutSeconds,
      maxReceiveCount: options.maxReceiveCount ?? OUTBOX_SENDER.maxReceiveCount,
      deadLetterQueue: world.deadLetters,
    });
    world.queue = queue;
    world.client = new SQSClient({
      region: 'eu-central-1',
      endpoint: world.sqs.url,
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    });
    world.outbox = new SqsOutboxQueue({ queueUrl: url, client: world.client });
    return world;
  }

  async close(): Promise<void> {
    this.client.destroy();
    await this.sqs.close();
  }

  /** An engineer whose only key is `age` days old now. */
  engineer(userName: string, slackId: string | undefined, age: number): string {
    this.iam.addUser(PROD.id, userName, {
      type: 'engineer',
      ...(slackId ? { 'slack-id': slackId } : {}),
      'full-name': userName,
    });
    const created = new Date(this.clock.now().getTime() - age * DAY_MS - HOUR_MS);
    return this.iam.createAccessKey(PROD.id, userName, created).accessKeyId;
  }

  /** One run whose act step queues its notices (the state machine's way); `inProcess`: sent at once. */
  run(options: RunOptions & { readonly inProcess?: boolean } = {}): Promise<RunReport> {
    const { inProcess, ...runOptions } = options;
    return runEnforcement(
      this.config,
      {
        reader: this.iam,
        deactivator: this.iam,
        notifier: this.slack,
        ledger: this.ledger,
        clock: this.clock,
        ...(inProcess ? {} : { outbox: this.outbox }),
      },
      runOptions,
    );
  }

  /** The sender drains the queue, one invocation at a time, until nothing is left or waiting. */
  drain(
    options: Partial<EventSourceOptions> & { readonly notifier?: () => Notifier } = {},
  ): Promise<DrainResult> {
    const notifier = options.notifier ?? (() => this.slack);
    const handler = createOutboxSender({
      config: this.config,
      ledger: this.ledger,
      clock: this.clock,
      notifier: () => Promise.resolve(notifier()),
      visibility: this.outbox,
      logger: this.telemetry,
      metrics: this.telemetry,
    });
    return drainQueue(this.queue, handler, {
      batchSize: OUTBOX_SENDER.batchSize,
      clock: this.clock,
      functionTimeoutMs: OUTBOX_SENDER.timeoutSeconds * 1000,
      ...options,
    });
  }

  async key(accessKeyId: string): Promise<KeyRecord | undefined> {
    return this.ledger.readKey(PROD.id, accessKeyId);
  }

  dms(slackId: string): string[] {
    return this.slack.messagesTo(slackId).map((d) => d.message.text);
  }

  /** Sum of a metric over every batch. */
  metric(name: string): number {
    return this.telemetry.metrics.filter((m) => m.name === name).reduce((sum, m) => sum + m.value, 0);
  }

  logged(message: string): Record<string, unknown>[] {
    return this.telemetry.lines.filter((l) => l.message === message).map((l) => l.extra);
  }
}
