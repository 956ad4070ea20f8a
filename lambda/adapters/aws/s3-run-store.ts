import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

import { decodeRunDocument, encodeRunDocument } from '../../engine/steps/run-store-codec';
import { documentKey, documentName, type RunDocument, type RunStore } from '../../engine/steps/run-store';

/** Options of {@link S3RunStore}. */
export interface S3RunStoreOptions {
  /** The run bucket (`lib/constructs/run-state-machine.ts`); its lifecycle deletes runs after a week. */
  readonly bucketName: string;
  /** @default new S3Client({}) (region, credentials and endpoint from the environment) */
  readonly client?: S3Client;
}

/** Object key prefix of every run; the role may read and write under it only. */
export const RUN_OBJECT_PREFIX = 'runs/';

/**
 * The state machine's run store: one object per document under `runs/<runId>/`. S3 rather than
 * the ledger table: a first scan's plan for a large account is megabytes, past DynamoDB's 400 KB
 * item limit, and a run's documents are written once and read once or twice.
 */
export class S3RunStore implements RunStore {
  private readonly client: S3Client;

  constructor(private readonly options: S3RunStoreOptions) {
    this.client = options.client ?? new S3Client({});
  }

  async put(runId: string, document: RunDocument): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.options.bucketName,
        Key: objectKey(runId, documentKey(document)),
        Body: encodeRunDocument(document),
        ContentType: 'application/json',
      }),
    );
  }

  async get<K extends RunDocument['kind']>(
    runId: string,
    kind: K,
    accountId?: string,
  ): Promise<Extract<RunDocument, { kind: K }> | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucketName,
          Key: objectKey(runId, documentName(kind, accountId)),
        }),
      );
      const text = await object.Body?.transformToString('utf8');
      if (text === undefined) return undefined;
      const document = decodeRunDocument(text);
      if (document.kind !== kind)
        throw new Error(`run ${runId}: ${documentName(kind, accountId)} holds a ${document.kind}`);
      return document as Extract<RunDocument, { kind: K }>;
    } catch (error) {
      // A missing document is an answer ("that step did not finish"), not a failure of the store.
      // S3 says NoSuchKey only to a role that may list the bucket; the stack grants ListBucket for this.
      if (error instanceof Error && error.name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}

function objectKey(runId: string, name: string): string {
  return `${RUN_OBJECT_PREFIX}${encodeURIComponent(runId)}/${name}.json`;
}
