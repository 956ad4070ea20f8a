import { type MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { type KeyRecordDraft, type WriteResult } from '../../lambda/domain/ledger-records';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { runSucceeded } from '../../lambda/engine/run-report';
import { type Ledger, type Notifier } from '../../lambda/ports';
import { EngineHarness, PROD } from './engine-harness';

const UNAVAILABLE = {
  ok: false,
  reason: 'unavailable',
  code: 'service_unavailable',
  message: 'down',
} as const;

async function baselined(h: EngineHarness): Promise<void> {
  h.clock.advanceDays(-1);
  await h.run();
  h.clock.advanceDays(1);
  h.slack.clear();
}

/** A ledger whose key writes start failing once `failing` is set. */
class FlakyLedger implements Ledger {
  failing = false;
  constructor(private readonly inner: MemoryLedger) {}
  readAccount(id: string) {
    return this.inner.readAccount(id);
  }
  putKey(record: KeyRecordDraft, version: number | undefined): Promise<WriteResult> {
    if (this.failing) return Promise.reject(new Error('ledger unavailable'));
    return this.inner.putKey(record, version);
  }
  putAccount(...args: Parameters<Ledger['putAccount']>) {
    return this.inner.putAccount(...args);
  }
  readDigest(...args: Parameters<Ledger['readDigest']>) {
    return this.inner.readDigest(...args);
  }
  putDigest(...args: Parameters<Ledger['putDigest']>) {
    return this.inner.putDigest(...args);
  }
}

function runWith(h: EngineHarness, ledger: Ledger, notifier: Notifier = h.slack) {
  return runEnforcement(h.config, {
    reader: h.iam,
    deactivator: h.iam,
    notifier,
    ledger,
    clock: h.clock,
  });
}

describe('engine: effects are recorded in an order that survives faults', () => {
  it('never thanks the owner for a deactivation it did itself when the ledger fails after UpdateAccessKey', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    const ledger = new FlakyLedger(h.ledger);
    const deactivator = {
      deactivateKey: async (...args: Parameters<EngineHarness['iam']['deactivateKey']>) => {
        await h.iam.deactivateKey(...args);
        ledger.failing = true; // every write after the IAM call fails
      },
    };

    await runEnforcement(h.config, { reader: h.iam, deactivator, notifier: h.slack, ledger, clock: h.clock });
    ledger.failing = false;
    h.clock.advanceDays(1);
    h.slack.clear();
    await h.run();

    const [record] = (await h.ledger.readAccount(PROD.id)).keys;
    expect(record).toMatchObject({ accessKeyId: keyId, deactivatedByUsOn: expect.any(String) });
    expect(record?.thankedOn).toBeUndefined();
    expect(h.dms('U0ALICE01').join('\n')).not.toMatch(/thank/i);
  });

  it('takes back the recorded intent when IAM refuses the deactivation', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 86);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(5);
    h.iam.failDeactivation(PROD.id, keyId, 'AccessDenied');

    await h.run();

    const [record] = (await h.ledger.readAccount(PROD.id)).keys;
    expect(record?.deactivatedByUsOn).toBeUndefined();
    expect(record?.deactivationNoticePending).toBeUndefined();
    expect(record?.lease).toBeUndefined();
  });

  it('records the DM before the channel mirror is attempted, so a crash while mirroring never repeats it', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    const crashing: Notifier = {
      sendDirect: (id, m) => h.slack.sendDirect(id, m),
      postToChannel: () => Promise.reject(new Error('process killed while sending')),
      updateChannelMessage: () => Promise.reject(new Error('process killed while sending')),
    };

    await runWith(h, h.ledger, crashing).catch(() => undefined);
    h.clock.advanceDays(1);
    await h.run();

    expect(h.dms('U0ALICE01')).toHaveLength(1);
    const [record] = (await h.ledger.readAccount(PROD.id)).keys;
    expect(record?.milestones['76']).toMatchObject({ outcome: 'sent', deliveredTo: 'owner' });
  });

  it('records a delivered DM whose channel mirror failed, counts an error, and posts the mirror next run once', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    h.slack.failNext(1, UNAVAILABLE, 'channel');

    const first = await h.run();
    h.clock.advanceDays(1);
    const second = await h.run();
    h.clock.advanceDays(1);
    const third = await h.run();

    expect(first.summary.reminders).toBe(1);
    expect(first.summary.errors).toBe(1);
    expect(runSucceeded(first)).toBe(false);
    expect(h.dms('U0ALICE01')).toHaveLength(1);
    expect(h.channel()).toEqual([expect.stringContaining('Reminder (day 76): access key')]);
    expect(runSucceeded(second)).toBe(true);
    expect(third.actions).toEqual([]);
    const [record] = (await h.ledger.readAccount(PROD.id)).keys;
    expect(record?.milestones['76']?.pendingMirror).toBeUndefined();
  });

  it('times each lease from its claim, not from the start of the run', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    const start = h.clock.now().getTime();
    const leases: string[] = [];
    const slowReader = {
      readAccount: async (account: Parameters<EngineHarness['iam']['readAccount']>[0]) => {
        const scan = await h.iam.readAccount(account);
        h.clock.set(start + 30 * 60_000); // a slow read: the key is claimed half an hour in
        return scan;
      },
    };
    const spy: Ledger = {
      readAccount: (id) => h.ledger.readAccount(id),
      putKey: (record, version) => {
        if (record.lease) leases.push(record.lease.expiresAt);
        return h.ledger.putKey(record, version);
      },
      putAccount: (record, version) => h.ledger.putAccount(record, version),
      readDigest: (id) => h.ledger.readDigest(id),
      putDigest: (record, version) => h.ledger.putDigest(record, version),
    };

    const report = await runEnforcement(h.config, {
      reader: slowReader,
      deactivator: h.iam,
      notifier: h.slack,
      ledger: spy,
      clock: h.clock,
    });

    expect(report.summary.reminders).toBe(1);
    expect(leases[0]).toBe(new Date(start + 50 * 60_000).toISOString());
  });

  it('stops acting on a key and reports it when its lease is lost', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    let writes = 0;
    const stealing: Ledger = {
      readAccount: (id) => h.ledger.readAccount(id),
      // The claim succeeds; every later write loses to another run.
      putKey: (record, version) =>
        ++writes === 1 ? h.ledger.putKey(record, version) : Promise.resolve('conflict'),
      putAccount: (record, version) => h.ledger.putAccount(record, version),
      readDigest: (id) => h.ledger.readDigest(id),
      putDigest: (record, version) => h.ledger.putDigest(record, version),
    };

    const report = await runWith(h, stealing);

    expect(h.dms('U0ALICE01')).toHaveLength(1);
    expect(h.channel()).toEqual([]); // no mirror once the lease is gone
    expect(report.errors).toEqual([expect.stringContaining('lease lost')]);
    expect(runSucceeded(report)).toBe(false);
  });

  it('records the first failed notice instant once and fails every run that could not deliver', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    h.slack.setOutage(true);
    const firstAt = h.clock.now().toISOString();

    const first = await h.run();
    h.clock.advanceDays(1);
    const second = await h.run();

    expect([runSucceeded(first), runSucceeded(second)]).toEqual([false, false]);
    const [record] = (await h.ledger.readAccount(PROD.id)).keys;
    expect(record?.noticeFirstFailedAt).toBe(firstAt);
    expect(record?.milestones['76']).toBeUndefined();
    expect(record?.lastUserClass).toBe('engineer');
  });
});
