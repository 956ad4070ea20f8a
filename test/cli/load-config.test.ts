import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadEngineConfig } from '../../lambda/cli/load-config';

describe('loadEngineConfig', () => {
  it('refuses a discovery-only config instead of running over zero accounts', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ake-config-')), 'enforcer.config.json');
    writeFileSync(
      path,
      JSON.stringify({
        organization: {
          managementRoleArn: 'arn:aws:iam::999999999999:role/AccessKeyEnforcerOrganizationRead',
          organizationId: 'o-abc123def4',
        },
        slack: { infraChannel: 'C0INFRA01' },
      }),
    );
    expect(() => loadEngineConfig(path)).toThrow(/accounts is empty; the CLI does not discover accounts/);
  });
});
