import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

import { type EnforcerConfigInput } from '../../lambda/config/schema';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { type RunSummary } from '../../lambda/engine/run-report';
import { createHandler, type InvocationContext } from '../../lambda/handler';
import { type Notifier } from '../../lambda/ports';
import { defaultDeps } from '../../lambda/runtime/default-deps';
import { ManualClock } from '../../lambda/simulation/manual-clock';
import { type FakeUser } from '../adapters/aws/fake-org';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack-server';
import { type LocalDynamoDb, startLocalDynamoDb } from '../support/local-dynamodb';
import { installOrgDouble, type OrgDouble, type SecretAnswer } from './org-double';
import { captureOutput, type OutputCapture } from './output-capture';

/**
 * The deployed Lambda wiring (`defaultDeps(env)`) in-process: STS, IAM and Secrets Manager behind
 * aws-sdk-client-mock, Slack on a loopback stand-in, the ledger in dynalite. Only the clock is
 * replaced, so a test can step through key ages day by day.
 */

export const SECRET_ARN =
  'arn:aws:secretsmanager:us-east-1:999999999999:secret:access-key-enforcer/slack-bot-token-AbCdEf';
/** The bot token stored in the secret; it must never show up in logs, errors or summaries. */
export const SLACK_TOKEN = 'xoxb-424242424242-e2e-handler-bot-token';
export const INFRA_CHANNEL = 'C0INFRA01';
export const ACCOUNTS = [
  { id: '111111111111', name: 'alpha' },
  { id: '222222222222', name: 'beta' },
  { id: '333333333333', name: 'gamma' },
] as const;
export const PEOPLE = { alice: 'U0ALICE01', bob: 'U0BOB0001', carol: 'U0CAROL01' } as const;

/** Keys are created at midnight UTC, so a key's age on any date is exact whatever the time of day. */
const KEY_EPOCH_MS = Date.UTC(2026, 0, 1);
const DAY_MS = 86_400_000;

/** 10:00 UTC on the day a key created on day 0 is `day` days old. */
export function dayAt(day: number): Date {
  return new Date(KEY_EPOCH_MS + day * DAY_MS + 10 * 3_600_000);
}

/** The UTC date (YYYY-MM-DD) of `dayAt(day)`. */
export function dateOf(day: number): string {
  return dayAt(day).toISOString().slice(0, 10);
}

/** An engineer with one active key created on `createdOnDay`. */
export function engineer(userName: string, slackId: string, keyId: string, createdOnDay = 0): FakeUser {
  return {
    userName,
    tags: { type: 'engineer', 'slack-id': slackId, 'full-name': userName },
    keys: [{ id: keyId, status: 'Active', created: new Date(KEY_EPOCH_MS + createdOnDay * DAY_MS) }],
  };
}

/** What EventBridge Scheduler sends: none of the manual-invocation fields. */
export const SCHEDULED_EVENT = {
  version: '0',
  id: 'cdc73f9d-aea9-11e3-9d5a-835b769c0d9c',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '999999999999',
  time: '2026-03-18T10:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:events:us-east-1:999999999999:rule/access-key-enforcer-daily'],
  detail: {},
};

/** A Lambda context with plenty of time left. */
export function lambdaContext(awsRequestId: string): InvocationContext {
  return { awsRequestId, getRemainingTimeInMillis: () => 600_000 };
}

/** AWS SDK settings for the test process: static fake credentials, nothing read from disk or IMDS. */
function sdkEnvironment(dynamoEndpoint: string): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIDE2ELOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'e2e-local-secret',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_ENDPOINT_URL: undefined,
    // Dev mode would route Powertools through the global console and disable metrics.
    POWERTOOLS_DEV: undefined,
    POWERTOOLS_METRICS_DISABLED: undefined,
    POWERTOOLS_LOG_LEVEL: undefined,
    AWS_LAMBDA_LOG_LEVEL: undefined,
  };
}

/** Sets (or, for `undefined`, deletes) variables in `process.env`; returns the undo. */
export function setProcessEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (from: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(from)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}

/** The loopback servers one test file shares; each test gets its own table and mocks. */
export interface E2eServers {
  readonly slack: FakeSlack;
  readonly dynamo: LocalDynamoDb;
  stop(): Promise<void>;
}

export async function startE2eServers(): Promise<E2eServers> {
  const slack = await startFakeSlack({ token: SLACK_TOKEN, members: Object.values(PEOPLE) });
  const dynamo = await startLocalDynamoDb();
  const restoreEnv = setProcessEnv(sdkEnvironment(dynamo.endpoint));
  return {
    slack,
    dynamo,
    stop: async () => {
      restoreEnv();
      await Promise.all([slack.close(), dynamo.close()]);
    },
  };
}

/**
 * Writes `text` as a config file, as the stack bundles it next to the handler, and returns its
 * path. The operating system cleans the temporary directory.
 */
export function writeConfigFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'access-key-enforcer-config-')), 'enforcer-config.json');
  writeFileSync(file, text);
  return file;
}

/**
 * The Lambda's own environment variables, as the CDK stack sets them, plus the path of the config
 * file that the stack bundles with the handler.
 */
export function handlerEnv(
  tableName: string,
  slackUrl: string,
  config: Partial<EnforcerConfigInput> = {},
): NodeJS.ProcessEnv {
  const enforcerConfig: EnforcerConfigInput = {
    accounts: ACCOUNTS.map((a) => ({ ...a })),
    // No digest: each test counts exactly the messages its keys cause.
    slack: { infraChannel: INFRA_CHANNEL, apiUrl: slackUrl, runDigest: 'never' },
    // Predates the weekly digest (issue 10): these tests count the notices about keys alone.
    digest: { weekly: { enabled: false } },
    ...config,
  };
  return {
    AWS_REGION: 'us-east-1',
    ENFORCER_CONFIG_FILE: writeConfigFile(JSON.stringify(enforcerConfig)),
    SLACK_TOKEN_SECRET_ARN: SECRET_ARN,
    LEDGER_TABLE_NAME: tableName,
  };
}

/** Stands in for Slack while arranging history: every send succeeds, nothing leaves the process. */
const SILENT_NOTIFIER: Notifier = {
  sendDirect: () => Promise.resolve({ ok: true }),
  postToChannel: () => Promise.resolve({ ok: true }),
  updateChannelMessage: () => Promise.resolve({ ok: true }),
};

/** One deployed container over a simulated org, with a fresh ledger table. */
export interface World {
  readonly org: OrgDouble;
  readonly tableName: string;
  /** Invokes the handler as the schedule would, on `day` (see {@link dayAt}). */
  invoke(day: number, event?: unknown): Promise<RunSummary>;
  /** Builds a new container (cold start) on the same table: the token is fetched again. */
  coldStart(): void;
  /**
   * Arranges history: runs on `days` by an earlier container, through the same AWS wiring and
   * ledger but with Slack replaced by a notifier that always succeeds; then every recorded call
   * is forgotten.
   */
  history(...days: number[]): Promise<void>;
  /** Every ledger item, decoded, in key order. */
  ledgerItems(): Promise<Record<string, unknown>[]>;
  dispose(): void;
}

export interface WorldOptions {
  readonly users: Readonly<Record<string, readonly FakeUser[]>>;
  readonly secret?: SecretAnswer;
  readonly config?: Partial<EnforcerConfigInput>;
}

export async function createWorld(servers: E2eServers, options: WorldOptions): Promise<World> {
  const tableName = await servers.dynamo.createLedgerTable();
  servers.slack.reset();
  const org = installOrgDouble(options.users, options.secret ?? { token: SLACK_TOKEN });
  const env = handlerEnv(tableName, servers.slack.url, options.config);
  const clock = new ManualClock(dayAt(0));
  // The deployed wiring, unchanged but for the clock: days pass by `invoke(day)`.
  const container = () => createHandler({ ...defaultDeps(env), clock });
  let handle = container();
  let invocations = 0;
  return {
    org,
    tableName,
    invoke: (day, event = SCHEDULED_EVENT) => {
      clock.set(dayAt(day));
      invocations += 1;
      return handle(event, lambdaContext(`e2e-request-${invocations}`));
    },
    coldStart: () => {
      handle = container();
    },
    history: async (...days) => {
      // An earlier container: its cached member sessions must not leak into the runs under test.
      const earlier = defaultDeps(env);
      for (const day of days) {
        await runEnforcement(earlier.config, {
          reader: earlier.reader,
          deactivator: earlier.deactivator,
          ledger: earlier.ledger,
          notifier: SILENT_NOTIFIER,
          clock: new ManualClock(dayAt(day)),
        });
      }
      org.resetHistory();
      servers.slack.reset();
    },
    ledgerItems: async () => {
      const { Items = [] } = await servers.dynamo.client.send(
        new ScanCommand({ TableName: tableName, ConsistentRead: true }),
      );
      return Items.map((item) => unmarshall(item)).sort((a, b) =>
        `${String(a.pk)}|${String(a.sk)}`.localeCompare(`${String(b.pk)}|${String(b.sk)}`),
      );
    },
    dispose: () => org.restore(),
  };
}

/** What a suite of handler tests shares: servers for the file, output captured for each test. */
export interface E2eSuite {
  readonly servers: E2eServers;
  readonly output: OutputCapture;
  /** A fresh world for one test, disposed after it. */
  createWorld(options: WorldOptions): Promise<World>;
}

/**
 * Registers the usual lifecycle (servers started once, output captured per test, every world
 * disposed after its test) and returns accessors that are valid inside tests.
 */
export function e2eSuite(): E2eSuite {
  let servers: E2eServers | undefined;
  let output: OutputCapture | undefined;
  const worlds: World[] = [];
  beforeAll(async () => {
    servers = await startE2eServers();
  });
  afterAll(async () => {
    await servers?.stop();
  });
  beforeEach(() => {
    output = captureOutput();
  });
  afterEach(() => {
    output?.restore();
    for (const world of worlds.splice(0)) world.dispose();
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`${name} is only available inside a test`);
    return value;
  };
  return {
    get servers() {
      return ready(servers, 'servers');
    },
    get output() {
      return ready(output, 'output');
    },
    async createWorld(options) {
      const world = await createWorld(ready(servers, 'servers'), options);
      worlds.push(world);
      return world;
    },
  };
}
