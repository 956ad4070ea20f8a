import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type IConstruct } from 'constructs';

import { buildApp, configInput, configWithDeploy, interactivityConfig } from './support/cdk-app';

const CONFIGS: [string, Record<string, unknown>][] = [
  ['every option on', configInput()],
  [
    'an imported secret, no StackSet, no e-mail',
    configWithDeploy({
      slackTokenSecret: { arn: 'arn:aws:secretsmanager:eu-central-1:111111111111:secret:slack-AbC123' },
      memberRole: {},
      alarmEmail: undefined,
    }),
  ],
  ['the run as a state machine', configWithDeploy({ run: { mode: 'state-machine' } })],
  ['the Slack buttons and their endpoint', interactivityConfig()],
];

/** AwsSolutions findings in a scope, as `rule at construct path` lines; unacknowledged ones by default. */
function findings(scope: IConstruct, options: { ignoreAcknowledgements?: boolean } = {}): string[] {
  const pack = new AwsSolutionsChecks();
  // The pack's private acknowledgement lookup, shadowed to see what the acknowledgements hide.
  if (options.ignoreAcknowledgements) Object.assign(pack, { isAcknowledged: () => false });
  const report = pack.validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
  );
}

interface Acknowledgement {
  readonly path: string;
  readonly isStack: boolean;
  readonly id: string;
  readonly reason: unknown;
}

function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, unknown>).map(([id, reason]) => ({
          path: construct.node.path,
          isStack: Stack.isStack(construct) || construct === scope,
          id,
          reason,
        })),
      ),
  );
}

describe.each(CONFIGS)('AwsSolutions checks with %s', (_name, config) => {
  const { app, stacks } = buildApp(config);
  const allStacks = [stacks.hub, stacks.member, ...(stacks.memberStackSet ? [stacks.memberStackSet] : [])];

  it.each(allStacks.map((stack) => [stack.stackName, stack] as const))(
    'finds nothing unacknowledged in %s',
    (_stackName, stack) => {
      expect(findings(stack)).toEqual([]);
    },
  );

  it('gives every acknowledgement a one-line reason', () => {
    const acks = acknowledgements(app);

    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack).toMatchObject({ reason: expect.stringMatching(/^[^\n]{20,}$/) as unknown });
    }
  });

  it('acknowledges on resources, never on a whole stack or the app', () => {
    expect(acknowledgements(app).filter((ack) => ack.isStack)).toEqual([]);
  });

  it('acknowledges individual findings of AwsSolutions rules', () => {
    const ids = acknowledgements(app).map((ack) => ack.id.replace(/^annotation::/i, ''));

    expect(ids.filter((id) => !/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/.test(id))).toEqual([]);
  });

  it('acknowledges only findings that exist, on the resource that has them', () => {
    const hidden = findings(app, { ignoreAcknowledgements: true });

    const stale = acknowledgements(app).filter((ack) => {
      const finding = `${ack.id.replace(/^annotation::/i, '')} at ${ack.path}`;
      return !hidden.some((hit) => hit === finding || hit.startsWith(`${finding}/`));
    });
    expect(stale).toEqual([]);
  });

  it('synthesizes with the checks registered as bin/app.ts does', () => {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).not.toThrow();
  });
});

describe('the AwsSolutions harness', () => {
  it('fails synthesis on a finding that nobody acknowledged', () => {
    const app = new App();
    new Queue(new Stack(app, 'Control'), 'Queue');
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });

  it('does report a finding that nobody acknowledged', () => {
    const stack = new Stack(new App(), 'Control');
    new Queue(stack, 'Queue');

    expect(findings(stack)).toEqual(
      expect.arrayContaining([
        'AwsSolutions-SQS3 at Control/Queue/Resource',
        'AwsSolutions-SQS4 at Control/Queue/Resource',
      ]),
    );
  });
});
