import { AwsSecurityHubImporter, IMPORT_BATCH_SIZE } from '../../lambda/adapters/aws/security-hub-importer';
import { serviceEndpoint, signedJsonClient } from '../../lambda/adapters/aws/signed-json-client';
import { type AsffFinding } from '../../lambda/domain/security-hub/asff';
import { runEnforcement, type RunOptions } from '../../lambda/engine/run-enforcement';
import { SecurityHubStandIn, STAND_IN_CREDENTIALS } from '../support/security-hub-stand-in';
import { EngineHarness, PROD } from './engine-harness';

const TARGET = { partition: 'aws' as const, region: 'eu-central-1', hubAccountId: '999999999999' };
const hub = new SecurityHubStandIn(TARGET.region);

beforeAll(() => hub.start());
afterAll(() => hub.stop());
beforeEach(() => hub.reset());

function importer(options: { sleep?: (ms: number) => Promise<void>; budgetMs?: number } = {}) {
  return new AwsSecurityHubImporter({
    client: signedJsonClient({
      service: 'securityhub',
      region: TARGET.region,
      partition: 'aws',
      endpoint: hub.url,
      credentials: () => Promise.resolve(STAND_IN_CREDENTIALS),
    }),
    target: TARGET,
    sleep: options.sleep ?? (() => Promise.resolve()),
    ...(options.budgetMs !== undefined && { budgetMs: options.budgetMs }),
  });
}

class HubWorld extends EngineHarness {
  readonly importer = importer();

  constructor(extra: object = {}) {
    super({ securityHub: { enabled: true }, ...extra });
  }

  override run(options: RunOptions = {}) {
    return runEnforcement(
      this.config,
      {
        reader: this.iam,
        deactivator: this.iam,
        notifier: this.slack,
        ledger: this.ledger,
        clock: this.clock,
        securityHub: this.importer,
      },
      options,
    );
  }
}

/** Every finding Security Hub accepted, in order, over every BatchImportFindings call. */
function sent(): AsffFinding[] {
  return hub.findings as AsffFinding[];
}

describe('Security Hub findings in a run (signed requests to a loopback Security Hub)', () => {
  it('imports one finding per key that needs one, into the hub account product, severity by age', async () => {
    const world = new HubWorld();
    const due = world.engineer('alice', 'U0ALICE01', 80);
    world.engineer('bob', 'U0BOB0001', 10);

    const report = await world.run();

    expect(hub.requests).toBe(1);
    expect(sent()).toEqual([
      expect.objectContaining({
        Id: `access-key-enforcer/${PROD.id}/${due}`,
        ProductArn: 'arn:aws:securityhub:eu-central-1:999999999999:product/999999999999/default',
        AwsAccountId: PROD.id,
        Severity: { Label: 'MEDIUM', Original: '>=76d' },
        Title: 'IAM access key of alice due for rotation',
        RecordState: 'ACTIVE',
      }),
    ]);
    expect(sent()[0]?.Description).toContain('Deactivation deadline: 2027-01-12.');
    expect(report.securityHub).toMatchObject({ sent: 1, archived: 0, unchanged: 0, failed: [] });
    expect((await world.ledger.readAccount(PROD.id)).account?.securityHubFindings).toHaveProperty([due]);
  });

  it('sends nothing on a re-run while the findings are unchanged: no duplicates', async () => {
    const world = new HubWorld();
    world.engineer('alice', 'U0ALICE01', 80);
    await world.run();
    const again = await world.run();
    world.clock.advanceDays(1);
    await world.run();

    expect(hub.requests).toBe(1);
    expect(again.securityHub).toMatchObject({ sent: 0, unchanged: 1 });
  });

  it('archives and resolves the finding of a key that was rotated, then of one deleted', async () => {
    const world = new HubWorld();
    const alice = world.engineer('alice', 'U0ALICE01', 80);
    const bob = world.engineer('bob', 'U0BOB0001', 82);
    await world.run();
    hub.reset();

    world.iam.setKeyStatus(PROD.id, 'alice', alice, 'Inactive');
    world.iam.deleteAccessKey(PROD.id, 'bob', bob);
    world.clock.advanceDays(1);
    const report = await world.run();

    expect(sent()).toEqual([
      expect.objectContaining({
        Id: `access-key-enforcer/${PROD.id}/${alice}`,
        RecordState: 'ARCHIVED',
        Workflow: { Status: 'RESOLVED' },
        Compliance: { Status: 'PASSED' },
        ProductFields: { 'access-key-enforcer/Resolution': 'inactive' },
      }),
      expect.objectContaining({
        Id: `access-key-enforcer/${PROD.id}/${bob}`,
        RecordState: 'ARCHIVED',
        ProductFields: { 'access-key-enforcer/Resolution': 'deleted' },
      }),
    ]);
    expect(report.securityHub).toMatchObject({ sent: 2, archived: 2 });
    expect((await world.ledger.readAccount(PROD.id)).account?.securityHubFindings).toEqual({});
    hub.reset();
    world.clock.advanceDays(1);
    await world.run();
    expect(hub.requests).toBe(0);
  });

  it('reports a finding Security Hub refused as a run error and sends it again next run', async () => {
    const world = new HubWorld();
    const alice = world.engineer('alice', 'U0ALICE01', 80);
    hub.answerNext({
      failedFindings: [
        {
          Id: `access-key-enforcer/${PROD.id}/${alice}`,
          ErrorCode: 'InvalidInput',
          ErrorMessage: 'bad field',
        },
      ],
    });
    const first = await world.run();
    expect(first.errors).toContain(
      `Security Hub refused finding access-key-enforcer/${PROD.id}/${alice}: InvalidInput: bad field`,
    );
    const second = await world.run();
    expect(second.securityHub).toMatchObject({ sent: 1, failed: [] });
    expect(hub.requests).toBe(2);
  });

  it('in a dry run imports and records nothing', async () => {
    const world = new HubWorld();
    world.engineer('alice', 'U0ALICE01', 80);
    const report = await world.run({ dryRun: true });
    expect(report.securityHub?.findings).toHaveLength(1);
    expect(hub.requests).toBe(0);
  });

  it('includes an unused key when the rules are on, with the delete command as remediation', async () => {
    const world = new HubWorld({ rules: {} });
    const key = world.engineer('carol', 'U0ALICE01', 20);
    await world.run();
    expect(sent()).toEqual([
      expect.objectContaining({
        Id: `access-key-enforcer/${PROD.id}/${key}`,
        Severity: { Label: 'LOW', Original: '<76d' },
        Title: 'IAM access key of carol unused',
        Remediation: expect.objectContaining({
          Recommendation: expect.objectContaining({
            Text: `Delete the key if nothing uses it: aws iam delete-access-key --user-name carol --access-key-id ${key}`,
          }),
        }),
      }),
    ]);
  });

  it('is off by default: no import, no report', async () => {
    const world = new HubWorld({ securityHub: { enabled: false } });
    world.engineer('alice', 'U0ALICE01', 80);
    const report = await world.run();
    expect(report.securityHub).toBeUndefined();
    expect(hub.requests).toBe(0);
  });
});

describe('AwsSecurityHubImporter', () => {
  const findings = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ Id: `f-${i}` }) as unknown as AsffFinding);

  it('imports in batches of 100, signed for securityhub, and collects every FailedFindings entry', async () => {
    hub.answerNext(
      { failedFindings: [] },
      { failedFindings: [{ Id: 'f-150', ErrorCode: 'X', ErrorMessage: 'y' }] },
    );

    const result = await importer().importFindings(findings(250));

    expect(hub.batches.map((batch) => batch.length)).toEqual([IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE, 50]);
    expect(result.failed).toEqual([{ id: 'f-150', code: 'X', message: 'y' }]);
  });

  it('waits out throttling (429) and 5xx answers, then imports', async () => {
    const waits: number[] = [];
    hub.answerNext(
      { status: 429, errorType: 'TooManyRequestsException', message: 'Rate exceeded' },
      { status: 429, errorType: 'LimitExceededException', message: 'Rate exceeded' },
      { status: 503, errorType: 'InternalException', message: 'busy' },
    );

    await importer({ sleep: (ms) => Promise.resolve(void waits.push(ms)) }).importFindings(findings(3));

    expect(waits).toHaveLength(3);
    expect(hub.findings).toHaveLength(3);
  });

  it('throws a refused request with Security Hub’s code, and does not retry it', async () => {
    hub.answerNext({
      status: 403,
      errorType: 'AccessDeniedException',
      message: 'not subscribed to Security Hub',
    });

    await expect(importer().importFindings(findings(1))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'not subscribed to Security Hub',
    });
    expect(hub.requests).toBe(1);
  });

  it('is refused by a Security Hub that checks signatures when signed with other credentials', async () => {
    const wrong = new AwsSecurityHubImporter({
      client: signedJsonClient({
        service: 'securityhub',
        region: TARGET.region,
        partition: 'aws',
        endpoint: hub.url,
        credentials: () =>
          Promise.resolve({ accessKeyId: STAND_IN_CREDENTIALS.accessKeyId, secretAccessKey: 'other' }),
      }),
      target: TARGET,
    });
    await expect(wrong.importFindings(findings(1))).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
  });
});

describe('serviceEndpoint', () => {
  it('follows the SDK: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the partition’s endpoint', () => {
    expect(serviceEndpoint('securityhub', 'eu-central-1', 'aws', {})).toBe(
      'https://securityhub.eu-central-1.amazonaws.com',
    );
    expect(serviceEndpoint('securityhub', 'cn-north-1', 'aws-cn', {})).toBe(
      'https://securityhub.cn-north-1.amazonaws.com.cn',
    );
    expect(
      serviceEndpoint('securityhub', 'us-east-1', 'aws', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' }),
    ).toBe('http://127.0.0.1:4566');
    expect(
      serviceEndpoint('securityhub', 'us-east-1', 'aws', {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
        AWS_ENDPOINT_URL_SECURITYHUB: 'http://127.0.0.1:9000',
      }),
    ).toBe('http://127.0.0.1:9000');
  });
});
