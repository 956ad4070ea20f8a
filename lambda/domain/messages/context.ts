import { type Policy } from '../../config/schema';

/** What every message builder needs besides the decision itself. */
export interface MessageContext {
  /** Today's UTC date YYYY-MM-DD. */
  readonly today: string;
  readonly rotation: { readonly docsUrl: string; readonly awsVaultProfileHint: string };
  readonly policy: Policy;
  /** Shown in the footer context of every message, e.g. "access-key-enforcer"; also says DRY RUN when set. */
  readonly dryRun?: boolean;
}

/** What happened to the owner's DM, which changes the channel mirror. */
export type DmOutcome =
  | { readonly status: 'sent' }
  /** No DM for this owner (no slack-id, or the owner's class does not DM). */
  | { readonly status: 'not-attempted' }
  /** Slack rejected the DM (user_not_found, ...). */
  | { readonly status: 'unreachable'; readonly code: string };
