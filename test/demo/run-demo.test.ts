import { runDemo } from '../../lambda/demo/run-demo';

describe('the demo (npm start)', () => {
  it('prints a 30-day timeline showing every kind of message and deactivation', async () => {
    const lines: string[] = [];

    const reports = await runDemo({ write: (line) => lines.push(line) });
    const text = lines.join('\n');

    expect(reports).toHaveLength(30);
    expect(lines.filter((l) => l.startsWith('=== Day '))).toHaveLength(30);
    for (const expected of [
      /→ DM to U\w+: Hi .+ is 7\d days old/, // a reminder
      /First scan of prod/, // the baseline summary
      /Final notice for Sofia Rossi/, // key first seen past its deadline
      /✖ AKIA\w+ of sofia\.rossi set Inactive/, // deactivation
      /Deactivated again/, // re-activated key
      /New access key AKIA\w+ for IAM user james\.okafor/, // new-key alert
      /Thanks, James Okafor/, // thanks
      /has 2 active access keys/, // second key
      /could not reach owner \(user_not_found\)/, // DM fallback
      /owner unknown/, // untagged user
      /exemption on the IAM user is in force until \d{4}-\d{2}-\d{2}/, // exemption
      /send\(s\) failed and will be retried/, // Slack outage
      /Late notice/, // notice retried after the outage
      /→ #infra: Week to 2027-03-08 .*compliant \([−+±]\d+ pts since 2027-03-01\)/, // weekly digest, with the change
      /over 90 days █+░*/, // its age chart
    ]) {
      expect(text).toMatch(expected);
    }
    expect(text).not.toMatch(/&lt;|&gt;|&amp;/);
  });

  // Issue 11 item 2: 37 top-level channel posts before threads; every notice is still posted. Issue
  // 10 added the weekly digest, one more top-level post each Monday (five in the demo's 30 days).
  it('keeps #infra to at most 20 top-level posts besides the weekly digests, each key notice a reply in its thread', async () => {
    const lines: string[] = [];

    const reports = await runDemo({ write: (line) => lines.push(line) });

    const counts = /#infra: (\d+) top-level posts, (\d+) replies in key threads/.exec(lines.join('\n'));
    const [topLevel, replies] = [Number(counts?.[1]), Number(counts?.[2])];
    const weekly = reports.flatMap((r) => r.actions.filter((a) => a.kind === 'weekly-digest'));
    const channel = reports
      .flatMap((r) => r.actions.flatMap((a) => a.messages))
      .filter((m) => m.to.kind === 'channel');
    const delivered = channel.filter((m) => m.delivered);
    const parents = delivered.filter((m) => m.thread === 'parent').length;
    expect(weekly.map((a) => a.outcome)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(topLevel - weekly.length).toBeLessThanOrEqual(20);
    expect(replies).toBe(delivered.filter((m) => m.thread === 'reply').length);
    expect(topLevel + replies).toBe(delivered.length);
    expect(delivered.length - parents - weekly.length).toBe(37);
  });

  it('is the same on every run', async () => {
    const first: string[] = [];
    const second: string[] = [];
    await runDemo({ write: (line) => first.push(line), days: 8 });
    await runDemo({ write: (line) => second.push(line), days: 8 });
    expect(second).toEqual(first);
  });
});
