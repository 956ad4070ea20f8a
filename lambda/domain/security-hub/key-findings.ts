import { type Policy } from '../../config/schema';
import { type InventoryRow } from '../inventory';
import { type RuleFinding } from '../rules/rule-finding';
import { type AsffFinding, productArn, type SecurityHubTarget, type SeverityLabel } from './asff';

/** Why a key has a finding: past a reminder milestone, overdue, exempt, or unused. */
export type KeyFindingReason = 'due' | 'overdue' | 'exempt' | 'unused';

export interface KeyFindingContext {
  readonly target: SecurityHubTarget;
  readonly policy: Policy;
  readonly docsUrl: string;
  /** ISO instant of this run: the findings' `UpdatedAt`. */
  readonly now: string;
}

/** What the ledger keeps of a finding it imported, to archive it when the key is rotated or deleted. */
export interface ExportedFinding {
  /** {@link fingerprint} of what was imported: an unchanged finding is not sent again. */
  readonly fingerprint: string;
  readonly userName: string;
  /** The key's CreateDate, the finding's `CreatedAt`. */
  readonly createdAt: string;
}

export type ExportedFindings = Readonly<Record<string, ExportedFinding>>;

const GENERATOR = 'access-key-enforcer/key-rotation';
const TYPES = ['Software and Configuration Checks/AWS Security Best Practices'] as const;

/**
 * The Security Hub finding of one key (issue 10 item 3), or undefined when the key needs none
 * (inactive, young, used, not exempt). The deadline is the inventory's, which is
 * `effectiveDeadline`: the date every DM states. Nothing here changes from day to day unless the
 * key's situation does, so an unchanged finding can be recognised and not sent again.
 */
export function keyFinding(
  row: InventoryRow,
  unused: RuleFinding | undefined,
  ctx: KeyFindingContext,
): AsffFinding | undefined {
  if (row.status !== 'Active') return undefined;
  const reasons: KeyFindingReason[] = [];
  if (row.state === 'overdue') reasons.push('overdue');
  else if (row.state === 'warning') reasons.push('due');
  if (row.exemptUntil) reasons.push('exempt');
  if (unused) reasons.push('unused');
  const [main] = reasons;
  if (!main) return undefined;
  const band = ageBand(row.ageDays, ctx.policy);
  const owner = row.ownerSlackId ? `${row.ownerName ?? row.userName} (Slack ${row.ownerSlackId})` : 'unknown';
  const deadline = row.deadline ?? 'none (this user class is not deactivated)';
  const description = [
    `Access key ${row.accessKeyId} of IAM user ${row.userName} in account ${row.accountId} is ${band.phrase}.`,
    `Owner: ${owner}. Deactivation deadline: ${deadline}.`,
    ...(row.exemptUntil ? [`Exempt from deactivation until ${row.exemptUntil}.`] : []),
    ...(unused ? [`${capitalise(unused.summary)}.`] : []),
  ].join(' ');
  return {
    SchemaVersion: '2018-10-08',
    Id: findingIdOf(row.accountId, row.accessKeyId),
    ProductArn: productArn(ctx.target),
    GeneratorId: GENERATOR,
    AwsAccountId: row.accountId,
    Types: TYPES,
    CreatedAt: row.createdAt,
    UpdatedAt: ctx.now,
    Severity: { Label: band.label, Original: band.original },
    Title: titleOf(main, reasons, row.userName),
    Description: description.slice(0, 1024),
    Remediation: {
      Recommendation: {
        Text: unused
          ? `Delete the key if nothing uses it: ${unused.command ?? ''}`.trim()
          : `Rotate the key before ${deadline}: create a new key, switch to it, deactivate the old one.`,
        Url: ctx.docsUrl,
      },
    },
    ProductFields: {
      'access-key-enforcer/Reasons': reasons.join(','),
      'access-key-enforcer/Deadline': row.deadline ?? 'never',
      'access-key-enforcer/OwnerSlackId': row.ownerSlackId ?? '',
      'access-key-enforcer/ExemptUntil': row.exemptUntil ?? '',
    },
    Resources: [
      resourceOf(row.accountId, row.userName, row.accessKeyId, 'Active', row.createdAt, ctx.target),
    ],
    Compliance: { Status: main === 'overdue' ? 'FAILED' : 'WARNING' },
    RecordState: 'ACTIVE',
  };
}

/**
 * The finding that closes a key's earlier one: the key was rotated (inactive), deleted, or no
 * longer qualifies. Same Id, so Security Hub updates the finding in place.
 */
export function archivedKeyFinding(
  accountId: string,
  accessKeyId: string,
  exported: ExportedFinding,
  how: 'inactive' | 'deleted' | 'resolved',
  ctx: KeyFindingContext,
): AsffFinding {
  const phrase = {
    inactive: 'was deactivated',
    deleted: 'was deleted',
    resolved: 'no longer needs attention',
  }[how];
  return {
    SchemaVersion: '2018-10-08',
    Id: findingIdOf(accountId, accessKeyId),
    ProductArn: productArn(ctx.target),
    GeneratorId: GENERATOR,
    AwsAccountId: accountId,
    Types: TYPES,
    CreatedAt: exported.createdAt,
    UpdatedAt: ctx.now,
    Severity: { Label: 'INFORMATIONAL', Original: 'resolved' },
    Title: `IAM access key of ${exported.userName}: resolved`,
    Description: `Access key ${accessKeyId} of IAM user ${exported.userName} in account ${accountId} ${phrase}.`,
    Remediation: { Recommendation: { Text: 'Nothing left to do.', Url: ctx.docsUrl } },
    ProductFields: { 'access-key-enforcer/Resolution': how },
    Resources: [
      resourceOf(accountId, exported.userName, accessKeyId, 'Inactive', exported.createdAt, ctx.target),
    ],
    Compliance: { Status: 'PASSED' },
    Workflow: { Status: 'RESOLVED' },
    RecordState: 'ARCHIVED',
  };
}

/** Stable per key, so every day's import updates the same finding (BatchImportFindings upserts by Id). */
export function findingIdOf(accountId: string, accessKeyId: string): string {
  return `access-key-enforcer/${accountId}/${accessKeyId}`;
}

/** What identifies the finding's content: everything but `UpdatedAt`. */
export function fingerprint(finding: AsffFinding): string {
  const { UpdatedAt: _updatedAt, ...content } = finding;
  const text = JSON.stringify(content);
  return `${fnv1a(text, 0x811c9dc5)}${fnv1a(text, 0x01000193)}`;
}

/**
 * 32-bit FNV-1a, in hex: the domain may not import `node:crypto`, and a change detector needs no
 * cryptographic strength; two seeds make an accidental match of changed content negligible.
 */
function fnv1a(text: string, seed: number): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

interface AgeBand {
  readonly label: SeverityLabel;
  /** The band's name, so `Original` changes with the band, not every day. */
  readonly original: string;
  readonly phrase: string;
}

/** Severity rises with age: young (exempt or unused only), reminded, last reminder, overdue. */
export function ageBand(ageDays: number, policy: Policy): AgeBand {
  const first = policy.remindAtDays[0] ?? policy.deactivateAtDays;
  const last = policy.remindAtDays[policy.remindAtDays.length - 1] ?? first;
  if (ageDays >= policy.deactivateAtDays)
    return {
      label: 'CRITICAL',
      original: `>=${policy.deactivateAtDays}d`,
      phrase: `${policy.deactivateAtDays} days old or more, past the rotation limit`,
    };
  if (ageDays >= last)
    return {
      label: 'HIGH',
      original: `>=${last}d`,
      phrase: `${last} days old or more, at its last reminder before deactivation`,
    };
  if (ageDays >= first)
    return {
      label: 'MEDIUM',
      original: `>=${first}d`,
      phrase: `${first} days old or more, due for rotation`,
    };
  return { label: 'LOW', original: `<${first}d`, phrase: `younger than ${first} days` };
}

function titleOf(main: KeyFindingReason, reasons: readonly KeyFindingReason[], userName: string): string {
  const what = {
    overdue: 'overdue for rotation',
    due: 'due for rotation',
    exempt: 'exempt from rotation',
    unused: 'unused',
  }[main];
  const extra = reasons.includes('unused') && main !== 'unused' ? ' and unused' : '';
  return `IAM access key of ${userName} ${what}${extra}`;
}

function resourceOf(
  accountId: string,
  userName: string,
  accessKeyId: string,
  status: 'Active' | 'Inactive',
  createdAt: string,
  target: SecurityHubTarget,
): AsffFinding['Resources'][number] {
  return {
    Type: 'AwsIamAccessKey',
    Id: accessKeyId,
    Partition: target.partition,
    Region: target.region,
    Details: {
      AwsIamAccessKey: {
        UserName: userName,
        PrincipalName: userName,
        PrincipalType: 'IAMUser',
        Status: status,
        CreatedAt: createdAt,
        AccountId: accountId,
      },
    },
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
