import { type AccountInventory, type InventoryUser } from '../../domain/inventory-read';
import { listUsersWithTags } from './authorization-details';
import { type CredentialReportWait, readCredentialReport } from './credential-report';
import { type AccountIam } from './user-reader';

/**
 * The fast path's read of an account: the credential report, then every current user with tags.
 * The report comes first so that an unusable one costs no further requests. Users are those of
 * `GetAccountAuthorizationDetails`, read after the report: a user deleted since the report is
 * gone, and one created since has no `report` row.
 */
export async function readAccountInventory(
  account: AccountIam,
  accountId: string,
  wait: CredentialReportWait,
): Promise<AccountInventory> {
  const report = await readCredentialReport(account, accountId, wait);
  const rows = new Map(report.rows.map((row) => [row.userName, row]));
  const users: InventoryUser[] = (await listUsersWithTags(account)).map((user) => {
    const row = rows.get(user.userName);
    return row ? { ...user, report: row } : user;
  });
  return { reportGeneratedAt: report.generatedAt, users };
}
