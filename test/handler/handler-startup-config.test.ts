import { ConfigValidationError } from '../../lambda/config/parse-config';
import { handler } from '../../lambda/handler';
import { MissingEnvironmentError } from '../../lambda/runtime/default-deps';
import { type FakeUser } from '../adapters/aws/fake-org';
import {
  ACCOUNTS,
  createWorld,
  type E2eServers,
  engineer,
  handlerEnv,
  INFRA_CHANNEL,
  lambdaContext,
  PEOPLE,
  SCHEDULED_EVENT,
  setProcessEnv,
  startE2eServers,
  type World,
  writeConfigFile,
} from './handler-world';

const USERS: Record<string, FakeUser[]> = {
  [ACCOUNTS[0].id]: [engineer('alice', PEOPLE.alice, 'AKIAALPHAALICE000001')],
};

/**
 * SPEC §5: a bad environment is refused at start-up with a message naming what is wrong. The
 * exported `handler` keeps nothing from a failed start, so each case here is a fresh start.
 */
describe('the exported handler refuses to start with a bad environment', () => {
  let servers: E2eServers;
  let world: World;
  let restoreEnv: (() => void) | undefined;

  beforeAll(async () => {
    servers = await startE2eServers();
  });

  afterAll(async () => {
    await servers.stop();
  });

  beforeEach(async () => {
    world = await createWorld(servers, { users: USERS });
  });

  afterEach(() => {
    restoreEnv?.();
    world.dispose();
  });

  /** Starts the deployed handler with the stack's environment changed by `change`. */
  async function startWith(change: Record<string, string | undefined>): Promise<unknown> {
    restoreEnv = setProcessEnv({ ...handlerEnv(world.tableName, servers.slack.url), ...change });
    return handler(SCHEDULED_EVENT, lambdaContext('bad-environment')).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
  }

  function config(overrides: Record<string, unknown>): string {
    return JSON.stringify({
      accounts: [{ id: ACCOUNTS[0].id }],
      slack: { infraChannel: INFRA_CHANNEL, apiUrl: servers.slack.url },
      ...overrides,
    });
  }

  it.each([
    {
      problem: 'an account id that is not 12 digits',
      overrides: { accounts: [{ id: '12345' }] },
      names: 'accounts[0].id:',
    },
    {
      problem: 'an infra channel name instead of an id',
      overrides: { slack: { infraChannel: '#infra' } },
      names: 'slack.infraChannel:',
    },
    {
      problem: 'a reminder after the deactivation day',
      overrides: { policy: { remindAtDays: [76, 95] } },
      names: 'policy.deactivateAtDays:',
    },
    { problem: 'a misspelt field', overrides: { acounts: [] }, names: 'Unrecognized key: "acounts"' },
  ])('refuses a config file with $problem, naming the file and $names', async ({ overrides, names }) => {
    const file = writeConfigFile(config(overrides));
    const error = await startWith({ ENFORCER_CONFIG_FILE: file });

    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain(`Invalid config (${file})`);
    expect((error as Error).message).toContain(names);
    expect(world.org.secretsMock.calls()).toEqual([]);
    expect(world.org.stsMock.calls()).toEqual([]);
    expect(servers.slack.requests).toEqual([]);
  });

  it('refuses a config file that is not JSON, naming the file', async () => {
    const file = writeConfigFile('{ accounts: [');
    const error = await startWith({ ENFORCER_CONFIG_FILE: file });

    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toContain(`Invalid config (${file})`);
    expect((error as Error).message).toContain('not valid JSON at line 1');
  });

  it('refuses to start without the bundled config file, naming it', async () => {
    const error = await startWith({ ENFORCER_CONFIG_FILE: undefined });

    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toMatch(/enforcer-config\.json\).*cannot read the file/s);
    expect(world.org.secretsMock.calls()).toEqual([]);
    expect(world.org.stsMock.calls()).toEqual([]);
  });

  it.each(['SLACK_TOKEN_SECRET_ARN', 'LEDGER_TABLE_NAME'])(
    'refuses to start without %s, naming it',
    async (variable) => {
      const error = await startWith({ [variable]: undefined });

      expect(error).toBeInstanceOf(MissingEnvironmentError);
      expect((error as Error).message).toContain(variable);
      expect(world.org.secretsMock.calls()).toEqual([]);
      expect(world.org.stsMock.calls()).toEqual([]);
    },
  );
});
