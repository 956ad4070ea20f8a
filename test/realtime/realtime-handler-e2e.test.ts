import { DynamoDbLedger } from '../../lambda/adapters/dynamodb/dynamodb-ledger';
import { createHandler } from '../../lambda/handler';
import { createRealtimeHandler } from '../../lambda/realtime-handler';
import { commonDeps, defaultDeps } from '../../lambda/runtime/default-deps';
import { ManualClock } from '../../lambda/simulation/manual-clock';
import {
  type E2eServers,
  handlerEnv,
  INFRA_CHANNEL,
  lambdaContext,
  PEOPLE,
  SCHEDULED_EVENT,
  SLACK_TOKEN,
  startE2eServers,
} from '../handler/handler-world';
import { installOrgDouble, type OrgDouble } from '../handler/org-double';
import { captureOutput, type OutputCapture } from '../handler/output-capture';
import { assumedRole, createAccessKeyEvent, EVENT_TIME, KEY_ID, MEMBER_ACCOUNT } from './events';

/**
 * The deployed real-time wiring (`commonDeps(env)`, as the Lambda builds it) in-process: the
 * ledger in dynalite, Slack on a loopback stand-in, the token secret behind aws-sdk-client-mock.
 */
describe('deployed real-time handler, end to end', () => {
  let servers: E2eServers;
  let org: OrgDouble;
  let output: OutputCapture;
  let env: NodeJS.ProcessEnv;
  const clock = new ManualClock(new Date(Date.parse(EVENT_TIME) + 60_000));

  beforeAll(async () => {
    servers = await startE2eServers();
  });

  afterAll(async () => {
    await servers.stop();
  });

  beforeEach(async () => {
    output = captureOutput();
    servers.slack.reset();
    const tableName = await servers.dynamo.createLedgerTable();
    env = handlerEnv(tableName, servers.slack.url, {
      accounts: [{ id: MEMBER_ACCOUNT, name: 'production' }],
    });
    // Scanned before: from now on a key the ledger has not seen is a new key, alerted by the daily run.
    await new DynamoDbLedger({ tableName, client: servers.dynamo.client }).putAccount(
      { accountId: MEMBER_ACCOUNT, baselinedOn: '2027-01-01' },
      undefined,
    );
    org = installOrgDouble(
      {
        [MEMBER_ACCOUNT]: [
          {
            userName: 'bob',
            tags: { type: 'engineer', 'slack-id': PEOPLE.bob },
            keys: [{ id: KEY_ID, status: 'Active', created: new Date(EVENT_TIME) }],
          },
        ],
      },
      { token: SLACK_TOKEN },
    );
  });

  afterEach(() => {
    org.restore();
    output.restore();
  });

  function channelPosts(): unknown[] {
    return servers.slack.messages().filter((message) => message.channel === INFRA_CHANNEL);
  }

  it('posts one alert per key, however often the event arrives', async () => {
    const handler = createRealtimeHandler({ ...commonDeps(env), clock });
    const event = createAccessKeyEvent({ caller: assumedRole('Admin', 'alice') });

    const first = await handler(event, lambdaContext('rt-1'));
    const second = await handler(event, lambdaContext('rt-2'));

    expect(first).toMatchObject({ outcome: 'alerted', createdBySomeoneElse: true });
    expect(second).toMatchObject({ outcome: 'already-known' });
    expect(servers.slack.requests.map((request) => request.method)).toEqual(['chat.postMessage']);
    expect(channelPosts()).toHaveLength(1);
  });

  it('is not alerted again by the deployed daily run', async () => {
    await createRealtimeHandler({ ...commonDeps(env), clock })(createAccessKeyEvent(), lambdaContext('rt'));
    servers.slack.reset();

    const summary = await createHandler({ ...defaultDeps(env), clock })(
      SCHEDULED_EVENT,
      lambdaContext('daily'),
    );

    expect(summary).toMatchObject({ accountsOk: 1, keys: 1, newKeys: 0 });
    expect(servers.slack.requests).toEqual([]);
  });

  it('never writes the Slack token to its log', async () => {
    await createRealtimeHandler({ ...commonDeps(env), clock })(createAccessKeyEvent(), lambdaContext('rt'));

    expect(output.lines.length).toBeGreaterThan(0);
    expect(output.lines.filter((line) => line.includes(SLACK_TOKEN))).toEqual([]);
  });
});
