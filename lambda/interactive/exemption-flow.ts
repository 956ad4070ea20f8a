import { interactivityEnabled } from '../config/interactivity-schema';
import { checkExemptionRequest } from '../domain/interactive/exemption-request';
import { ACTION } from '../domain/interactive/key-ref';
import { mayPress } from '../domain/interactive/permissions';
import { currentSubject, type KeyUserFacts } from '../domain/interactive/rotation-check';
import { type ExemptionRequest, type KeyRecord } from '../domain/ledger-records';
import {
  exemptionDecidedMessage,
  exemptionDecisionNotice,
  exemptionRequestedNotice,
  exemptionRequestMessage,
  type MessageContext,
} from '../domain/messages';
import { draftOf } from '../domain/record-transitions';
import { type AccessKeyInfo, type AccountRef } from '../domain/model';
import { type ButtonPress, type MoreTimeSubmission } from '../adapters/slack/interaction-payload';
import { watchedAccount } from '../domain/watched-account';
import { updateKeyRecord } from './key-record-update';
import {
  approverOrWhyNot,
  approversLabel,
  type JobOutcome,
  liveKeysOf,
  messageContextFor,
  ownersPress,
  readKeyUser,
  refuse,
  withSlackAudit,
  type WorkDeps,
} from './work-context';

const BUSY = 'a run is acting on this key right now; try again in a few minutes';

/**
 * "Ask for more time", submitted (issue 11 item 3): the owner's request is recorded on the key's
 * ledger record and posted to the key's thread with Approve / Deny for the approvers. Nothing is
 * exempt until an approver approves.
 */
export async function requestExemption(deps: WorkDeps, submission: MoreTimeSubmission): Promise<JobOutcome> {
  const now = deps.clock.now();
  const ctx = messageContextFor(deps, now);
  const { ref } = submission;
  const refused = (reason: string) => refuse(deps, submission, 'more-time', reason, ctx);
  const checked = checkExemptionRequest(submission, ctx.today, deps.config.policy.maxExemptionDays);
  if (!checked.ok) return refused(Object.values(checked.errors).join(' '));
  const pressed = await ownersPress(deps, ref, submission.userId, ACTION.moreTime, now);
  if ('refusal' in pressed) return refused(pressed.refusal);
  const { account, user } = pressed;
  if (!deps.config.userClasses[user.owner.userClass].deactivate)
    return refused(
      `keys of ${user.owner.userClass} users are not deactivated by policy, so they need no more time`,
    );

  const request: ExemptionRequest = {
    until: checked.until,
    reason: checked.reason,
    requestedBy: submission.userId,
    requestedAt: now.toISOString(),
    status: 'pending',
  };
  const recorded = await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, (record) =>
    withSlackAudit(
      { ...draftOf(record), exemptionRequest: request },
      'exemption-requested',
      submission.userId,
      now,
      `until ${request.until}: ${request.reason}`,
    ),
  );
  if (recorded.kind === 'missing') return refused('the enforcer has no record of this key yet');
  if (recorded.kind === 'busy') return refused(BUSY);

  const approvers = interactivityEnabled(deps.config.slack)
    ? deps.config.slack.interactivity?.approvers
    : undefined;
  const message = exemptionRequestMessage(ref, account, request, approversLabel(approvers), ctx);
  const thread = recorded.record.channelThread;
  const posted = await deps.notifier.postToChannel(message, thread ? { threadTs: thread.ts } : {});
  if (!posted.ok) throw new Error(`request for more time not posted: Slack ${posted.code}`);
  if (posted.ts !== undefined) {
    const ts = posted.ts;
    // Remembered so that a decision replaces these buttons, and Approve on an older request is refused.
    await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, (record) =>
      record.exemptionRequest?.requestedAt === request.requestedAt
        ? { ...draftOf(record), exemptionRequest: { ...record.exemptionRequest, messageTs: ts } }
        : undefined,
    );
  }
  await deps.notifier.sendDirect(submission.userId, exemptionRequestedNotice(ref, account, request, ctx));
  return { outcome: 'done', action: 'more-time', detail: `requested until ${request.until}` };
}

/**
 * Approve / Deny (issue 11 item 3): only configured approvers, never one's own request, only the
 * latest pending request of the key. Approval writes the exemption into the key's ledger record,
 * where the next run reads it exactly like the tag (`readExemption`).
 */
export async function decideExemption(deps: WorkDeps, press: ButtonPress): Promise<JobOutcome> {
  const now = deps.clock.now();
  const ctx = messageContextFor(deps, now);
  const approve = press.action === ACTION.approveExemption;
  const action = approve ? 'approve' : 'deny';
  const { ref } = press;
  const refused = (reason: string) => refuse(deps, press, action, reason, ctx);
  const account = watchedAccount(deps.config, ref.accountId);
  if (!account) return refused(`account ${ref.accountId} is not watched`);
  const asked = await approverOrWhyNot(deps, press.userId);
  if ('refusal' in asked) return refused(asked.refusal);
  const { approver } = asked;
  const current = await deps.ledger.readKey(account.id, ref.accessKeyId);
  const pending = current?.exemptionRequest;
  const user = await readKeyUser(deps, account, ref.userName, now);
  const permission = mayPress(
    press.action,
    { slackId: press.userId, owner: user.owner, isApprover: approver },
    pending?.requestedBy,
  );
  if (!permission.allowed) return refused(permission.reason);
  const stale = staleRequest(pending, press);
  if (stale) return refused(stale);
  let liveKey: AccessKeyInfo | undefined;
  if (approve && pending) {
    const still = checkExemptionRequest(pending, ctx.today, deps.config.policy.maxExemptionDays);
    if (!still.ok)
      return refused(
        `the request cannot be approved any more: ${Object.values(still.errors).join(' ')} The owner can ask again`,
      );
    // More time only postpones the deactivation of a key that is active now (IAM's word, not the ledger's).
    liveKey = (await liveKeysOf(deps, account, ref.userName)).find(
      (key) => key.accessKeyId === ref.accessKeyId,
    );
    if (liveKey === undefined)
      return refused(`access key ${ref.accessKeyId} no longer exists: nothing to postpone`);
    if (liveKey.status !== 'Active')
      return refused(`access key ${ref.accessKeyId} is inactive already: nothing to postpone`);
  }

  let decided: ExemptionRequest | undefined;
  const recorded = await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, (record) => {
    const request = record.exemptionRequest;
    if (request === undefined || staleRequest(request, press)) return undefined;
    decided = {
      ...request,
      status: approve ? 'approved' : 'denied',
      decidedBy: press.userId,
      decidedAt: now.toISOString(),
    };
    const draft = { ...draftOf(record), exemptionRequest: decided };
    const withExemption = approve
      ? {
          ...draft,
          approvedExemption: {
            until: request.until,
            reason: request.reason,
            requestedBy: request.requestedBy,
            approvedBy: press.userId,
            approvedAt: now.toISOString(),
          },
        }
      : draft;
    return withSlackAudit(
      withExemption,
      approve ? 'exemption-approved' : 'exemption-denied',
      press.userId,
      now,
      `until ${request.until}; requested by ${request.requestedBy}`,
    );
  });
  if (recorded.kind === 'missing') return refused('the enforcer has no record of this key');
  if (recorded.kind === 'busy') return refused(BUSY);
  if (recorded.kind === 'unchanged' || decided === undefined)
    return refused(staleRequest(recorded.record.exemptionRequest, press) ?? 'there is no request to decide');

  await announceDecision(deps, recorded.record, decided, account, user, ctx, liveKey);
  return { outcome: 'done', action, detail: `${decided.status} until ${decided.until}` };
}

/** Why a request cannot be decided from this message, if it cannot. */
function staleRequest(request: ExemptionRequest | undefined, press: ButtonPress): string | undefined {
  if (request === undefined) return 'there is no request for more time about this key';
  if (request.status !== 'pending')
    return `this request was ${request.status} already by <@${request.decidedBy ?? ''}>`;
  if (
    request.messageTs !== undefined &&
    press.messageTs !== undefined &&
    request.messageTs !== press.messageTs
  )
    return 'a newer request about this key replaced this one; decide that one';
  return undefined;
}

/** The decision in the thread, on the request message (buttons gone), and to the owner who asked. */
async function announceDecision(
  deps: WorkDeps,
  record: KeyRecord,
  request: ExemptionRequest,
  account: AccountRef,
  user: KeyUserFacts,
  ctx: MessageContext,
  /** The key as IAM listed it (approvals); a denial tells the deadline the key had. */
  liveKey?: AccessKeyInfo,
): Promise<void> {
  const ref = { accountId: record.accountId, userName: record.userName, accessKeyId: record.accessKeyId };
  const key: AccessKeyInfo = liveKey ?? {
    accessKeyId: record.accessKeyId,
    status: 'Active',
    createDate: new Date(record.createdAt),
  };
  const subject = deps.config.userClasses[user.owner.userClass].deactivate
    ? currentSubject(user, key, record)
    : undefined;
  const notice = exemptionDecisionNotice(ref, account, request, subject, ctx);
  if (request.messageTs !== undefined)
    await deps.notifier.updateChannelMessage(
      request.messageTs,
      exemptionDecidedMessage(ref, account, request, ctx),
    );
  const threadTs = record.channelThread?.ts ?? request.messageTs;
  await deps.notifier.postToChannel(notice, threadTs === undefined ? {} : { threadTs });
  await deps.notifier.sendDirect(request.requestedBy, notice);
}
