import { Match, Template } from 'aws-cdk-lib/assertions';

import { ENV, METRIC } from '../../lambda/config/environment';
import { OUTBOX_SENDER } from '../../lambda/outbox/sender-settings';
import { SENDER_LEDGER_ACTIONS, SENDER_QUEUE_ACTIONS } from '../../lib/constructs/slack-outbox';
import { buildApp, configWithDeploy } from './support/cdk-app';
import {
  actionsOf,
  expectResourceCount,
  expectResourceProperties,
  logicalIdsOf,
  permissionStatements,
  propertiesOf,
  resourcesOf,
  type Statement,
} from './support/template-scan';

/** Statements of the policies attached to the role whose logical id matches `rolePattern`. */
function statementsOfRole(template: Template, rolePattern: RegExp): Statement[] {
  const policies = resourcesOf(template, 'AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).some((role) => rolePattern.test(role.Ref)),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('the Slack outbox in state-machine mode (issue 12 item 4)', () => {
  const { stacks } = buildApp(configWithDeploy({ run: { mode: 'state-machine' } }));
  const template = Template.fromStack(stacks.hub);
  const fifoQueues = resourcesOf(template, 'AWS::SQS::Queue', { Properties: { FifoQueue: true } });
  const [queueId, ...others] = Object.keys(fifoQueues).filter((id) => /SlackOutboxQueue/.test(id));
  const [deadLetterId] = Object.keys(fifoQueues).filter((id) => /SlackOutboxDeadLetterQueue/.test(id));
  const [senderId] = logicalIdsOf(template, 'AWS::Lambda::Function').filter((id) =>
    /SlackOutboxSender/.test(id),
  );

  it('is one encrypted high-throughput FIFO queue whose messages move to an encrypted FIFO dead-letter queue after 10 receives', () => {
    expect(others).toEqual([]);
    expect(Object.keys(fifoQueues)).toHaveLength(2);
    expect(propertiesOf(template, queueId!)).toEqual({
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
      VisibilityTimeout: 6 * OUTBOX_SENDER.timeoutSeconds,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] }, maxReceiveCount: 10 },
    });
    expect(propertiesOf(template, deadLetterId!)).toEqual({
      FifoQueue: true,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 86_400,
    });
  });

  it.each([
    ['queue', () => queueId],
    ['dead-letter queue', () => deadLetterId],
  ])('refuses requests to the %s without TLS', (_name, id) => {
    expectResourceProperties(template, 'AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: id() }],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ],
      },
    });
  });

  it('drains it with two senders the poller never throttles: reserved concurrency = maximum concurrency, small batches, batch item failures', () => {
    expect(propertiesOf(template, senderId!)).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      ReservedConcurrentExecutions: OUTBOX_SENDER.concurrency,
      Timeout: OUTBOX_SENDER.timeoutSeconds,
      Environment: {
        Variables: expect.objectContaining({ [ENV.outboxQueueUrl]: { Ref: queueId } }) as unknown,
      },
    });
    expectResourceCount(template, 'AWS::Lambda::EventSourceMapping', 1);
    expectResourceProperties(template, 'AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: senderId },
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: OUTBOX_SENDER.concurrency },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('lets the sender consume the queue, read and write the ledger and read the token: nothing else', () => {
    const statements = statementsOfRole(template, /SlackOutboxSenderRole/);
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid ?? 'logs', s]));

    expect(Object.keys(bySid).sort()).toEqual(['Ledger', 'OutboxQueue', 'SlackToken', 'logs']);
    expect(bySid.OutboxQueue).toMatchObject({ Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } });
    expect(actionsOf([bySid.OutboxQueue!]).sort()).toEqual([...SENDER_QUEUE_ACTIONS].sort());
    expect(actionsOf([bySid.Ledger!]).sort()).toEqual([...SENDER_LEDGER_ACTIONS].sort());
    expect(bySid.Ledger?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^LedgerTable/), 'Arn'] });
    expect(bySid.SlackToken).toMatchObject({ Action: 'secretsmanager:GetSecretValue' });
    expect(actionsOf([bySid.logs!]).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('lets the act step (the enforcer role) send to the queue, and nobody else write to it', () => {
    const onQueue = permissionStatements(template).filter((s) =>
      JSON.stringify(s.Resource).includes(queueId!),
    );
    const senders = onQueue.filter((s) => actionsOf([s]).includes('sqs:SendMessage'));

    expect(senders).toEqual([
      {
        Sid: 'SlackOutbox',
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
      },
    ]);
    expect(statementsOfRole(template, /^EnforcerRole/)).toContainEqual(senders[0]);
    expect(onQueue).toHaveLength(2); // and the sender's consuming statement
  });

  it('gives the step Lambda the queue’s URL (its act step queues); the single Lambda sends in process', () => {
    const functions = resourcesOf(template, 'AWS::Lambda::Function');
    const withUrl = Object.entries(functions)
      .filter(([, f]) => {
        const variables = (f.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables;
        return variables?.[ENV.outboxQueueUrl] !== undefined;
      })
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''));

    expect(withUrl.sort()).toEqual(['RunStepFunction', 'SlackOutboxSender']);
  });

  it.each([
    ['messages in the dead-letter queue', 'ApproximateNumberOfMessagesVisible', 'AWS/SQS'],
    ['stale messages', METRIC.outboxStale, 'AccessKeyEnforcer'],
    ['a failing sender', 'Errors', 'AWS/Lambda'],
  ])('alarms on %s', (_name, metricName, namespace) => {
    expectResourceProperties(template, 'AWS::CloudWatch::Alarm', {
      MetricName: metricName,
      Namespace: namespace,
      Threshold: 1,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
      ...(namespace === 'AWS/Lambda'
        ? { Dimensions: [{ Name: 'FunctionName', Value: { Ref: senderId } }] }
        : {}),
    });
  });
});

describe('the Slack outbox in single-Lambda mode', () => {
  it('is not deployed: the Lambda sends in process', () => {
    const { stacks } = buildApp(configWithDeploy({ run: { mode: 'single-lambda' } }));
    const template = Template.fromStack(stacks.hub);

    expect(
      Object.keys(resourcesOf(template, 'AWS::SQS::Queue', { Properties: { FifoQueue: true } })),
    ).toEqual([]);
    expectResourceCount(template, 'AWS::Lambda::EventSourceMapping', 0);
    expect(permissionStatements(template).filter((s) => s.Sid === 'SlackOutbox')).toEqual([]);
  });
});
