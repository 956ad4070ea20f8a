import { GetAccountPasswordPolicyCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

import { AwsIamGateway } from '../../../lambda/adapters/aws/iam-gateway';

const ACCOUNT = { id: '333333333333', name: 'prod' };
const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

function gateway(): AwsIamGateway {
  return new AwsIamGateway({
    memberRoleName: 'AccessKeyEnforcerMember',
    sts: new STSClient({ region: 'us-east-1' }),
    iamClientFactory: (credentials, region) => new IAMClient({ region, credentials }),
    sleep: () => Promise.resolve(),
    maxAttempts: 1,
  });
}

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'ASIAEXAMPLE',
      SecretAccessKey: 'secret',
      SessionToken: 'token',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  });
});

describe('AwsIamGateway.readPasswordPolicy', () => {
  it('makes one GetAccountPasswordPolicy call in the member account and reads MaxPasswordAge', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MaxPasswordAge: 90 } });
    const reader = gateway();
    await expect(reader.readPasswordPolicy(ACCOUNT)).resolves.toEqual({
      kind: 'set',
      maxPasswordAgeDays: 90,
    });
    expect(iam).toHaveReceivedCommandTimes(GetAccountPasswordPolicyCommand, 1);
    expect(sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::333333333333:role/AccessKeyEnforcerMember',
    });
  });

  it('reads a policy without expiry as set, with no MaxPasswordAge', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MinimumPasswordLength: 14 } });
    await expect(gateway().readPasswordPolicy(ACCOUNT)).resolves.toEqual({ kind: 'set' });
  });

  it("reads IAM's NoSuchEntity as: the account has no password policy", async () => {
    iam.on(GetAccountPasswordPolicyCommand).rejects(
      new NoSuchEntityException({
        message: 'The Password Policy with domain name 333333333333 cannot be found.',
        $metadata: {},
      }),
    );
    await expect(gateway().readPasswordPolicy(ACCOUNT)).resolves.toEqual({ kind: 'none' });
  });

  it('turns a refusal into an unknown policy that says how to fix it, instead of failing the account', async () => {
    iam
      .on(GetAccountPasswordPolicyCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    await expect(gateway().readPasswordPolicy(ACCOUNT)).resolves.toEqual({
      kind: 'unknown',
      reason: 'iam:GetAccountPasswordPolicy denied: redeploy the member role (StackSet)',
    });
  });

  it('is part of the per-invocation reader', async () => {
    iam.on(GetAccountPasswordPolicyCommand).resolves({ PasswordPolicy: { MaxPasswordAge: 30 } });
    const reader = gateway().forInvocation(() => 60_000);
    await expect(reader.readPasswordPolicy(ACCOUNT)).resolves.toEqual({
      kind: 'set',
      maxPasswordAgeDays: 30,
    });
  });
});
