import { ConfigValidationError, parseConfig } from '../../lambda/config/parse-config';

const slack = { infraChannel: 'C0123ABCD' };
const managementRoleArn = 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead';

function issuesOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw, 'test');
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.issues;
    throw error;
  }
  return [];
}

describe('the organization section', () => {
  it('discovers without explicit accounts, with defaults filled in', () => {
    const config = parseConfig({ slack, organization: { managementRoleArn } });

    expect(config.accounts).toEqual([]);
    expect(config.organization).toEqual({ enabled: true, managementRoleArn });
  });

  it('keeps explicit accounts next to discovery', () => {
    const config = parseConfig({
      slack,
      accounts: [{ id: '111111111111', name: 'hub' }],
      organization: {
        managementRoleArn,
        includeOus: ['ou-ab12-34cd56ef', 'r-ab12'],
        excludeOus: ['ou-ab12-99zz88yy'],
        excludeAccounts: ['222222222222'],
        organizationId: 'o-a1b2c3d4e5',
      },
    });

    expect(config.accounts).toEqual([{ id: '111111111111', name: 'hub' }]);
    expect(config.organization?.includeOus).toEqual(['ou-ab12-34cd56ef', 'r-ab12']);
  });

  it.each([
    [{ slack }, 'accounts: must list at least one account, or configure organization to discover them'],
    [
      { slack, organization: { enabled: false, managementRoleArn } },
      'accounts: must list at least one account while organization.enabled is false',
    ],
    [
      { slack, organization: { managementRoleArn: 'role/x' } },
      'organization.managementRoleArn: must be an IAM role ARN',
    ],
    [
      { slack, organization: { managementRoleArn, includeOus: ['ou-x'] } },
      'organization.includeOus[0]: must be an organizational unit id (ou-…) or a root id (r-…)',
    ],
    [
      { slack, organization: { managementRoleArn, excludeOus: ['OU'] } },
      'organization.excludeOus[0]: must be an organizational unit id (ou-…) or a root id (r-…)',
    ],
    [
      { slack, organization: { managementRoleArn, excludeAccounts: ['42'] } },
      'organization.excludeAccounts[0]: must be a 12-digit AWS account id',
    ],
    [
      { slack, organization: { managementRoleArn, organizationId: 'org-1' } },
      'organization.organizationId: must be an AWS Organizations id like o-a1b2c3d4e5',
    ],
  ])('refuses %j, naming the field', (raw, issue) => {
    expect(issuesOf(raw)).toContain(issue);
  });

  it('names a missing account list and a bad Slack section at once', () => {
    expect(issuesOf({ slack: {} })).toEqual([
      expect.stringMatching(/^slack\.infraChannel: /),
      'accounts: must list at least one account, or configure organization to discover them',
    ]);
  });
});
