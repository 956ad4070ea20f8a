import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';

import { SlackSigningSecret } from '../../../lambda/adapters/aws/slack-signing-secret';
import { secretsError } from '../../handler/org-double';

const ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:slack-signing-AbCdEf';
const VALUE = '8f742231b10e8888abcd99eeeeee85a5';

describe('SlackSigningSecret', () => {
  const mock = mockClient(SecretsManagerClient);
  afterEach(() => mock.reset());
  afterAll(() => mock.restore());

  function secret(now: () => number = () => 0): SlackSigningSecret {
    return new SlackSigningSecret({
      client: new SecretsManagerClient({ region: 'eu-west-1' }),
      secretId: ARN,
      now,
    });
  }

  it.each([
    ['plain', VALUE],
    ['padded', `  ${VALUE}\n`],
    ['JSON', JSON.stringify({ signingSecret: VALUE })],
  ])('reads a %s value', async (_name, stored) => {
    mock.on(GetSecretValueCommand).resolves({ SecretString: stored });
    await expect(secret().value()).resolves.toBe(VALUE);
  });

  it('reads once per five minutes in a warm container', async () => {
    mock.on(GetSecretValueCommand).resolves({ SecretString: VALUE });
    let now = 0;
    const cached = secret(() => now);

    await cached.value();
    now = 299_000;
    await cached.value();
    now = 301_000;
    await cached.value();

    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it.each([
    ['the stack’s placeholder', 'Zq8yPlaceholderFromCloudFormat1', 'is not a Slack signing secret'],
    ['a bot token by mistake', 'xoxb-1-2-3', 'is not a Slack signing secret'],
    ['JSON without the field', '{"token":"x"}', 'no string "signingSecret" field'],
  ])('refuses %s, naming the secret and never the value', async (_name, stored, message) => {
    mock.on(GetSecretValueCommand).resolves({ SecretString: stored });

    const error = await secret()
      .value()
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );

    expect(error?.message).toContain(message);
    expect(error?.message).toContain(ARN);
    expect(error?.message).not.toContain(stored);
  });

  it('names the AWS error code when the secret cannot be read', async () => {
    mock.on(GetSecretValueCommand).rejects(secretsError('AccessDeniedException'));
    await expect(secret().value()).rejects.toThrow(
      `secret ${ARN}: GetSecretValue failed: AccessDeniedException`,
    );
  });
});
