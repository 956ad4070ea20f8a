import { DeleteAccessKeyCommand, ListUsersCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

import { SlackTokenError } from '../../lambda/adapters/aws/slack-token-secret';
import { RunFailedError } from '../../lambda/handler';
import { type FakeUser } from '../adapters/aws/fake-org';
import {
  ACCOUNTS,
  dateOf,
  e2eSuite,
  engineer,
  INFRA_CHANNEL,
  PEOPLE,
  SECRET_ARN,
  type World,
} from './handler-world';

const [ALPHA, BETA, GAMMA] = ACCOUNTS;
const ALICE_KEY = 'AKIAALPHAALICE000001';
const BOB_KEY = 'AKIABETABOB000000002';
const CAROL_KEY = 'AKIAGAMMACAROL000003';

/**
 * Alice's key is the oldest; Bob's and Carol's are weeks younger, so only Alice's comes due by
 * day 91. All three exist by {@link BASELINE_DAY}, so no run under test sees a new key.
 */
const STAGGERED: Record<string, FakeUser[]> = {
  [ALPHA.id]: [engineer('alice', PEOPLE.alice, ALICE_KEY, 0)],
  [BETA.id]: [engineer('bob', PEOPLE.bob, BOB_KEY, 30)],
  [GAMMA.id]: [engineer('carol', PEOPLE.carol, CAROL_KEY, 40)],
};

/** Every account has one engineer key created the same day. */
const BASELINE_DAY = 50;

const SAME_AGE: Record<string, FakeUser[]> = {
  [ALPHA.id]: [engineer('alice', PEOPLE.alice, ALICE_KEY, 0)],
  [BETA.id]: [engineer('bob', PEOPLE.bob, BOB_KEY, 0)],
  [GAMMA.id]: [engineer('carol', PEOPLE.carol, CAROL_KEY, 0)],
};

describe('deployed handler wiring, end to end', () => {
  const suite = e2eSuite();
  let world: World;

  /** Each Slack request as [method, DM user or channel]. */
  function slackCalls(): [string, unknown][] {
    return suite.servers.slack.requests.map((r) => [r.method, r.body.users ?? r.body.channel]);
  }

  async function keyItem(accessKeyId: string): Promise<Record<string, unknown> | undefined> {
    return (await world.ledgerItems()).find((item) => item.sk === `KEY#${accessKeyId}`);
  }

  it('DMs the owner and mirrors to the channel when an engineer key turns 76 days old', async () => {
    world = await suite.createWorld({ users: STAGGERED });
    await world.history(BASELINE_DAY);

    const summary = await world.invoke(76);

    expect(slackCalls()).toEqual([
      ['conversations.open', PEOPLE.alice],
      ['chat.postMessage', `D${PEOPLE.alice}`],
      // Issue 11: the key's thread parent in the channel, then the mirror as its reply.
      ['chat.postMessage', INFRA_CHANNEL],
      ['chat.postMessage', INFRA_CHANNEL],
    ]);
    const [dm, , mirror] = suite.servers.slack.messages();
    expect(dm?.text).toContain(ALICE_KEY);
    // Issue 11: the owner got the DM, so the mirror does not ping them again.
    expect(mirror?.text).toContain(ALICE_KEY);
    expect(mirror?.text).not.toContain(`<@${PEOPLE.alice}>`);
    expect(summary).toMatchObject({ reminders: 1, deactivations: 0, accountsOk: 3, accountsFailed: 0 });
    expect((await keyItem(ALICE_KEY))?.milestones).toEqual({
      '76': { outcome: 'sent', on: dateOf(76), deliveredTo: 'owner' },
    });
  });

  it('sends nothing when the same day is run again', async () => {
    world = await suite.createWorld({ users: STAGGERED });
    await world.history(BASELINE_DAY);
    await world.invoke(76);
    const ledgerAfterFirstRun = await world.ledgerItems();
    suite.servers.slack.reset();

    const summary = await world.invoke(76);

    expect(suite.servers.slack.requests).toEqual([]);
    expect(summary).toMatchObject({ reminders: 0, deactivations: 0, accountsOk: 3 });
    expect(await world.ledgerItems()).toEqual(ledgerAfterFirstRun);
  });

  it('deactivates the key on day 91 and tells the owner and the channel, never deleting it', async () => {
    world = await suite.createWorld({ users: STAGGERED });
    await world.history(BASELINE_DAY);
    await world.invoke(76);
    suite.servers.slack.reset();
    world.org.resetHistory();

    const summary = await world.invoke(91);

    expect(world.org.iamMock).toHaveReceivedCommandTimes(UpdateAccessKeyCommand, 1);
    expect(world.org.iamMock).toHaveReceivedCommandWith(UpdateAccessKeyCommand, {
      UserName: 'alice',
      AccessKeyId: ALICE_KEY,
      Status: 'Inactive',
    });
    expect(world.org.updates).toEqual([
      { accountId: ALPHA.id, userName: 'alice', accessKeyId: ALICE_KEY, status: 'Inactive' },
    ]);
    expect(world.org.iamMock).not.toHaveReceivedCommand(DeleteAccessKeyCommand);
    expect(suite.servers.slack.messages().map((m) => m.channel)).toEqual([`D${PEOPLE.alice}`, INFRA_CHANNEL]);
    expect(suite.servers.slack.messages()[1]?.text).toContain(`Deactivated access key ${ALICE_KEY}`);
    expect(suite.servers.slack.messages()[1]?.text).not.toContain(`<@${PEOPLE.alice}>`);
    expect(summary).toMatchObject({ deactivations: 1, reminders: 0, accountsFailed: 0 });
    expect(await keyItem(ALICE_KEY)).toMatchObject({ deactivatedByUsOn: dateOf(91) });
  });

  it.each(['AccessDeniedException', 'ResourceNotFoundException'])(
    'refuses to start when Secrets Manager answers %s, sending and changing nothing',
    async (code) => {
      world = await suite.createWorld({ users: STAGGERED, secret: { errorCode: code } });
      await world.history(BASELINE_DAY);
      const ledgerBefore = await world.ledgerItems();

      const error = await world.invoke(76).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

      expect(error).toBeInstanceOf(SlackTokenError);
      expect((error as Error).message).toContain(SECRET_ARN);
      expect((error as Error).message).toContain(code);
      expect(world.org.secretsMock).toHaveReceivedCommandWith(GetSecretValueCommand, {
        SecretId: SECRET_ARN,
      });
      expect(suite.servers.slack.requests).toEqual([]);
      expect(world.org.stsMock.calls()).toEqual([]);
      expect(world.org.iamMock.calls()).toEqual([]);
      expect(await world.ledgerItems()).toEqual(ledgerBefore);
    },
  );

  it('processes the other accounts when one role cannot be assumed, then fails the invocation naming it', async () => {
    world = await suite.createWorld({ users: SAME_AGE });
    await world.history(10);
    world.org.denyAssumeRole(GAMMA.id);

    const error = await world.invoke(76).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as RunFailedError).message).toContain(`account ${GAMMA.id}: sts:AssumeRole`);
    expect((error as RunFailedError).message).toContain('AccessDenied');
    expect((error as RunFailedError).summary).toMatchObject({
      accountsOk: 2,
      accountsFailed: 1,
      reminders: 2,
    });
    expect(
      suite.servers.slack
        .messages()
        .map((m) => m.channel)
        .sort(),
      // Per key: a thread parent in the channel and the mirror as its reply (issue 11).
    ).toEqual([
      INFRA_CHANNEL,
      INFRA_CHANNEL,
      INFRA_CHANNEL,
      INFRA_CHANNEL,
      `D${PEOPLE.alice}`,
      `D${PEOPLE.bob}`,
    ]);
    expect(suite.servers.slack.requestsTo('conversations.open').map((r) => r.body.users)).not.toContain(
      PEOPLE.carol,
    );
    expect(world.org.iamMock).toHaveReceivedCommandTimes(ListUsersCommand, 2);
    expect((await keyItem(ALICE_KEY))?.milestones).toHaveProperty('76.outcome', 'sent');
    expect((await keyItem(BOB_KEY))?.milestones).toHaveProperty('76.outcome', 'sent');
    expect(suite.output.jsonLines()).toContainEqual(
      expect.objectContaining({
        message: 'account failed',
        accountId: GAMMA.id,
        error: expect.stringMatching(
          new RegExp(
            `AssumeRole on arn:aws:iam::${GAMMA.id}:role/AccessKeyEnforcerMember failed: AccessDenied`,
          ),
        ) as unknown,
      }),
    );
  });
});
