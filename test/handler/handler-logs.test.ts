import { SlackTokenError } from '../../lambda/adapters/aws/slack-token-secret';
import { METRICS_NAMESPACE } from '../../lambda/config/environment';
import { type RunSummary } from '../../lambda/engine/run-report';
import { RunFailedError } from '../../lambda/handler';
import { ACCOUNTS, e2eSuite, engineer, PEOPLE, SECRET_ARN, SLACK_TOKEN, type World } from './handler-world';

const [ALPHA, BETA] = ACCOUNTS;
/** A token Slack no longer accepts (rotated or revoked): every call answers `invalid_auth`. */
const REVOKED_TOKEN = 'xoxb-131313131313-revoked-bot-token';
const TOKENS = [SLACK_TOKEN, REVOKED_TOKEN];

/** Everything an error exposes to whoever logs or returns it: message, stack, fields, causes. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const fields = JSON.stringify(error);
  return [
    error.message,
    error.stack ?? '',
    fields,
    error.cause === undefined ? '' : errorText(error.cause),
  ].join('\n');
}

function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

/** Names and values of one EMF line's metrics. */
function metricsOf(line: Record<string, unknown>): Record<string, unknown> {
  const aws = line._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
  const names = aws.CloudWatchMetrics.flatMap((set) => set.Metrics.map((metric) => metric.Name));
  return Object.fromEntries(names.map((name) => [name, line[name]]));
}

describe('what the deployed handler writes', () => {
  const suite = e2eSuite();
  let world: World;

  it('never writes the Slack token, and reports each run as one summary line and one set of metrics', async () => {
    world = await suite.createWorld({
      users: {
        [ALPHA.id]: [engineer('alice', PEOPLE.alice, 'AKIAALPHAALICE000001', 0)],
        [BETA.id]: [engineer('bob', PEOPLE.bob, 'AKIABETABOB000000002', 10)],
      },
    });
    await world.history(50);

    // Day 76: Alice is reminded. Day 91: Alice's key is deactivated, Bob (81 days) reminded.
    const reminded = await world.invoke(76);
    const deactivated = await world.invoke(91);
    // A new container finds the token revoked: Slack answers invalid_auth to Bob's day-86 reminder.
    world.org.answerSecret({ token: REVOKED_TOKEN });
    world.coldStart();
    const revoked = await rejection(world.invoke(96));
    // Another new container cannot read the secret at all.
    world.org.answerSecret({ errorCode: 'AccessDeniedException' });
    world.coldStart();
    const unreadable = await rejection(world.invoke(97));

    expect(revoked).toBeInstanceOf(RunFailedError);
    expect((revoked as Error).message).toContain('invalid_auth');
    expect(unreadable).toBeInstanceOf(SlackTokenError);
    const failedSummary = (revoked as RunFailedError).summary;
    const everything = [
      ...suite.output.lines,
      errorText(revoked),
      errorText(unreadable),
      JSON.stringify([reminded, deactivated, failedSummary]),
      ...suite.servers.slack.requests.map((r) => `${r.url}\n${r.rawBody}`),
    ];
    for (const token of TOKENS) {
      expect(everything.filter((text) => text.includes(token))).toEqual([]);
      // Also no token with its `xoxb-` prefix stripped or re-cased.
      expect(everything.filter((text) => text.toLowerCase().includes(token.slice(5)))).toEqual([]);
    }

    const json = suite.output.jsonLines();
    const summaries = json.filter((line) => line.message === 'run summary').map((line) => line.summary);
    expect(summaries).toEqual([reminded, deactivated, failedSummary]);
    expect(summaries).toEqual([
      expect.objectContaining<Partial<RunSummary>>({ reminders: 1, deactivations: 0, accountsOk: 3 }),
      expect.objectContaining<Partial<RunSummary>>({ reminders: 1, deactivations: 1, accountsOk: 3 }),
      expect.objectContaining<Partial<RunSummary>>({ reminders: 0, deactivations: 0, errors: 1 }),
    ]);
    expect(json).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'configuration error',
        error: expect.stringContaining('invalid_auth') as unknown,
      }),
    );
    expect(json).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'cannot start run',
        error: expect.stringContaining(SECRET_ARN) as unknown,
      }),
    );

    const emf = json.filter((line) => line._aws !== undefined);
    expect(
      emf.map((line) => (line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics),
    ).toEqual(
      Array.from({ length: 4 }, (): unknown[] => [expect.objectContaining({ Namespace: METRICS_NAMESPACE })]),
    );
    expect(emf.map(metricsOf)).toEqual([
      expect.objectContaining({ RemindersSent: 1, AccountsFailed: 0, SuccessfulRuns: 1 }),
      expect.objectContaining({ KeysDeactivated: 1, AccountsFailed: 0, SuccessfulRuns: 1 }),
      expect.objectContaining({ Errors: 1, AccountsFailed: 0, SuccessfulRuns: 0 }),
      { SuccessfulRuns: 0 },
    ]);
  });
});
