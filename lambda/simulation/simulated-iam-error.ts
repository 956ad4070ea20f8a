/**
 * The IAM error codes the simulation can raise, named as AWS names them so that messages read the
 * same as a real run's.
 */
export type SimulatedIamErrorCode =
  /** AssumeRole refused, or the member role is missing (an account outside the simulation). */
  | 'AccessDenied'
  | 'NoSuchEntity'
  | 'EntityAlreadyExists'
  /** IAM quotas: 2 access keys and 50 tags per user. */
  | 'LimitExceeded'
  /** IAM refuses to delete a user that still has access keys. */
  | 'DeleteConflict'
  | 'InvalidInput'
  /** An injected failure that is not one of the above. */
  | 'ServiceFailure';

/** Any error raised by `SimulatedIam`; `code` says which IAM error it stands for. */
export class SimulatedIamError extends Error {
  override readonly name = 'SimulatedIamError';
  constructor(
    readonly code: SimulatedIamErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
