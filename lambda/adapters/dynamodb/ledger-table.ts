import { type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The ledger's DynamoDB table: one table, one partition per member account.
 *
 * | Item           | `pk` (S)              | `sk` (S)              | Other attributes                           |
 * | -------------- | --------------------- | --------------------- | ------------------------------------------ |
 * | Account record | `ACCOUNT#<accountId>` | `ACCOUNT`             | `AccountRecord` fields                     |
 * | Key record     | `ACCOUNT#<accountId>` | `KEY#<accessKeyId>`   | `KeyRecord` fields, `expiresAt` once gone  |
 * | Digest record  | `DIGEST`              | `DIGEST#<digestId>`   | `DigestRecord` fields, `expiresAt`         |
 * | Slack request  | `SLACK_REQUEST#<hash>`| `REQUEST`             | `expiresAt` (the replay guard, issue 11)   |
 *
 * - Record fields are stored as native attributes (maps for `milestones` and `lease`), so the
 *   table stays readable in the console and optional fields that are absent stay absent.
 * - A run reads one account at a time, so `readAccount` is a single-partition Query (all pages,
 *   strongly consistent). There is no Scan anywhere and no GSI: nothing needs another access path.
 * - Billing is on demand: one burst of writes a day does not justify provisioned capacity.
 * - `expiresAt` (epoch seconds) is the TTL attribute. It is set on a key record once `goneOn` is,
 *   to `goneOn` + {@link GONE_KEY_RETENTION_DAYS}, so deleted keys age out while a key that is
 *   merely inactive is kept (SPEC §2: re-activation of a key we deactivated must be noticed).
 * - Digest records (the daily and weekly digests, issue 10) are few, one partition for the whole
 *   organisation: one a day and one a week, read one at a time by a Query on both keys (no
 *   GetItem: the role keeps the two actions it has). They expire: a daily one after
 *   {@link DAILY_DIGEST_RETENTION_DAYS}, a weekly one (it holds the week's figures for the next
 *   week's trend) after {@link GONE_KEY_RETENTION_DAYS}. The outbox's channel posts (an account's
 *   first scan, a second key) use the same records to be posted once (`outbox/…`, expiring after
 *   {@link OUTBOX_POST_RETENTION_DAYS}); Slack paces them to one a second, far below the
 *   partition's write limit.
 * - Every item carries a `version`; writes are conditional on it (see `DynamoDbLedger`).
 */
export const LEDGER_TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

/** How long a deleted key's record is kept: a year of history, plus a margin over a leap year. */
export const GONE_KEY_RETENTION_DAYS = 400;

/** A daily digest's record only stops a same-day re-run from posting it again. */
export const DAILY_DIGEST_RETENTION_DAYS = 35;

/**
 * A channel post's post-once record in the outbox (`outbox/…`): it must outlive every copy of the
 * message that could still be sent, and the queue keeps a message 14 days at most.
 */
export const OUTBOX_POST_RETENTION_DAYS = 15;

/** Partition of the organisation's digest records. */
export const DIGEST_PARTITION_KEY = 'DIGEST';
const DIGEST_SORT_PREFIX = 'DIGEST#';

/** Sort key of one digest's record. */
export function digestSortKey(digestId: string): string {
  return `${DIGEST_SORT_PREFIX}${digestId}`;
}

/** Whether a sort key names a digest record. */
export function isDigestSortKey(sortKey: string): boolean {
  return sortKey.startsWith(DIGEST_SORT_PREFIX);
}

/** Sort key of a remembered Slack request (`DynamoDbReplayGuard`); its partition holds nothing else. */
export const SLACK_REQUEST_SORT_KEY = 'REQUEST';

/** Partition of one remembered Slack request, by the hash of its timestamp and body. */
export function slackRequestPartitionKey(requestHash: string): string {
  return `SLACK_REQUEST#${requestHash}`;
}

/** Sort key of an account's own record. */
export const ACCOUNT_SORT_KEY = 'ACCOUNT';

const PARTITION_PREFIX = 'ACCOUNT#';
const KEY_SORT_PREFIX = 'KEY#';

/** Partition key of everything the ledger holds for one account. */
export function accountPartitionKey(accountId: string): string {
  return `${PARTITION_PREFIX}${accountId}`;
}

/** Sort key of one access key's record. */
export function keySortKey(accessKeyId: string): string {
  return `${KEY_SORT_PREFIX}${accessKeyId}`;
}

/** Whether a sort key names a key record (as opposed to the account record). */
export function isKeySortKey(sortKey: string): boolean {
  return sortKey.startsWith(KEY_SORT_PREFIX);
}

/**
 * The table as a `CreateTable` request, for tests and local runs. The CDK stack declares the same
 * schema from {@link LEDGER_TABLE}; TTL is not part of `CreateTable` in DynamoDB's API (it is a
 * separate `UpdateTimeToLive` call, which the stack makes through `timeToLiveAttribute`).
 */
export function createLedgerTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: LEDGER_TABLE.partitionKey, AttributeType: 'S' },
      { AttributeName: LEDGER_TABLE.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: LEDGER_TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: LEDGER_TABLE.sortKey, KeyType: 'RANGE' },
    ],
  };
}
