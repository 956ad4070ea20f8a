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
  ])('names the offending field for %j', (override, expected) => {
    expect(() => parseConfig({ ...minimal, ...override })).toThrow(expected);
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
