import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { parseAppConfig } from '../../lib/config/app-config';
import { ORGANIZATION_READ_ACTIONS } from '../../lib/organization-read-role-stack';
import { buildApp, configInput, configWithDeploy } from './support/cdk-app';
import { actionsOf, permissionStatements, propertiesOf, logicalIdsOf } from './support/template-scan';

const MANAGEMENT_ROLE_ARN = 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead';
const organization = { managementRoleArn: MANAGEMENT_ROLE_ARN, includeOus: ['r-ab12'] };

interface RoleProps {
  RoleName: string;
  AssumeRolePolicyDocument: { Statement: unknown[] };
}

describe('OrganizationReadRoleStack', () => {
  const { stacks } = buildApp({ ...configInput(), organization });
  const stack = stacks.organizationRead!;
  const template = Template.fromStack(stack);
  const [roleId] = logicalIdsOf(template, 'AWS::IAM::Role');

  it('is deployed into the management account the configured ARN names', () => {
    expect(stack.stackName).toBe('AccessKeyEnforcerOrganizationRead');
    expect(stack.account).toBe('999999999999');
    expect(logicalIdsOf(template, 'AWS::IAM::Role')).toHaveLength(1);
    expect(propertiesOf<RoleProps>(template, roleId!).RoleName).toBe('AccessKeyEnforcerOrganizationRead');
  });

  it("trusts the hub's enforcer role only", () => {
    expect(propertiesOf<RoleProps>(template, roleId!).AssumeRolePolicyDocument.Statement).toEqual([
      {
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Condition: {
          ArnEquals: {
            'aws:PrincipalArn': {
              'Fn::Join': [
                '',
                ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/AccessKeyEnforcerHub'],
              ],
            },
          },
        },
      },
    ]);
  });

  it('may only list accounts, OUs and roots', () => {
    const actions = actionsOf(permissionStatements(template));

    expect(actions.sort()).toEqual([...ORGANIZATION_READ_ACTIONS].sort());
    expect(actions).toEqual(expect.not.arrayContaining(['organizations:DescribeOrganization']));
  });

  it('is cdk-nag clean', () => {
    const report = new AwsSolutionsChecks().validateScope(stack);

    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  });

  it('lets the hub role assume the read role, and no other role in that account', () => {
    const hub = Template.fromStack(stacks.hub);
    const statement = permissionStatements(hub).find((s) => s.Sid === 'AssumeOrganizationReadRole');

    expect(statement).toEqual({
      Sid: 'AssumeOrganizationReadRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: MANAGEMENT_ROLE_ARN,
    });
  });

  it('is not created without an organization section', () => {
    expect(buildApp().stacks.organizationRead).toBeUndefined();
  });

  it('refuses discovery without an organisation id, naming the field', () => {
    const input = { ...configWithDeploy({ memberRole: {} }), organization };

    expect(() => parseAppConfig(input)).toThrow(/organization\.organizationId: required with organization/);
  });
});
