import { type WeeklySnapshot } from '../domain/digest/weekly-snapshot';
import { type DigestRecord, type DigestRecordDraft } from '../domain/ledger-records';
import { type SlackMessage } from '../domain/slack-message';
import { type Clock, type Ledger } from '../ports';
import { type Delivery } from './delivery';
import { errorMessage } from './execute-plan';

/**
 * A claim older than this belongs to a run that crashed between claiming and recording the post:
 * a later run may take it over. Far longer than a post takes, far shorter than a day.
 */
export const CLAIM_TIMEOUT_MS = 15 * 60_000;

export type PostOnceOutcome =
  /**
   * `posted` now, or in a dry run `planned`; `failed`: Slack did not take it, and a later run
   * tries again. `error`: the outcome could not be recorded (a posted digest's claim then holds
   * other runs off until it expires).
   */
  | {
      readonly kind: 'posted' | 'planned' | 'failed';
      readonly delivery: Delivery;
      readonly error?: string;
    }
  /** Posted before, or being posted by another run right now (`busy`): nothing sent. */
  | { readonly kind: 'skipped'; readonly reason: string; readonly busy: boolean }
  /** The ledger could not be read or written: nothing sent, rather than risk posting twice. */
  | { readonly kind: 'error'; readonly message: string };

export interface PostOnceRequest {
  readonly ledger: Ledger;
  /** `daily/…` or `weekly/…`: see `lambda/domain/digest/weekly-schedule.ts`. */
  readonly digestId: string;
  readonly runId: string;
  /**
   * Real time, read when claiming and when judging another run's claim: a state machine's report
   * step can run long after its run started, and a claim stamped with the start would look
   * expired to other runs while it is still being posted.
   */
  readonly clock: Clock;
  readonly dryRun: boolean;
  /**
   * The message, built only when it is owed; `snapshot` is kept on the record from the claim on,
   * for next week's comparison.
   */
  readonly compose: () => Promise<{ readonly message: SlackMessage; readonly snapshot?: WeeklySnapshot }>;
  readonly send: (message: SlackMessage) => Promise<Delivery>;
}

/**
 * Posts a run-level digest at most once per id (SPEC §2: a same-day re-run posts nothing): claim
 * with a conditional write, post, record the outcome. A failed post is tried again by a later
 * run; a lost race or a fresh claim by another run means someone else is posting it. A dry run
 * writes nothing and only reports whether it would post.
 */
export async function postOnce(request: PostOnceRequest): Promise<PostOnceOutcome> {
  const { ledger, digestId } = request;
  let current: DigestRecord | undefined;
  try {
    current = await ledger.readDigest(digestId);
  } catch (error) {
    return { kind: 'error', message: `could not read ${digestId} from the ledger: ${errorMessage(error)}` };
  }
  const skipped = whyNot(current, request.clock.now());
  if (skipped) return skipped;
  let composed: Awaited<ReturnType<PostOnceRequest['compose']>>;
  try {
    composed = await request.compose();
  } catch (error) {
    return { kind: 'error', message: `could not build ${digestId}: ${errorMessage(error)}` };
  }
  if (request.dryRun) return { kind: 'planned', delivery: await request.send(composed.message) };

  const claim: DigestRecordDraft = {
    digestId,
    state: 'claimed',
    runId: request.runId,
    claimedAt: request.clock.now().toISOString(),
    ...(composed.snapshot ? { snapshot: composed.snapshot } : {}),
  };
  try {
    if ((await ledger.putDigest(claim, current?.version)) === 'conflict')
      return { kind: 'skipped', reason: `another run claimed ${digestId} first`, busy: true };
  } catch (error) {
    return { kind: 'error', message: `could not claim ${digestId} in the ledger: ${errorMessage(error)}` };
  }
  const delivery = await request.send(composed.message);
  const posted = delivery.deliveredTo !== undefined;
  const done: DigestRecordDraft = {
    ...claim,
    state: posted ? 'posted' : 'failed',
    ...(posted ? { postedAt: request.clock.now().toISOString() } : {}),
  };
  const kind = posted ? 'posted' : 'failed';
  try {
    await ledger.putDigest(done, (current?.version ?? 0) + 1);
  } catch (error) {
    return { kind, delivery, error: `${digestId} ${kind}, but not recorded: ${errorMessage(error)}` };
  }
  return { kind, delivery };
}

function whyNot(current: DigestRecord | undefined, now: Date): PostOnceOutcome | undefined {
  if (current?.state === 'posted')
    return { kind: 'skipped', reason: `${current.digestId} was posted by run ${current.runId}`, busy: false };
  if (current?.state !== 'claimed') return undefined;
  const age = now.getTime() - Date.parse(current.claimedAt);
  return age < CLAIM_TIMEOUT_MS
    ? { kind: 'skipped', reason: `run ${current.runId} is posting ${current.digestId}`, busy: true }
    : undefined;
}
