import { checkExemptionRequest, MAX_REASON_CHARS } from '../../lambda/domain/interactive/exemption-request';
import { ACTION, type ActionId } from '../../lambda/domain/interactive/key-ref';
import { mayPress } from '../../lambda/domain/interactive/permissions';
import { type Owner } from '../../lambda/domain/model';

const OWNER: Owner = { userClass: 'engineer', slackId: 'U0ALICE01', displayName: 'Alice' };
const UNTAGGED: Owner = { userClass: 'unknown', displayName: 'legacy' };

describe('who may press what (SPEC §8)', () => {
  const owner = { slackId: 'U0ALICE01', owner: OWNER, isApprover: false };
  const approver = { slackId: 'U0LEAD001', owner: OWNER, isApprover: true };
  const stranger = { slackId: 'U0BOB0001', owner: OWNER, isApprover: false };

  it.each<[ActionId, boolean, boolean, boolean]>([
    // action, owner, approver, stranger
    [ACTION.rotated, true, false, false],
    [ACTION.moreTime, true, false, false],
    [ACTION.newKeyMine, true, false, false],
    [ACTION.newKeyNotMine, true, true, false],
    [ACTION.approveExemption, false, true, false],
    [ACTION.denyExemption, false, true, false],
  ])('%s: owner %s, approver %s, anyone else %s', (action, byOwner, byApprover, byStranger) => {
    expect(mayPress(action, owner, 'U0ALICE01').allowed).toBe(byOwner);
    expect(mayPress(action, approver, 'U0ALICE01').allowed).toBe(byApprover);
    expect(mayPress(action, stranger, 'U0ALICE01').allowed).toBe(byStranger);
  });

  it('an owner who is also an approver may deny their own request but not approve it', () => {
    const both = { slackId: 'U0ALICE01', owner: OWNER, isApprover: true };
    expect(mayPress(ACTION.approveExemption, both, 'U0ALICE01')).toMatchObject({ allowed: false });
    expect(mayPress(ACTION.denyExemption, both, 'U0ALICE01')).toMatchObject({
      allowed: true,
      as: 'approver',
    });
  });

  it('nobody is the owner of a user without a slack-id tag, and the refusal says so', () => {
    const press = mayPress(ACTION.newKeyMine, { slackId: 'U0ALICE01', owner: UNTAGGED, isApprover: false });
    expect(press).toEqual({
      allowed: false,
      reason: "only the key's owner can do this, and its IAM user names none (no usable slack-id tag)",
    });
  });
});

describe('a request for more time (policy.maxExemptionDays = 90)', () => {
  const today = '2027-03-01';

  it.each([
    ['today', '2027-03-01', true],
    ['exactly 90 days ahead', '2027-05-30', true],
    ['91 days ahead', '2027-05-31', false],
    ['yesterday', '2027-02-28', false],
    ['an impossible date', '2027-02-30', false],
  ])('until %s: accepted %s', (_name, until, ok) => {
    expect(checkExemptionRequest({ reason: 'r', until }, today, 90).ok).toBe(ok);
  });

  it.each([
    ['a reason of the longest length', 'x'.repeat(MAX_REASON_CHARS), true],
    ['a longer one', 'x'.repeat(MAX_REASON_CHARS + 1), false],
    ['only spaces', '   ', false],
  ])('%s: accepted %s', (_name, reason, ok) => {
    expect(checkExemptionRequest({ reason, until: today }, today, 90).ok).toBe(ok);
  });

  it('names every field that is wrong at once', () => {
    expect(checkExemptionRequest({}, today, 90)).toEqual({
      ok: false,
      errors: { reason: 'Say why the key needs more time.', until: 'Pick a date.' },
    });
  });
});
