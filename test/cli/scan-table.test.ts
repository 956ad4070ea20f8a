import { AccountAccessError } from '../../lambda/adapters/aws/errors';
import { demoOrg } from '../../lambda/simulation';
import { cli, testDeps } from './cli-harness';

interface JsonKey {
  readonly accessKeyId: string;
  readonly deadline: string | null;
  readonly exemptUntil: string | null;
  readonly status: string;
}

const NOW = new Date('2027-03-01T09:00:00.000Z');

describe('scan table: as-of date, deadlines, exemptions and a legend (issue 13)', () => {
  it('states the date it describes', async () => {
    const today = await cli(['scan', '--demo']);
    const preview = await cli(['scan', '--demo', '--as-of', '2027-03-06']);

    expect(today.stdout.split('\n')[0]).toBe(
      'Keys as of 2027-03-01 (UTC). Dates are MM-DD, the UTC day of the run that acts.',
    );
    expect(preview.stdout).toContain('Keys as of 2027-03-06 (UTC).');
  });

  it('shows for every active key the deadline json states, which comes from the policy', async () => {
    const table = (await cli(['scan', '--demo'])).stdout;
    const { keys } = JSON.parse((await cli(['scan', '--demo', '--format', 'json'])).stdout) as {
      keys: JsonKey[];
    };

    for (const key of keys.filter((k) => k.status === 'Active')) {
      const line = table.split('\n').find((l) => l.includes(key.accessKeyId.slice(-8)));
      const shown = key.deadline === null ? 'never' : key.deadline.slice(5);
      expect(line?.split(/\s+/)).toContain(shown);
    }
  });

  it('states the same deadline as the reminders a run sends (SPEC §1: one deadline function)', async () => {
    const table = (await cli(['scan', '--demo'])).stdout;
    const run = (await cli(['run', '--demo', '--dry-run'])).stdout;
    const stated = [
      ...run.matchAll(
        /Access key: (AKIA\w+) · Age: \d+ days · Turns 91 days: [^·]+· Deactivation run: (\d{4}-\d{2}-\d{2})/g,
      ),
    ];

    expect(stated.length).toBeGreaterThan(3);
    for (const [, keyId = '', deadline = ''] of stated) {
      const line = table.split('\n').find((l) => l.includes(keyId.slice(-8)));
      expect(line?.split(/\s+/)).toContain(deadline.slice(5));
    }
  });

  it('marks an exemption in force and lists it with its date', async () => {
    const { stdout } = await cli(['scan', '--demo']);

    expect(stdout).toMatch(/aisha\.bello .* 03-20 \*\n/);
    expect(stdout).toContain('* exemption in force (tag key-rotation-exempt-until)');
    expect(stdout).toContain('  staging/aisha.bello AKIAEPP53DSQNF2ZAA65 until 2027-03-19');
  });

  it('explains its markers', async () => {
    const { stdout } = await cli(['scan', '--demo']);

    expect(stdout).toContain('✖ overdue: 91 days or older. ! due for rotation: 76 days or older.');
    expect(stdout).toContain('DEADLINE: the first run that may deactivate the key');
  });
});

describe('scan with one unreadable account', () => {
  const config = {
    accounts: [
      { id: '431296587140', name: 'prod' },
      { id: '999999999999', name: 'lost' },
    ],
    slack: { infraChannel: 'C0INFRA01' },
  };
  const deps = () => {
    const org = demoOrg(NOW);
    return testDeps({
      readFile: () => JSON.stringify(config),
      iam: () => ({
        readAccount: (account) =>
          account.id === '999999999999'
            ? Promise.reject(
                new AccountAccessError(
                  account.id,
                  'sts:AssumeRole',
                  'arn:aws:iam::999999999999:role/X',
                  Object.assign(new Error('not authorized'), { name: 'AccessDenied' }),
                ),
              )
            : org.iam.readAccount(account),
        deactivateKey: () => Promise.reject(new Error('scan never deactivates')),
      }),
    });
  };

  it('says the table is incomplete instead of printing a clean-looking summary, and exits 1', async () => {
    const result = await cli(['scan'], deps());

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('prod');
    expect(result.stdout).toMatch(
      /^INCOMPLETE: 1 of 2 accounts could not be read \(errors on stderr\); in the 1 read, \d+ keys/m,
    );
    expect(result.stderr).toContain(
      'error: account 999999999999 (lost): sts:AssumeRole on arn:aws:iam::999999999999:role/X failed: AccessDenied (not authorized)\n  fix: deploy the member role in 999999999999',
    );
  });

  it('json names the failed account and is not complete', async () => {
    const result = await cli(['scan', '--format', 'json'], deps());

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      complete: false,
      failedAccounts: [
        {
          accountId: '999999999999',
          accountName: 'lost',
          error: 'sts:AssumeRole on arn:aws:iam::999999999999:role/X failed: AccessDenied (not authorized)',
        },
      ],
    });
  });
});
