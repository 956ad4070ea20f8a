import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

import { SqsOutboxQueue } from '../../lambda/adapters/aws/sqs-outbox';
import { ENV } from '../../lambda/config/environment';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { createOutboxSender } from '../../lambda/outbox/outbox-sender-handler';
import { OUTBOX_SENDER } from '../../lambda/outbox/sender-settings';
import { defaultDeps, MissingEnvironmentError } from '../../lambda/runtime/default-deps';
import { outboxSenderDeps } from '../../lambda/runtime/outbox-sender-deps';
import { ManualClock } from '../../lambda/simulation/manual-clock';
import { drainQueue, type SqsStandIn, startSqsStandIn } from '../support/sqs-stand-in';
import {
  ACCOUNTS,
  dayAt,
  e2eSuite,
  engineer,
  handlerEnv,
  INFRA_CHANNEL,
  PEOPLE,
  setProcessEnv,
} from './handler-world';

const ALICE_KEY = 'AKIAALPHAALICE000001';

/**
 * The state machine's way of sending, with the deployed wiring: the act step with the SQS
 * outbox (its client configured from the environment, as in Lambda) and the sender built by
 * `outboxSenderDeps(env)` — DynamoDB (a local one), the token from Secrets Manager (mocked), the
 * SQS stand-in, the loopback Slack. The pacer runs in real time: it really waits between posts.
 */
describe('the deployed outbox sender, end to end', () => {
  const suite = e2eSuite();
  let sqs: SqsStandIn;
  let restoreEnv: () => void;

  beforeAll(async () => {
    sqs = await startSqsStandIn({ now: Date.now });
    restoreEnv = setProcessEnv({ AWS_ENDPOINT_URL_SQS: sqs.url });
  });
  afterAll(async () => {
    restoreEnv();
    await sqs.close();
  });

  it('delivers what the act step queued, through DynamoDB, Secrets Manager, SQS and Slack', async () => {
    const world = await suite.createWorld({
      users: { [ACCOUNTS[0].id]: [engineer('alice', PEOPLE.alice, ALICE_KEY)] },
    });
    await world.history(0);
    const { queue, url } = sqs.createQueue({
      name: 'outbox.fifo',
      visibilityTimeoutSeconds: OUTBOX_SENDER.visibilityTimeoutSeconds,
    });
    const env = { ...handlerEnv(world.tableName, suite.servers.slack.url), [ENV.outboxQueueUrl]: url };
    const deps = defaultDeps(env);
    const clock = new ManualClock(dayAt(76));

    await runEnforcement(deps.config, {
      ...deps,
      notifier: await deps.notifier(() => 600_000),
      clock,
      outbox: new SqsOutboxQueue({ queueUrl: url }),
    });
    expect(suite.servers.slack.requests).toEqual([]);
    expect(queue.depth).toBe(1);

    const drained = await drainQueue(
      queue,
      // The deployed wiring, unchanged but for the clock (the run's day, as the handler tests do).
      createOutboxSender(() => ({ ...outboxSenderDeps(env), clock })),
      {
        batchSize: OUTBOX_SENDER.batchSize,
        clock: { now: () => new Date(), set: () => undefined },
        functionTimeoutMs: OUTBOX_SENDER.timeoutSeconds * 1000,
      },
    );

    expect(drained).toEqual({ invocations: 1, failedInvocations: 0 });
    expect(queue.depth).toBe(0);
    expect(suite.servers.slack.requests.map((r) => [r.method, r.body.users ?? r.body.channel])).toEqual([
      ['conversations.open', PEOPLE.alice],
      ['chat.postMessage', `D${PEOPLE.alice}`],
      ['chat.postMessage', INFRA_CHANNEL],
      ['chat.postMessage', INFRA_CHANNEL],
    ]);
    const [parent, reply] = suite.servers.slack.requests.slice(2);
    expect(reply!.receivedAt - parent!.receivedAt).toBeGreaterThanOrEqual(1000);
    const item = (await world.ledgerItems()).find((i) => i.sk === `KEY#${ALICE_KEY}`);
    expect(item?.milestones).toEqual({
      '76': {
        outcome: 'sent',
        on: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string,
        deliveredTo: 'owner',
        deliveredAt: expect.any(String) as string,
        ts: expect.any(String) as string,
      },
    });
    expect(item?.queued).toBeUndefined();
    expect(world.org.secretsMock.commandCalls(GetSecretValueCommand)).not.toHaveLength(0);
  });

  it('refuses to start without the queue’s URL, naming the variable', () => {
    const env = handlerEnv('table', 'https://slack.com/api/');

    expect(() => outboxSenderDeps(env)).toThrow(MissingEnvironmentError);
    expect(() => outboxSenderDeps(env)).toThrow(ENV.outboxQueueUrl);
  });
});
