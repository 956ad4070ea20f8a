import { z } from 'zod';

import { parseConfig } from '../../lambda/config/parse-config';

describe("zod's JIT in runtime code (issue 9: cold start)", () => {
  it('is off once the config schema is loaded, so no schema is compiled with new Function', () => {
    const config = parseConfig({ accounts: [{ id: '111111111111' }], slack: { infraChannel: 'C0123ABCD' } });

    expect(config.accounts).toHaveLength(1);
    expect(z.config().jitless).toBe(true);
  });
});
