import { runSucceeded } from '../../lambda/engine/run-report';
import { EngineHarness } from './engine-harness';

/**
 * Issue 8: a 30-day simulation with Slack down from day 70 of a key's life until day 80. The
 * exact deactivation day belongs to the policy (SPEC §2); here it is asserted lightly.
 */
describe('a 30-day Slack outage simulation', () => {
  it('fails every run that could not deliver, delivers the notices once after recovery, and still deactivates', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 70);
    h.clock.advanceDays(-1);
    await h.run(); // baseline
    h.clock.advanceDays(1);
    h.slack.clear();

    const results: { age: number; ok: boolean; deactivated: boolean }[] = [];
    for (let age = 70; age < 100; age++) {
      h.slack.setOutage(age < 80);
      const report = await h.run();
      results.push({ age, ok: runSucceeded(report), deactivated: h.iam.deactivations.length > 0 });
      h.clock.advanceDays(1);
    }

    const failedAges = results.filter((r) => !r.ok).map((r) => r.age);
    expect(failedAges[0]).toBe(76); // the first run with a reminder due and Slack down raises the alarm
    expect(failedAges).toEqual([76, 77, 78, 79]);
    const dms = h.dms('U0ALICE01');
    expect(dms.length).toBeGreaterThan(0);
    expect(dms.every((text) => text.includes(keyId))).toBe(true);
    expect(new Set(dms).size).toBe(dms.length); // nothing delivered twice
    const firstDeactivated = results.find((r) => r.deactivated)?.age;
    expect(firstDeactivated).toBeDefined();
    expect(firstDeactivated!).toBeGreaterThanOrEqual(91); // and never before 76 + 5 days
    expect(h.iam.deactivations).toHaveLength(1);
  });
});
