import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { type OutboxMessage } from '../../lambda/domain/outbox/outbox-message';
import { type MessageOutcome } from '../../lambda/outbox/deliver-message';
import { type OutboxRecord, processOutboxBatch } from '../../lambda/outbox/process-outbox-batch';
import { ManualClock, SimulatedSlack } from '../../lambda/simulation';
import { Telemetry } from '../runtime/state-machine-harness';

const AT = '2027-03-01T08:00:00.000Z';

function record(id: string, group: string, receiveCount = 1): OutboxRecord {
  const message: OutboxMessage = {
    id,
    group,
    runId: 'run',
    queuedAt: AT,
    run: { now: AT },
    notice: {
      kind: 'channel-post',
      accountId: '111111111111',
      postId: id,
      message: { text: id, blocks: [] },
    },
  };
  return { sqsMessageId: `sqs-${id}`, receiptHandle: `receipt-${id}`, receiveCount, group, message };
}

/** The batch with a scripted outcome per message id; records which were tried and every visibility change. */
async function runBatch(
  records: readonly OutboxRecord[],
  outcomes: Readonly<Record<string, MessageOutcome>>,
  remainingTimeMs?: () => number,
) {
  const tried: string[] = [];
  const delays: [string, number][] = [];
  const telemetry = new Telemetry();
  const clock = new ManualClock(AT);
  const response = await processOutboxBatch(records, {
    config: parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } }),
    ledger: new MemoryLedger(),
    notifier: new SimulatedSlack({ clock }),
    clock,
    visibility: {
      delay: (receipt, seconds) => {
        delays.push([receipt.replace('receipt-', ''), seconds]);
        return Promise.resolve();
      },
    },
    logger: telemetry,
    metrics: telemetry,
    deliver: (message) => {
      tried.push(message.id);
      return Promise.resolve(outcomes[message.id] ?? { kind: 'delivered', to: ['channel'] });
    },
    ...(remainingTimeMs ? { remainingTimeMs } : {}),
  });
  const failed = response.batchItemFailures.map((f) => f.itemIdentifier.replace('sqs-', ''));
  return { tried, failed, delays, telemetry };
}

const slackDown: MessageOutcome = { kind: 'retry', reason: 'slack', detail: 'Slack service_unavailable' };

describe('the outbox sender’s batch', () => {
  it('sends every message in order and reports none failed', async () => {
    const { tried, failed } = await runBatch([record('a1', 'A'), record('b1', 'B'), record('a2', 'A')], {});

    expect(tried).toEqual(['a1', 'b1', 'a2']);
    expect(failed).toEqual([]);
  });

  it('after a failure, does not try the group’s later messages (FIFO order), but goes on with other groups', async () => {
    const { tried, failed, delays } = await runBatch(
      [record('a1', 'A', 2), record('b1', 'B'), record('a2', 'A'), record('b2', 'B')],
      { a1: slackDown },
    );

    expect(tried).toEqual(['a1', 'b1', 'b2']);
    expect(failed).toEqual(['a1', 'a2']);
    // 30 s doubled for a message received twice; its group follows it.
    expect(delays).toEqual([
      ['a1', 60],
      ['a2', 60],
    ]);
  });

  it('on a 429 it stops the batch: every unsent message comes back after Retry-After', async () => {
    const { tried, failed, delays } = await runBatch(
      [record('a1', 'A'), record('b1', 'B'), record('c1', 'C'), record('d1', 'D')],
      { b1: { kind: 'retry', reason: 'rate-limited', detail: 'Slack ratelimited', retryAfterMs: 12_500 } },
    );

    expect(tried).toEqual(['a1', 'b1']);
    expect(failed).toEqual(['b1', 'c1', 'd1']);
    expect(delays).toEqual([
      ['b1', 13],
      ['c1', 13],
      ['d1', 13],
    ]);
  });

  it('leaves an unreadable message to the queue’s retries and dead-letter queue, and sends the others', async () => {
    const unreadable: OutboxRecord = {
      sqsMessageId: 'sqs-bad',
      receiptHandle: 'receipt-bad',
      receiveCount: 1,
      group: 'X',
      problem: 'id: expected string',
    };

    const { tried, failed, delays, telemetry } = await runBatch([unreadable, record('a1', 'A')], {});

    expect(tried).toEqual(['a1']);
    expect(failed).toEqual(['bad']);
    expect(delays).toEqual([]);
    expect(telemetry.lines).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'outbox message unreadable' }),
    );
  });

  it('counts stale and already-delivered messages as handled: they leave the queue', async () => {
    const { failed, telemetry } = await runBatch([record('a1', 'A'), record('b1', 'B')], {
      a1: { kind: 'stale', ageMs: 30 * 3_600_000 },
      b1: { kind: 'already-delivered' },
    });

    expect(failed).toEqual([]);
    expect(telemetry.metrics).toContainEqual({ name: 'OutboxMessagesStale', value: 1 });
    expect(telemetry.lines).toContainEqual(
      expect.objectContaining({ level: 'warn', extra: expect.objectContaining({ ageHours: 30 }) as unknown }),
    );
  });

  it('starts no message without time to finish it: the rest come back at once', async () => {
    const timeLeft = [60_000, 10_000]; // before each message: enough, then under the reserve
    const { tried, failed, delays } = await runBatch([record('a1', 'A'), record('b1', 'B')], {}, () =>
      Number(timeLeft.shift()),
    );

    expect(tried).toEqual(['a1']);
    expect(failed).toEqual(['b1']);
    expect(delays).toEqual([['b1', 0]]);
  });

  it('logs a broken Slack setup as an error, other retries as warnings', async () => {
    const { telemetry } = await runBatch([record('a1', 'A'), record('b1', 'B')], {
      a1: { ...slackDown, misconfigured: true },
      b1: slackDown,
    });

    expect(
      telemetry.lines.filter((l) => l.message === 'outbox message not sent; retried').map((l) => l.level),
    ).toEqual(['error', 'warn']);
  });
});
