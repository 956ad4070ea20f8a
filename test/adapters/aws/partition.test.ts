import {
  type AwsPartition,
  iamRegionForPartition,
  memberRoleArn,
} from '../../../lambda/adapters/aws/partition';

describe('partition', () => {
  it.each<[AwsPartition, string, string]>([
    ['aws', 'us-east-1', 'arn:aws:iam::123456789012:role/AccessKeyEnforcerMember'],
    ['aws-us-gov', 'us-gov-west-1', 'arn:aws-us-gov:iam::123456789012:role/AccessKeyEnforcerMember'],
    ['aws-cn', 'cn-north-1', 'arn:aws-cn:iam::123456789012:role/AccessKeyEnforcerMember'],
  ])('serves IAM in %s from %s and names roles %s', (partition, region, arn) => {
    const actualRegion = iamRegionForPartition(partition);
    const actualArn = memberRoleArn(partition, '123456789012', 'AccessKeyEnforcerMember');

    expect([actualRegion, actualArn]).toEqual([region, arn]);
  });
});
