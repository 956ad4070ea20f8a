import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { type AccountRecord } from '../../lambda/domain/ledger-records';
import { type ReadStamp, recordRead, withStamp } from '../../lambda/engine/record-read';
import { decodeRunDocument, encodeRunDocument } from '../../lambda/engine/steps/run-store-codec';
import { type RunDocument } from '../../lambda/engine/steps/run-store';

const ID = '111111111111';
const READ_AT = '2027-01-05T09:00:00.000Z';

describe('withStamp: how a read is remembered on the account record', () => {
  const current = {
    accountId: ID,
    baselinedOn: '2027-01-01',
    firstReadAt: '2027-01-01T09:00:00.000Z',
    lastFullScanOn: '2027-01-01',
    sweepCursor: 'mallory',
    ruleFindings: {},
  };

  it.each<[string, ReadStamp, Partial<AccountRecord>]>([
    ['a fast day keeps the cursor', { lastReadAt: READ_AT }, { sweepCursor: 'mallory' }],
    ['an unfinished sweep moves it', { lastReadAt: READ_AT, sweepCursor: 'oscar' }, { sweepCursor: 'oscar' }],
    [
      'a finished sweep removes it and dates the sweep',
      { lastReadAt: READ_AT, lastFullScanOn: '2027-01-05', sweepCursor: null },
      { lastFullScanOn: '2027-01-05' },
    ],
    [
      'the first read is never moved',
      { lastReadAt: READ_AT, firstReadAt: READ_AT },
      { firstReadAt: '2027-01-01T09:00:00.000Z', sweepCursor: 'mallory' },
    ],
  ])('%s', (_name, stamp, expected) => {
    const next = withStamp(current, stamp);
    expect(next).toMatchObject({ ...expected, lastReadAt: READ_AT, ruleFindings: {} });
    expect('sweepCursor' in next).toBe('sweepCursor' in expected);
  });

  it('removes the cursor through the state machine: a stamp stored as JSON by one step, applied by the next', async () => {
    const ledger = new MemoryLedger();
    await ledger.putAccount({ accountId: ID, sweepCursor: 'mallory' }, undefined);
    const stored = decodeRunDocument(
      encodeRunDocument({
        kind: 'plan',
        plan: { account: { id: ID }, decisions: [], problems: [], exemptions: [], stats: {} },
        records: [],
        stamp: { lastReadAt: READ_AT, lastFullScanOn: '2027-01-05', sweepCursor: null },
      } as unknown as RunDocument),
    );
    const { stamp } = stored as Extract<RunDocument, { kind: 'plan' }>;
    const before = (await ledger.readAccount(ID)).account;

    await recordRead(ledger, ID, before, stamp);

    const after = (await ledger.readAccount(ID)).account;
    expect(after).toMatchObject({ lastFullScanOn: '2027-01-05', lastReadAt: READ_AT });
    expect(after).not.toHaveProperty('sweepCursor');
  });
});
