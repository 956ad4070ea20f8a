import { appendAudit, type AuditEntry, MAX_AUDIT_ENTRIES } from '../../lambda/domain/audit/audit-entry';
import {
  auditEntriesOfRun,
  type DoneAction,
  exemptionEntries,
} from '../../lambda/domain/audit/audit-from-run';
import { type AccountPlan } from '../../lambda/domain/decisions';
import { type KeyRecord } from '../../lambda/domain/ledger-records';

const AT = '2027-03-01T09:00:00.000Z';
const ACCOUNT = { id: '111111111111', name: 'prod' };

function action(overrides: Partial<DoneAction>): DoneAction {
  return {
    accountId: ACCOUNT.id,
    kind: 'remind',
    accessKeyId: 'AKIA1',
    outcome: 'done',
    messages: [],
    ...overrides,
  };
}

describe('auditEntriesOfRun', () => {
  it('records whom a message reached, leaving out undelivered ones and thread parents', () => {
    const entries = auditEntriesOfRun(
      [
        action({
          milestone: 76,
          messages: [
            { to: { kind: 'dm', slackId: 'U0ALICE01' }, delivered: false },
            { to: { kind: 'channel' }, delivered: true, thread: 'parent' },
            { to: { kind: 'channel' }, delivered: true, thread: 'reply' },
          ],
        }),
      ],
      [],
      AT,
    );
    expect(entries.get(`${ACCOUNT.id}/AKIA1`)).toEqual([
      { at: AT, action: 'reminder', to: ['channel'], detail: '76' },
    ]);
  });

  it('tells a deactivation after a re-activation apart, and skips failed, withheld and baseline actions', () => {
    const plan = {
      account: ACCOUNT,
      decisions: [{ kind: 'deactivate', reason: 'reactivated', subject: { key: { accessKeyId: 'AKIA2' } } }],
    } as unknown as AccountPlan;
    const entries = auditEntriesOfRun(
      [
        action({ kind: 'deactivate', accessKeyId: 'AKIA2' }),
        action({ kind: 'deactivate', accessKeyId: 'AKIA3', outcome: 'withheld' }),
        action({ kind: 'remind', accessKeyId: 'AKIA4', outcome: 'failed' }),
        action({ kind: 'new-key', accessKeyId: 'AKIA5', detail: 'baseline' }),
      ],
      [plan],
      AT,
    );
    expect([...entries.keys()]).toEqual([`${ACCOUNT.id}/AKIA2`]);
    expect(entries.get(`${ACCOUNT.id}/AKIA2`)?.[0]?.action).toBe('reactivation-deactivated');
  });
});

describe('exemptionEntries', () => {
  const record = { accountId: ACCOUNT.id, accessKeyId: 'AKIA1', userName: 'aisha' } as KeyRecord;
  const note = { account: ACCOUNT, userName: 'aisha', until: '2027-03-19' };

  it('records an exemption once, and again when its end date changes', () => {
    const first = exemptionEntries([note], [record], 'key-rotation-exempt-until', AT).get(
      `${ACCOUNT.id}/AKIA1`,
    );
    expect(first).toEqual({
      at: AT,
      action: 'exemption',
      to: [],
      detail: 'until 2027-03-19; origin: tag key-rotation-exempt-until',
    });
    const recorded = { ...record, audit: [first!] };
    expect(exemptionEntries([note], [recorded], 'key-rotation-exempt-until', AT).size).toBe(0);
    expect(
      exemptionEntries([{ ...note, until: '2027-04-01' }], [recorded], 'key-rotation-exempt-until', AT).size,
    ).toBe(1);
  });
});

describe('appendAudit', () => {
  it(`keeps the latest ${MAX_AUDIT_ENTRIES} entries`, () => {
    const entry = (i: number): AuditEntry => ({
      at: `t${String(i).padStart(3, '0')}`,
      action: 'reminder',
      to: [],
    });
    const kept = appendAudit(
      Array.from({ length: 49 }, (_, i) => entry(i)),
      [entry(49), entry(50)],
    );
    expect(kept).toHaveLength(MAX_AUDIT_ENTRIES);
    expect(kept[0]?.at).toBe('t001');
    expect(kept.at(-1)?.at).toBe('t050');
  });
});
