import fc from 'fast-check';

import { type KeyRecord } from '../../lambda/domain/ledger-records';
import { generateOrg } from '../../lambda/simulation';
import { OutboxWorld, START } from './outbox-world';

/**
 * What the outside world sees: every Slack message (sorted: the sender's order differs from the
 * run's), the keys set Inactive, and what the ledger says was done. The audit trail is left out on
 * purpose: with the outbox a deactivation and its notice are two entries (act step, then sender).
 */
function observed(world: OutboxWorld) {
  const sent = world.slack.deliveries
    .map(
      (d) =>
        `${d.to.kind === 'dm' ? d.to.slackId : 'channel'}${d.threadTs ? ' (reply)' : ''}: ${d.message.text}`,
    )
    .sort();
  const records = world.ledger.contents().keys.map((record: KeyRecord) => ({
    key: `${record.accountId}/${record.accessKeyId}`,
    milestones: Object.fromEntries(
      Object.entries(record.milestones).map(([id, m]) => [id, `${m.outcome} ${m.on} ${m.deliveredTo ?? ''}`]),
    ),
    noticeDeliveredOn: record.noticeDeliveredOn,
    deactivatedByUsOn: record.deactivatedByUsOn,
    deactivationNoticePending: record.deactivationNoticePending,
    newKeyAlert: record.newKeyAlert,
    thankedOn: record.thankedOn,
    threaded: record.channelThread !== undefined,
    queued: record.queued,
  }));
  records.sort((a, b) => a.key.localeCompare(b.key));
  return { sent, records };
}

describe('the outbox and the run in process', () => {
  it('say the same to the same people and record the same, run after run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          accounts: fc.integer({ min: 1, max: 3 }),
          usersPerAccount: fc.integer({ min: 4, max: 12 }),
          daysBetween: fc.integer({ min: 1, max: 12 }),
        }),
        async ({ seed, accounts, usersPerAccount, daysBetween }) => {
          const org = () => generateOrg({ seed, today: START, accounts, usersPerAccount });
          const config = { policy: { maxDeactivationsPerRun: 10_000 } };
          const inProcess = await OutboxWorld.start({ org: org(), config });
          const queued = await OutboxWorld.start({ org: org(), config });
          try {
            for (const day of [0, daysBetween]) {
              for (const world of [inProcess, queued]) world.clock.advanceDays(day);
              await inProcess.run({ inProcess: true });
              await queued.run();
              await queued.drain();
            }
            expect(queued.queue.depth).toBe(0);
            expect(observed(inProcess).sent.length).toBeGreaterThan(0);
            expect(observed(queued)).toEqual(observed(inProcess));
          } finally {
            await inProcess.close();
            await queued.close();
          }
        },
      ),
      { numRuns: 6 },
    );
  });
});
