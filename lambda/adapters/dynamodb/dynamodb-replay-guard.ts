import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

import { type ReplayGuard } from '../../interactive/interactive-ports';
import { LEDGER_TABLE, slackRequestPartitionKey, SLACK_REQUEST_SORT_KEY } from './ledger-table';

export interface DynamoDbReplayGuardOptions {
  /** The ledger table: one more item kind in it, never read by the ledger (its own partition). */
  readonly tableName: string;
  /** @default new DynamoDBClient({}) */
  readonly client?: DynamoDBClient;
}

/**
 * Remembers each accepted Slack request (issue 11 item 3) as an item that only a conditional write
 * creates, and that DynamoDB's TTL removes once its signature could no longer verify anyway. A
 * second request with the same signature loses the condition: a replay. TTL deletes lazily (within
 * days), which only keeps a replay refused longer. One `PutItem`, the permission the ledger has.
 */
export class DynamoDbReplayGuard implements ReplayGuard {
  private readonly client: DynamoDBClient;

  constructor(private readonly options: DynamoDbReplayGuardOptions) {
    this.client = options.client ?? new DynamoDBClient({});
  }

  async firstSeen(requestId: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.options.tableName,
          Item: {
            [LEDGER_TABLE.partitionKey]: { S: slackRequestPartitionKey(requestId) },
            [LEDGER_TABLE.sortKey]: { S: SLACK_REQUEST_SORT_KEY },
            [LEDGER_TABLE.ttlAttribute]: { N: String(Math.ceil(expiresAt.getTime() / 1000)) },
          },
          ConditionExpression: `attribute_not_exists(${LEDGER_TABLE.partitionKey})`,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
