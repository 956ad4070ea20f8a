import { DynamoDbLedger } from '../../../lambda/adapters/dynamodb/dynamodb-ledger';
import { MemoryLedger } from '../../../lambda/adapters/memory-ledger';
import { ledgerContract } from '../../support/ledger-contract';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../support/local-dynamodb';

// Both implementations run the same contract in one file, so that a change to either one that the
// other does not share fails here, side by side.

ledgerContract('MemoryLedger', () => new MemoryLedger());

describe('against a local DynamoDB', () => {
  let local: LocalDynamoDb;

  beforeAll(async () => {
    local = await startLocalDynamoDb();
  });

  afterAll(async () => {
    await local.close();
  });

  ledgerContract(
    'DynamoDbLedger',
    async () => new DynamoDbLedger({ client: local.client, tableName: await local.createLedgerTable() }),
  );
});
