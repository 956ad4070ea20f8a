import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONFIG_FILE_NAME } from '../../lambda/config/environment';
import { configInput } from './support/cdk-app';
import { synthApp, SYNTH_TIMEOUT_MS } from './support/synth-cli';

/** CloudFormation's and IAM's published quotas that grow with the number of accounts. */
const LIMITS = {
  templateBodyBytes: 1_000_000,
  resourcesPerTemplate: 500,
  lambdaEnvironmentBytes: 4096,
  managedPolicyChars: 6144,
  inlinePolicyChars: 10_240,
};

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface TemplateJson {
  readonly Resources: Record<string, Resource>;
}

/** Every policy document of a template with the limit IAM applies to it. */
function policyDocuments(template: TemplateJson): { where: string; chars: number; limit: number }[] {
  return Object.entries(template.Resources).flatMap(([id, resource]) => {
    const props = resource.Properties ?? {};
    const chars = (document: unknown): number => JSON.stringify(document).length;
    switch (resource.Type) {
      case 'AWS::IAM::ManagedPolicy':
        return [{ where: id, chars: chars(props.PolicyDocument), limit: LIMITS.managedPolicyChars }];
      case 'AWS::IAM::Policy':
        return [{ where: id, chars: chars(props.PolicyDocument), limit: LIMITS.inlinePolicyChars }];
      case 'AWS::IAM::Role':
        return ((props.Policies ?? []) as { PolicyDocument: unknown }[]).map((policy, i) => ({
          where: `${id}.Policies[${i}]`,
          chars: chars(policy.PolicyDocument),
          limit: LIMITS.inlinePolicyChars,
        }));
      default:
        return [];
    }
  });
}

describe('cdk synth with 1,000 explicit accounts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'access-key-enforcer-synth-1000-'));
  const outdir = join(dir, 'cdk.out');
  const accounts = Array.from({ length: 1000 }, (_, i) => ({
    id: String(100_000_000_000 + i),
    name: `a-team-account-with-a-long-name-${i}`,
  }));
  const input: Record<string, unknown> = { ...configInput(), accounts };
  let status: number | null = null;
  let stderr = '';
  let templates: [string, string][] = [];

  beforeAll(() => {
    const configPath = join(dir, 'org-1000.config.json');
    writeFileSync(configPath, JSON.stringify(input));
    const result = synthApp(outdir, { config: configPath });
    status = result.status;
    stderr = result.stderr;
    templates = existsSync(outdir)
      ? readdirSync(outdir)
          .filter((name) => name.endsWith('.template.json'))
          .map((name) => [name, readFileSync(join(outdir, name), 'utf8')])
      : [];
  }, SYNTH_TIMEOUT_MS);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('succeeds', () => {
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(templates.map(([name]) => name).sort()).toEqual([
      'AccessKeyEnforcerHub.template.json',
      'AccessKeyEnforcerMember.template.json',
      'AccessKeyEnforcerMemberStackSet.template.json',
    ]);
  });

  it('keeps every template under CloudFormation’s body size and resource count', () => {
    const sizes = templates.map(([name, text]) => ({
      name,
      small: Buffer.byteLength(text, 'utf8') < LIMITS.templateBodyBytes,
      fewResources:
        Object.keys((JSON.parse(text) as TemplateJson).Resources).length < LIMITS.resourcesPerTemplate,
    }));

    expect(sizes).toEqual(templates.map(([name]) => ({ name, small: true, fewResources: true })));
  });

  it('keeps every Lambda environment under 4 KB and the engine config out of it', () => {
    const environments = templates.flatMap(([, text]) =>
      Object.values((JSON.parse(text) as TemplateJson).Resources)
        .filter((resource) => resource.Type === 'AWS::Lambda::Function')
        .map((resource) => JSON.stringify(resource.Properties?.Environment ?? {})),
    );

    expect(environments.length).toBeGreaterThan(0);
    environments.forEach((environment) => {
      expect(Buffer.byteLength(environment, 'utf8')).toBeLessThan(LIMITS.lambdaEnvironmentBytes);
      expect(environment).not.toContain(accounts[0]!.id);
    });
  });

  it('keeps every IAM policy document under IAM’s size limits', () => {
    const documents = templates.flatMap(([, text]) => policyDocuments(JSON.parse(text) as TemplateJson));

    expect(documents.length).toBeGreaterThan(0);
    expect(documents.filter((document) => document.chars >= document.limit)).toEqual([]);
  });

  it('bundles the 1,000 accounts as the config file next to each handler (daily, state-machine step, Slack outbox sender)', () => {
    const bundled = readdirSync(outdir)
      .map((name) => join(outdir, name, CONFIG_FILE_NAME))
      .filter((file) => existsSync(file));

    // 1,000 accounts choose the state machine: the daily, step and outbox sender functions, each its own bundle.
    expect(bundled).toHaveLength(3);
    const { deploy: _deploy, ...engineInput } = input;
    for (const file of bundled) expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(engineInput);
  });
});
