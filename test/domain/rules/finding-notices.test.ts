import { planFindingNotices } from '../../../lambda/domain/rules/finding-notices';
import { type RuleId } from '../../../lambda/domain/rules/rule-finding';

const EARLIER = { firstSeenOn: '2027-01-01', notifiedOn: '2027-01-01' };
const PREVIOUS = {
  'mfa-missing/111111111111/carol': EARLIER,
  'mfa-missing/111111111111/dave': EARLIER,
  'password-policy/111111111111': EARLIER,
};

/** Which of yesterday's findings survive a day on which none of them is found again. */
function kept(evaluated: RuleId[], unreadUsers?: string[]): string[] {
  const plan = planFindingNotices({
    findings: [],
    previous: PREVIOUS,
    evaluated: new Set(evaluated),
    ...(unreadUsers ? { unreadUsers: new Set(unreadUsers) } : {}),
    today: '2027-01-05',
    remindEveryDays: 7,
    mayMessage: () => undefined,
  });
  return Object.keys(plan.records).sort();
}

describe('planFindingNotices: what is forgotten when a finding is not found again', () => {
  it.each<[string, RuleId[], string[] | undefined, string[]]>([
    ['evaluated and every user read: all resolved', ['mfa-missing', 'password-policy'], undefined, []],
    [
      'a rule not evaluated today keeps its findings',
      ['password-policy'],
      undefined,
      ['mfa-missing/111111111111/carol', 'mfa-missing/111111111111/dave'],
    ],
    [
      'a user the read could not show (unreadable, or not listed yet) keeps theirs',
      ['mfa-missing', 'password-policy'],
      ['carol'],
      ['mfa-missing/111111111111/carol'],
    ],
  ])('%s', (_name, evaluated, unread, expected) => {
    expect(kept(evaluated, unread)).toEqual(expected);
  });
});
