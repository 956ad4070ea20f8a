import { PARTIAL_READ_RESERVE_MS } from '../../lambda/adapters/aws/iam-gateway';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { type RunReport } from '../../lambda/engine/run-report';
import { ManualClock } from '../../lambda/simulation';
import { budget, gatewayFor } from '../adapters/aws/stand-in-gateway';
import { generateOrg, type IamStandIn, startIamStandIn, tagAsEngineers } from '../support/iam-stand-in';
import { quietSlack } from '../support/quiet-slack';

/**
 * Issue 9: an account too large to list in one invocation behind IAM throttling is baselined over
 * a few runs, through the real gateway and SDK, and never reported incomplete or failed meanwhile.
 */
const ACCOUNT = { id: '310987654321', name: 'huge' };
const USERS = 500;
const START = new Date('2027-03-01T08:00:00.000Z');
const SCALE = 50;
/** IAM time each run has for listing keys above the reserve a partial read leaves. */
const LISTING_MS = 40_000;

const config = parseConfig({
  accounts: [ACCOUNT],
  slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
  digest: { weekly: { enabled: false } },
  policy: { maxDeactivationsPerRun: 100_000 },
});

// The SDK's limiter waits in unscaled real time; the stand-in's bucket and retries are scaled.
const unlimited = { getSendToken: () => Promise.resolve(), updateClientSendingRate: () => undefined };

let server: IamStandIn | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a first scan larger than one invocation, behind a 5 TPS bucket', () => {
  it('lists the oldest keys first, resumes each run where the ledger stands, and baselines when done', async () => {
    const org = generateOrg({ accounts: { [ACCOUNT.id]: USERS }, now: START, maxAgeDays: 100 });
    tagAsEngineers(org);
    const allKeys = org.get(ACCOUNT.id)!.users.flatMap((user) => user.keys);
    const clock = new ManualClock(START);
    const ledger = new MemoryLedger();
    const runOnce = async (): Promise<RunReport> => {
      server = await startIamStandIn({
        org,
        startTime: clock.now(),
        timeScale: SCALE,
        throttle: { ratePerSecond: 5, burst: 5 },
        credentialReport: { generationDelayMs: 0 },
      });
      const iam = gatewayFor(server, SCALE, { rateFor: () => unlimited }).forInvocation(
        budget(PARTIAL_READ_RESERVE_MS + LISTING_MS, SCALE).remainingTimeMs,
      );
      try {
        return await runEnforcement(config, {
          reader: iam,
          deactivator: iam,
          notifier: quietSlack,
          ledger,
          clock,
        });
      } finally {
        await server.close();
        server = undefined;
      }
    };

    const reports: RunReport[] = [];
    const recordedByRun: Set<string>[] = [];
    for (let run = 0; run < 8; run++) {
      reports.push(await runOnce());
      recordedByRun.push(new Set((await ledger.readAccount(ACCOUNT.id)).keys.map((k) => k.accessKeyId)));
      clock.advanceDays(1);
      if ((await ledger.readAccount(ACCOUNT.id)).account?.baselinedOn !== undefined) break;
    }

    const details = reports.map((r) => r.exhaustiveReads[0]?.detail ?? '');
    expect(details[0]).toMatch(
      /^listed \d+ of \d+ users not yet recorded, oldest keys first; the first scan goes on next run$/,
    );
    expect(reports.length).toBeGreaterThanOrEqual(2);
    expect(details.at(-1)).toMatch(
      /^listed the last \d+ users not yet recorded; the first scan is complete$/,
    );
    expect(reports.every((r) => r.incompleteAccounts.length === 0 && r.failedAccounts.length === 0)).toBe(
      true,
    );
    // Oldest first: the first run's part holds most keys past 80 days (not all: a user in flight
    // when the time is up may lose its turn to backoff), far more than its share of all keys.
    const old = allKeys.filter((k) => START.getTime() - k.createDate.getTime() > 80 * 86_400_000);
    const share = (list: typeof allKeys) =>
      list.filter((k) => recordedByRun[0]!.has(k.accessKeyId)).length / list.length;
    expect(old.length).toBeGreaterThan(20);
    expect(share(allKeys)).toBeLessThan(0.6);
    expect(share(old)).toBeGreaterThan(0.8);
    expect(reports[0]!.summary.reminders).toBeGreaterThan(0);
    expect(reports.reduce((n, r) => n + r.summary.newKeys, 0)).toBe(0);
    const { account, keys } = await ledger.readAccount(ACCOUNT.id);
    expect(keys.map((k) => k.accessKeyId).sort()).toEqual(allKeys.map((k) => k.accessKeyId).sort());
    // Baselined; the sweep interval starts only once every user, keyless ones too, was listed.
    expect(account?.baselinedOn).toEqual(expect.any(String));
    console.log(
      `first scan of ${USERS} users @5 TPS, ${LISTING_MS / 1000} s of listing a run: ${reports.length} runs; ${details.join(' | ')}`,
    );
  });
});
