import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { configWithDeploy, interactivityConfig } from './support/cdk-app';
import { synthApp, SYNTH_TIMEOUT_MS } from './support/synth-cli';

interface Manifest {
  readonly artifacts: Record<string, { readonly type: string }>;
}

describe('the CDK app, run as `cdk synth` runs it', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'access-key-enforcer-synth-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it(
    'synthesizes the example config offline, with the handler bundled',
    () => {
      const outdir = tempDir();

      const result = synthApp(outdir);

      expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
        status: 0,
        stderr: '',
      });
      const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
      const stacks = Object.entries(manifest.artifacts)
        .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
        .map(([name]) => name);
      expect(stacks.sort()).toEqual([
        'AccessKeyEnforcerHub',
        'AccessKeyEnforcerMember',
        'AccessKeyEnforcerMemberStackSet',
      ]);
      const bundles = readdirSync(outdir)
        .filter((name) => name.startsWith('asset.'))
        .map((name) => join(outdir, name, 'index.js'))
        .filter((file) => existsSync(file));
      expect(bundles).toHaveLength(1);
      // Issue 9: zod's locales dropped and the SDK tree-shaken; the source map stays beside it.
      expect(statSync(bundles[0]!).size).toBeLessThan(825 * 1024);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'bundles every function from its own entry: daily, real-time, state-machine step, Slack outbox sender and buttons',
    () => {
      const outdir = tempDir();
      const configPath = join(tempDir(), 'every-function.config.json');
      const config = interactivityConfig({
        realtimeAlerts: { enabled: true },
        run: { mode: 'state-machine' },
      });
      const deploy = config.deploy as { memberRole: { stackSet: { regions?: string[] } } };
      deploy.memberRole.stackSet.regions = ['us-east-1'];
      writeFileSync(configPath, JSON.stringify(config));

      const result = synthApp(outdir, { config: configPath });

      expect({ status: result.status, stderr: result.status === 0 ? '' : result.stderr }).toEqual({
        status: 0,
        stderr: '',
      });
      const bundles = readdirSync(outdir)
        .filter((name) => name.startsWith('asset.') && existsSync(join(outdir, name, 'index.js')))
        .map((name) => ({
          dir: join(outdir, name),
          code: readFileSync(join(outdir, name, 'index.js'), 'utf8'),
        }));
      // CDK caches bundlings by their options: every entry must make its own (lambda-code.ts).
      expect(bundles).toHaveLength(5);
      expect(new Set(bundles.map((bundle) => bundle.code)).size).toBe(5);
      expect(bundles.filter(({ code }) => code.includes('RealtimeAlertPendingError'))).toHaveLength(1);
      const endpoints = bundles.filter(({ code }) => code.includes('AwsLambdaReceiver'));
      expect(endpoints).toHaveLength(1);
      const [endpoint] = endpoints;
      expect(
        JSON.parse(readFileSync(join(endpoint?.dir ?? '', 'enforcer-config.json'), 'utf8')),
      ).toMatchObject({
        slack: { interactivity: { approvers: { users: ['U0LEAD001'] } } },
      });
      expect(statSync(join(endpoint?.dir ?? '', 'index.js')).size).toBeLessThan(800 * 1024);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'refuses a bad config, naming the field',
    () => {
      const configPath = join(tempDir(), 'bad.config.json');
      writeFileSync(configPath, JSON.stringify(configWithDeploy({ hubAccountId: '12345' })));

      const result = synthApp(tempDir(), { config: configPath });

      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`Invalid config (${configPath})`);
      expect(result.stderr).toContain('deploy.hubAccountId: must be a 12-digit AWS account id');
    },
    SYNTH_TIMEOUT_MS,
  );
});
