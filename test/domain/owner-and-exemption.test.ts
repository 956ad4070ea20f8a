import { readExemption } from '../../lambda/domain/exemption';
import { resolveOwner } from '../../lambda/domain/owner';
import { ACCOUNT, engineer, testConfig } from './policy-fixtures';

const tags = testConfig().tags;

describe('resolveOwner', () => {
  it.each<[string, Record<string, string>, string, string | undefined, string[]]>([
    [
      'engineer with a valid slack id',
      { type: 'engineer', 'slack-id': 'U0123ABCD' },
      'engineer',
      'U0123ABCD',
      [],
    ],
    ['Enterprise Grid W-id', { type: 'engineer', 'slack-id': 'W0123ABCD' }, 'engineer', 'W0123ABCD', []],
    [
      'type in capitals and padded',
      { type: ' Engineer ', 'slack-id': 'U0123ABCD' },
      'engineer',
      'U0123ABCD',
      [],
    ],
    ['engineer without slack id', { type: 'engineer' }, 'unknown', undefined, ['missing-slack-id']],
    [
      'lowercase slack id',
      { type: 'engineer', 'slack-id': 'u0123abcd' },
      'unknown',
      undefined,
      ['invalid-slack-id'],
    ],
    ['empty slack id', { type: 'engineer', 'slack-id': '' }, 'unknown', undefined, ['invalid-slack-id']],
    ['machine without slack id', { type: 'machine' }, 'machine', undefined, []],
    [
      'machine with an owner slack id',
      { type: 'machine', 'slack-id': 'U0OWNER01' },
      'machine',
      'U0OWNER01',
      [],
    ],
    ['no tags at all', {}, 'unknown', undefined, ['missing-type']],
    ['empty type', { type: '' }, 'unknown', undefined, ['missing-type']],
    ['unknown type', { type: 'robot', 'slack-id': 'U0123ABCD' }, 'unknown', 'U0123ABCD', ['unknown-type']],
    ['empty full name', { type: 'machine', 'full-name': '' }, 'machine', undefined, ['invalid-tag-value']],
    [
      '500-character full name',
      { type: 'machine', 'full-name': 'x'.repeat(500) },
      'machine',
      undefined,
      ['invalid-tag-value'],
    ],
  ])('%s', (_name, userTags, userClass, slackId, problemCodes) => {
    const { owner, problems } = resolveOwner(ACCOUNT, engineer({ tags: userTags }), tags);
    expect(owner.userClass).toBe(userClass);
    expect(owner.slackId).toBe(slackId);
    expect(problems.map((p) => p.code)).toEqual(problemCodes);
    for (const problem of problems)
      expect(problem).toMatchObject({ accountId: ACCOUNT.id, userName: 'alice' });
  });

  it('shows the full name when tagged and the user name otherwise', () => {
    expect(resolveOwner(ACCOUNT, engineer(), tags).owner.displayName).toBe('Alice Example');
    expect(resolveOwner(ACCOUNT, engineer({ tags: {} }), tags).owner.displayName).toBe('alice');
  });

  it('quotes at most 40 characters of a bad value in the report', () => {
    const { problems } = resolveOwner(ACCOUNT, engineer({ tags: { type: 'y'.repeat(500) } }), tags);
    expect(problems[0]?.message.length).toBeLessThan(120);
  });

  it('reads custom tag names from the config', () => {
    const custom = testConfig({ tags: { type: 'Role', slackId: 'SlackUser' } }).tags;
    const { owner } = resolveOwner(
      ACCOUNT,
      engineer({ tags: { Role: 'engineer', SlackUser: 'U0123ABCD' } }),
      custom,
    );
    expect(owner).toMatchObject({ userClass: 'engineer', slackId: 'U0123ABCD' });
  });
});

describe('readExemption', () => {
  const today = '2027-03-01';
  it.each([
    ['no tag', undefined, { kind: 'none' }],
    ['today', '2027-03-01', { kind: 'active', until: '2027-03-01' }],
    ['exactly 90 days ahead', '2027-05-30', { kind: 'active', until: '2027-05-30' }],
    ['91 days ahead', '2027-05-31', { kind: 'ignored', code: 'exemption-too-far' }],
    ['expired yesterday', '2027-02-28', { kind: 'ignored', code: 'exemption-expired' }],
    ['garbage', 'soon', { kind: 'ignored', code: 'invalid-exemption' }],
    ['impossible date', '2027-02-30', { kind: 'ignored', code: 'invalid-exemption' }],
    ['other format', '03/15/2027', { kind: 'ignored', code: 'invalid-exemption' }],
  ])('%s', (_name, value, expected) => {
    expect(readExemption(value, 'key-rotation-exempt-until', today, 90)).toMatchObject(expected);
  });
});
