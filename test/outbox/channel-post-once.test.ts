import { encodeDigest } from '../../lambda/adapters/dynamodb/item-codec';
import { OUTBOX_POST_RETENTION_DAYS } from '../../lambda/adapters/dynamodb/ledger-table';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { DAY_MS } from '../../lambda/domain/dates';
import { outboxPostId } from '../../lambda/domain/outbox/notice';
import { type OutboxMessage } from '../../lambda/domain/outbox/outbox-message';
import { CLAIM_TIMEOUT_MS } from '../../lambda/engine/post-once';
import { type DeliverContext, deliverMessage } from '../../lambda/outbox/deliver-message';
import { ManualClock, SimulatedSlack, slackFailure } from '../../lambda/simulation';

const AT = new Date('2027-03-01T08:00:00.000Z');
const MESSAGE: OutboxMessage = {
  id: '2027-03-01/111111111111/account/baseline',
  group: '111111111111',
  runId: 'run-1',
  queuedAt: AT.toISOString(),
  run: { now: AT.toISOString() },
  notice: {
    kind: 'channel-post',
    accountId: '111111111111',
    postId: 'baseline',
    message: { text: 'First scan of prod', blocks: [] },
  },
};

function sender(): DeliverContext & { readonly slack: SimulatedSlack; readonly clock: ManualClock } {
  const clock = new ManualClock(AT);
  const slack = new SimulatedSlack({ clock });
  return {
    config: parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0INFRA01' } }),
    ledger: new MemoryLedger(),
    notifier: slack,
    clock,
    slack,
  };
}

/** A channel post has no key record to say it went out: its own post-once record does. */
describe('a channel post in the outbox', () => {
  it('is posted once however many times the queue hands it over', async () => {
    const ctx = sender();

    const outcomes = [await deliverMessage(MESSAGE, ctx), await deliverMessage(MESSAGE, ctx)];

    expect(outcomes).toEqual([{ kind: 'delivered', to: ['channel'] }, { kind: 'already-delivered' }]);
    expect(ctx.slack.channelTopLevel().map((d) => d.message.text)).toEqual(['First scan of prod']);
    expect(await ctx.ledger.readDigest(outboxPostId(MESSAGE.id))).toMatchObject({
      state: 'posted',
      runId: 'run-1',
    });
  });

  it('waits while another invocation holds its claim, and takes over a claim older than the timeout', async () => {
    const ctx = sender();
    await ctx.ledger.putDigest(
      { digestId: outboxPostId(MESSAGE.id), state: 'claimed', runId: 'run-1', claimedAt: AT.toISOString() },
      undefined,
    );

    const waiting = await deliverMessage(MESSAGE, ctx);
    ctx.clock.set(AT.getTime() + CLAIM_TIMEOUT_MS);
    const takenOver = await deliverMessage(MESSAGE, ctx);

    expect(waiting).toMatchObject({ kind: 'retry', reason: 'claimed' });
    expect(takenOver).toEqual({ kind: 'delivered', to: ['channel'] });
    expect(ctx.slack.channelTopLevel()).toHaveLength(1);
  });

  it('that Slack refused is retried, and the next copy posts it', async () => {
    const ctx = sender();
    ctx.slack.failNext(1, slackFailure('unavailable', 'service_unavailable'));

    const refused = await deliverMessage(MESSAGE, ctx);
    const retried = await deliverMessage(MESSAGE, ctx);

    expect(refused).toMatchObject({
      kind: 'retry',
      reason: 'slack',
      detail: expect.stringContaining('service_unavailable'),
    });
    expect(retried).toEqual({ kind: 'delivered', to: ['channel'] });
    expect(ctx.slack.channelTopLevel()).toHaveLength(1);
  });

  it('posted but not recorded is delivered, and says why its record is missing', async () => {
    const ctx = sender();
    const ledger = ctx.ledger as MemoryLedger;
    const putDigest = ledger.putDigest.bind(ledger);
    let writes = 0;
    // The claim is written; the "posted" record after it is refused.
    ledger.putDigest = (record, version) =>
      ++writes === 2
        ? Promise.reject(new Error('ProvisionedThroughputExceededException'))
        : putDigest(record, version);

    const outcome = await deliverMessage(MESSAGE, ctx);

    expect(outcome).toEqual({
      kind: 'delivered',
      to: ['channel'],
      unrecorded: expect.stringMatching(/posted, but not recorded: .*ProvisionedThroughputExceededException/),
    });
    expect(ctx.slack.channelTopLevel()).toHaveLength(1);
  });

  it('keeps its record longer than the queue keeps any copy of the message (14 days)', () => {
    const item = encodeDigest({
      digestId: outboxPostId(MESSAGE.id),
      version: 1,
      state: 'posted',
      runId: 'run-1',
      claimedAt: '2027-03-01T23:59:00.000Z',
    });

    const expiresAt = Number(item.expiresAt?.N) * 1000;
    expect(expiresAt - Date.parse('2027-03-01T23:59:00.000Z')).toBeGreaterThan(14 * DAY_MS);
    expect(expiresAt).toBe(Date.parse('2027-03-01T00:00:00.000Z') + OUTBOX_POST_RETENTION_DAYS * DAY_MS);
  });
});
