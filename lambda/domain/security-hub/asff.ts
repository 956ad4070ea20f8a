/**
 * The subset of the AWS Security Finding Format (ASFF) the enforcer emits, declared here so the
 * domain stays free of the SDK; the adapter passes these to `BatchImportFindings` as they are
 * (the shapes are structurally compatible with the SDK's `AwsSecurityFinding`).
 */
export type SeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface AsffFinding {
  readonly SchemaVersion: '2018-10-08';
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: SeverityLabel; readonly Original: string };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: { readonly Recommendation: { readonly Text: string; readonly Url: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: readonly {
    readonly Type: 'AwsIamAccessKey';
    readonly Id: string;
    readonly Partition: SecurityHubTarget['partition'];
    readonly Region: string;
    readonly Details: {
      readonly AwsIamAccessKey: {
        readonly UserName: string;
        readonly PrincipalName: string;
        readonly PrincipalType: 'IAMUser';
        readonly Status: 'Active' | 'Inactive';
        readonly CreatedAt: string;
        readonly AccountId: string;
      };
    };
  }[];
  readonly Compliance: { readonly Status: 'PASSED' | 'WARNING' | 'FAILED' };
  /**
   * Only on an archived finding. A new finding starts NEW anyway, and an update must not reset
   * what a person set while triaging (NOTIFIED, SUPPRESSED).
   */
  readonly Workflow?: { readonly Status: 'RESOLVED' };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
}

/** Where findings are imported: the hub account's own product (`product/<account>/default`). */
export interface SecurityHubTarget {
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly region: string;
  readonly hubAccountId: string;
}

export function productArn(target: SecurityHubTarget): string {
  return `arn:${target.partition}:securityhub:${target.region}:${target.hubAccountId}:product/${target.hubAccountId}/default`;
}
