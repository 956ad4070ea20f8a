import { ACTION } from '../../lambda/domain/interactive/key-ref';
import { handler } from '../../lambda/interactive-handler';
import { buttonPress, signedRequest } from './signed-request';
import { ALICE, InteractiveWorld } from './interactive-world';
import { encodeKeyRef } from '../../lambda/domain/interactive/key-ref';

/** SPEC §8: every request is verified (signature, 5-minute window) and never accepted twice. */
describe('interactivity endpoint: request verification', () => {
  let world: InteractiveWorld;

  beforeEach(async () => {
    world = await InteractiveWorld.start();
  });
  afterEach(async () => {
    await world.close();
  });

  function aliceRotated(): ReturnType<typeof buttonPress> {
    const ref = { accountId: '111111111111', userName: 'alice', accessKeyId: 'AKIAALICE00000000001' };
    return buttonPress({
      actionId: ACTION.rotated,
      value: encodeKeyRef(ref),
      userId: ALICE,
      channelId: `D${ALICE}`,
    });
  }

  it('acknowledges a correctly signed press with 200 and queues its work', async () => {
    const answer = await world.send(signedRequest(aliceRotated()));

    expect(answer).toMatchObject({ statusCode: 200, body: '' });
    expect(world.queue.jobs).toEqual([
      expect.objectContaining({
        interaction: expect.objectContaining({ action: ACTION.rotated, userId: ALICE }),
      }),
    ]);
  });

  it('verifies a base64-encoded body (as a Function URL may deliver it) the same way', async () => {
    expect((await world.send(signedRequest(aliceRotated(), { base64: true }))).statusCode).toBe(200);
  });

  it.each([
    ['signed with another secret', { secret: '00000000000000000000000000000000' }],
    ['with a forged signature', { signature: 'v0=' + 'ab'.repeat(32) }],
    ['with an unknown signature version', { signature: 'v1=' + 'ab'.repeat(32) }],
  ])('refuses a request %s with 401, and does nothing', async (_name, sign) => {
    const answer = await world.send(signedRequest(aliceRotated(), sign));

    expect(answer.statusCode).toBe(401);
    expect(world.queue.jobs).toEqual([]);
  });

  it.each([
    ['six minutes old', -360],
    ['six minutes in the future', 360],
  ])('refuses a correctly signed request %s with 401', async (_name, offsetSeconds) => {
    const timestamp = Math.floor(Date.now() / 1000) + offsetSeconds;

    const answer = await world.send(signedRequest(aliceRotated(), { timestamp }));

    expect(answer.statusCode).toBe(401);
    expect(world.queue.jobs).toEqual([]);
  });

  it('accepts a request four minutes old: inside the window', async () => {
    const timestamp = Math.floor(Date.now() / 1000) - 240;
    expect((await world.send(signedRequest(aliceRotated(), { timestamp }))).statusCode).toBe(200);
  });

  it('refuses the same signed request a second time (a replay) with 401', async () => {
    const request = signedRequest(aliceRotated());

    const first = await world.send(request);
    const replayed = await world.send(request);

    expect([first.statusCode, replayed.statusCode]).toEqual([200, 401]);
    expect(world.queue.jobs).toHaveLength(1);
    expect(world.warnings()).toEqual([expect.stringContaining('"reason":"replayed"')]);
  });

  it('refuses a replay whose signature header was padded: only the signature, not the header, is what Slack signed', async () => {
    const request = signedRequest(aliceRotated());
    const signature = request.headers['x-slack-signature'] ?? '';
    const padded = (suffix: string) => ({
      ...request,
      headers: { ...request.headers, 'x-slack-signature': signature + suffix },
    });

    const answers = [
      await world.send(request),
      await world.send(padded('=1')),
      await world.send(padded('=x')),
    ];

    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 401, 401]);
    expect(world.queue.jobs).toHaveLength(1);
  });

  it('refuses an unsigned request and a request without a timestamp', async () => {
    const unsigned = signedRequest(aliceRotated());
    const { 'x-slack-signature': _sig, ...withoutSignature } = unsigned.headers;
    const { 'x-slack-request-timestamp': _ts, ...withoutTimestamp } = unsigned.headers;

    expect((await world.send({ ...unsigned, headers: withoutSignature })).statusCode).toBe(401);
    expect((await world.send({ ...unsigned, headers: withoutTimestamp })).statusCode).toBe(401);
  });

  it('answers 500 when the work cannot be queued, so Slack shows the presser an error', async () => {
    world.queue.failure = new Error('TooManyRequestsException: Rate exceeded');

    const answer = await world.send(signedRequest(aliceRotated()));

    expect(answer.statusCode).toBe(500);
    expect(world.warnings()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('interaction failed {"error":"TooManyRequestsException'),
      ]),
    );
  });

  it('is a promise handler of at most two arguments, as the Node.js 24 runtime requires (bolt-js#2761)', () => {
    expect(handler.length).toBeLessThanOrEqual(2);
    expect(world.handler.length).toBeLessThanOrEqual(2);
  });

  it('throws for an event that is neither a Function URL request nor a job', async () => {
    await expect(world.handler({ source: 'somewhere.else', job: {} })).rejects.toThrow('nor a job');
  });
});
