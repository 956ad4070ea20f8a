import { utcDate } from '../domain/dates';
import { ACTION } from '../domain/interactive/key-ref';
import { mayPress } from '../domain/interactive/permissions';
import { type KeyRecord } from '../domain/ledger-records';
import { alreadyInactiveNotice, newKeyConfirmedReply, newKeyDeactivatedNotice } from '../domain/messages';
import { draftOf } from '../domain/record-transitions';
import { type SlackMessage } from '../domain/slack-message';
import { type ButtonPress } from '../adapters/slack/interaction-payload';
import { watchedAccount } from '../domain/watched-account';
import { updateKeyRecord } from './key-record-update';
import {
  approverOrWhyNot,
  inInfraChannel,
  type JobOutcome,
  liveKeysOf,
  messageContextFor,
  ownersPress,
  readKeyUser,
  refuse,
  tellPresser,
  withSlackAudit,
  type WorkDeps,
} from './work-context';

/** "It was me" (issue 11 item 3): only the owner named by the user's tags; recorded and said in the alert's thread. */
export async function confirmNewKey(deps: WorkDeps, press: ButtonPress): Promise<JobOutcome> {
  const now = deps.clock.now();
  const ctx = messageContextFor(deps, now);
  const { ref } = press;
  const pressed = await ownersPress(deps, ref, press.userId, ACTION.newKeyMine, now);
  if ('refusal' in pressed) return refuse(deps, press, 'mine', pressed.refusal, ctx);
  const { account } = pressed;
  const recorded = await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, (record) =>
    withSlackAudit(draftOf(record), 'new-key-confirmed', press.userId, now),
  );
  await replyInAlertThread(
    deps,
    press,
    await threadOf(deps, press),
    newKeyConfirmedReply(ref, press.userId, ctx),
  );
  return { outcome: 'done', action: 'mine', detail: `confirmed by the owner; ledger ${recorded.kind}` };
}

/**
 * "Not me – deactivate" (issue 11 item 3): the owner or an approver. The key is re-read (only an
 * Active key is deactivated), the request is recorded first, then the key is set Inactive through
 * the member role, as the run deactivates (record, then act): a ledger that fails afterwards never
 * leaves an Inactive key nobody knows was deactivated on purpose. `deactivatedByUsOn` makes the
 * next run deactivate it again if someone switches it back on (SPEC §2).
 */
export async function deactivateNewKey(deps: WorkDeps, press: ButtonPress): Promise<JobOutcome> {
  const now = deps.clock.now();
  const ctx = messageContextFor(deps, now);
  const { ref } = press;
  const refused = (reason: string) => refuse(deps, press, 'not-mine', reason, ctx);
  const account = watchedAccount(deps.config, ref.accountId);
  if (!account) return refused(`account ${ref.accountId} is not watched`);
  const user = await readKeyUser(deps, account, ref.userName, now);
  const ownerPressed = user.owner.slackId === press.userId;
  const asked = ownerPressed ? { approver: false } : await approverOrWhyNot(deps, press.userId);
  if ('refusal' in asked) return refused(asked.refusal);
  const { approver } = asked;
  const permission = mayPress(ACTION.newKeyNotMine, {
    slackId: press.userId,
    owner: user.owner,
    isApprover: approver,
  });
  if (!permission.allowed) return refused(permission.reason);

  const key = (await liveKeysOf(deps, account, ref.userName)).find((k) => k.accessKeyId === ref.accessKeyId);
  if (key?.status !== 'Active') {
    await tellPresser(deps, press, alreadyInactiveNotice(ref, account, ctx));
    return { outcome: 'refused', action: 'not-mine', detail: 'the key is not active' };
  }

  let before: KeyRecord | undefined;
  const intent = await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, (record) => {
    before = record;
    return withSlackAudit(
      { ...draftOf(record), deactivatedByUsOn: utcDate(now) },
      'deactivated-on-request',
      press.userId,
      now,
      `asked by the ${permission.as}`,
    );
  });
  if (intent.kind === 'missing') return refused('the enforcer has no record of this key yet');
  if (intent.kind === 'busy') return refused('a run is acting on this key right now; try again in a minute');
  try {
    await deps.iam.deactivateKey(account, ref.userName, ref.accessKeyId);
  } catch (error) {
    // Still Active: take the intent back, so no "re-activated" deactivation follows a failed one.
    const previous = before;
    if (previous)
      await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, () => draftOf(previous));
    throw error;
  }

  const notice = newKeyDeactivatedNotice(ref, account, press.userId, permission.as, ctx);
  await replyInAlertThread(deps, press, intent.record.channelThread?.ts, notice);
  if (!ownerPressed && user.owner.slackId !== undefined)
    await deps.notifier.sendDirect(user.owner.slackId, notice);
  return {
    outcome: 'done',
    action: 'not-mine',
    detail: `deactivated at the request of the ${permission.as}`,
  };
}

async function threadOf(deps: WorkDeps, press: ButtonPress): Promise<string | undefined> {
  return (await deps.ledger.readKey(press.ref.accountId, press.ref.accessKeyId))?.channelThread?.ts;
}

/**
 * New-key alerts are top-level posts (issue 11 item 2), so the answer goes into the alert's own
 * thread; a press elsewhere answers in the key's thread, or the channel when it has none.
 */
async function replyInAlertThread(
  deps: WorkDeps,
  press: ButtonPress,
  keyThreadTs: string | undefined,
  message: SlackMessage,
): Promise<void> {
  const threadTs = inInfraChannel(deps, press) ? press.messageTs : keyThreadTs;
  const posted = await deps.notifier.postToChannel(message, threadTs === undefined ? {} : { threadTs });
  if (!posted.ok) throw new Error(`answer not posted to the channel: Slack ${posted.code}`);
}
