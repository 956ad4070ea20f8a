import { type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

import { DynamoDbLedger, DynamoDbLedgerError } from '../../../lambda/adapters/dynamodb/dynamodb-ledger';
import { type KeyRecordDraft } from '../../../lambda/domain/ledger-records';
import {
  byAccessKeyId,
  fullKeyDraft,
  minimalKeyDraft,
  weeklyDigestDraft,
} from '../../support/ledger-contract';
import { type LocalDynamoDb, startLocalDynamoDb } from '../../support/local-dynamodb';

const ACCOUNT = '111111111111';

/** Enough key records of {@link bulkyKeyDraft}'s size to pass 1 MB in one partition. */
const BULKY_KEYS = 2_400;

describe('DynamoDbLedger', () => {
  let local: LocalDynamoDb;

  beforeAll(async () => {
    local = await startLocalDynamoDb();
  });

  afterAll(async () => {
    await local.close();
  });

  async function freshLedger(options: { client?: DynamoDBClient; queryPageSize?: number } = {}) {
    const tableName = await local.createLedgerTable();
    return { tableName, ledger: new DynamoDbLedger({ client: local.client, tableName, ...options }) };
  }

  async function rawItem(tableName: string, pk: string, sk: string) {
    const { Item } = await local.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: pk }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  /** Records the command name and input of every call a client makes. */
  function recordCalls(client: DynamoDBClient): { command: string; input: unknown }[] {
    const calls: { command: string; input: unknown }[] = [];
    client.middlewareStack.add(
      (next, context) => (args) => {
        calls.push({ command: context.commandName ?? '', input: args.input });
        return next(args);
      },
      { step: 'initialize', name: 'recordCalls' },
    );
    return calls;
  }

  describe('item layout', () => {
    it('stores a key record under its account partition with native maps', async () => {
      const { tableName, ledger } = await freshLedger();

      await ledger.putKey(fullKeyDraft({ goneOn: undefined }), undefined);

      const item = await rawItem(tableName, `ACCOUNT#${ACCOUNT}`, 'KEY#AKIAIOSFODNN7EXAMPLE');
      expect(item).toMatchObject({
        version: { N: '1' },
        milestones: { M: { '81': { M: { outcome: { S: 'sent' }, on: { S: '2025-03-28' } } } } },
        lease: { M: { runId: { S: 'run-2025-04-09' } } },
        deactivationNoticePending: { BOOL: false },
      });
    });

    it('stores the account record under sort key ACCOUNT', async () => {
      const { tableName, ledger } = await freshLedger();

      await ledger.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-07' }, undefined);

      await expect(rawItem(tableName, `ACCOUNT#${ACCOUNT}`, 'ACCOUNT')).resolves.toStrictEqual({
        pk: { S: `ACCOUNT#${ACCOUNT}` },
        sk: { S: 'ACCOUNT' },
        accountId: { S: ACCOUNT },
        baselinedOn: { S: '2025-01-07' },
        version: { N: '1' },
      });
    });

    it.each([
      // 2025-04-09T00:00:00Z is 1744156800; plus 400 days of 86 400 s.
      ['2025-04-09', { N: String(1744156800 + 400 * 86_400) }],
      ['2024-02-29', { N: String(1709164800 + 400 * 86_400) }],
      [undefined, undefined],
      ['not a date', undefined],
    ])('sets the TTL of a key gone on %s to %j', async (goneOn, expiresAt) => {
      const { tableName, ledger } = await freshLedger();

      await ledger.putKey(minimalKeyDraft({ goneOn }), undefined);

      const item = await rawItem(tableName, `ACCOUNT#${ACCOUNT}`, 'KEY#AKIAIOSFODNN7EXAMPLE');
      expect(item?.expiresAt).toEqual(expiresAt);
    });

    it.each([
      // Claimed 2025-01-06 (1736121600): a daily marker for 35 days, a weekly digest's figures for 400.
      ['daily/2025-01-06', 1736121600 + 35 * 86_400],
      ['weekly/2025-01-06', 1736121600 + 400 * 86_400],
    ])('stores digest %s in the DIGEST partition, expiring at %i', async (digestId, expiresAt) => {
      const { tableName, ledger } = await freshLedger();

      await ledger.putDigest(weeklyDigestDraft({ digestId }), undefined);

      const item = await rawItem(tableName, 'DIGEST', `DIGEST#${digestId}`);
      expect(item).toMatchObject({
        expiresAt: { N: String(expiresAt) },
        state: { S: 'posted' },
        snapshot: { M: { totals: { M: { overdue: { N: '2' } } } } },
      });
      await expect(ledger.readDigest(digestId)).resolves.toStrictEqual({
        ...weeklyDigestDraft({ digestId }),
        version: 1,
      });
    });

    it('reads a digest with one Query on both keys, strongly consistent', async () => {
      const client = local.createClient();
      const calls = recordCalls(client);
      const { ledger } = await freshLedger({ client });

      await ledger.readDigest('daily/2025-01-06');

      expect(calls.map((c) => c.command)).toEqual(['QueryCommand']);
      expect(calls[0]?.input).toMatchObject({
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': { S: 'DIGEST' }, ':sk': { S: 'DIGEST#daily/2025-01-06' } },
        ConsistentRead: true,
      });
    });

    it('reads a gone key back without the TTL attribute', async () => {
      const { ledger } = await freshLedger();
      await ledger.putKey(fullKeyDraft(), undefined);

      const { keys } = await ledger.readAccount(ACCOUNT);

      expect(keys).toStrictEqual([{ ...fullKeyDraft(), version: 1 }]);
    });
    it('ignores items of a kind it does not know in the account partition', async () => {
      const { tableName, ledger } = await freshLedger();
      await ledger.putKey(minimalKeyDraft(), undefined);
      await local.client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: `ACCOUNT#${ACCOUNT}` }, sk: { S: 'EXEMPTION#alice' }, until: { S: '2025-06-01' } },
        }),
      );

      await expect(ledger.readAccount(ACCOUNT)).resolves.toStrictEqual({
        keys: [{ ...minimalKeyDraft(), version: 1 }],
      });
    });
  });

  describe('concurrent writers', () => {
    it.each([
      ['create', 0, undefined],
      ['update', 1, 1],
    ])('lets exactly one of eight concurrent writers %s a key', async (_, stored, expected) => {
      const { ledger } = await freshLedger();
      for (let version = 0; version < stored; version++)
        await ledger.putKey(minimalKeyDraft(), version === 0 ? undefined : version);
      const racing = Array.from({ length: 8 }, (_unused, i) => minimalKeyDraft({ userName: `writer-${i}` }));

      const results = await Promise.all(racing.map((draft) => ledger.putKey(draft, expected)));

      expect(results.filter((r) => r === 'written')).toHaveLength(1);
      const { keys } = await ledger.readAccount(ACCOUNT);
      expect(keys).toStrictEqual([{ ...racing[results.indexOf('written')], version: stored + 1 }]);
    });

    it('lets exactly one of two concurrent writers create an account record', async () => {
      const { ledger } = await freshLedger();

      const results = await Promise.all([
        ledger.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-07' }, undefined),
        ledger.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-08' }, undefined),
      ]);

      expect([...results].sort()).toEqual(['conflict', 'written']);
    });
  });

  it('reads back identical data after a restart with a new client', async () => {
    const tableName = await local.createLedgerTable();
    const before = local.createClient();
    const first = new DynamoDbLedger({ client: before, tableName });
    await first.putAccount({ accountId: ACCOUNT, baselinedOn: '2025-01-07' }, undefined);
    await first.putKey(fullKeyDraft(), undefined);
    await first.putKey(minimalKeyDraft({ accessKeyId: 'AKIA0000000000000002' }), undefined);
    const written = await first.readAccount(ACCOUNT);
    before.destroy();

    const second = new DynamoDbLedger({ client: local.createClient(), tableName });

    await expect(second.readAccount(ACCOUNT)).resolves.toStrictEqual(written);
    await expect(second.putKey(fullKeyDraft(), 1)).resolves.toBe('written');
  });

  describe('pagination', () => {
    it('reads every key of an account holding more than 1 MB of records', async () => {
      const client = local.createClient();
      const { ledger } = await freshLedger({ client });
      const drafts = Array.from({ length: BULKY_KEYS }, (_, i) => bulkyKeyDraft(i));
      await inBatches(drafts, 50, (draft) => ledger.putKey(draft, undefined));
      const calls = recordCalls(client);

      const { keys } = await ledger.readAccount(ACCOUNT);

      expect(byAccessKeyId(keys)).toStrictEqual(byAccessKeyId(drafts.map((d) => ({ ...d, version: 1 }))));
      // More than one Query proves the read crossed DynamoDB's 1 MB page limit.
      expect(calls.length).toBeGreaterThan(1);
    });

    it('follows LastEvaluatedKey across small pages', async () => {
      const client = local.createClient();
      const calls = recordCalls(client);
      const { ledger } = await freshLedger({ client, queryPageSize: 4 });
      const drafts = Array.from({ length: 25 }, (_, i) => minimalKeyDraft({ accessKeyId: accessKeyId(i) }));
      await ledger.putAccount({ accountId: ACCOUNT }, undefined);
      for (const draft of drafts) await ledger.putKey(draft, undefined);
      calls.length = 0;

      const read = await ledger.readAccount(ACCOUNT);

      expect(read).toStrictEqual({
        account: { accountId: ACCOUNT, version: 1 },
        keys: byAccessKeyId(drafts.map((d) => ({ ...d, version: 1 }))),
      });
      expect(calls.map((c) => c.command)).toEqual(Array<string>(7).fill('QueryCommand'));
    });
  });

  it('reads with strongly consistent Queries on one partition, never a Scan', async () => {
    const client = local.createClient();
    const calls = recordCalls(client);
    const { tableName, ledger } = await freshLedger({ client });

    await ledger.readAccount(ACCOUNT);

    expect(calls.map((c) => c.command)).toEqual(['QueryCommand']);
    expect(calls[0]?.input).toMatchObject({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `ACCOUNT#${ACCOUNT}` } },
      ConsistentRead: true,
    });
  });

  describe('failures other than a lost race', () => {
    const missing = () => new DynamoDbLedger({ client: local.client, tableName: 'no-such-table' });

    it.each([
      [
        'putKey',
        () => missing().putKey(minimalKeyDraft(), undefined),
        'PutItem',
        `pk=ACCOUNT#${ACCOUNT}, sk=KEY#AKIAIOSFODNN7EXAMPLE)`,
      ],
      [
        'putAccount',
        () => missing().putAccount({ accountId: ACCOUNT }, 3),
        'PutItem',
        `pk=ACCOUNT#${ACCOUNT}, sk=ACCOUNT)`,
      ],
      ['readAccount', () => missing().readAccount(ACCOUNT), 'Query', `pk=ACCOUNT#${ACCOUNT})`],
    ])('%s names the table and the key', async (_, act, operation, key) => {
      const failure = act();

      await expect(failure).rejects.toBeInstanceOf(DynamoDbLedgerError);
      await expect(failure).rejects.toThrow(`Ledger ${operation} on table no-such-table (${key}`);
      await expect(failure).rejects.toMatchObject({
        operation,
        tableName: 'no-such-table',
        cause: { name: 'ResourceNotFoundException' },
      });
    });
  });
});

function accessKeyId(i: number): string {
  return `AKIA${String(i).padStart(16, '0')}`;
}

/** A realistic key record near its largest: long user name, every milestone, a lease. */
function bulkyKeyDraft(i: number): KeyRecordDraft {
  return fullKeyDraft({
    accessKeyId: accessKeyId(i),
    userName: `service-account-with-a-long-but-valid-iam-user-name-${String(i).padStart(6, '0')}`,
    milestones: {
      '76': { outcome: 'sent', on: '2025-03-24', deliveredTo: 'owner' },
      '81': { outcome: 'sent', on: '2025-03-29', deliveredTo: 'owner' },
      '86': { outcome: 'sent', on: '2025-04-03', deliveredTo: 'channel' },
      '91': { outcome: 'sent', on: '2025-04-08', deliveredTo: 'channel' },
      final: { outcome: 'skipped', on: '2025-04-08' },
    },
  });
}

async function inBatches<T>(items: readonly T[], size: number, act: (item: T) => Promise<unknown>) {
  for (let start = 0; start < items.length; start += size)
    await Promise.all(items.slice(start, start + size).map(act));
}
