import { decideAccount } from '../../lambda/domain/account-policy';
import { exemptionEntries } from '../../lambda/domain/audit/audit-from-run';
import { type ApprovedExemption } from '../../lambda/domain/ledger-records';
import { readExemption } from '../../lambda/domain/exemption';
import { buildInventory } from '../../lambda/domain/inventory';
import {
  ACCOUNT,
  BASELINED,
  dateOnDay,
  engineer,
  KEY_ID,
  onDay,
  record,
  sent,
  testConfig,
} from './policy-fixtures';

const TAG = 'key-rotation-exempt-until';

function approved(until: string): ApprovedExemption {
  return {
    until,
    reason: 'migrating the CI runner',
    requestedBy: 'U0ALICE01',
    approvedBy: 'U0LEAD001',
    approvedAt: '2027-03-20T10:00:00.000Z',
  };
}

describe('readExemption with an exemption approved in Slack', () => {
  const today = '2027-04-01';

  it.each([
    [
      'approved alone',
      undefined,
      approved('2027-04-10'),
      { kind: 'active', until: '2027-04-10', approved: {} },
    ],
    ['approved, ending today', undefined, approved('2027-04-01'), { kind: 'active', until: '2027-04-01' }],
    ['approved, ended yesterday', undefined, approved('2027-03-31'), { kind: 'none' }],
    [
      'tag later than approved',
      '2027-05-01',
      approved('2027-04-10'),
      { kind: 'active', until: '2027-05-01' },
    ],
    [
      'approved later than tag',
      '2027-04-05',
      approved('2027-04-10'),
      { kind: 'active', until: '2027-04-10' },
    ],
    ['approved beside a bad tag', 'soon', approved('2027-04-10'), { kind: 'active', until: '2027-04-10' }],
    [
      'bad tag, approval ended',
      'soon',
      approved('2027-03-01'),
      { kind: 'ignored', code: 'invalid-exemption' },
    ],
  ])('%s', (_name, tag, approval, expected) => {
    expect(readExemption(tag, TAG, today, 90, approval)).toMatchObject(expected);
  });

  it('names the approval only when it is the exemption in force', () => {
    expect(readExemption('2027-05-01', TAG, today, 90, approved('2027-04-10'))).not.toHaveProperty(
      'approved',
    );
    expect(readExemption(undefined, TAG, today, 90, approved('2027-04-10'))).toMatchObject({
      approved: { approvedBy: 'U0LEAD001' },
    });
  });
});

describe('the policy honours an approved exemption exactly like the tag', () => {
  const config = testConfig();
  // Reminded at 86 (owner), so at 91 the key would be deactivated.
  const reminded = record({
    milestones: { '76': sent(76), '81': sent(81), '86': sent(86) },
    noticeDeliveredOn: dateOnDay(76),
  });

  function plan(approval: ApprovedExemption | undefined, tags: Record<string, string> = {}) {
    return decideAccount({
      account: ACCOUNT,
      scan: {
        users: [engineer({ tags: { ...engineer().tags, ...tags } })],
        failedUsers: [],
      },
      ledger: { ...BASELINED, keys: [approval ? { ...reminded, approvedExemption: approval } : reminded] },
      config,
      now: onDay(91),
    });
  }

  it('deactivates at 91 without an exemption', () => {
    expect(plan(undefined).decisions.map((d) => d.kind)).toEqual(['deactivate']);
  });

  it('withholds the deactivation through the approved date, and reminds that it is overdue', () => {
    const withApproval = plan(approved(dateOnDay(95)));
    const withTag = plan(undefined, { [TAG]: dateOnDay(95) });

    expect(withApproval.decisions).toEqual(withTag.decisions);
    expect(withApproval.decisions).toEqual([
      expect.objectContaining({ kind: 'remind', milestone: 91, exemptUntil: dateOnDay(95) }),
    ]);
  });

  it('lists the approved exemption in the plan for the digest, with its key and approver', () => {
    expect(plan(approved(dateOnDay(95))).exemptions).toEqual([
      {
        account: ACCOUNT,
        userName: 'alice',
        until: dateOnDay(95),
        accessKeyId: KEY_ID,
        approvedBy: 'U0LEAD001',
      },
    ]);
  });

  it('deactivates on the first run after the approved date', () => {
    const after = decideAccount({
      account: ACCOUNT,
      scan: { users: [engineer()], failedUsers: [] },
      ledger: { ...BASELINED, keys: [{ ...reminded, approvedExemption: approved(dateOnDay(95)) }] },
      config,
      now: onDay(96),
    });
    expect(after.decisions.map((d) => d.kind)).toEqual(['deactivate']);
  });

  it('shows in scan with its date, the deadline after it, and who approved it', () => {
    const inventory = buildInventory({
      account: ACCOUNT,
      scan: { users: [engineer()], failedUsers: [] },
      ledger: { ...BASELINED, keys: [{ ...reminded, approvedExemption: approved(dateOnDay(95)) }] },
      config,
      now: onDay(91),
    });
    expect(inventory.rows).toEqual([
      expect.objectContaining({
        accessKeyId: KEY_ID,
        exemptUntil: dateOnDay(95),
        exemptionApprovedBy: 'U0LEAD001',
        deadline: dateOnDay(96),
      }),
    ]);
  });

  it('records the approved exemption in the key’s audit trail once, by its origin', () => {
    const notes = plan(approved(dateOnDay(95))).exemptions;
    const entries = exemptionEntries(notes, [reminded], TAG, '2027-04-02T10:00:00.000Z');
    expect([...entries.values()]).toEqual([
      expect.objectContaining({
        action: 'exemption',
        detail: `until ${dateOnDay(95)}; origin: approved in Slack by U0LEAD001`,
      }),
    ]);
    const trail = { ...reminded, audit: [...entries.values()] };
    expect(exemptionEntries(notes, [trail], TAG, '2027-04-03T10:00:00.000Z').size).toBe(0);
  });
});
