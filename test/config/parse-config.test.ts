import { ConfigValidationError, parseConfig, parseConfigJson } from '../../lambda/config/parse-config';

const minimal = { accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0123ABCD' } };

describe('parseConfig', () => {
  it('fills SPEC defaults from a minimal config', () => {
    const config = parseConfig(minimal);
    expect(config.policy).toEqual({
      remindAtDays: [76, 81, 86],
      deactivateAtDays: 91,
      minimumNoticeDays: 5,
      maxDeactivationsPerRun: 20,
      maxExemptionDays: 90,
    });
    expect(config.memberRoleName).toBe('AccessKeyEnforcerMember');
    expect(config.userClasses.machine.deactivate).toBe(false);
    expect(config.dryRun).toBe(false);
    expect(config.digest).toEqual({ weekly: { enabled: true, day: 'mon', hourUtc: 0 } });
  });

  it('gives every parse its own default account list, so a change to one config stays in it', () => {
    const discovering = {
      organization: { managementRoleArn: 'arn:aws:iam::999999999999:role/org' },
      slack: minimal.slack,
    };
    parseConfig(discovering).accounts.push({ id: '222222222222' });

    expect(parseConfig(discovering).accounts).toEqual([]);
  });

  it('takes the weekly digest day and hour', () => {
    const config = parseConfig({ ...minimal, digest: { weekly: { day: 'fri', hourUtc: 16 } } });

    expect(config.digest.weekly).toEqual({ enabled: true, day: 'fri', hourUtc: 16 });
  });

  it.each([
    [{ policy: { remindAtDays: [76, 70] } }, 'policy.remindAtDays[1]: must be increasing'],
    [
      { policy: { deactivateAtDays: 80 } },
      'policy.deactivateAtDays: must be greater than the last reminder day (86)',
    ],
    [{ accounts: [{ id: '123' }] }, 'accounts[0].id: must be a 12-digit AWS account id'],
    [
      { accounts: [{ id: '111111111111' }, { id: '111111111111' }] },
      'accounts[1].id: duplicate account 111111111111',
    ],
    [{ slack: { infraChannel: '#infra' } }, 'slack.infraChannel: must be a Slack channel id like C0123ABCD'],
    [{ policy: { minimumNoticeDays: -1 } }, 'policy.minimumNoticeDays'],
    [{ memberRoleName: 'bad role' }, 'memberRoleName: must be a valid IAM role name'],
    [{ surprise: true }, 'surprise'],
    [
      { digest: { weekly: { day: 'monday' } } },
      'digest.weekly.day: must be one of sun, mon, tue, wed, thu, fri, sat',
    ],
    [{ digest: { weekly: { hourUtc: 24 } } }, 'digest.weekly.hourUtc'],
    [{ digest: { weekly: { hourUtc: 7.5 } } }, 'digest.weekly.hourUtc'],
    [{ digest: { weekly: { enabled: 'yes' } } }, 'digest.weekly.enabled'],
    [{ digest: { daily: 'always' } }, 'digest: Unrecognized key: "daily"'],
  ])('names the offending field for %j', (override, expected) => {
    expect(() => parseConfig({ ...minimal, ...override })).toThrow(expected);
  });

  it.each([
    [
      { slack: { infraChannel: 'C0123ABCD', apiUrl: 'file:///etc/passwd' } },
      'slack.apiUrl: must be an https:// URL',
    ],
    [
      { slack: { infraChannel: 'C0123ABCD', apiUrl: 'http://proxy.example.com/api/' } },
      'slack.apiUrl: must be an https:// URL',
    ],
    [
      { rotation: { docsUrl: 'javascript:alert(1)' } },
      'rotation.docsUrl: must be an https:// (or http://) link',
    ],
    [
      { rotation: { docsUrl: 'data:text/html,hi' } },
      'rotation.docsUrl: must be an https:// (or http://) link',
    ],
    [
      { tags: { type: 'owner', slackId: 'owner' } },
      'tags.slackId: tag key "owner" is already used for tags.type',
    ],
    [{ tags: { slackId: 'type' } }, 'tags.slackId: tag key "type" is already used for tags.type'],
  ])('refuses an unsafe or contradictory value, naming the field, for %j', (override, expected) => {
    expect(() => parseConfig({ ...minimal, ...override })).toThrow(expected);
  });

  it.each([
    'https://slack.example.com/api/',
    'http://localhost:4010/api/',
    'http://127.0.0.1:4010/api/',
    'http://[::1]:4010/api/',
  ])('accepts a Slack API URL that keeps the token encrypted or on this machine: %s', (apiUrl) => {
    expect(parseConfig({ ...minimal, slack: { infraChannel: 'C0123ABCD', apiUrl } }).slack.apiUrl).toBe(
      apiUrl,
    );
  });

  it.each([
    [{ acounts: [] }, '"acounts": did you mean "accounts"?'],
    [{ slak: {} }, '"slak": did you mean "slack"?'],
    [
      { policy: { remindAtDay: [76] } },
      'policy: Unrecognized key: "remindAtDay" ("remindAtDay": did you mean "remindAtDays"?)',
    ],
  ])('suggests the known key for a misspelled one: %j', (override, expected) => {
    expect(() => parseConfig({ ...minimal, ...override })).toThrow(expected);
  });

  it('offers no suggestion for a key nothing like a known one', () => {
    expect(() => parseConfig({ ...minimal, surprise: true })).not.toThrow(/did you mean/);
  });

  it('reports invalid JSON by line and column', () => {
    const text = '{\n  "accounts": [],\n  "slack": { infraChannel: "C0123ABCD" }\n}';

    expect(() => parseConfigJson(text, 'enforcer.config.json')).toThrow(
      /enforcer\.config\.json\):\n {2}- not valid JSON at line 3, column 14: /,
    );
  });

  it('wraps the zod error as the cause and names the source', () => {
    const error = captureError(() => parseConfig({}, 'ENFORCER_CONFIG'));
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect(error.message).toContain('Invalid config (ENFORCER_CONFIG)');
    expect((error as ConfigValidationError).issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/^accounts: /), expect.stringMatching(/^slack: /)]),
    );
    expect(error.cause).toBeDefined();
  });

  it('reports invalid JSON with the source named', () => {
    expect(() => parseConfigJson('{nope', 'enforcer.config.json')).toThrow(
      /Invalid config \(enforcer.config.json\):\n {2}- not valid JSON/,
    );
  });
});

function captureError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}
