import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';

import { AwsSecurityHubImporter, IMPORT_BATCH_SIZE } from '../../lambda/adapters/aws/security-hub-importer';
import { type AsffFinding } from '../../lambda/domain/security-hub/asff';
import { runEnforcement, type RunOptions } from '../../lambda/engine/run-enforcement';
import { EngineHarness, PROD } from './engine-harness';

const hub = mockClient(SecurityHubClient);
const TARGET = { partition: 'aws' as const, region: 'eu-central-1', hubAccountId: '999999999999' };

beforeEach(() => {
  hub.reset();
  hub.on(BatchImportFindingsCommand).resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
});

class HubWorld extends EngineHarness {
  readonly importer = new AwsSecurityHubImporter({
    client: new SecurityHubClient({ region: 'eu-central-1' }),
    target: TARGET,
  });

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

/** Every finding sent, in order, over every BatchImportFindings call. */
function sent(): AsffFinding[] {
  return hub
    .commandCalls(BatchImportFindingsCommand)
    .flatMap((call) => (call.args[0].input.Findings ?? []) as unknown as AsffFinding[]);
}

describe('Security Hub findings in a run (aws-sdk-client-mock)', () => {
  it('imports one finding per key that needs one, into the hub account product, severity by age', async () => {
    const world = new HubWorld();
    const due = world.engineer('alice', 'U0ALICE01', 80);
    world.engineer('bob', 'U0BOB0001', 10);

    const report = await world.run();

    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
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

    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(again.securityHub).toMatchObject({ sent: 0, unchanged: 1 });
  });

  it('archives and resolves the finding of a key that was rotated, then of one deleted', async () => {
    const world = new HubWorld();
    const alice = world.engineer('alice', 'U0ALICE01', 80);
    const bob = world.engineer('bob', 'U0BOB0001', 82);
    await world.run();
    hub.resetHistory();

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
    hub.resetHistory();
    world.clock.advanceDays(1);
    await world.run();
    expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });

  it('reports a finding Security Hub refused as a run error and sends it again next run', async () => {
    const world = new HubWorld();
    const alice = world.engineer('alice', 'U0ALICE01', 80);
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({
        SuccessCount: 0,
        FailedCount: 1,
        FailedFindings: [
          {
            Id: `access-key-enforcer/${PROD.id}/${alice}`,
            ErrorCode: 'InvalidInput',
            ErrorMessage: 'bad field',
          },
        ],
      })
      .resolves({ SuccessCount: 1, FailedCount: 0, FailedFindings: [] });
    const first = await world.run();
    expect(first.errors).toContain(
      `Security Hub refused finding access-key-enforcer/${PROD.id}/${alice}: InvalidInput: bad field`,
    );
    const second = await world.run();
    expect(second.securityHub).toMatchObject({ sent: 1, failed: [] });
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 2);
  });

  it('in a dry run imports and records nothing', async () => {
    const world = new HubWorld();
    world.engineer('alice', 'U0ALICE01', 80);
    const report = await world.run({ dryRun: true });
    expect(report.securityHub?.findings).toHaveLength(1);
    expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
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
    expect(hub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });
});

describe('AwsSecurityHubImporter', () => {
  it('imports in batches of 100 and collects every FailedFindings entry', async () => {
    hub
      .on(BatchImportFindingsCommand)
      .resolvesOnce({ FailedCount: 0, SuccessCount: 100, FailedFindings: [] })
      .resolvesOnce({
        FailedCount: 1,
        SuccessCount: 99,
        FailedFindings: [{ Id: 'f-150', ErrorCode: 'X', ErrorMessage: 'y' }],
      })
      .resolves({ FailedCount: 0, SuccessCount: 50 });
    const importer = new AwsSecurityHubImporter({
      client: new SecurityHubClient({ region: 'eu-central-1' }),
      target: TARGET,
    });
    const findings = Array.from({ length: 250 }, (_, i) => ({ Id: `f-${i}` }) as unknown as AsffFinding);

    const result = await importer.importFindings(findings);

    expect(hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings?.length)).toEqual(
      [IMPORT_BATCH_SIZE, IMPORT_BATCH_SIZE, 50],
    );
    expect(result.failed).toEqual([{ id: 'f-150', code: 'X', message: 'y' }]);
  });
});
