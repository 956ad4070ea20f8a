import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { UpdateAccessKeyCommand } from '@aws-sdk/client-iam';

import { AwsIamGateway } from '../../lambda/adapters/aws/iam-gateway';
import { FileLedger } from '../../lambda/adapters/file-ledger';
import { SlackNotifier } from '../../lambda/adapters/slack/slack-notifier';
import { slackProbeFor } from '../../lambda/cli/cli-deps';
import { installFakeOrg, stsError, type FakeUser } from '../adapters/aws/fake-org';
import { type FakeSlack, slackError, startFakeSlack } from '../support/fake-slack-server';
import { cli, testDeps } from './cli-harness';

const PROD = '222222222222';
const SANDBOX = '333333333333';
const NOW = new Date('2027-03-01T09:00:00.000Z');
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * 86_400_000);

const USERS: Record<string, FakeUser[]> = {
  [PROD]: [
    {
      userName: 'alice',
      tags: { type: 'engineer', 'slack-id': 'U0OWNER01' },
      keys: [{ id: 'AKIAALICE00000000001', status: 'Active', created: daysAgo(95) }],
    },
    {
      userName: 'legacy',
      tags: {},
      keys: [{ id: 'AKIALEGACY0000000001', status: 'Active', created: daysAgo(10) }],
    },
  ],
  [SANDBOX]: [
    {
      userName: 'bob',
      tags: { type: 'engineer', 'slack-id': 'U0OWNER01' },
      keys: [
        { id: 'AKIABOB0000000000001', status: 'Active', created: daysAgo(30) },
        { id: 'AKIABOB0000000000002', status: 'Active', created: daysAgo(3) },
      ],
    },
  ],
};

describe('run and doctor against mocked AWS and a loopback Slack', () => {
  let slack: FakeSlack;
  let dir: string;
  let configPath: string;

  beforeAll(async () => {
    slack = await startFakeSlack({ channels: ['C0INFRA01'] });
    dir = mkdtempSync(join(tmpdir(), 'ake-cli-'));
    configPath = join(dir, 'enforcer.config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        accounts: [
          { id: PROD, name: 'prod' },
          { id: SANDBOX, name: 'sandbox' },
        ],
        slack: { infraChannel: 'C0INFRA01', apiUrl: slack.url, runDigest: 'never' },
        // Predates the weekly digest (issue 10): these tests count the notices about keys alone.
        digest: { weekly: { enabled: false } },
        deploy: { hubAccountId: '111111111111', region: 'eu-west-1' },
      }),
    );
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());

  function deps(fault?: Parameters<typeof installFakeOrg>[1]) {
    const org = installFakeOrg(USERS, fault ?? {});
    const made = testDeps({
      clock: { now: () => NOW },
      env: { SLACK_BOT_TOKEN: slack.token },
      iam: (config, options) =>
        new AwsIamGateway({
          memberRoleName: config.memberRoleName,
          sts: org.sts,
          iamClientFactory: org.iamClientFactory,
          includeLastUsed: options.includeLastUsed,
          sleep: () => Promise.resolve(),
        }),
      notifier: (token, config) =>
        new SlackNotifier({
          token,
          infraChannel: config.slack.infraChannel,
          apiUrl: config.slack.apiUrl,
          channelMinIntervalMs: 0,
        }),
      slackProbe: (token, apiUrl) => slackProbeFor(token, apiUrl, made.io, 0),
      fileLedger: (path) => FileLedger.open(path),
    });
    return { org, deps: made };
  }

  it('makes zero write calls in a dry run, and says what it would do', async () => {
    const { org, deps: d } = deps();

    const result = await cli(['run', '--dry-run', '--config', configPath], d);

    expect(result.code).toBe(0);
    expect(org.iamMock).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
    expect(slack.requests).toEqual([]);
    expect(result.stdout).toContain('DRY RUN');
    expect(result.stdout).toContain('AKIAALICE00000000001');
  });

  it('refuses a real run without a ledger or without a token, before touching anything', async () => {
    const { org, deps: d } = deps();

    const noLedger = await cli(['run', '--config', configPath], d);
    const noToken = await cli(['run', '--config', configPath, '--state', join(dir, 'x.json')], {
      ...d,
      env: {},
    });

    expect(noLedger).toMatchObject({ code: 2, stderr: expect.stringContaining('--state FILE') });
    expect(noToken).toMatchObject({ code: 2, stderr: expect.stringContaining('SLACK_BOT_TOKEN') });
    expect(org.stsMock.calls()).toHaveLength(0);
  });

  it('runs for real with a state file, and a second run the same day sends nothing new', async () => {
    const { deps: d } = deps();
    const state = join(dir, 'state.json');

    const first = await cli(['run', '--config', configPath, '--state', state], d);
    const sentFirst = slack.requestsTo('chat.postMessage').length;
    const second = await cli(['run', '--config', configPath, '--state', state], deps().deps);

    expect(first.code).toBe(0);
    expect(sentFirst).toBeGreaterThan(0);
    expect(second.code).toBe(0);
    expect(slack.requestsTo('chat.postMessage')).toHaveLength(sentFirst);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toBeDefined();
  });

  it('doctor: explains a denied role, lists untagged users and second keys, changes nothing', async () => {
    const { org, deps: d } = deps({
      fault: ({ accountId, operation }) =>
        accountId === SANDBOX && operation === 'sts:AssumeRole'
          ? stsError('AccessDenied', 'not authorized to perform: sts:AssumeRole')
          : undefined,
    });

    const result = await cli(['doctor', '--config', configPath], d);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✖ account 333333333333: sts:AssumeRole .*AccessDenied/);
    expect(result.stdout).toContain('fix: deploy the member role in 333333333333');
    expect(result.stdout).toContain('! user legacy: no type tag');
    expect(result.stdout).toContain('✔ token valid (auth.test)');
    expect(result.stdout).toContain('✔ infra channel C0INFRA01 reachable');
    expect(org.iamMock).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 0);
    expect(slack.requestsTo('chat.postMessage')).toEqual([]);
  });

  it('run: names a failed account once, with the fix, and exits 1', async () => {
    const { deps: d } = deps({
      fault: ({ accountId, operation }) =>
        accountId === SANDBOX && operation === 'sts:AssumeRole'
          ? stsError('AccessDenied', 'not authorized to perform: sts:AssumeRole')
          : undefined,
    });

    const result = await cli(['run', '--dry-run', '--config', configPath], d);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^failed: account 333333333333 \(sandbox\): sts:AssumeRole on \S+ failed: AccessDenied/m,
    );
    expect(result.stdout).toContain('  fix: deploy the member role in 333333333333');
    expect(result.stdout).not.toContain('account 333333333333 (sandbox): account');
  });

  it('doctor: reports a bad token and a missing infra channel', async () => {
    const bad = await cli(['doctor', '--config', configPath], {
      ...deps().deps,
      env: { SLACK_BOT_TOKEN: 'xoxb-revoked' },
    });
    const missing = join(dir, 'missing-channel.json');
    writeFileSync(missing, readFileSync(configPath, 'utf8').replace('C0INFRA01', 'C0GONE001'));
    const noChannel = await cli(['doctor', '--config', missing], deps().deps);

    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✖ token refused by Slack: invalid_auth');
    expect(bad.stdout).not.toContain('xoxb-revoked');
    expect(noChannel.code).toBe(1);
    expect(noChannel.stdout).toContain('✖ infra channel C0GONE001: channel_not_found');
  });

  it('doctor never prints the Slack token, even when Slack echoes it in every answer', async () => {
    const echo = `fatal_error ${slack.token} (again: ${slack.token})`;
    slack.script('auth.test', [slackError(echo), slackError(echo)]);
    const { deps: d } = deps();

    const result = await cli(['doctor', '--config', configPath], d);

    const printed = result.stdout + result.stderr;
    expect(result.code).toBe(1);
    expect(printed).not.toContain(slack.token);
    expect(result.stdout).toContain('✖ token refused by Slack: fatal_error [redacted] (again: [redacted])');
  });

  it('redacts the Slack token from a run error, wherever it occurs', async () => {
    const { deps: d } = deps();
    const leaky = {
      ...d,
      notifier: (): never => {
        throw new Error(`cannot reach Slack with ${slack.token}; token was ${slack.token}`);
      },
    };

    const result = await cli(['run', '--config', configPath, '--state', join(dir, 'leak.json')], leaky);

    expect(result.stdout + result.stderr).not.toContain(slack.token);
    expect(result.stderr).toContain('cannot reach Slack with [redacted]; token was [redacted]');
  });
});
