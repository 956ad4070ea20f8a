import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';

import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { createLedgerTableInput } from '../../lambda/adapters/dynamodb/ledger-table';

/** A DynamoDB-compatible server (dynalite, in memory) on loopback, with a ledger table ready. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** A client for the server, destroyed by `close()`. */
  readonly client: DynamoDBClient;
  /** The ledger table created at start. */
  readonly tableName: string;
  /** Another client for the same server (to simulate a restart), also destroyed by `close()`. */
  createClient(): DynamoDBClient;
  /** Creates another empty ledger table and waits until it is usable; returns its name. */
  createLedgerTable(tableName?: string): Promise<string>;
  /** Destroys every client handed out and stops the server; the data is gone. */
  close(): Promise<void>;
}

/** The slice of dynalite's options we use; see node_modules/dynalite/index.js. */
interface DynaliteOptions {
  /** How long a new table stays CREATING. @default 500 */
  readonly createTableMs?: number;
}

type Dynalite = (options?: DynaliteOptions) => Server;

// dynalite ships no type declarations; loading it through createRequire lets this file state the
// small typed slice it uses instead of adding an ambient declaration for the whole package.
const dynalite = createRequire(__filename)('dynalite') as Dynalite;

let tableCount = 0;

/** Starts dynalite on 127.0.0.1 (a free port) and creates a ledger table. Call `close()` after. */
export async function startLocalDynamoDb(options: { tableName?: string } = {}): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const createClient = (): DynamoDBClient => {
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      // Static credentials keep the SDK from walking the provider chain (files, IMDS) at all.
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    clients.push(client);
    return client;
  };
  const client = createClient();
  const createLedgerTable = async (tableName = `ledger-${++tableCount}`): Promise<string> => {
    await client.send(new CreateTableCommand(createLedgerTableInput(tableName)));
    await waitUntilActive(client, tableName);
    return tableName;
  };
  const tableName = await createLedgerTable(options.tableName);
  const close = async (): Promise<void> => {
    for (const each of clients) each.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };
  return { endpoint, client, tableName, createClient, createLedgerTable, close };
}

/** dynalite flips a table to ACTIVE on a timer even with `createTableMs: 0`. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new LocalTableNotReadyError(tableName);
}

/** The local server never made a new table usable. */
export class LocalTableNotReadyError extends Error {
  override readonly name = 'LocalTableNotReadyError';
  constructor(readonly tableName: string) {
    super(`Local table ${tableName} did not become ACTIVE`);
  }
}
