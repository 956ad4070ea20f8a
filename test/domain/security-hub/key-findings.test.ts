import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { PolicySchema } from '../../../lambda/config/schema';
import { type InventoryRow } from '../../../lambda/domain/inventory';
import { type RuleFinding } from '../../../lambda/domain/rules/rule-finding';
import {
  ageBand,
  fingerprint,
  keyFinding,
  type KeyFindingContext,
} from '../../../lambda/domain/security-hub/key-findings';
import { applyImported, planSecurityHubExport } from '../../../lambda/domain/security-hub/plan-export';

const POLICY = PolicySchema.parse({});
const CTX: KeyFindingContext = {
  target: { partition: 'aws', region: 'eu-central-1', hubAccountId: '999999999999' },
  policy: POLICY,
  docsUrl: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id-credentials-access-keys-update.html',
  now: '2027-03-01T09:00:00.000Z',
};

function row(overrides: Partial<InventoryRow> = {}): InventoryRow {
  return {
    accountId: '111111111111',
    accountName: 'prod',
    userName: 'maria.garcia',
    ownerName: 'María García',
    ownerSlackId: 'U01MGARC1A2',
    type: 'engineer',
    treatedAs: 'engineer',
    accessKeyId: 'AKIAEXAMPLE000000001',
    status: 'Active',
    createdAt: '2026-12-11T08:00:00.000Z',
    ageDays: 80,
    state: 'warning',
    deadline: '2027-03-13',
    ...overrides,
  };
}

const golden = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, 'golden', `${name}.json`), 'utf8')) as unknown;

describe('keyFinding', () => {
  it('builds the golden ASFF finding of a key past its first reminder', () => {
    expect(keyFinding(row(), undefined, CTX)).toEqual(golden('due-key'));
  });

  it('builds the golden ASFF finding of an overdue, exempt and unused key', () => {
    const unused: RuleFinding = {
      id: 'unused-key/111111111111/legacy/AKIAEXAMPLE000000002',
      rule: 'unused-key',
      account: { id: '111111111111', name: 'prod' },
      userName: 'legacy',
      accessKeyId: 'AKIAEXAMPLE000000002',
      summary: 'key AKIAEXAMPLE000000002 of legacy is active and was last used 120 days ago (2026-11-01)',
      advice: 'If nothing needs this key, delete it (the enforcer never deletes keys):',
      command: 'aws iam delete-access-key --user-name legacy --access-key-id AKIAEXAMPLE000000002',
    };
    const overdue = row({
      userName: 'legacy',
      accessKeyId: 'AKIAEXAMPLE000000002',
      ageDays: 120,
      state: 'overdue',
      deadline: '2027-03-20',
      exemptUntil: '2027-03-19',
      createdAt: '2026-10-31T08:00:00.000Z',
    });
    expect(keyFinding(overdue, unused, CTX)).toEqual(golden('overdue-exempt-unused-key'));
  });

  it('gives no finding to an inactive key or a young, used, non-exempt one', () => {
    expect(keyFinding(row({ status: 'Inactive' }), undefined, CTX)).toBeUndefined();
    expect(keyFinding(row({ ageDays: 30, state: 'ok' }), undefined, CTX)).toBeUndefined();
  });

  it('raises the severity with age, and changes the finding only when the band does', () => {
    expect([10, 76, 85, 86, 91, 400].map((age) => ageBand(age, POLICY).label)).toEqual([
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'CRITICAL',
      'CRITICAL',
    ]);
    const day80 = keyFinding(row({ ageDays: 80 }), undefined, CTX)!;
    const day81 = keyFinding(row({ ageDays: 81 }), undefined, { ...CTX, now: '2027-03-02T09:00:00.000Z' })!;
    expect(fingerprint(day81)).toBe(fingerprint(day80));
    expect(fingerprint(keyFinding(row({ ageDays: 86 }), undefined, CTX)!)).not.toBe(fingerprint(day80));
  });
});

describe('planSecurityHubExport', () => {
  const base = { accountId: '111111111111', unreadUsers: new Set<string>(), unused: [], ctx: CTX };

  it('sends a new finding, then nothing while it is unchanged', () => {
    const first = planSecurityHubExport({ ...base, rows: [row()], exported: undefined });
    expect(first.send.map((s) => s.finding.Id)).toEqual([
      'access-key-enforcer/111111111111/AKIAEXAMPLE000000001',
    ]);
    const exported = applyImported(undefined, first.send, new Set());
    const again = planSecurityHubExport({ ...base, rows: [row()], exported });
    expect(again).toEqual({ send: [], unchanged: 1 });
  });

  it('archives the finding of a key rotated (inactive), deleted, or no longer due, once', () => {
    const exported = applyImported(
      undefined,
      planSecurityHubExport({ ...base, rows: [row()], exported: undefined }).send,
      new Set(),
    );
    const cases = [
      { rows: [row({ status: 'Inactive' })], resolution: 'inactive' },
      { rows: [], resolution: 'deleted' },
      { rows: [row({ ageDays: 30, state: 'ok' })], resolution: 'resolved' },
    ];
    for (const { rows, resolution } of cases) {
      const plan = planSecurityHubExport({ ...base, rows, exported });
      expect(plan.send.map((s) => s.finding)).toEqual([
        expect.objectContaining({
          Id: 'access-key-enforcer/111111111111/AKIAEXAMPLE000000001',
          RecordState: 'ARCHIVED',
          Workflow: { Status: 'RESOLVED' },
          Compliance: { Status: 'PASSED' },
          ProductFields: { 'access-key-enforcer/Resolution': resolution },
        }),
      ]);
      const after = applyImported(exported, plan.send, new Set());
      expect(after).toEqual({});
      expect(planSecurityHubExport({ ...base, rows, exported: after }).send).toEqual([]);
    }
  });

  it("leaves the finding of a user that could not be read alone, and keeps a refused import's old state", () => {
    const exported = applyImported(
      undefined,
      planSecurityHubExport({ ...base, rows: [row()], exported: undefined }).send,
      new Set(),
    );
    expect(
      planSecurityHubExport({ ...base, rows: [], unreadUsers: new Set(['maria.garcia']), exported }).send,
    ).toEqual([]);
    const plan = planSecurityHubExport({ ...base, rows: [], exported });
    expect(applyImported(exported, plan.send, new Set([plan.send[0]!.finding.Id]))).toEqual(exported);
  });
});
