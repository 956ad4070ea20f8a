import { SQSClient } from '@aws-sdk/client-sqs';

import { SqsOutboxQueue } from '../../../lambda/adapters/aws/sqs-outbox';
import { parseOutboxEvent } from '../../../lambda/adapters/aws/outbox-message-codec';
import { type OutboxMessage } from '../../../lambda/domain/outbox/outbox-message';
import { ManualClock } from '../../../lambda/simulation';
import { DEDUPLICATION_WINDOW_MS, type SqsStandIn, startSqsStandIn } from '../../support/sqs-stand-in';

const AT = '2027-03-01T08:00:00.000Z';

function message(id: string, group = '111111111111/AKIAEXAMPLE000000001'): OutboxMessage {
  return {
    id,
    group,
    runId: 'run-1',
    queuedAt: AT,
    run: { now: AT },
    notice: {
      kind: 'channel-post',
      accountId: '111111111111',
      postId: 'baseline',
      message: { text: 'baseline', blocks: [] },
    },
  };
}

describe('SqsOutboxQueue over the SQS stand-in (AWS JSON 1.0)', () => {
  const clock = new ManualClock(AT);
  let sqs: SqsStandIn;
  let client: SQSClient;

  beforeAll(async () => {
    sqs = await startSqsStandIn({ now: () => clock.now().getTime() });
    client = new SQSClient({
      region: 'eu-central-1',
      endpoint: sqs.url,
      credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake' },
    });
  });
  afterAll(async () => {
    client.destroy();
    await sqs.close();
  });

  it('writes a message to its key’s group, with a deduplication id derived from the message id', async () => {
    const { queue, url } = sqs.createQueue({ name: 'write.fifo' });

    await new SqsOutboxQueue({ queueUrl: url, client }).enqueue(
      message('2027-03-01/111111111111/AKIA/milestone-76'),
    );

    expect(queue.accepted).toHaveLength(1);
    expect(queue.accepted[0]).toMatchObject({ groupId: '111111111111/AKIAEXAMPLE000000001' });
    expect(queue.accepted[0]!.deduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(queue.accepted[0]!.body)).toEqual(message('2027-03-01/111111111111/AKIA/milestone-76'));
  });

  it('keeps one copy of a message written twice within five minutes (a retried act step), two after', async () => {
    const { queue, url } = sqs.createQueue({ name: 'dedup.fifo' });
    const outbox = new SqsOutboxQueue({ queueUrl: url, client });

    await outbox.enqueue(message('same-id'));
    await outbox.enqueue(message('same-id'));
    clock.set(clock.now().getTime() + DEDUPLICATION_WINDOW_MS + 1);
    await outbox.enqueue(message('same-id'));

    expect(queue.accepted).toHaveLength(2);
    expect(queue.duplicatesDropped).toBe(1);
  });

  it('puts a received message back for the given seconds', async () => {
    const { queue, url } = sqs.createQueue({ name: 'visibility.fifo', visibilityTimeoutSeconds: 600 });
    const outbox = new SqsOutboxQueue({ queueUrl: url, client });
    await outbox.enqueue(message('m1'));
    const [received] = queue.receive(1);

    await outbox.delay(received!.receiptHandle, 7);

    const start = clock.now().getTime();
    expect(queue.nextVisibleAt()).toBe(start + 7000);
    expect(queue.receive(1)).toEqual([]);
    clock.set(start + 7000);
    expect(queue.receive(1)).toHaveLength(1);
  });

  it('fails loudly when the queue does not exist', async () => {
    const outbox = new SqsOutboxQueue({ queueUrl: `${sqs.url}/000000000000/missing.fifo`, client });

    await expect(outbox.enqueue(message('m'))).rejects.toThrow(/does not exist/);
  });
});

describe('parseOutboxEvent', () => {
  const record = (body: string, messageId = 'sqs-1') => ({
    messageId,
    receiptHandle: `receipt-${messageId}`,
    body,
    attributes: { ApproximateReceiveCount: '3', MessageGroupId: 'g1' },
  });

  it('reads an outbox message with its receive count and group, dates restored', () => {
    const sent: OutboxMessage = {
      ...message('m1'),
      notice: {
        kind: 'new-key',
        alert: true,
        otherActiveKeys: [],
        subject: {
          account: { id: '111111111111', name: 'prod' },
          userName: 'alice',
          owner: { userClass: 'engineer', displayName: 'alice' },
          key: { accessKeyId: 'AKIAEXAMPLE000000001', status: 'Active', createDate: new Date(AT) },
          ageDays: 0,
          deadline: '2027-05-31',
          daysLeft: 91,
        },
      },
    };

    const [read] = parseOutboxEvent({ Records: [record(JSON.stringify(sent))] });

    expect(read).toMatchObject({ sqsMessageId: 'sqs-1', receiveCount: 3, group: 'g1', message: sent });
    const notice = read!.message!.notice;
    expect(notice.kind === 'new-key' && notice.subject.key.createDate).toBeInstanceOf(Date);
  });

  it('keeps an unreadable body in the batch, without a message and with the problem', () => {
    const records = parseOutboxEvent({
      Records: [record('not json', 'bad'), record(JSON.stringify({ id: 'x' }), 'partial')],
    });

    expect(records.map((r) => [r.sqsMessageId, r.message, typeof r.problem])).toEqual([
      ['bad', undefined, 'string'],
      ['partial', undefined, 'string'],
    ]);
  });

  it('refuses an event that is not from SQS', () => {
    expect(() => parseOutboxEvent({ detail: {} })).toThrow(/not an SQS event/);
  });
});
