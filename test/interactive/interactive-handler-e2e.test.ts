import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

import { DynamoDbLedger } from '../../lambda/adapters/dynamodb/dynamodb-ledger';
import { SlackNotifier } from '../../lambda/adapters/slack/slack-notifier';
import { ACTION, encodeKeyRef } from '../../lambda/domain/interactive/key-ref';
import { createInteractiveHandler } from '../../lambda/interactive-handler';
import { interactiveDeps } from '../../lambda/runtime/interactive-deps';
import {
  type E2eServers,
  handlerEnv,
  INFRA_CHANNEL,
  lambdaContext,
  PEOPLE,
  SLACK_TOKEN,
  startE2eServers,
} from '../handler/handler-world';
import { installOrgDouble, type OrgDouble } from '../handler/org-double';
import { captureOutput, type OutputCapture } from '../handler/output-capture';
import { buttonPress, SIGNING_SECRET, signedRequest } from './signed-request';

const ACCOUNT = '111111111111';
const KEY_ID = 'AKIABOBNEWKEY0000001';
const SIGNING_ARN =
  'arn:aws:secretsmanager:us-east-1:999999999999:secret:access-key-enforcer/slack-signing-AbCdEf';
const FUNCTION_NAME = 'AccessKeyEnforcerHub-InteractivityFunction';

/** Stands in for Lambda's Invoke API: records each asynchronous invocation and answers 202. */
async function startLambdaStandIn(): Promise<{
  url: string;
  invocations: { path: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}> {
  const invocations: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      invocations.push({
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The deployed interactivity wiring (`interactiveDeps(env)`, as the Lambda builds it) in-process:
 * the ledger and the replay guard in dynalite, Slack on the loopback stand-in, Lambda's Invoke API
 * on a loopback stand-in, STS, IAM and Secrets Manager behind aws-sdk-client-mock.
 */
describe('deployed interactivity handler, end to end', () => {
  let servers: E2eServers;
  let lambda: Awaited<ReturnType<typeof startLambdaStandIn>>;
  let org: OrgDouble;
  let output: OutputCapture;
  let env: NodeJS.ProcessEnv;
  let tableName: string;
  let alertTs: string;

  beforeAll(async () => {
    servers = await startE2eServers();
    lambda = await startLambdaStandIn();
  });
  afterAll(async () => {
    await lambda.close();
    await servers.stop();
  });

  beforeEach(async () => {
    servers.slack.reset();
    lambda.invocations.length = 0;
    tableName = await servers.dynamo.createLedgerTable();
    env = {
      ...handlerEnv(tableName, servers.slack.url, {
        accounts: [{ id: ACCOUNT, name: 'alpha' }],
        slack: {
          infraChannel: INFRA_CHANNEL,
          apiUrl: servers.slack.url,
          runDigest: 'never',
          interactivity: { approvers: { users: [PEOPLE.carol] } },
        },
      }),
      SLACK_SIGNING_SECRET_ARN: SIGNING_ARN,
      AWS_LAMBDA_FUNCTION_NAME: FUNCTION_NAME,
      AWS_ENDPOINT_URL_LAMBDA: lambda.url,
    };
    const created = new Date(Date.now() - 60_000);
    await new DynamoDbLedger({ tableName, client: servers.dynamo.client }).putKey(
      {
        accountId: ACCOUNT,
        accessKeyId: KEY_ID,
        userName: 'bob',
        createdAt: created.toISOString(),
        firstSeenOn: created.toISOString().slice(0, 10),
        newKeyAlert: 'sent',
        milestones: {},
      },
      undefined,
    );
    org = installOrgDouble(
      {
        [ACCOUNT]: [
          {
            userName: 'bob',
            tags: { type: 'engineer', 'slack-id': PEOPLE.bob },
            keys: [{ id: KEY_ID, status: 'Active', created }],
          },
        ],
      },
      { token: SLACK_TOKEN },
    );
    org.secretsMock
      .on(GetSecretValueCommand, { SecretId: SIGNING_ARN })
      .resolves({ SecretString: SIGNING_SECRET });
    // The alert the press answers, posted as the daily run would have.
    const posted = await new SlackNotifier({
      token: SLACK_TOKEN,
      infraChannel: INFRA_CHANNEL,
      apiUrl: servers.slack.url,
    }).postToChannel({
      text: 'New access key',
      blocks: [],
    });
    alertTs = posted.ok ? (posted.ts ?? '') : '';
    output = captureOutput();
  });

  afterEach(() => {
    output.restore();
    org.restore();
  });

  function notMine(): ReturnType<typeof signedRequest> {
    return signedRequest(
      buttonPress({
        actionId: ACTION.newKeyNotMine,
        value: encodeKeyRef({ accountId: ACCOUNT, userName: 'bob', accessKeyId: KEY_ID }),
        userId: PEOPLE.bob,
        channelId: INFRA_CHANNEL,
        messageTs: alertTs,
      }),
    );
  }

  it('acknowledges, queues the job as an asynchronous Invoke of itself, and the job deactivates the key', async () => {
    const handler = createInteractiveHandler(interactiveDeps(env));

    const answer = await handler(notMine(), lambdaContext('url-1'));

    expect(answer).toMatchObject({ statusCode: 200 });
    expect(org.updates).toEqual([]);
    expect(lambda.invocations).toHaveLength(1);
    const [invocation] = lambda.invocations;
    expect(invocation?.path).toBe(`/2015-03-31/functions/${FUNCTION_NAME}/invocations`);
    expect(invocation?.headers['x-amz-invocation-type']).toBe('Event');
    expect(invocation?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDE2ELOCALTEST\/\d{8}\/us-east-1\/lambda\/aws4_request/,
    );

    const outcome = await handler(JSON.parse(invocation?.body ?? '{}'), lambdaContext('job-1'));

    expect(outcome).toMatchObject({ outcome: 'done', action: 'not-mine' });
    expect(org.updates).toEqual([
      { accountId: ACCOUNT, userName: 'bob', accessKeyId: KEY_ID, status: 'Inactive' },
    ]);
    const record = await new DynamoDbLedger({ tableName, client: servers.dynamo.client }).readKey(
      ACCOUNT,
      KEY_ID,
    );
    expect(record?.audit?.at(-1)).toMatchObject({
      action: 'deactivated-on-request',
      to: [`slack:${PEOPLE.bob}`],
    });
    expect(servers.slack.posts().filter((p) => p.threadTs === alertTs)).toHaveLength(1);
  });

  it('refuses a replay of the same request, remembered in the ledger table', async () => {
    const handler = createInteractiveHandler(interactiveDeps(env));
    const request = notMine();

    const first = await handler(request, lambdaContext('url-1'));
    // Another container: the memory of the first one is the table, not the process.
    const second = await createInteractiveHandler(interactiveDeps(env))(request, lambdaContext('url-2'));

    expect([first, second]).toMatchObject([{ statusCode: 200 }, { statusCode: 401 }]);
    expect(lambda.invocations).toHaveLength(1);
  });

  it('fails closed while the signing secret still holds the stack’s placeholder', async () => {
    org.secretsMock
      .on(GetSecretValueCommand, { SecretId: SIGNING_ARN })
      .resolves({ SecretString: 'Zq8yPlaceholderFromCloudFormat1' });

    const answer = await createInteractiveHandler(interactiveDeps(env))(notMine(), lambdaContext('url-1'));

    expect(answer).toMatchObject({ statusCode: 500 });
    expect(lambda.invocations).toEqual([]);
    expect(output.lines.join('\n')).toContain('is not a Slack signing secret');
  });

  it('never writes the bot token or the signing secret to its log', async () => {
    const handler = createInteractiveHandler(interactiveDeps(env));
    await handler(notMine(), lambdaContext('url-1'));
    await handler(JSON.parse(lambda.invocations[0]?.body ?? '{}'), lambdaContext('job-1'));

    expect(output.lines.length).toBeGreaterThan(0);
    expect(
      output.lines.filter((line) => line.includes(SLACK_TOKEN) || line.includes(SIGNING_SECRET)),
    ).toEqual([]);
  });
});
