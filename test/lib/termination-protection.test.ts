import { Template } from 'aws-cdk-lib/assertions';

import { buildApp, configWithDeploy } from './support/cdk-app';

describe('hub stack termination protection', () => {
  it('protects the hub stack from deletion by default', () => {
    const { stacks, config } = buildApp();

    expect(config.deploy.terminationProtection).toBe(true);
    expect(stacks.hub.terminationProtection).toBe(true);
    expect(Template.fromStack(stacks.hub).toJSON()).toBeDefined();
  });

  it('can be switched off in the deploy config', () => {
    const { stacks } = buildApp(configWithDeploy({ terminationProtection: false }));

    expect(stacks.hub.terminationProtection).toBe(false);
  });

  it('refuses a non-boolean, naming the field', () => {
    expect(() => buildApp(configWithDeploy({ terminationProtection: 'yes' }))).toThrow(
      'deploy.terminationProtection',
    );
  });
});
