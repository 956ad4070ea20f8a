import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';

import { FifoQueue, type FifoQueueOptions, md5Hex, ReceiptHandleInvalidError } from './fifo-queue';

/**
 * A loopback SQS stand-in speaking the protocol the current SDK uses: AWS JSON 1.0
 * (`Content-Type: application/x-amz-json-1.0`, `X-Amz-Target: AmazonSQS.<Operation>`), with the
 * operations the outbox calls: `SendMessage`, `ChangeMessageVisibility`, `DeleteMessage`,
 * `ReceiveMessage`. Queues are {@link FifoQueue}s on the test's clock; a client reaches one by its
 * URL (`<url>/000000000000/<name>`), which the SDK also takes as its endpoint.
 */
export interface SqsStandIn {
  readonly url: string;
  /** Creates a FIFO queue (name ending `.fifo`); returns it with its URL. */
  createQueue(options: Omit<FifoQueueOptions, 'now'>): { queue: FifoQueue; url: string };
  /** Requests seen, by operation. */
  readonly calls: Record<string, number>;
  close(): Promise<void>;
}

export const STAND_IN_ACCOUNT = '000000000000';

class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startSqsStandIn(options: { readonly now: () => number }): Promise<SqsStandIn> {
  const queues = new Map<string, FifoQueue>();
  const calls: Record<string, number> = {};

  const queueOf = (input: Record<string, unknown>): FifoQueue => {
    const url = typeof input.QueueUrl === 'string' ? input.QueueUrl : '';
    const queue = queues.get(url.split('/').pop() ?? '');
    if (!queue) throw new SqsError('QueueDoesNotExist', `The specified queue does not exist: ${url}`);
    return queue;
  };

  const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    SendMessage: (input) => {
      const queue = queueOf(input);
      const body = typeof input.MessageBody === 'string' ? input.MessageBody : '';
      if (body === '') throw new SqsError('InvalidParameterValue', 'MessageBody is required');
      if (Buffer.byteLength(body) > 262_144)
        throw new SqsError('InvalidParameterValue', 'One or more parameters are invalid: message too long');
      const groupId = input.MessageGroupId;
      const deduplicationId = input.MessageDeduplicationId;
      if (typeof groupId !== 'string' || groupId === '')
        throw new SqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (typeof deduplicationId !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(deduplicationId))
        throw new SqsError('InvalidParameterValue', 'MessageDeduplicationId is missing or invalid');
      const sent = queue.send(body, groupId, deduplicationId);
      return {
        MessageId: sent.messageId,
        MD5OfMessageBody: md5Hex(body),
        SequenceNumber: sent.sequenceNumber,
      };
    },
    ChangeMessageVisibility: (input) => {
      const seconds = Number(input.VisibilityTimeout);
      if (!Number.isInteger(seconds) || seconds < 0 || seconds > 43_200)
        throw new SqsError(
          'InvalidParameterValue',
          `VisibilityTimeout ${String(input.VisibilityTimeout)} is invalid`,
        );
      queueOf(input).changeVisibility(String(input.ReceiptHandle), seconds);
      return {};
    },
    DeleteMessage: (input) => {
      queueOf(input).delete(String(input.ReceiptHandle));
      return {};
    },
    ReceiveMessage: (input) => {
      const max = Number(input.MaxNumberOfMessages ?? 1);
      const received = queueOf(input).receive(max);
      return {
        Messages: received.map((m) => ({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          MD5OfBody: md5Hex(m.body),
          Body: m.body,
          Attributes: {
            ApproximateReceiveCount: String(m.receiveCount),
            MessageGroupId: m.groupId,
            MessageDeduplicationId: m.deduplicationId,
            SequenceNumber: m.sequenceNumber,
          },
        })),
      };
    },
  };

  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
      calls[operation] = (calls[operation] ?? 0) + 1;
      try {
        if (!String(req.headers['content-type'] ?? '').startsWith('application/x-amz-json-1.0'))
          throw new SqsError('InvalidAction', 'expected an AWS JSON 1.0 request');
        const handler = operations[operation];
        if (!handler) throw new SqsError('InvalidAction', `The action ${operation || '(none)'} is not valid`);
        const input = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
        send(res, 200, handler(input));
      } catch (error) {
        const failure =
          error instanceof SqsError
            ? error
            : error instanceof ReceiptHandleInvalidError
              ? new SqsError('MessageNotInflight', error.message)
              : new SqsError('InternalError', String(error), 500);
        res.setHeader('x-amzn-query-error', `AWS.SimpleQueueService.${failure.code};Sender`);
        send(res, failure.status, { __type: `com.amazonaws.sqs#${failure.code}`, message: failure.message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    createQueue: (queueOptions) => {
      const queue = new FifoQueue({ ...queueOptions, now: options.now });
      queues.set(queueOptions.name, queue);
      return { queue, url: `${url}/${STAND_IN_ACCOUNT}/${queueOptions.name}` };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify(body));
}
