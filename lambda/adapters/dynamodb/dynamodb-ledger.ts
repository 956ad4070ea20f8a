import {
  type AttributeValue,
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';

import {
  type AccountLedger,
  type AccountRecord,
  type AccountRecordDraft,
  type KeyRecord,
  type KeyRecordDraft,
  type WriteResult,
} from '../../domain/ledger-records';
import { type Ledger } from '../../ports';
import {
  type LedgerItem,
  type LedgerItemKey,
  accountItemKey,
  decodeItem,
  encodeAccount,
  encodeKey,
  keyItemKey,
} from './item-codec';
import { LEDGER_TABLE, accountPartitionKey } from './ledger-table';

/** Options of {@link DynamoDbLedger}. */
export interface DynamoDbLedgerOptions {
  /** Name of the ledger table (see `LEDGER_TABLE` for its design). */
  readonly tableName: string;
  /**
   * Client to use. The default takes region, credentials and endpoint (`AWS_ENDPOINT_URL`) from
   * the environment, as Lambda provides them.
   * @default new DynamoDBClient({})
   */
  readonly client?: DynamoDBClient;
  /**
   * Items per Query page. Only tests need this, to cross page boundaries with few items.
   * @default undefined (DynamoDB's own limit of 1 MB per page)
   */
  readonly queryPageSize?: number;
}

/** A ledger operation failed for a reason other than a lost conditional write. */
export class DynamoDbLedgerError extends Error {
  override readonly name = 'DynamoDbLedgerError';

  constructor(
    /** The DynamoDB operation that failed. */
    readonly operation: 'PutItem' | 'Query',
    readonly tableName: string,
    /** The item written, or for a Query only the partition read. */
    readonly key: Partial<LedgerItemKey>,
    cause: unknown,
  ) {
    const where = Object.entries(key)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ');
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Ledger ${operation} on table ${tableName} (${where}) failed: ${reason}`, { cause });
  }
}

/**
 * The ledger in DynamoDB, with the same semantics as `MemoryLedger`: conditional writes on a
 * per-record `version`, and reads that see every write that returned `written` (strongly
 * consistent Query). Table design: see `LEDGER_TABLE`.
 */
export class DynamoDbLedger implements Ledger {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly queryPageSize: number | undefined;

  constructor(options: DynamoDbLedgerOptions) {
    this.client = options.client ?? new DynamoDBClient({});
    this.tableName = options.tableName;
    this.queryPageSize = options.queryPageSize;
  }

  async readAccount(accountId: string): Promise<AccountLedger> {
    let account: AccountRecord | undefined;
    const keys: KeyRecord[] = [];
    for (const item of await this.queryPartition(accountPartitionKey(accountId))) {
      const decoded = decodeItem(item);
      if (decoded.kind === 'account') account = decoded.record;
      if (decoded.kind === 'key') keys.push(decoded.record);
    }
    return account ? { account, keys } : { keys };
  }

  /**
   * One key's record, for the interactivity endpoint: a Query on the item's full key (the same
   * `dynamodb:Query` permission as `readAccount`), strongly consistent.
   */
  async readKey(accountId: string, accessKeyId: string): Promise<KeyRecord | undefined> {
    const { pk, sk } = keyItemKey(accountId, accessKeyId);
    try {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: `${LEDGER_TABLE.partitionKey} = :pk AND ${LEDGER_TABLE.sortKey} = :sk`,
          ExpressionAttributeValues: { ':pk': { S: pk }, ':sk': { S: sk } },
          ConsistentRead: true,
        }),
      );
      const [item] = page.Items ?? [];
      if (item === undefined) return undefined;
      const decoded = decodeItem(item);
      return decoded.kind === 'key' ? decoded.record : undefined;
    } catch (error) {
      throw new DynamoDbLedgerError('Query', this.tableName, { pk, sk }, error);
    }
  }

  async putKey(record: KeyRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    const item = encodeKey({ ...record, version: nextVersion(expectedVersion) });
    return this.conditionalPut(keyItemKey(record.accountId, record.accessKeyId), item, expectedVersion);
  }

  async putAccount(record: AccountRecordDraft, expectedVersion: number | undefined): Promise<WriteResult> {
    const item = encodeAccount({ ...record, version: nextVersion(expectedVersion) });
    return this.conditionalPut(accountItemKey(record.accountId), item, expectedVersion);
  }

  private async queryPartition(pk: string): Promise<LedgerItem[]> {
    const items: LedgerItem[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      try {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: `${LEDGER_TABLE.partitionKey} = :pk`,
            ExpressionAttributeValues: { ':pk': { S: pk } },
            // A run reads right after the previous run (or its own retry) wrote; an eventually
            // consistent read could miss a milestone and send it twice.
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
            Limit: this.queryPageSize,
          }),
        );
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } catch (error) {
        throw new DynamoDbLedgerError('Query', this.tableName, { pk }, error);
      }
    } while (startKey);
    return items;
  }

  private async conditionalPut(
    key: LedgerItemKey,
    item: LedgerItem,
    expectedVersion: number | undefined,
  ): Promise<WriteResult> {
    try {
      await this.client.send(
        new PutItemCommand({ TableName: this.tableName, Item: item, ...condition(expectedVersion) }),
      );
      return 'written';
    } catch (error) {
      if (isConditionalCheckFailed(error)) return 'conflict';
      throw new DynamoDbLedgerError('PutItem', this.tableName, key, error);
    }
  }
}

function nextVersion(expectedVersion: number | undefined): number {
  return (expectedVersion ?? 0) + 1;
}

function condition(
  expectedVersion: number | undefined,
): Pick<PutItemCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'> {
  if (expectedVersion === undefined)
    return { ConditionExpression: `attribute_not_exists(${LEDGER_TABLE.partitionKey})` };
  return {
    ConditionExpression: 'version = :expected',
    ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
  };
}

/**
 * Matched by name rather than `instanceof`, so that an error from another copy of the SDK (a
 * bundled layer, a test double) is still recognised as a lost race.
 */
function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}
