/**
 * AWS partitions the enforcer can run in. IAM is a global service, but each partition has its
 * own IAM endpoint that lives in one region, so the partition decides both the ARN prefix and the
 * region an IAM client must be built for.
 */
export type AwsPartition = 'aws' | 'aws-us-gov' | 'aws-cn';

const IAM_REGION: Readonly<Record<AwsPartition, string>> = {
  aws: 'us-east-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-cn': 'cn-north-1',
};

/** The region whose endpoint serves IAM in a partition (IAM is global per partition). */
export function iamRegionForPartition(partition: AwsPartition): string {
  return IAM_REGION[partition];
}

/** `arn:<partition>:iam::<accountId>:role/<roleName>`: the role the hub assumes in a member. */
export function memberRoleArn(partition: AwsPartition, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The partition of a region, e.g. the Lambda's own `AWS_REGION`. */
export function partitionForRegion(region: string | undefined): AwsPartition {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
