import { type KeyRecordDraft } from '../../lambda/domain/ledger-records';
import { type KeyNotice, supersededBy } from '../../lambda/domain/outbox/notice';
import { deactivate, finalNotice, remind, thanks } from './messages/fixtures';
import { record } from './policy-fixtures';

const QUEUED_AT = '2027-03-01T08:00:30.000Z';
const APPROVED = {
  until: '2027-04-15',
  reason: 'migration',
  requestedBy: 'U0ALICE01',
  approvedBy: 'U0BOSS001',
};

function draft(overrides: Partial<KeyRecordDraft>): KeyRecordDraft {
  const { version: _version, ...rest } = record(overrides);
  return rest;
}

/** A queued reminder must not tell the owner a deadline or a rotation the key's record has since overtaken. */
describe('supersededBy: whether a queued notice still stands when the sender gets it', () => {
  const cases: [string, KeyNotice, Partial<KeyRecordDraft>, RegExp | undefined][] = [
    ['a reminder, nothing changed', remind(), {}, undefined],
    [
      'a reminder, an exemption approved after it was queued',
      remind(),
      { approvedExemption: { ...APPROVED, approvedAt: '2027-03-01T09:00:00.000Z' } },
      /exemption until 2027-04-15 was approved after it was queued/,
    ],
    [
      'a reminder decided with an exemption approved before it was queued',
      remind({ exemptUntil: '2027-04-15' }),
      { approvedExemption: { ...APPROVED, approvedAt: '2027-03-01T07:00:00.000Z' } },
      undefined,
    ],
    [
      'a final notice, an exemption approved after it was queued',
      finalNotice(),
      { approvedExemption: { ...APPROVED, approvedAt: '2027-03-02T07:00:00.000Z' } },
      /approved after it was queued/,
    ],
    [
      'a reminder, the key rotated (thanked) the day it was queued',
      remind(),
      { thankedOn: '2027-03-01' },
      /rotated/,
    ],
    [
      'a reminder, thanked on an earlier rotation, key active again',
      remind(),
      { thankedOn: '2027-02-20' },
      undefined,
    ],
    ['a reminder, the key deleted since', remind(), { goneOn: '2027-03-01' }, /deleted/],
    [
      'a deactivation notice reports what happened: never superseded',
      deactivate(),
      { approvedExemption: { ...APPROVED, approvedAt: '2027-03-01T09:00:00.000Z' }, goneOn: '2027-03-01' },
      undefined,
    ],
    ['thanks: never superseded', thanks(), { thankedOn: '2027-03-01' }, undefined],
  ];

  it.each(cases)('%s', (_name, notice, overrides, expected) => {
    const reason = supersededBy(notice, draft(overrides), QUEUED_AT);
    // `undefined` for a notice that still stands, else the reason matches.
    expect([reason, reason !== undefined && expected?.test(reason)]).toEqual(
      expected ? [reason, true] : [undefined, false],
    );
  });
});
