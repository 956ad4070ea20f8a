import { type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

import { type AccountRecord, type DigestRecord, type KeyRecord } from '../../domain/ledger-records';
import { OUTBOX_POST_PREFIX } from '../../domain/outbox/notice';
import {
  ACCOUNT_SORT_KEY,
  DAILY_DIGEST_RETENTION_DAYS,
  DIGEST_PARTITION_KEY,
  GONE_KEY_RETENTION_DAYS,
  LEDGER_TABLE,
  OUTBOX_POST_RETENTION_DAYS,
  accountPartitionKey,
  digestSortKey,
  isDigestSortKey,
  isKeySortKey,
  keySortKey,
} from './ledger-table';

/** A DynamoDB item in wire format. */
export type LedgerItem = Record<string, AttributeValue>;

/** The primary key of one ledger item. */
export interface LedgerItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A decoded ledger item: which record it is, or an item this version does not know. */
export type DecodedItem =
  | { readonly kind: 'account'; readonly record: AccountRecord }
  | { readonly kind: 'key'; readonly record: KeyRecord }
  | { readonly kind: 'digest'; readonly record: DigestRecord }
  | { readonly kind: 'unknown' };

const SECONDS_PER_DAY = 86_400;

/** Attributes the table adds to a record; none of them is a record field. */
const STORAGE_ATTRIBUTES = [LEDGER_TABLE.partitionKey, LEDGER_TABLE.sortKey, LEDGER_TABLE.ttlAttribute];

/** Where an account record lives. */
export function accountItemKey(accountId: string): LedgerItemKey {
  return { pk: accountPartitionKey(accountId), sk: ACCOUNT_SORT_KEY };
}

/** Where a key record lives. */
export function keyItemKey(accountId: string, accessKeyId: string): LedgerItemKey {
  return { pk: accountPartitionKey(accountId), sk: keySortKey(accessKeyId) };
}

/** Where a digest record lives. */
export function digestItemKey(digestId: string): LedgerItemKey {
  return { pk: DIGEST_PARTITION_KEY, sk: digestSortKey(digestId) };
}

/**
 * A digest record as an item, expiring after its retention counted from its claim (a daily
 * marker is worthless after its day; a weekly one keeps a year of figures).
 */
export function encodeDigest(record: DigestRecord): LedgerItem {
  const claimedOn = record.claimedAt.slice(0, 10);
  return toItem(
    digestItemKey(record.digestId),
    record,
    expiresAfter(claimedOn, retentionDays(record.digestId)),
  );
}

function retentionDays(digestId: string): number {
  if (digestId.startsWith('daily/')) return DAILY_DIGEST_RETENTION_DAYS;
  if (digestId.startsWith(OUTBOX_POST_PREFIX)) return OUTBOX_POST_RETENTION_DAYS;
  return GONE_KEY_RETENTION_DAYS;
}

/** An account record as an item. */
export function encodeAccount(record: AccountRecord): LedgerItem {
  return toItem(accountItemKey(record.accountId), record);
}

/** A key record as an item, with the TTL attribute once the key is gone. */
export function encodeKey(record: KeyRecord): LedgerItem {
  const expiresAt = record.goneOn === undefined ? undefined : expiresAtFor(record.goneOn);
  return toItem(keyItemKey(record.accountId, record.accessKeyId), record, expiresAt);
}

/**
 * An item back as the record it was written from. Items are only ever written by this codec, so
 * the fields are trusted rather than re-validated; the key attributes and TTL are storage details
 * and are stripped so that a record round-trips exactly.
 */
export function decodeItem(item: LedgerItem): DecodedItem {
  const fields = unmarshall(item);
  const sk: unknown = fields[LEDGER_TABLE.sortKey];
  for (const attribute of STORAGE_ATTRIBUTES) delete fields[attribute];
  if (sk === ACCOUNT_SORT_KEY) return { kind: 'account', record: fields as AccountRecord };
  if (typeof sk === 'string' && isKeySortKey(sk)) return { kind: 'key', record: fields as KeyRecord };
  if (typeof sk === 'string' && isDigestSortKey(sk))
    return { kind: 'digest', record: fields as DigestRecord };
  // Another item kind in the partition (written by a newer version during a rollout) is not ours
  // to interpret; ignoring it keeps this version working instead of misreading it.
  return { kind: 'unknown' };
}

/**
 * TTL (epoch seconds) of a key found gone on `goneOn` (UTC `YYYY-MM-DD`, which ECMAScript parses
 * as UTC midnight). An unparseable date yields no TTL: the record is then kept forever, which is
 * what happens without TTL anyway, rather than failing the write that records the deletion.
 */
export function expiresAtFor(goneOn: string): number | undefined {
  return expiresAfter(goneOn, GONE_KEY_RETENTION_DAYS);
}

function expiresAfter(date: string, days: number): number | undefined {
  const atMs = Date.parse(date);
  if (!Number.isFinite(atMs)) return undefined;
  return Math.floor(atMs / 1000) + days * SECONDS_PER_DAY;
}

function toItem(key: LedgerItemKey, record: object, expiresAt?: number): LedgerItem {
  return marshall(
    {
      ...record,
      [LEDGER_TABLE.partitionKey]: key.pk,
      [LEDGER_TABLE.sortKey]: key.sk,
      [LEDGER_TABLE.ttlAttribute]: expiresAt,
    },
    // Optional record fields that are absent (or undefined) are left out of the item rather than
    // stored as NULL, so that they read back absent.
    { removeUndefinedValues: true },
  );
}
