import { Template } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { buildApp, configInput } from './support/cdk-app';
import { actionsOf, logicalIdsOf, permissionStatements, propertiesOf } from './support/template-scan';

function hubTemplate(securityHub?: { enabled: boolean }): Template {
  const { stacks } = buildApp({ ...configInput(), ...(securityHub ? { securityHub } : {}) });
  return Template.fromStack(stacks.hub);
}

function environmentOf(template: Template): Record<string, unknown> {
  const [functionId] = logicalIdsOf(template, 'AWS::Lambda::Function');
  return propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(template, functionId!)
    .Environment.Variables;
}

describe('Security Hub permission of the hub function (issue 10)', () => {
  it('grants no securityhub action and sets no hub account variable when not enabled', () => {
    const template = hubTemplate();
    expect(actionsOf(permissionStatements(template)).filter((a) => a.startsWith('securityhub:'))).toEqual([]);
    expect(environmentOf(template)).not.toHaveProperty(ENV.hubAccountId);
  });

  it("grants only securityhub:BatchImportFindings, on the hub account's own product, when enabled", () => {
    const template = hubTemplate({ enabled: true });
    const statements = permissionStatements(template).filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('securityhub:')),
    );
    expect(statements).toEqual([
      {
        Sid: 'SecurityHubFindings',
        Effect: 'Allow',
        Action: 'securityhub:BatchImportFindings',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':securityhub:eu-central-1:111111111111:product/111111111111/default',
            ],
          ],
        },
      },
    ]);
    expect(environmentOf(template)[ENV.hubAccountId]).toBe('111111111111');
  });
});
