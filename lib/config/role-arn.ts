/** The account and the role name (without its path) of an IAM role ARN the schema accepted. */
export function parseRoleArn(arn: string): { readonly account: string; readonly roleName: string } {
  const [, , , , account = '', resource = ''] = arn.split(':');
  return { account, roleName: resource.split('/').pop() ?? '' };
}
