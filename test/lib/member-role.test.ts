import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

import { MemberRole } from '../../lib/constructs/member-role';
import { memberRolePropsFrom } from '../../lib/enforcer-app';
import { synthesizeMemberRoleTemplate } from '../../lib/member-role-stack';
import { buildApp, configWithDeploy } from './support/cdk-app';
import {
  actionsOf,
  expectResourceCount,
  expectResourceProperties,
  logicalIdsOf,
  permissionStatements,
  propertiesOf,
  resourcesOf,
} from './support/template-scan';

const HUB_ROLE_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/AccessKeyEnforcerHub']],
};
const HUB_ACCOUNT_ROOT = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']],
};

describe('MemberRoleStack', () => {
  const { stacks } = buildApp();
  const template = Template.fromStack(stacks.member);
  const statements = permissionStatements(template);

  it('creates one role, named as the engine assumes it', () => {
    expectResourceCount(template, 'AWS::IAM::Role', 1);
    expectResourceProperties(template, 'AWS::IAM::Role', { RoleName: 'AccessKeyEnforcerMember' });
  });

  it('trusts only the hub enforcer role, from inside the organization', () => {
    expectResourceProperties(template, 'AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Principal: { AWS: HUB_ACCOUNT_ROOT },
            Condition: {
              ArnEquals: { 'aws:PrincipalArn': HUB_ROLE_ARN },
              StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
            },
          },
        ],
      },
    });
  });

  it('may read users, tags, keys, the credential report and the password policy and set a key status, and nothing else', () => {
    expect(new Set(actionsOf(statements))).toEqual(
      new Set([
        'iam:ListUsers',
        'iam:GenerateCredentialReport',
        'iam:GetCredentialReport',
        'iam:GetAccountAuthorizationDetails',
        'iam:GetAccountPasswordPolicy',
        'iam:ListUserTags',
        'iam:ListAccessKeys',
        'iam:GetAccessKeyLastUsed',
        'iam:UpdateAccessKey',
      ]),
    );
  });

  it.each(['iam:DeleteAccessKey', 'iam:CreateAccessKey', 'iam:*', '*'])('never grants %s', (action) => {
    expect(actionsOf(statements)).not.toContain(action);
  });

  it('grants no wildcard action of any kind', () => {
    expect(actionsOf(statements).filter((action) => action.includes('*'))).toEqual([]);
  });

  it('scopes every action but the account-wide reads to the users of its own account', () => {
    const userArn = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':user/*']],
    };

    expect(statements.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual([
      // These have no resource type in the IAM service authorization reference.
      {
        Action: [
          'iam:GenerateCredentialReport',
          'iam:GetAccountAuthorizationDetails',
          'iam:GetAccountPasswordPolicy',
          'iam:GetCredentialReport',
          'iam:ListUsers',
        ],
        Resource: '*',
      },
      {
        Action: ['iam:GetAccessKeyLastUsed', 'iam:ListAccessKeys', 'iam:ListUserTags', 'iam:UpdateAccessKey'],
        Resource: userArn,
      },
    ]);
  });

  it('deploys with CLI credentials, needing no bootstrap in the member account', () => {
    expect(template.toJSON().Parameters).toBeUndefined();
    expect(template.toJSON().Rules).toBeUndefined();
  });
});

describe('MemberRole without an organization id', () => {
  const stack = new Stack(new App(), 'Member');
  new MemberRole(stack, 'MemberRole', {
    roleName: 'Watcher',
    hubAccountId: '999999999999',
    enforcerRoleName: 'Enforcer',
  });
  const template = Template.fromStack(stack);

  it('pins the principal ARN without an organization condition', () => {
    const [role] = Object.values(resourcesOf(template, 'AWS::IAM::Role'));

    expect(role?.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: {
            AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999999999999:root']] },
          },
          Condition: {
            ArnEquals: {
              'aws:PrincipalArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999999999999:role/Enforcer']],
              },
            },
          },
        },
      ],
    });
  });
});

describe('MemberRole with operator roles for the CLI', () => {
  it('trusts the listed operator roles besides the enforcer, and nobody else', () => {
    const stack = new Stack(new App(), 'Member');
    new MemberRole(stack, 'MemberRole', {
      roleName: 'Watcher',
      hubAccountId: '999999999999',
      enforcerRoleName: 'Enforcer',
      operatorRoleArns: ['arn:aws:iam::999999999999:role/InfraOperator'],
    });

    const [role] = Object.values(resourcesOf(Template.fromStack(stack), 'AWS::IAM::Role'));
    const principals = (
      role as unknown as {
        Properties: {
          AssumeRolePolicyDocument: { Statement: { Condition: { ArnEquals: Record<string, unknown[]> } }[] };
        };
      }
    ).Properties.AssumeRolePolicyDocument.Statement[0]!.Condition.ArnEquals['aws:PrincipalArn'];

    expect(principals).toHaveLength(2);
    expect(principals![1]).toBe('arn:aws:iam::999999999999:role/InfraOperator');
    expect(JSON.stringify(principals![0])).toContain('role/Enforcer');
  });
});

describe('MemberRoleStackSetStack', () => {
  const { app, stacks, config } = buildApp();
  const template = Template.fromStack(stacks.memberStackSet!);
  const [stackSetId] = logicalIdsOf(template, 'AWS::CloudFormation::StackSet');
  const props = propertiesOf<{ TemplateBody: string }>(template, stackSetId!);

  it('deploys to the configured OUs in one region, with named-IAM capability', () => {
    expectResourceProperties(template, 'AWS::CloudFormation::StackSet', {
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      CallAs: 'SELF',
      StackInstancesGroup: [
        {
          DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-34cd56ef', 'ou-ab12-99zz88yy'] },
          Regions: ['eu-central-1'],
        },
      ],
    });
  });

  it('embeds the same role as the per-account stack', () => {
    const member = resourcesOf(Template.fromStack(stacks.member), 'AWS::IAM::Role');
    const embedded = resourcesOf(
      Template.fromJSON(JSON.parse(props.TemplateBody) as Record<string, unknown>),
      'AWS::IAM::Role',
    );

    expect(Object.values(embedded).map((role) => role.Properties)).toEqual(
      Object.values(member).map((role) => role.Properties),
    );
  });

  it('embeds a template with no CDK bootstrap parameter, which member accounts lack', () => {
    const body = JSON.parse(props.TemplateBody) as Record<string, unknown>;

    expect(body).not.toHaveProperty('Parameters');
    expect(body).not.toHaveProperty('Rules');
  });

  it('renders the same template body on every synthesis', () => {
    const rendered = synthesizeMemberRoleTemplate(
      memberRolePropsFrom(config),
      app.node.getAllContext() as Record<string, unknown>,
    );

    expect(JSON.stringify(rendered)).toBe(props.TemplateBody);
  });
});

describe('StackSet options', () => {
  it('defines no StackSet stack when the config has no stackSet', () => {
    const { stacks } = buildApp(configWithDeploy({ memberRole: {} }));

    expect(stacks.memberStackSet).toBeUndefined();
  });

  it('deploys from a delegated administrator to an explicit region', () => {
    const { stacks } = buildApp(
      configWithDeploy({
        memberRole: {
          stackSet: { organizationalUnitIds: ['r-ab12'], regions: ['us-east-1'], callAs: 'DELEGATED_ADMIN' },
        },
      }),
    );

    expectResourceProperties(Template.fromStack(stacks.memberStackSet!), 'AWS::CloudFormation::StackSet', {
      CallAs: 'DELEGATED_ADMIN',
      StackInstancesGroup: [
        { DeploymentTargets: { OrganizationalUnitIds: ['r-ab12'] }, Regions: ['us-east-1'] },
      ],
    });
  });
});
