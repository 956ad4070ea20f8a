import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { type Delivery } from '../../lambda/engine/delivery';
import { CLAIM_TIMEOUT_MS, postOnce, type PostOnceRequest } from '../../lambda/engine/post-once';
import { type Ledger } from '../../lambda/ports';

const NOW = new Date('2027-03-15T09:00:00.000Z');
const DELIVERED: Delivery = {
  deliveredTo: 'channel',
  messages: [{ to: { kind: 'channel' }, text: 'digest', delivered: true }],
};
const UNDELIVERED: Delivery = {
  messages: [{ to: { kind: 'channel' }, text: 'digest', delivered: false }],
  failure: { ok: false, reason: 'unavailable', code: 'service_unavailable', message: 'down' },
};

function request(ledger: Ledger, overrides: Partial<PostOnceRequest> = {}) {
  const sent: string[] = [];
  return {
    sent,
    request: {
      ledger,
      digestId: 'daily/2027-03-15',
      runId: 'run-a',
      clock: { now: () => NOW },
      dryRun: false,
      compose: () => Promise.resolve({ message: { text: 'digest', blocks: [] } }),
      send: (message: { text: string }) => {
        sent.push(message.text);
        return Promise.resolve(DELIVERED);
      },
      ...overrides,
    } satisfies PostOnceRequest,
  };
}

describe('postOnce: a digest posted at most once', () => {
  it('claims, posts and records it; a second run posts nothing', async () => {
    const ledger = new MemoryLedger();
    const first = request(ledger);
    const second = request(ledger, { runId: 'run-b' });

    const outcomes = [await postOnce(first.request), await postOnce(second.request)];

    expect(outcomes.map((o) => o.kind)).toEqual(['posted', 'skipped']);
    expect([...first.sent, ...second.sent]).toEqual(['digest']);
    await expect(ledger.readDigest('daily/2027-03-15')).resolves.toMatchObject({
      state: 'posted',
      runId: 'run-a',
      postedAt: NOW.toISOString(),
      version: 2,
    });
  });

  it('lets only one of two concurrent runs post', async () => {
    const ledger = new MemoryLedger();
    const runs = [request(ledger), request(ledger, { runId: 'run-b' })];

    const outcomes = await Promise.all(runs.map((r) => postOnce(r.request)));

    expect(outcomes.map((o) => o.kind).sort()).toEqual(['posted', 'skipped']);
    expect(runs.flatMap((r) => r.sent)).toHaveLength(1);
  });

  it('records a post Slack did not take as failed, and the next run posts it', async () => {
    const ledger = new MemoryLedger();
    const failing = request(ledger, { send: () => Promise.resolve(UNDELIVERED) });

    const failed = await postOnce(failing.request);
    const retry = request(ledger, { runId: 'run-b' });
    const retried = await postOnce(retry.request);

    expect([failed.kind, retried.kind]).toEqual(['failed', 'posted']);
    expect(retry.sent).toEqual(['digest']);
  });

  it.each([
    [CLAIM_TIMEOUT_MS - 1, 'skipped'],
    [CLAIM_TIMEOUT_MS, 'posted'],
  ])('takes over a claim %i ms old (a crashed run’s): %s', async (age, kind) => {
    const ledger = new MemoryLedger();
    await ledger.putDigest(
      {
        digestId: 'daily/2027-03-15',
        state: 'claimed',
        runId: 'crashed',
        claimedAt: new Date(NOW.getTime() - age).toISOString(),
      },
      undefined,
    );

    await expect(postOnce(request(ledger).request)).resolves.toMatchObject({ kind });
  });

  it('stamps its claim with the time it claims, so a report step long after its run started is not taken over', async () => {
    const ledger = new MemoryLedger();
    const late = new Date(NOW.getTime() + 20 * 60_000);
    let claimedAt: string | undefined;
    const { request: posting } = request(ledger, {
      clock: { now: () => late },
      send: async () => {
        claimedAt = (await ledger.readDigest('daily/2027-03-15'))?.claimedAt;
        // Another run, a minute later, while this one is still posting: the claim is fresh.
        const other = request(ledger, {
          runId: 'run-b',
          clock: { now: () => new Date(late.getTime() + 60_000) },
        });
        await expect(postOnce(other.request)).resolves.toMatchObject({ kind: 'skipped' });
        return DELIVERED;
      },
    });

    await expect(postOnce(posting)).resolves.toMatchObject({ kind: 'posted' });
    expect(claimedAt).toBe(late.toISOString());
  });

  it('posts nothing when the ledger cannot say whether it was posted', async () => {
    const broken: Ledger = {
      readAccount: () => Promise.reject(new Error('unused')),
      putKey: () => Promise.reject(new Error('unused')),
      putAccount: () => Promise.reject(new Error('unused')),
      readDigest: () => Promise.reject(new Error('ProvisionedThroughputExceeded')),
      putDigest: () => Promise.reject(new Error('unused')),
    };
    const run = request(broken);

    const outcome = await postOnce(run.request);

    expect(outcome).toEqual({
      kind: 'error',
      message: 'could not read daily/2027-03-15 from the ledger: ProvisionedThroughputExceeded',
    });
    expect(run.sent).toEqual([]);
  });

  it('writes nothing in a dry run, and skips a digest already posted', async () => {
    const ledger = new MemoryLedger();
    const dry = request(ledger, { dryRun: true });

    const planned = await postOnce(dry.request);
    await postOnce(request(ledger).request);
    const after = await postOnce(request(ledger, { dryRun: true }).request);

    expect(planned.kind).toBe('planned');
    expect(after.kind).toBe('skipped');
    expect(ledger.contents().digests).toHaveLength(1);
  });
});
