import { InvalidRealtimeEventError } from '../../lambda/domain/realtime-event';
import {
  createRealtimeHandler,
  RealtimeAlertPendingError,
  type RealtimeHandlerDeps,
} from '../../lambda/realtime-handler';
import { type RunLogger } from '../../lambda/runtime/run-telemetry';
import { createAccessKeyEvent, KEY_ID } from './events';
import { RealtimeWorld } from './realtime-world';

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly extra: Record<string, unknown>;
}

function recordingLogger(lines: LogLine[]): RunLogger {
  return {
    info: (message, extra) => lines.push({ level: 'info', message, extra }),
    warn: (message, extra) => lines.push({ level: 'warn', message, extra }),
    error: (message, extra) => lines.push({ level: 'error', message, extra }),
  };
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

describe('the real-time Lambda handler', () => {
  let world: RealtimeWorld;
  let lines: LogLine[];
  let remainingTimes: number[];
  let deps: RealtimeHandlerDeps;

  beforeEach(async () => {
    world = new RealtimeWorld();
    await world.baseline();
    world.createKey();
    lines = [];
    remainingTimes = [];
    deps = {
      config: world.config,
      ledger: world.ledger,
      clock: world.clock,
      notifier: (remainingTimeMs) => {
        remainingTimes.push(remainingTimeMs());
        return Promise.resolve(world.slack);
      },
      logger: recordingLogger(lines),
    };
  });

  it('posts the alert, logs the outcome and returns it', async () => {
    const handler = createRealtimeHandler(deps);

    const outcome = await handler(createAccessKeyEvent(), { awsRequestId: 'req-1' });

    expect(outcome).toMatchObject({ outcome: 'alerted', accessKeyId: KEY_ID });
    expect(world.channelTexts()).toHaveLength(1);
    expect(lines).toEqual([{ level: 'info', message: 'realtime event', extra: { outcome } }]);
  });

  it("bounds Slack's retries by the invocation's remaining time", async () => {
    const handler = createRealtimeHandler(deps);

    await handler(createAccessKeyEvent(), { getRemainingTimeInMillis: () => 42_000 });

    expect(remainingTimes).toEqual([42_000]);
  });

  it('fails the invocation when Slack is down, so Lambda retries and the alarm fires', async () => {
    world.slack.setOutage(true);
    const handler = createRealtimeHandler(deps);

    const error = await rejection(handler(createAccessKeyEvent()));

    expect(error).toBeInstanceOf(RealtimeAlertPendingError);
    expect((error as Error).message).toContain(`${KEY_ID} in 222222222222 not posted (service_unavailable)`);
    expect(lines.map((line) => [line.level, line.message])).toEqual([['error', 'realtime alert not posted']]);
    expect((await world.record())?.newKeyAlert).toBe('pending');
  });

  it('fails on a malformed event after one log line naming the field', async () => {
    const handler = createRealtimeHandler(deps);

    const error = await rejection(handler({ source: 'aws.iam' }));

    expect(error).toBeInstanceOf(InvalidRealtimeEventError);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', message: 'realtime event failed' });
    expect(String(lines[0]?.extra.error)).toContain('detail-type:');
  });

  it('builds its dependencies once per container, on first use', async () => {
    let built = 0;
    const handler = createRealtimeHandler(() => {
      built += 1;
      return deps;
    });

    await handler(createAccessKeyEvent());
    await handler(createAccessKeyEvent());

    expect(built).toBe(1);
  });
});
