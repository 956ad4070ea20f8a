import { SlackInteractionsClient } from '../../lambda/adapters/slack/slack-interactions';
import { SlackNotifier } from '../../lambda/adapters/slack/slack-notifier';
import { MemoryLedger } from '../../lambda/adapters/memory-ledger';
import { MemoryReplayGuard } from '../../lambda/adapters/memory-replay-guard';
import { parseConfig } from '../../lambda/config/parse-config';
import { type EnforcerConfig, type EnforcerConfigInput } from '../../lambda/config/schema';
import { encodeKeyRef, type KeyRef } from '../../lambda/domain/interactive/key-ref';
import { type KeyRecord } from '../../lambda/domain/ledger-records';
import { runEnforcement } from '../../lambda/engine/run-enforcement';
import { type RunReport } from '../../lambda/engine/run-report';
import { createInteractiveHandler, type InteractiveHandlerDeps } from '../../lambda/interactive-handler';
import { type InteractiveJob, type WorkQueue } from '../../lambda/interactive/interactive-ports';
import { type FunctionUrlRequest } from '../../lambda/interactive/request-guard';
import { jobEvent } from '../../lambda/interactive/run-job';
import { type JobOutcome } from '../../lambda/interactive/work-context';
import { ManualClock, SimulatedIam } from '../../lambda/simulation';
import {
  type FakeSlackWithInteractions,
  startFakeSlackWithInteractions,
} from '../support/fake-slack-interactions';
import {
  buttonPress,
  moreTimeSubmission,
  SIGNING_SECRET,
  signedRequest,
  type SignOptions,
} from './signed-request';

export const PROD = { id: '111111111111', name: 'prod' };
export const INFRA = 'C0INFRA01';
export const ALICE = 'U0ALICE01';
export const BOB = 'U0BOB0001';
/** Approves by member id. */
export const LEAD = 'U0LEAD001';
/** Approves as a member of the approvers' user group. */
export const GROUP_LEAD = 'U0LEAD002';
export const LEADS_GROUP = 'S0LEADS01';
const DAY_MS = 86_400_000;

/** The config of these tests: one account, approvers by id and by user group. */
export function configInput(apiUrl: string): EnforcerConfigInput {
  return {
    accounts: [PROD],
    slack: {
      infraChannel: INFRA,
      apiUrl,
      runDigest: 'never',
      interactivity: { approvers: { users: [LEAD], userGroup: LEADS_GROUP } },
    },
  };
}

/** Lambda's answer to a Function URL request. */
export interface HttpAnswer {
  readonly statusCode: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, unknown>>;
}

/** Jobs the acknowledgement queued, run later by {@link InteractiveWorld.drain} as Lambda would. */
class RecordingQueue implements WorkQueue {
  readonly jobs: InteractiveJob[] = [];
  /** Set to make the next enqueue fail, as Lambda's Invoke API might. */
  failure: Error | undefined;
  enqueue(job: InteractiveJob): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.jobs.push(structuredClone(job));
    return Promise.resolve();
  }
}

/**
 * The interactivity endpoint end to end, in-process: the real handler (Bolt on
 * `AwsLambdaReceiver`) fed Function URL events signed as Slack signs them, Slack on the loopback
 * stand-in (with `views.open`, `chat.postEphemeral`, `usergroups.users.list`), IAM simulated,
 * the ledger in memory. The daily run shares the ledger, IAM and Slack, so a reminder's buttons
 * and its thread are the ones a run posted. The endpoint uses the real clock (Bolt verifies
 * timestamps against it); keys are created relative to it.
 */
export class InteractiveWorld {
  readonly iam = new SimulatedIam();
  readonly ledger = new MemoryLedger();
  readonly queue = new RecordingQueue();
  readonly replays = new MemoryReplayGuard();
  readonly config: EnforcerConfig;
  readonly handler: ReturnType<typeof createInteractiveHandler>;
  readonly started = new Date();
  private readonly logs: { level: string; message: string; extra: Record<string, unknown> }[] = [];

  private constructor(
    readonly slack: FakeSlackWithInteractions,
    overrides: Partial<EnforcerConfigInput>,
  ) {
    this.config = parseConfig({ ...configInput(slack.url), ...overrides });
    this.iam.addAccount(PROD.id);
    const log = (level: string) => (message: string, extra: Record<string, unknown>) =>
      this.logs.push({ level, message, extra });
    const deps: InteractiveHandlerDeps = {
      config: this.config,
      clock: { now: () => new Date() },
      logger: { info: log('info'), warn: log('warn'), error: log('error') },
      ledger: this.ledger,
      signingSecret: () => Promise.resolve(SIGNING_SECRET),
      replayGuard: this.replays,
      queue: this.queue,
      slack: (remainingTimeMs) =>
        Promise.resolve(
          new SlackInteractionsClient({ token: slack.token, apiUrl: slack.url, remainingTimeMs }),
        ),
      notifier: (remainingTimeMs) => Promise.resolve(this.notifier(remainingTimeMs)),
      iamFor: () => this.iam,
    };
    this.handler = createInteractiveHandler(deps);
  }

  static async start(overrides: Partial<EnforcerConfigInput> = {}): Promise<InteractiveWorld> {
    const slack = await startFakeSlackWithInteractions({
      members: [ALICE, BOB, LEAD, GROUP_LEAD],
      userGroups: { [LEADS_GROUP]: [GROUP_LEAD] },
    });
    return new InteractiveWorld(slack, overrides);
  }

  notifier(remainingTimeMs?: () => number): SlackNotifier {
    return new SlackNotifier({
      token: this.slack.token,
      infraChannel: INFRA,
      apiUrl: this.slack.url,
      channelMinIntervalMs: 0,
      ...(remainingTimeMs && { remainingTimeMs, safetyMarginMs: 0 }),
    });
  }

  /** An engineer whose only key is `ageDays` old (and an hour) now. */
  engineer(
    userName: string,
    slackId: string,
    ageDays: number,
    extraTags: Record<string, string> = {},
  ): KeyRef {
    this.iam.addUser(PROD.id, userName, {
      type: 'engineer',
      'slack-id': slackId,
      'full-name': userName,
      ...extraTags,
    });
    const created = new Date(this.started.getTime() - ageDays * DAY_MS - 3_600_000);
    const { accessKeyId } = this.iam.createAccessKey(PROD.id, userName, created);
    return { accountId: PROD.id, userName, accessKeyId };
  }

  /** A daily run at `daysFromNow` days from the start, through the same Slack, IAM and ledger. */
  dailyRun(daysFromNow = 0, overrides: Partial<EnforcerConfigInput> = {}): Promise<RunReport> {
    const config =
      Object.keys(overrides).length === 0
        ? this.config
        : parseConfig({ ...configInput(this.slack.url), ...overrides });
    return runEnforcement(config, {
      reader: this.iam,
      deactivator: this.iam,
      notifier: this.notifier(),
      ledger: this.ledger,
      clock: new ManualClock(this.started.getTime() + daysFromNow * DAY_MS),
    });
  }

  /** Sends a signed request through the Function URL, as Slack would. */
  async send(request: FunctionUrlRequest): Promise<HttpAnswer> {
    return (await this.handler(request, { getRemainingTimeInMillis: () => 10_000 })) as HttpAnswer;
  }

  /** `userId` presses a button about `ref`, in their DM (default) or in the infra channel. */
  press(
    actionId: string,
    ref: KeyRef,
    userId: string,
    where: { readonly channelId?: string; readonly messageTs?: string } = {},
    sign: SignOptions = {},
  ): Promise<HttpAnswer> {
    const payload = buttonPress({
      actionId,
      value: encodeKeyRef(ref),
      userId,
      channelId: where.channelId ?? `D${userId}`,
      ...(where.messageTs !== undefined && { messageTs: where.messageTs }),
    });
    return this.send(signedRequest(payload, sign));
  }

  /** `userId` submits the "Ask for more time" modal about `ref`. */
  submitMoreTime(
    ref: KeyRef,
    userId: string,
    reason: string | null,
    until: string | null,
  ): Promise<HttpAnswer> {
    return this.send(
      signedRequest(moreTimeSubmission({ privateMetadata: encodeKeyRef(ref), userId, reason, until })),
    );
  }

  /** Runs every queued job as the asynchronous invocation Lambda would start. */
  async drain(): Promise<JobOutcome[]> {
    const outcomes: JobOutcome[] = [];
    while (this.queue.jobs.length > 0) {
      const job = this.queue.jobs.shift();
      if (job)
        outcomes.push(
          (await this.handler(jobEvent(job), { getRemainingTimeInMillis: () => 60_000 })) as JobOutcome,
        );
    }
    return outcomes;
  }

  record(ref: KeyRef): Promise<KeyRecord | undefined> {
    return this.ledger.readKey(ref.accountId, ref.accessKeyId);
  }

  /** Texts Slack accepted for `channel` (a DM is `D<member id>`). */
  textsIn(channel: string): string[] {
    return this.slack
      .messages()
      .filter((m) => m.channel === channel)
      .map((m) => String(m.text));
  }

  /** Replies in the thread of `ts` in the infra channel. */
  repliesTo(ts: string): string[] {
    return this.slack
      .posts()
      .filter((p) => p.channel === INFRA && p.threadTs === ts)
      .map((p) => String(p.text));
  }

  /** `ts` of the top-level infra-channel post whose text starts with `prefix`. */
  channelPostTs(prefix: string): string {
    const post = this.slack
      .posts()
      .find((p) => p.channel === INFRA && p.threadTs === undefined && String(p.text).startsWith(prefix));
    if (!post) throw new Error(`no channel post starting with ${prefix}`);
    return post.ts;
  }

  warnings(): string[] {
    return this.logs.filter((l) => l.level !== 'info').map((l) => `${l.message} ${JSON.stringify(l.extra)}`);
  }

  close(): Promise<void> {
    return this.slack.close();
  }
}
