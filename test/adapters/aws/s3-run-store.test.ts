import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';

import { S3RunStore } from '../../../lambda/adapters/aws/s3-run-store';
import { type PlanDocument } from '../../../lambda/engine/steps/run-store';

const ACCOUNT = { id: '123456789012', name: 'prod' };
const PLAN: PlanDocument = {
  kind: 'plan',
  plan: {
    account: ACCOUNT,
    decisions: [
      {
        kind: 'thanks',
        how: 'deleted',
        directMessage: true,
        subject: {
          account: ACCOUNT,
          userName: 'alice',
          owner: { userClass: 'engineer', slackId: 'U0ALICE01', displayName: 'Alice' },
          key: {
            accessKeyId: 'AKIAEXAMPLE0000001',
            status: 'Active',
            createDate: new Date('2027-01-01T10:00:00Z'),
          },
          ageDays: 80,
          deadline: '2027-04-02',
          daysLeft: 11,
        },
      },
    ],
    problems: [],
    exemptions: [],
    stats: { users: 1, keys: 1, activeKeys: 1 },
  },
  records: [],
  stamp: { lastReadAt: '2027-03-22T08:00:00.000Z' },
};

function noSuchKey(): S3ServiceException {
  return new S3ServiceException({
    name: 'NoSuchKey',
    $fault: 'client',
    $metadata: {},
    message: 'The specified key does not exist.',
  });
}

describe('S3RunStore', () => {
  const s3 = mockClient(S3Client);
  const store = new S3RunStore({ bucketName: 'run-bucket', client: new S3Client({ region: 'eu-west-1' }) });
  beforeEach(() => s3.reset());

  it('writes each document under the run, named by kind and account', async () => {
    s3.on(PutObjectCommand).resolves({});

    await store.put('exec-1', PLAN);

    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'run-bucket',
      Key: 'runs/exec-1/plan/123456789012.json',
      ContentType: 'application/json',
    });
  });

  it('reads a document back with its dates as dates', async () => {
    let body = '';
    s3.on(PutObjectCommand).callsFake((input: { Body: string }) => {
      body = input.Body;
      return {};
    });
    await store.put('exec-1', PLAN);
    s3.on(GetObjectCommand, { Key: 'runs/exec-1/plan/123456789012.json' }).resolves({
      Body: { transformToString: () => Promise.resolve(body) } as never,
    });

    const read = await store.get('exec-1', 'plan', ACCOUNT.id);

    expect(read).toEqual(PLAN);
    const decision = read?.plan.decisions[0];
    expect(decision && 'subject' in decision ? decision.subject.key.createDate : undefined).toBeInstanceOf(
      Date,
    );
  });

  it('answers "not there" for a document no step wrote', async () => {
    s3.on(GetObjectCommand).rejects(noSuchKey());

    await expect(store.get('exec-1', 'acted', ACCOUNT.id)).resolves.toBeUndefined();
  });

  it('fails on any other error, so the step is retried rather than the account taken as not planned', async () => {
    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'SlowDown',
        $fault: 'server',
        $metadata: {},
        message: 'Please reduce your request rate.',
      }),
    );

    await expect(store.get('exec-1', 'plan-summary', ACCOUNT.id)).rejects.toThrow(
      'Please reduce your request rate.',
    );
  });
});
