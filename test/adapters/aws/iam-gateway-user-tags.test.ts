import { AccountAccessError } from '../../../lambda/adapters/aws/errors';
import { type IamStandIn, generateOrg, startIamStandIn } from '../../support/iam-stand-in';
import { gatewayFor } from './stand-in-gateway';

const ACCOUNT = { id: '222222222222', name: 'prod' };

let standIn: IamStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

/** The real-time path names a new key's owner from one user's tags (issue 11): `ListUserTags` only. */
describe('AwsIamGateway.readUserTags through the real SDK against the IAM/STS stand-in', () => {
  it("reads every page of one user's tags with one AssumeRole and nothing else", async () => {
    const org = generateOrg({ accounts: { [ACCOUNT.id]: 3 }, extraTags: 5 });
    standIn = await startIamStandIn({ org, pageCap: 2 });
    const user = org.get(ACCOUNT.id)!.users[1]!;
    const gateway = gatewayFor(standIn);

    const tags = await gateway.forInvocation(() => 60_000).readUserTags(ACCOUNT, user.userName);

    expect(tags).toEqual(user.tags);
    const pages = Math.ceil(Object.keys(user.tags).length / 2);
    expect(standIn.stats().calls[ACCOUNT.id]).toEqual({ ListUserTags: pages });
    expect(gateway.callCounts()[ACCOUNT.id]).toEqual({ 'sts:AssumeRole': 1, 'iam:ListUserTags': pages });
  });

  it('names the account, the operation and the role when the user does not exist', async () => {
    standIn = await startIamStandIn({ org: generateOrg({ accounts: { [ACCOUNT.id]: 1 } }) });
    const iam = gatewayFor(standIn);

    const read = iam.readUserTags(ACCOUNT, 'nobody');

    await expect(read).rejects.toBeInstanceOf(AccountAccessError);
    await expect(read).rejects.toThrow(/222222222222.*iam:ListUserTags/);
  });
});
