import { AccountAccessError, awsErrorCode } from '../adapters/aws/errors';
import { type EnforcerConfig } from '../config/schema';
import { type AccountRef } from '../domain/model';
import { errorMessage } from '../engine/execute-plan';

/** An account that could not be read, as every command prints it: what failed, and the fix. */
export interface AccountFailure {
  /** `account <id> (<name>): <operation> … failed: <code> (…)`, naming the account once. */
  readonly line: string;
  /** The same without the account: `<operation> … failed: <code> (…)`. */
  readonly detail: string;
  readonly fix: string;
}

/** From the error `readAccount` threw (scan, doctor). */
export function accountFailure(account: AccountRef, error: unknown, config: EnforcerConfig): AccountFailure {
  const message = errorMessage(error);
  const code = error instanceof AccountAccessError ? error.code : awsErrorCode(error);
  const operation = error instanceof AccountAccessError ? error.operation : '';
  return describe(account, { message, code, operation }, config);
}

/** From the message a run report keeps for a failed account (run). */
export function accountFailureFromMessage(
  account: AccountRef,
  message: string,
  config: EnforcerConfig,
): AccountFailure {
  // The report keeps text only; AccountAccessError words it `<operation> on|as <role> failed: <code> (`.
  const parsed = /\b((?:sts|iam):\w+) (?:on|as) \S+ failed: (\S+) \(/.exec(message);
  return describe(account, { message, code: parsed?.[2] ?? '', operation: parsed?.[1] ?? '' }, config);
}

interface Failure {
  readonly message: string;
  readonly code: string;
  readonly operation: string;
}

function describe(account: AccountRef, failure: Failure, config: EnforcerConfig): AccountFailure {
  // AccountAccessError already starts with "account <id>: "; the CLI adds the name, not a second id.
  const prefix = `account ${account.id}: `;
  const detail = failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
  const name = account.name !== account.id ? ` (${account.name})` : '';
  return { line: `account ${account.id}${name}: ${detail}`, detail, fix: fixFor(failure, account, config) };
}

/** The fix for the AWS errors an operator actually meets when the CLI reads an account. */
function fixFor(failure: Failure, account: AccountRef, config: EnforcerConfig): string {
  const { code, operation, message } = failure;
  if (/ran out of time/.test(message)) {
    return 'the run had no time left for this account; the next run reads it again (raise accountConcurrency if this repeats)';
  }
  if (
    /Credential|ExpiredToken|InvalidClientTokenId|SignatureDoesNotMatch/i.test(code) ||
    /credential/i.test(message)
  ) {
    return 'your AWS credentials are missing or expired: aws sso login, or run under aws-vault exec <profile> --';
  }
  if (operation === 'sts:AssumeRole' && (code === 'AccessDenied' || code === 'NoSuchEntity')) {
    return `deploy the member role in ${account.id} (npx cdk deploy AccessKeyEnforcerMember with that account's credentials), and run the CLI as a role it trusts: the hub enforcer role, or one listed in deploy.memberRole.operatorRoleArns`;
  }
  if (operation.startsWith('iam:') && code === 'AccessDenied') {
    return `role ${config.memberRoleName} in ${account.id} lacks ${operation}: redeploy AccessKeyEnforcerMember from this version`;
  }
  if (/^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNRESET|TimeoutError)$/.test(code)) {
    return 'AWS could not be reached: check the network, a proxy, or AWS_ENDPOINT_URL if you set it';
  }
  return 'see the AWS error above; npx access-key-enforcer doctor checks the role and permissions account by account';
}
