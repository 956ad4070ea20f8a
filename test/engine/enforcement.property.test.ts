import fc from 'fast-check';

import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { parseConfig } from '../../lambda/config/parse-config';
import { addDays, utcDate } from '../../lambda/domain/dates';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { ManualClock, SimulatedIam, SimulatedSlack } from '../../lambda/simulation';
import { checkInvariants, type ObservedRun, userKey } from './invariants';

const ACCOUNT = { id: '123456789012', name: 'prod' };
const START = new Date('2027-01-04T09:00:00.000Z');
const DAY_MS = 86_400_000;

/** A random user: its type, its key's age on day 0 (with a random time of day), maybe an exemption. */
const userArb = fc.record({
  type: fc.constantFrom('engineer', 'machine', 'untagged'),
  ageOnDayZero: fc.integer({ min: 0, max: 200 }),
  createdHourOffset: fc.integer({ min: 0, max: 23 }),
  exemptForDays: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
});

/** Each day: the run happens (5 in 6) or is missed, and Slack is up (9 in 10) or down. */
const dayArb = fc.record({
  runs: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
  slackDown: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

describe('enforcement properties over random key populations and run schedules', () => {
  it('never repeats a milestone, never deactivates without notice or a machine, never leaves a due key active', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(userArb, { minLength: 1, maxLength: 8 }),
        fc.array(dayArb, { minLength: 20, maxLength: 60 }),
        async (users, schedule) => {
          const clock = new ManualClock(START);
          const iam = new SimulatedIam();
          iam.addAccount(ACCOUNT.id);
          const slack = new SimulatedSlack({ clock, members: users.map((_, i) => slackId(i)) });
          const ledger = new MemoryLedger();
          const config = parseConfig({
            accounts: [ACCOUNT],
            slack: { infraChannel: 'C0INFRA01', runDigest: 'never' },
            // Predates the weekly digest (issue 10): these tests count the notices about keys alone.
            digest: { weekly: { enabled: false } },
            policy: { maxDeactivationsPerRun: 100 },
          });
          const enforced = new Set<string>();
          const machines = new Set<string>();
          users.forEach((user, i) => {
            const userName = `user${i}`;
            const tags: Record<string, string> = {};
            if (user.type !== 'untagged') Object.assign(tags, { type: user.type, 'slack-id': slackId(i) });
            if (user.exemptForDays !== undefined)
              tags['key-rotation-exempt-until'] = addDays(utcDate(START), user.exemptForDays);
            iam.addUser(ACCOUNT.id, userName, tags);
            iam.createAccessKey(
              ACCOUNT.id,
              userName,
              new Date(START.getTime() - user.ageOnDayZero * DAY_MS - user.createdHourOffset * 3_600_000),
            );
            if (user.type === 'machine') machines.add(userKey(ACCOUNT.id, userName));
            else if (user.exemptForDays === undefined) enforced.add(userKey(ACCOUNT.id, userName));
          });

          const runs: ObservedRun[] = [];
          for (const day of schedule) {
            if (day.runs) {
              slack.setOutage(day.slackDown);
              const report = await runEnforcement(config, {
                reader: iam,
                deactivator: iam,
                notifier: slack,
                ledger,
                clock,
              });
              const keysAfter = iam
                .listUsers(ACCOUNT.id)
                .flatMap((u) => u.keys.map((key) => ({ accountId: ACCOUNT.id, userName: u.userName, key })));
              runs.push({ report, keysAfter });
            }
            clock.advanceDays(1);
          }

          expect(
            checkInvariants(runs, { config, enforcedUsers: enforced, neverDeactivated: machines }),
          ).toEqual([]);
        },
      ),
      { numRuns: 60, seed: 20271123 },
    );
  });
});

function slackId(i: number): string {
  return `U0PROP${String(i).padStart(4, '0')}`;
}
