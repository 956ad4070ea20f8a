import { breakerMessage, runDigestMessage } from '../../../lambda/domain/messages';
import { breakerTrip, context, digest, expectWithinSlackLimits, manyProblems } from './fixtures';

describe('breakerMessage', () => {
  it('lists every withheld deactivation and how to proceed', () => {
    const message = breakerMessage(breakerTrip(3, 2), context());

    expect(message.text).toMatchSnapshot();
    expect(message.text).toContain(
      'would have deactivated 3 keys, more than the limit of 2, so it deactivated none',
    );
    expect(message.text).toContain(
      'AKIA0000000000000000 · IAM user user-0000 · prod (111122223333) · 96 days old · owner Person 0 (<@U00000000>)',
    );
    expect(message.text).toContain('AKIA0000000000000002');
    expect(message.text).toContain('access-key-enforcer run --max-deactivations 3');
    expect(message.text).toContain('`{"maxDeactivations": 3}`');
    expectWithinSlackLimits(message);
  });

  it('keeps a first-deployment trip of 3000 keys within Slack limits and counts the rest', () => {
    const message = breakerMessage(breakerTrip(3000), context());

    expectWithinSlackLimits(message);
    expect(message.text.length).toBeLessThan(4000);
    expect(message.text).toMatch(/and \d+ more/);
    const listed = JSON.stringify(message.blocks).match(/AKIA\d{16}/g) ?? [];
    const omitted = Number(/and (\d+) more/.exec(JSON.stringify(message.blocks))?.[1]);
    expect(listed.length + omitted).toBe(3000);
  });
});

describe('runDigestMessage', () => {
  it('reports counts, failed accounts, exemptions and problems', () => {
    const message = runDigestMessage(digest(), context());

    expect(message.text).toMatchSnapshot();
    expect(message.text).toContain(
      'Run of 2025-06-01 UTC: 3 accounts ok, 1 failed; 4 reminders, 1 deactivation, 2 new keys.',
    );
    expect(message.text).toContain('Users: 40 · Keys: 52');
    expect(message.text).toContain(
      'sandbox (444455556666): AccessDenied: cannot assume AccessKeyEnforcerMember',
    );
    expect(message.text).toContain(
      'Exemptions in force (1):\netl-runner in prod (111122223333) until 2025-07-15',
    );
    expect(message.text).toContain('missing-type (1):\n- 111122223333 · legacy-batch: no type tag');
    expectWithinSlackLimits(message);
  });

  it('escapes problem messages that quote tag values', () => {
    const message = runDigestMessage(digest(), context());

    expect(message.text).toContain('slack-id "&lt;!channel&gt;" is not a Slack member id');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('leaves out empty lists', () => {
    const { text } = runDigestMessage(
      digest({ accountsFailed: [], exemptions: [], problems: [], errors: [] }),
      context(),
    );

    expect(text).toMatchSnapshot();
    expect(text).not.toMatch(/Failed accounts|Exemptions|Input problems|Errors \(/);
  });

  it.each([10, 100, 5000])(
    'stays within Slack limits with %i problems and says how many were left out',
    (count) => {
      const message = runDigestMessage(
        digest({
          problems: manyProblems(count),
          exemptions: Array.from({ length: count }, (_, i) => ({
            account: { id: '111122223333', name: 'prod' },
            userName: `exempt-${i}`,
            until: '2025-07-15',
          })),
          errors: Array.from({ length: count }, (_, i) => `error ${i}: ${'e'.repeat(200)}`),
        }),
        context(),
      );

      expectWithinSlackLimits(message);
      expect(message.text.length).toBeLessThan(8000);
      expect(message.text).toContain(`Input problems (${count})`);
    },
  );

  it('says "and N more" for the problems of one kind beyond the examples shown', () => {
    const { text } = runDigestMessage(digest({ problems: manyProblems(60) }), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain('missing-type (20):');
    expect(text).toMatch(/and \d+ more/);
  });

  it('lists every exemption in force when they fit', () => {
    const exemptions = Array.from({ length: 60 }, (_, i) => ({
      account: { id: '111122223333', name: 'prod' },
      userName: `exempt-${i}`,
      until: '2025-07-15',
    }));

    const message = runDigestMessage(digest({ exemptions }), context());

    const blocksJson = JSON.stringify(message.blocks);
    expect(exemptions.every(({ userName }) => blocksJson.includes(`${userName} in prod`))).toBe(true);
  });

  it('marks a dry run', () => {
    const { text } = runDigestMessage(digest(), context({ dryRun: true }));

    expect(text.startsWith('[DRY RUN] Run of 2025-06-01')).toBe(true);
  });
});
