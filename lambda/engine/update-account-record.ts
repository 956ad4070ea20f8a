import { type AccountRecordDraft } from '../domain/ledger-records';
import { type Ledger } from '../ports';
import { errorMessage } from './execute-plan';

/**
 * Sets fields on an account's current record. The run's own writes (baseline, read stamp) changed
 * the record since the run read it, so it is read again; a lost race is retried. Returns why it
 * could not, or undefined once written.
 */
export async function updateAccountRecord(
  ledger: Ledger,
  accountId: string,
  fields: Partial<Omit<AccountRecordDraft, 'accountId'>>,
): Promise<string | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const current = (await ledger.readAccount(accountId)).account;
      const { version: _version, ...kept } = current ?? { accountId, version: undefined };
      const written = await ledger.putAccount({ ...kept, accountId, ...fields }, current?.version);
      if (written === 'written') return undefined;
    } catch (error) {
      return errorMessage(error);
    }
  }
  return 'another run kept writing the account record';
}
