import { ACTION } from '../domain/interactive/key-ref';
import { checkRotation, type RotationCheck } from '../domain/interactive/rotation-check';
import { wasReminded } from '../domain/key-policy';
import { type KeyRecord } from '../domain/ledger-records';
import { draftOf } from '../domain/record-transitions';
import { rotationAnswer, rotationThreadReply } from '../domain/messages';
import { utcDate } from '../domain/dates';
import { type ButtonPress } from '../adapters/slack/interaction-payload';
import { updateKeyRecord } from './key-record-update';
import {
  type JobOutcome,
  liveKeysOf,
  messageContextFor,
  ownersPress,
  refuse,
  withSlackAudit,
  type WorkDeps,
} from './work-context';

/**
 * "I've rotated – check now" (issue 11 item 3): the user's keys are read again through the member
 * role, the run's policy says what that means, and the owner hears it in the DM; the key's
 * thread gets the same. A rotated key that was reminded is marked thanked, so the next run does
 * not thank the owner a second time.
 */
export async function checkRotationNow(deps: WorkDeps, press: ButtonPress): Promise<JobOutcome> {
  const now = deps.clock.now();
  const ctx = messageContextFor(deps, now);
  const { ref } = press;
  const pressed = await ownersPress(deps, ref, press.userId, ACTION.rotated, now);
  if ('refusal' in pressed) return refuse(deps, press, 'rotated', pressed.refusal, ctx);
  const { account, user } = pressed;

  const keys = await liveKeysOf(deps, account, ref.userName);
  const records = new Map<string, KeyRecord>();
  for (const id of new Set([ref.accessKeyId, ...keys.map((key) => key.accessKeyId)])) {
    const record = await deps.ledger.readKey(account.id, id);
    if (record) records.set(id, record);
  }
  const check = checkRotation({ ...user, keys, pressedKeyId: ref.accessKeyId, records });

  const recorded = await updateKeyRecord(deps.ledger, account.id, ref.accessKeyId, now, (record) => {
    const thanked = check.kind === 'rotated' && wasReminded(record) && record.thankedOn === undefined;
    const draft = thanked ? { ...draftOf(record), thankedOn: utcDate(now) } : draftOf(record);
    return withSlackAudit(draft, 'rotation-checked', press.userId, now, describe(check), [
      `dm:${press.userId}`,
    ]);
  });

  await deps.notifier.sendDirect(press.userId, rotationAnswer(check, ref, account, ctx));
  const thread = records.get(ref.accessKeyId)?.channelThread;
  if (thread)
    await deps.notifier.postToChannel(rotationThreadReply(check, press.userId, ctx), { threadTs: thread.ts });
  // A run holding the key leaves it unrecorded: the answer stands, and the run thanks as usual.
  return { outcome: 'done', action: 'rotated', detail: `${describe(check)}; ledger ${recorded.kind}` };
}

function describe(check: RotationCheck): string {
  if (check.kind === 'rotated') return `key ${check.how}`;
  return `key still active; deactivation run ${check.subject.deadline}`;
}
