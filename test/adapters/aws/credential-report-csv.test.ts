import { parseCredentialReportCsv } from '../../../lambda/adapters/aws/credential-report-csv';
import { CREDENTIAL_REPORT_COLUMNS } from '../../support/iam-stand-in';

const HEADER = CREDENTIAL_REPORT_COLUMNS.join(',');
const NO_KEY = 'false,N/A,N/A,N/A,N/A';
const CERTS = 'false,N/A,false,N/A';

function row(user: string, overrides: { keys?: string; mfa?: string } = {}): string {
  return [
    user,
    user.startsWith('"')
      ? `"arn:aws:iam::222222222222:user/${user.slice(1)}`
      : `arn:aws:iam::222222222222:user/${user}`,
    '2026-01-01T10:00:00+00:00',
    'false,N/A,N/A,N/A',
    overrides.mfa ?? 'false',
    overrides.keys ?? `${NO_KEY},${NO_KEY}`,
    CERTS,
  ].join(',');
}

describe('parseCredentialReportCsv', () => {
  it('keeps a quoted user name with a comma, which IAM names allow, in one field', () => {
    const parsed = parseCredentialReportCsv(`${HEADER}\r\n${row('"a,b"')}\r\n`);

    expect(parsed).toMatchObject({
      ok: true,
      rows: [{ userName: 'a,b', arn: 'arn:aws:iam::222222222222:user/a,b' }],
    });
  });

  it.each([
    ['an empty report', '', 'the report is empty'],
    ['a flag that is neither true nor false', `${HEADER}\n${row('bob', { mfa: 'yes' })}`, 'mfa_active'],
    [
      'a date IAM would not write',
      `${HEADER}\n${row('bob', { keys: `true,yesterday,N/A,N/A,N/A,${NO_KEY}` })}`,
      'access_key_1_last_rotated',
    ],
    ['a short row', `${HEADER}\nbob,arn`, 'row 2 has no'],
  ])('rejects %s', (_, csv, reason) => {
    const parsed = parseCredentialReportCsv(csv);

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});
