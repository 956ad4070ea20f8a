import { type InteractiveJob, type WorkQueue } from '../../interactive/interactive-ports';
import { jobEvent } from '../../interactive/run-job';
import { type SignedJsonClient } from './signed-json-client';

/** The job could not be handed over; Slack already has its acknowledgement, so the presser is told. */
export class WorkQueueError extends Error {
  override readonly name = 'WorkQueueError';
}

export interface SelfInvokeQueueOptions {
  /** A client signed for `lambda` in the function's region. */
  readonly client: SignedJsonClient;
  /** This function's name (`AWS_LAMBDA_FUNCTION_NAME`); its role may invoke only itself. */
  readonly functionName: string;
}

/**
 * Jobs as asynchronous invocations of the same function (`Invoke` with `InvocationType: Event`,
 * one REST call, answered 202 once Lambda has queued it). Lambda keeps the event and runs it in
 * another invocation, which may take its time: Slack got its answer from the first one already.
 * Why not work after the acknowledgement in the same invocation: see `lambda/interactive/acknowledge.ts`.
 */
export class SelfInvokeQueue implements WorkQueue {
  constructor(private readonly options: SelfInvokeQueueOptions) {}

  async enqueue(job: InteractiveJob): Promise<void> {
    const path = `/2015-03-31/functions/${encodeURIComponent(this.options.functionName)}/invocations`;
    try {
      await this.options.client.post(path, jobEvent(job), { 'X-Amz-Invocation-Type': 'Event' });
    } catch (error) {
      throw new WorkQueueError(
        `could not invoke ${this.options.functionName} for the job: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        { cause: error },
      );
    }
  }
}
