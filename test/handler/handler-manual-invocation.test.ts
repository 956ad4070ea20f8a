import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';

import { InvalidInvocationError } from '../../lambda/runtime/invocation';
import { handler } from '../../lambda/handler';
import {
  ACCOUNTS,
  createWorld,
  dateOf,
  type E2eServers,
  engineer,
  handlerEnv,
  lambdaContext,
  PEOPLE,
  setProcessEnv,
  startE2eServers,
  type World,
} from './handler-world';
import { captureOutput, type OutputCapture } from './output-capture';

const [ALPHA] = ACCOUNTS;
const ALICE_KEY = 'AKIAALPHAALICE000001';

/**
 * SPEC §6 through the exported `handler`, configured from `process.env` as in Lambda. It builds
 * its dependencies once per module (container), so every test here shares one table and org.
 * The real clock runs: only the payload's `asOf` moves the run to another date.
 */
describe('the exported handler, invoked by hand', () => {
  let servers: E2eServers;
  let world: World;
  let restoreEnv: () => void;
  let output: OutputCapture;

  beforeAll(async () => {
    servers = await startE2eServers();
    world = await createWorld(servers, {
      users: { [ALPHA.id]: [engineer('alice', PEOPLE.alice, ALICE_KEY)] },
    });
    restoreEnv = setProcessEnv(handlerEnv(world.tableName, servers.slack.url));
    // Alice was reminded on day 76, so on day 91 her key is due for deactivation.
    await world.history(10, 76);
  });

  afterAll(async () => {
    restoreEnv();
    world.dispose();
    await servers.stop();
  });

  beforeEach(() => {
    output = captureOutput();
    world.org.resetHistory();
    servers.slack.reset();
  });

  afterEach(() => {
    output.restore();
  });

  it('previews a run as of another date without changing IAM, Slack or the ledger', async () => {
    const ledgerBefore = await world.ledgerItems();

    const summary = await handler({ dryRun: true, asOf: dateOf(91) }, lambdaContext('manual-preview'));

    expect(summary).toMatchObject({
      dryRun: true,
      asOf: dateOf(91),
      today: dateOf(91),
      deactivations: 1,
      accountsOk: 3,
    });
    expect(world.org.iamMock).not.toHaveReceivedCommand(UpdateAccessKeyCommand);
    expect(servers.slack.requestsTo('chat.postMessage')).toEqual([]);
    expect(servers.slack.requests).toEqual([]);
    expect(await world.ledgerItems()).toEqual(ledgerBefore);
  });

  it.each([
    [{ asOf: 'tomorrow' }, 'asOf'],
    [{ dryRun: 'yes' }, 'dryRun'],
    [{ asOf: '2027-02-01' }, 'asOf'],
    [{ dryRun: false, asOf: '2027-02-01' }, 'asOf'],
  ])('refuses the payload %j, naming %s, before touching anything', async (event, field) => {
    const error = await handler(event, lambdaContext('manual-bad-payload')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(InvalidInvocationError);
    expect((error as Error).message).toContain(`${field}:`);
    expect(world.org.iamMock.calls()).toEqual([]);
    expect(world.org.stsMock.calls()).toEqual([]);
    expect(servers.slack.requests).toEqual([]);
  });
});
