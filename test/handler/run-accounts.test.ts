import { mergeAccounts, NoAccountsError, resolveRunAccounts } from '../../lambda/runtime/run-accounts';

const organization = {
  enabled: true,
  managementRoleArn: 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead',
};
const forever = (): number => Number.POSITIVE_INFINITY;

describe('the accounts of a run', () => {
  it('are the explicit accounts when discovery is not configured', async () => {
    const discover = jest.fn(() => Promise.resolve([{ id: '222222222222' }]));

    const targets = await resolveRunAccounts({ accounts: [{ id: '111111111111' }] }, discover, forever);

    expect(targets).toEqual({ accounts: [{ id: '111111111111' }] });
    expect(discover).not.toHaveBeenCalled();
  });

  it('add the discovered accounts to the explicit ones, once each, the explicit name winning', () => {
    expect(
      mergeAccounts(
        [{ id: '111111111111', name: 'hub' }, { id: '333333333333' }],
        [
          { id: '111111111111', name: 'Shared Services' },
          { id: '222222222222', name: 'Production' },
          { id: '333333333333', name: 'Sandbox' },
        ],
      ),
    ).toEqual([
      { id: '111111111111', name: 'hub' },
      { id: '333333333333', name: 'Sandbox' },
      { id: '222222222222', name: 'Production' },
    ]);
  });

  it('keep the explicit accounts and report the failure when discovery fails', async () => {
    const discover = () => Promise.reject(new Error('AccessDenied on ListAccounts'));

    const targets = await resolveRunAccounts(
      { accounts: [{ id: '111111111111' }], organization },
      discover,
      forever,
    );

    expect(targets).toEqual({
      accounts: [{ id: '111111111111' }],
      discoveryFailure: 'AccessDenied on ListAccounts',
    });
  });

  it('refuse to run on nothing when discovery fails and no account is explicit', async () => {
    const discover = () => Promise.reject(new Error('AccessDenied on ListAccounts'));

    await expect(resolveRunAccounts({ accounts: [], organization }, discover, forever)).rejects.toThrow(
      new NoAccountsError('No accounts to run on: AccessDenied on ListAccounts'),
    );
  });

  it('refuse to run on nothing when discovery finds no account', async () => {
    await expect(
      resolveRunAccounts({ accounts: [], organization }, () => Promise.resolve([]), forever),
    ).rejects.toThrow(NoAccountsError);
  });
});
