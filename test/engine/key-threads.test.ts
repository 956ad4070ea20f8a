import { EngineHarness, PROD } from './engine-harness';

/** First run records the baseline; the tests start from a baselined org. */
async function baselined(h: EngineHarness): Promise<void> {
  h.clock.advanceDays(-1);
  await h.run();
  h.clock.advanceDays(1);
  h.slack.clear();
}

async function recordedThread(h: EngineHarness, keyId: string): Promise<string | undefined> {
  const { keys } = await h.ledger.readAccount(PROD.id);
  return keys.find((k) => k.accessKeyId === keyId)?.channelThread?.ts;
}

/** Runs day by day until (and including) the day the key reaches `age`. */
async function runUntilAge(h: EngineHarness, from: number, age: number): Promise<void> {
  for (let day = from; day <= age; day++) {
    await h.run();
    h.clock.advanceDays(1);
  }
}

describe('one thread per key in the infra channel (issue 11 item 2)', () => {
  it('posts the parent once and records its ts; the first notice is its reply', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);

    await h.run();

    const [parent, ...others] = h.slack.channelTopLevel();
    expect(others).toEqual([]);
    expect(parent?.message.text).toContain(keyId);
    expect(await recordedThread(h, keyId)).toBe(parent?.ts);
    expect(h.slack.threadReplies(parent?.ts).map((d) => d.message.text)).toEqual([
      expect.stringContaining('Reminder (day 76)'),
    ]);
  });

  it('sends later reminders and the deactivation as replies to the same parent, updating it each time', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);

    await runUntilAge(h, 76, 91);

    const [parent, ...others] = h.slack.channelTopLevel();
    expect(others).toEqual([]);
    const parentTs = parent?.ts ?? '';
    expect(h.slack.threadReplies(parentTs).map((d) => d.message.text.split(':')[0])).toEqual([
      'Reminder (day 76)',
      'Reminder (day 81)',
      'Reminder (day 86)',
      expect.stringContaining('Deactivated access key'),
    ]);
    expect(h.slack.updates.map((u) => u.ts)).toEqual([parentTs, parentTs, parentTs]);
    expect(h.slack.channelMessage(parentTs)?.text).toContain('deactivated');
    expect(h.slack.channelMessage(parentTs)?.text).toContain('delivered by DM');
    expect(await recordedThread(h, keyId)).toBe(parentTs);
  });

  it('leaves the parent as it is on a day with nothing to say', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    await h.run();
    h.clock.advanceDays(1);

    await h.run();

    expect(h.slack.updates).toEqual([]);
    expect(h.slack.channelMessages()).toHaveLength(2);
  });

  it('falls back to a new parent when the old one was deleted, and records the new ts', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    await h.run();
    const first = (await recordedThread(h, keyId)) ?? '';
    h.slack.deleteMessage(first);
    h.clock.advanceDays(5);

    const report = await h.run();

    const [, second] = h.slack.channelTopLevel();
    expect(second?.ts).toBeDefined();
    expect(second?.ts).not.toBe(first);
    expect(await recordedThread(h, keyId)).toBe(second?.ts);
    expect(h.slack.threadReplies(second?.ts).map((d) => d.message.text)).toEqual([
      expect.stringContaining('Reminder (day 81)'),
    ]);
    expect(report.errors).toEqual([]);
    expect(report.summary.reminders).toBe(1);
  });

  it('falls back to a new parent when chat.update succeeds but the reply finds the thread gone', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    await h.run();
    const first = (await recordedThread(h, keyId)) ?? '';
    h.clock.advanceDays(5);
    const update = h.slack.updateChannelMessage.bind(h.slack);
    // Deleted by someone in the moment between the engine's update and its reply.
    h.slack.updateChannelMessage = async (ts, message) => {
      const result = await update(ts, message);
      h.slack.deleteMessage(ts);
      return result;
    };

    await h.run();

    const latest = await recordedThread(h, keyId);
    expect(latest).not.toBe(first);
    expect(h.slack.threadReplies(latest).map((d) => d.message.text)).toEqual([
      expect.stringContaining('Reminder (day 81)'),
    ]);
  });

  it('mentions the owner in the thread only when the DM could not reach them', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 76);
    h.engineer('ghost', 'U0GHOST01', 76);
    await baselined(h);

    await h.run();

    const everything = h.slack.channelMessages().map((d) => d.message.text);
    expect(everything.join('\n')).not.toContain('<@U0ALICE01>');
    const ghostPosts = everything.filter((t) => t.includes('<@U0GHOST01>'));
    expect(ghostPosts).toEqual([expect.stringContaining('could not reach owner (user_not_found)')]);
    expect(h.slack.threadReplies().some((d) => d.message.text.includes('<@U0GHOST01>'))).toBe(true);
    expect(h.slack.channelTopLevel().every((d) => !d.message.text.includes('<@'))).toBe(true);
  });

  it('keeps the parent when chat.update fails, and posts the owed copy in the thread next run', async () => {
    const h = new EngineHarness();
    const keyId = h.engineer('alice', 'U0ALICE01', 76);
    await baselined(h);
    await h.run();
    const parentTs = (await recordedThread(h, keyId)) ?? '';
    h.clock.advanceDays(5);
    const down = {
      ok: false as const,
      reason: 'unavailable' as const,
      code: 'service_unavailable',
      message: 'down',
    };
    h.slack.failNext(1, down, 'channel');

    const failed = await h.run();
    const retried = await h.run();

    expect(failed.errors).toEqual([expect.stringContaining('channel mirror not posted')]);
    expect(retried.actions).toEqual([expect.objectContaining({ detail: 'channel mirror of an earlier DM' })]);
    expect(h.dms('U0ALICE01')).toHaveLength(2);
    expect(h.slack.channelTopLevel()).toHaveLength(1);
    expect(await recordedThread(h, keyId)).toBe(parentTs);
    expect(h.slack.threadReplies(parentTs).map((d) => d.message.text)).toEqual([
      expect.stringContaining('Reminder (day 76)'),
      expect.stringContaining('Reminder (day 81)'),
    ]);
  });

  it('keeps new-key alerts and baseline summaries top-level', async () => {
    const h = new EngineHarness();
    h.engineer('alice', 'U0ALICE01', 10);
    await h.run();
    h.clock.advanceDays(1);
    h.iam.createAccessKey(PROD.id, 'alice', h.clock.now());

    await h.run();

    expect(h.slack.threadReplies()).toEqual([]);
    const topLevel = h.slack.channelTopLevel().map((d) => d.message.text.split('\n')[0] ?? '');
    expect(topLevel).toHaveLength(4);
    expect(topLevel.join('\n')).toMatch(/First scan of prod/);
    expect(topLevel.join('\n')).toMatch(/First scan of staging/);
    expect(topLevel.join('\n')).toMatch(/New access key/);
    expect(topLevel.join('\n')).toMatch(/2 active access keys/);
  });
});
