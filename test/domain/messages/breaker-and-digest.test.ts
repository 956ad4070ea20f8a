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
  it('reports counts, failed accounts, and the exemptions, problems and findings new today', () => {
    const message = runDigestMessage(digest(), context());

    expect(message.text).toMatchSnapshot();
    expect(message.text).toContain(
      'Run of 2025-06-01 UTC: 3 accounts ok, 1 failed; 4 reminders, 1 deactivation, 2 new keys.',
    );
    expect(message.text).toContain('Users: 40 · Keys: 52');
    expect(message.text).toContain(
      'sandbox (444455556666): AccessDenied: cannot assume AccessKeyEnforcerMember',
    );
    expect(message.text).toContain('New exemptions (1):\netl-runner in prod (111122223333) until 2025-07-15');
    expect(message.text).toContain('missing-type (1):\n- 111122223333 · legacy-batch: no type tag');
    expect(message.text).toContain(
      'New rule findings (1):\nprod (111122223333): carol has a console password but no MFA device',
    );
    expectWithinSlackLimits(message);
  });

  it('counts the standing items and says they are in the weekly digest (SPEC §2)', () => {
    const message = runDigestMessage(digest(), context());

    expect(message.text).toContain(
      'Standing: 2 exemptions in force, 7 input problems, 3 rule findings; listed in the weekly digest (Mondays).',
    );
    expect(runDigestMessage(digest({ weeklyDigestDay: undefined }), context()).text).toContain(
      '`access-key-enforcer scan` and `doctor` list them',
    );
    expect(
      runDigestMessage(digest({ standing: { exemptions: 0, problems: 0 } }), context()).text,
    ).not.toContain('Standing');
    expectWithinSlackLimits(message);
  });

  it('escapes problem messages that quote tag values', () => {
    const message = runDigestMessage(digest(), context());

    expect(message.text).toContain('slack-id "&lt;!channel&gt;" is not a Slack member id');
    expect(JSON.stringify(message)).not.toContain('<!channel>');
  });

  it('lists the accounts whose first scan or full sweep goes on next run, and how far it got', () => {
    const { text } = runDigestMessage(
      digest({
        readsGoingOn: [
          {
            account: { id: '111122223333', name: 'prod' },
            detail:
              'listed 3447 of 7936 users not yet recorded, oldest keys first; the first scan goes on next run',
          },
        ],
      }),
      context(),
    );

    expect(text).toContain('Reads going on next run (1)');
    expect(text).toMatch(/prod.*111122223333.*listed 3447 of 7936 users not yet recorded/);
  });

  it('leaves out empty lists', () => {
    const { text } = runDigestMessage(
      digest({
        accountsFailed: [],
        newExemptions: [],
        newProblems: [],
        newFindings: [],
        standing: { exemptions: 0, problems: 0 },
        errors: [],
      }),
      context(),
    );

    expect(text).toMatchSnapshot();
    expect(text).not.toMatch(
      /Failed accounts|Reads going on|exemptions|input problems|rule findings|Standing|Errors \(/i,
    );
  });

  it.each([10, 100, 5000])(
    'stays within Slack limits with %i problems and says how many were left out',
    (count) => {
      const message = runDigestMessage(
        digest({
          newProblems: manyProblems(count),
          newFindings: Array.from({ length: count }, (_, i) => ({
            id: `unused-key/111122223333/u${i}`,
            rule: 'unused-key' as const,
            account: { id: '111122223333', name: 'prod' },
            summary: `key of u${i} is active and has never been used in 30 days ${'f'.repeat(150)}`,
            advice: '',
          })),
          newExemptions: Array.from({ length: count }, (_, i) => ({
            account: { id: '111122223333', name: 'prod' },
            userName: `exempt-${i}`,
            until: '2025-07-15',
          })),
          errors: Array.from({ length: count }, (_, i) => `error ${i}: ${'e'.repeat(200)}`),
          readsGoingOn: Array.from({ length: count }, (_, i) => ({
            account: { id: String(300_000_000_000 + i), name: `huge-${i}` },
            detail: `swept 3,334 of 11,705 users; resumes at "user-${i}" next run`,
          })),
        }),
        context(),
      );

      expectWithinSlackLimits(message);
      expect(message.text.length).toBeLessThan(8000);
      expect(message.text).toContain(`New input problems (${count})`);
    },
  );

  it('says "and N more" for the problems of one kind beyond the examples shown', () => {
    const { text } = runDigestMessage(digest({ newProblems: manyProblems(60) }), context());

    expect(text).toMatchSnapshot();
    expect(text).toContain('missing-type (20):');
    expect(text).toMatch(/and \d+ more/);
  });

  it('lists every new exemption when they fit', () => {
    const exemptions = Array.from({ length: 60 }, (_, i) => ({
      account: { id: '111122223333', name: 'prod' },
      userName: `exempt-${i}`,
      until: '2025-07-15',
    }));

    const message = runDigestMessage(digest({ newExemptions: exemptions }), context());

    const blocksJson = JSON.stringify(message.blocks);
    expect(exemptions.every(({ userName }) => blocksJson.includes(`${userName} in prod`))).toBe(true);
  });

  it('marks a dry run', () => {
    const { text } = runDigestMessage(digest(), context({ dryRun: true }));

    expect(text.startsWith('[DRY RUN] Run of 2025-06-01')).toBe(true);
  });
});
