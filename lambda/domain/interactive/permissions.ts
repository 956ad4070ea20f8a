import { type Owner } from '../model';
import { type ActionId, ACTION } from './key-ref';

/** Who pressed, and what the tags and the config say about them (never the payload's claims). */
export interface Presser {
  /** Slack member id from the signed payload: who pressed. */
  readonly slackId: string;
  /** The key's owner, from its IAM user's tags read through the member role at the click. */
  readonly owner: Owner;
  /** Whether the presser is a configured approver (by id, or a member of the user group now). */
  readonly isApprover: boolean;
}

export type Permission =
  | { readonly allowed: true; readonly as: 'owner' | 'approver' }
  | { readonly allowed: false; readonly reason: string };

/**
 * SPEC §8: "I've rotated", "Ask for more time" and "It was me" by the key's owner; Approve / Deny
 * by approvers; "Not me – deactivate" by the owner or an approver. An approver may not approve
 * their own request: a second person signs off on every exemption.
 */
export function mayPress(action: ActionId, presser: Presser, requestedBy?: string): Permission {
  const isOwner = presser.owner.slackId !== undefined && presser.owner.slackId === presser.slackId;
  switch (action) {
    case ACTION.rotated:
    case ACTION.moreTime:
    case ACTION.newKeyMine:
      return isOwner ? { allowed: true, as: 'owner' } : { allowed: false, reason: ownerOnly(presser.owner) };
    case ACTION.newKeyNotMine:
      if (isOwner) return { allowed: true, as: 'owner' };
      return presser.isApprover
        ? { allowed: true, as: 'approver' }
        : { allowed: false, reason: `${ownerOnly(presser.owner)} or an approver` };
    case ACTION.approveExemption:
    case ACTION.denyExemption:
      if (!presser.isApprover)
        return { allowed: false, reason: 'only a configured approver can decide this request' };
      if (action === ACTION.approveExemption && requestedBy === presser.slackId)
        return {
          allowed: false,
          reason: 'an approver cannot approve their own request; another approver must',
        };
      return { allowed: true, as: 'approver' };
  }
}

function ownerOnly(owner: Owner): string {
  return owner.slackId === undefined
    ? `only the key's owner can do this, and its IAM user names none (no usable slack-id tag)`
    : `only the key's owner (<@${owner.slackId}>, from the IAM user's slack-id tag) can do this`;
}
