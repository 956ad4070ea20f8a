import { type AccountInventory, type InventoryUser } from '../../domain/inventory-read';
import { listUsersWithTags } from './authorization-details';
import { type CredentialReportWait, readCredentialReport } from './credential-report';
import { CredentialReportUnavailableError } from '../../ports';
import { type AccountIam, readTags } from './user-reader';

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
  await checkTagsAgree(account, accountId, users);
  return { reportGeneratedAt: report.generatedAt, users };
}

/**
 * One `ListUserTags` for the first user with keys, compared with what the authorization details
 * said. Owners, classes and exemptions all come from tags, so an endpoint that answers without
 * them (an emulator, a future API change) must send the run down the exhaustive path rather than
 * turn every engineer into an untagged user.
 */
async function checkTagsAgree(
  account: AccountIam,
  accountId: string,
  users: readonly InventoryUser[],
): Promise<void> {
  const sample = users.find((user) => user.report?.keys.some((slot) => slot.active || slot.lastRotated));
  if (!sample) return;
  const live = await readTags(account, sample.userName);
  const listed = sample.tags;
  const same =
    Object.keys(live).length === Object.keys(listed).length &&
    Object.entries(live).every(([key, value]) => listed[key] === value);
  if (!same) {
    throw new CredentialReportUnavailableError(
      accountId,
      'unparseable',
      `account ${accountId}: GetAccountAuthorizationDetails gave ${sample.userName} other tags than ListUserTags; read user by user`,
    );
  }
}
