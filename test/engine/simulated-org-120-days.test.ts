import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import {
  generateOrg,
  ManualClock,
  seededRandom,
  SimulatedSlack,
  type UserCategory,
} from '../../lambda/simulation';
import { checkInvariants, type ObservedRun, userKey } from './invariants';

const ENFORCED: readonly UserCategory[] = [
  'engineer',
  'engineer-rotated',
  'engineer-two-active-keys',
  'engineer-capitalised-type',
  'engineer-long-full-name',
  'engineer-not-in-workspace',
  'engineer-deactivated-in-slack',
  'engineer-without-slack-id',
  'engineer-invalid-slack-id',
  'untagged',
  'unknown-type',
  'exempt-expired',
  'exempt-too-far',
  'exempt-garbage',
];
const MACHINES: readonly UserCategory[] = ['machine-with-owner', 'machine-without-owner'];

describe('120 simulated days over a generated organisation', () => {
  it.each([1, 2, 3])(
    'keeps every SPEC invariant with random missed runs, Slack outages and rotations (seed %i)',
    async (seed) => {
      const start = new Date('2027-01-04T09:00:00.000Z');
      const clock = new ManualClock(start);
      const org = generateOrg({ seed, today: start, accounts: 3, usersPerAccount: 20 });
      const slack = new SimulatedSlack({ clock, ...org.slack });
      const ledger = new MemoryLedger();
      const random = seededRandom(`schedule-${seed}`);
      const config = parseConfig({
        accounts: org.accounts.map((a) => ({ id: a.id, name: a.name })),
        slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
        // Predates the weekly digest (issue 10): these tests count the notices about keys alone.
        digest: { weekly: { enabled: false } },
        policy: { maxDeactivationsPerRun: 1000 },
      });
      const runs: ObservedRun[] = [];
      let missed = 0;
      let outages = 0;

      for (let day = 0; day < 120; day++) {
        rotateSomeKeys(org.iam, org.accounts, random, clock.now());
        if (day > 0 && random.chance(0.15)) {
          missed++;
        } else {
          const outage = day > 0 && random.chance(0.1);
          outages += outage ? 1 : 0;
          slack.setOutage(outage);
          const report = await runEnforcement(config, {
            reader: org.iam,
            deactivator: org.iam,
            notifier: slack,
            ledger,
            clock,
          });
          runs.push({ report, keysAfter: allKeys(org.iam, org.accounts) });
        }
        clock.advanceDays(1);
      }

      const cast = (categories: readonly UserCategory[]): Set<string> =>
        new Set(
          org.cast
            .filter((c) => categories.includes(c.category))
            .map((c) => userKey(c.accountId, c.userName)),
        );
      const violations = checkInvariants(runs, {
        config,
        enforcedUsers: cast(ENFORCED),
        neverDeactivated: cast(MACHINES),
      });

      expect(violations).toEqual([]);
      // The schedule really exercised what it claims to.
      expect(missed).toBeGreaterThan(5);
      expect(outages).toBeGreaterThan(3);
      const total = (pick: (r: ObservedRun) => number): number => runs.reduce((sum, r) => sum + pick(r), 0);
      expect(total((r) => r.report.summary.reminders)).toBeGreaterThan(20);
      expect(total((r) => r.report.summary.deactivations)).toBeGreaterThan(5);
      expect(total((r) => r.report.summary.newKeys)).toBeGreaterThan(3);
      // Every message Slack received is one the engine accounted for.
      expect(slack.deliveries).toHaveLength(
        total((r) => r.report.actions.flatMap((a) => a.messages).filter((m) => m.delivered).length),
      );
    },
  );
});

type Iam = ReturnType<typeof generateOrg>['iam'];
type Accounts = ReturnType<typeof generateOrg>['accounts'];

function allKeys(iam: Iam, accounts: Accounts): ObservedRun['keysAfter'] {
  return accounts.flatMap((account) =>
    iam
      .listUsers(account.id)
      .flatMap((user) => user.keys.map((key) => ({ accountId: account.id, userName: user.userName, key }))),
  );
}

/** Now and then an owner rotates: delete an inactive key if needed, create a new one, deactivate the old. */
function rotateSomeKeys(
  iam: Iam,
  accounts: Accounts,
  random: ReturnType<typeof seededRandom>,
  now: Date,
): void {
  for (const account of accounts) {
    for (const user of iam.listUsers(account.id)) {
      const active = user.keys.filter((k) => k.status === 'Active');
      if (active.length !== 1 || !random.chance(0.01)) continue;
      for (const inactive of user.keys.filter((k) => k.status === 'Inactive')) {
        iam.deleteAccessKey(account.id, user.userName, inactive.accessKeyId);
      }
      iam.createAccessKey(account.id, user.userName, now);
      iam.setKeyStatus(account.id, user.userName, active[0]!.accessKeyId, 'Inactive');
    }
  }
}
