import { join } from 'node:path';

import { ConfigValidationError, parseConfigJson } from '../../../lambda/config/parse-config';
import {
  loadAppConfig,
  MAX_ACCOUNTS_WITHOUT_ORGANIZATION_ID,
  parseAppConfig,
} from '../../../lib/config/app-config';
import { isIanaTimeZone } from '../../../lib/config/deploy-config';
import { configInput, configWithDeploy, REPO_ROOT } from '../support/cdk-app';

const minimal = {
  accounts: [{ id: '111111111111' }],
  slack: { infraChannel: 'C0123ABCD' },
  deploy: { hubAccountId: '111111111111', region: 'eu-west-1' },
};

describe('parseAppConfig', () => {
  it('fills the deploy defaults from a minimal config', () => {
    const { deploy } = parseAppConfig(minimal);

    expect(deploy).toEqual({
      hubAccountId: '111111111111',
      region: 'eu-west-1',
      schedule: { cron: 'cron(0 8 * * ? *)', timeZone: 'Etc/UTC', missedRunAlarmHours: 26 },
      slackSigningSecret: { create: true },
      slackTokenSecret: { create: true },
      enforcerRoleName: 'AccessKeyEnforcerHub',
      memberRole: { stackSet: undefined },
      logRetentionDays: 365,
      terminationProtection: true,
      run: { mode: 'auto', expectedUsersPerAccount: 50, planConcurrency: 200, actConcurrency: 40 },
    });
  });

  it('defaults the StackSet region to the hub region', () => {
    const { deploy } = parseAppConfig(configInput());

    expect(deploy.memberRole.stackSet).toEqual({
      organizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'],
      regions: ['eu-central-1'],
      callAs: 'SELF',
    });
  });

  it('hands the Lambda the engine section as written, without deploy', () => {
    const input = configInput();

    const { engineJson, engine } = parseAppConfig(input);

    const { deploy: _deploy, ...engineInput } = input;
    expect(JSON.parse(engineJson)).toEqual(engineInput);
    expect(parseConfigJson(engineJson, 'ENFORCER_CONFIG')).toEqual(engine);
  });

  it.each([
    [{ hubAccountId: '1234' }, 'deploy.hubAccountId: must be a 12-digit AWS account id'],
    [{ region: 'Europe' }, 'deploy.region: must be an AWS region code like eu-west-1'],
    [{ schedule: { cron: '0 8 * * *' } }, 'deploy.schedule.cron: must be an EventBridge Scheduler cron'],
    [{ schedule: { timeZone: 'Mars/Olympus' } }, 'deploy.schedule.timeZone: must be an IANA time zone'],
    [{ schedule: { missedRunAlarmHours: 169 } }, 'deploy.schedule.missedRunAlarmHours'],
    [{ alarmEmail: 'infra' }, 'deploy.alarmEmail: must be an e-mail address'],
    [
      { slackTokenSecret: { arn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack' } },
      'deploy.slackTokenSecret.arn: must be the complete ARN of a Secrets Manager secret',
    ],
    [
      { slackTokenSecret: { create: false } },
      'deploy.slackTokenSecret: must be { "create": true } or { "arn"',
    ],
    [{ enforcerRoleName: 'has spaces' }, 'deploy.enforcerRoleName: must be a valid IAM role name'],
    [
      { memberRole: { organizationId: 'org-1' } },
      'deploy.memberRole.organizationId: must be an AWS Organizations id',
    ],
    [
      { memberRole: { stackSet: { organizationalUnitIds: ['engineering'] } } },
      'deploy.memberRole.stackSet.organizationalUnitIds[0]: must be an organizational unit id',
    ],
    [
      { memberRole: { stackSet: { organizationalUnitIds: [] } } },
      'deploy.memberRole.stackSet.organizationalUnitIds',
    ],
    [
      {
        memberRole: { stackSet: { organizationalUnitIds: ['r-ab12'], regions: ['eu-west-1', 'us-east-1'] } },
      },
      'deploy.memberRole.stackSet.regions: must name exactly one region',
    ],
    [
      { logRetentionDays: 100 },
      'deploy.logRetentionDays: must be one of the CloudWatch Logs retention periods',
    ],
    [{ surprise: 1 }, 'deploy: Unrecognized key: "surprise"'],
    [
      { memberRole: { operatorRoleArns: ['arn:aws:iam::999999999999:role/InfraOperator'] } },
      'deploy.memberRole.operatorRoleArns[0]: must be a role in the hub account (arn:aws:iam::111111111111:role/…)',
    ],
    [
      { memberRole: { operatorRoleArns: ['arn:aws-us-gov:iam::111111111111:role/InfraOperator'] } },
      'deploy.memberRole.operatorRoleArns[0]: must be a role in the hub account',
    ],
  ])('names the offending deploy field for %j', (deploy, expected) => {
    expect(() => parseAppConfig(configWithDeploy(deploy))).toThrow(expected);
  });

  it.each([
    [{ policy: { remindAtDays: [81, 76] } }, 'policy.remindAtDays[1]: must be increasing'],
    [{ accounts: [] }, 'accounts: '],
    [{ slack: { infraChannel: '#infra' } }, 'slack.infraChannel: must be a Slack channel id'],
  ])('names the offending engine field for %j', (override, expected) => {
    expect(() => parseAppConfig({ ...configInput(), ...override })).toThrow(expected);
  });

  it('accepts an operator role in the hub account and partition', () => {
    const arn = 'arn:aws:iam::111111111111:role/ops/InfraOperator';

    const { deploy } = parseAppConfig(configWithDeploy({ memberRole: { operatorRoleArns: [arn] } }));

    expect(deploy.memberRole.operatorRoleArns).toEqual([arn]);
  });

  it('requires the deploy section', () => {
    const { deploy: _deploy, ...engineOnly } = configInput();

    expect(() => parseAppConfig(engineOnly)).toThrow(/deploy: /);
  });

  it('reports every bad field at once, as a ConfigValidationError naming the source', () => {
    const error = captureError(() =>
      parseAppConfig(configWithDeploy({ hubAccountId: 'x', region: 'y' }), 'my.config.json'),
    );

    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.message).toContain('Invalid config (my.config.json)');
    expect((error as ConfigValidationError).issues).toEqual([
      expect.stringMatching(/^deploy\.hubAccountId: /),
      expect.stringMatching(/^deploy\.region: /),
    ]);
  });

  it('accepts 1,000 accounts with an organisation id, the config no longer being an environment variable', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => ({
      id: String(100000000000 + i),
      name: `an-account-with-a-rather-long-name-${i}`,
    }));

    expect(parseAppConfig({ ...configInput(), accounts }).engine.accounts).toHaveLength(1000);
  });

  it('refuses more accounts than one per-account policy holds without an organisation id, naming the field', () => {
    const accounts = Array.from({ length: MAX_ACCOUNTS_WITHOUT_ORGANIZATION_ID + 1 }, (_, i) => ({
      id: String(100000000000 + i),
    }));
    const input = { ...configWithDeploy({ memberRole: {} }), accounts };

    expect(() => parseAppConfig(input)).toThrow(
      /deploy\.memberRole\.organizationId: required with more than 100/,
    );
  });
});

describe('isIanaTimeZone', () => {
  it.each([
    ['Etc/UTC', true],
    ['UTC', true],
    ['Europe/Berlin', true],
    ['America/Argentina/Buenos_Aires', true],
    ['Etc/GMT+5', true],
    ['europe/berlin', false],
    ['+01:00', false],
    ['Mars/Olympus', false],
    ['', false],
  ])('%s -> %s', (zone, expected) => {
    expect(isIanaTimeZone(zone)).toBe(expected);
  });
});

describe('loadAppConfig', () => {
  it('accepts the example enforcer.config.json', () => {
    const config = loadAppConfig(join(REPO_ROOT, 'enforcer.config.json'));

    expect(config.engine.dryRun).toBe(true);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadAppConfig('missing.json')).toThrow(
      /Invalid config \(missing\.json\):\n {2}- cannot read the file/,
    );
  });

  it('names the file when it is not JSON', () => {
    expect(() => loadAppConfig('broken.json', () => '{ nope')).toThrow(
      /Invalid config \(broken\.json\):\n {2}- not valid JSON/,
    );
  });

  it('names the file and the field when a value is wrong', () => {
    const text = JSON.stringify(configWithDeploy({ hubAccountId: '42' }));

    expect(() => loadAppConfig('enforcer.config.json', () => text)).toThrow(
      /Invalid config \(enforcer\.config\.json\):\n {2}- deploy\.hubAccountId: must be a 12-digit AWS account id/,
    );
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}
