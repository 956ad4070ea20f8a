import { type EnforcerConfig } from '../../config/schema';
import { utcDate, wholeDaysBetween } from '../dates';
import { type KeySubject } from '../decisions';
import { keyExemption } from '../exemption';
import { buildSubject, type KeyFacts } from '../key-policy';
import { type KeyRecord } from '../ledger-records';
import { type AccessKeyInfo, type AccountRef, type Owner } from '../model';

/** What "I've rotated – check now" found, from a fresh read of the user's keys. */
export type RotationCheck =
  | {
      readonly kind: 'rotated';
      /** The pressed key is Inactive now, or IAM no longer lists it. */
      readonly how: 'deactivated' | 'deleted';
      /** Other active keys of the user that are due for rotation themselves. */
      readonly stillDue: readonly KeySubject[];
    }
  | {
      readonly kind: 'still-active';
      /** The pressed key, with the deadline every other message states (`buildSubject`). */
      readonly subject: KeySubject;
      readonly stillDue: readonly KeySubject[];
    };

/** A key's user as read through the member role at the click, with the enforcer's config and time. */
export interface KeyUserFacts {
  readonly account: AccountRef;
  readonly userName: string;
  readonly owner: Owner;
  /** The user's tags, for the exemption tag. */
  readonly tags: Readonly<Record<string, string>>;
  readonly config: EnforcerConfig;
  readonly now: Date;
}

export interface RotationCheckInput extends KeyUserFacts {
  /** The user's keys as IAM lists them now. */
  readonly keys: readonly AccessKeyInfo[];
  readonly pressedKeyId: string;
  /** Ledger records of the user's keys, by key id. */
  readonly records: ReadonlyMap<string, KeyRecord>;
}

/**
 * Pure: whether the key the owner pressed about is rotated, and otherwise when it is deactivated,
 * from the same policy functions as the run (the deadline and exemptions included), so the
 * answer in Slack can never disagree with the next run.
 */
export function checkRotation(input: RotationCheckInput): RotationCheck {
  const firstReminder = input.config.policy.remindAtDays[0] ?? input.config.policy.deactivateAtDays;
  const pressed = input.keys.find((key) => key.accessKeyId === input.pressedKeyId);
  const stillDue = input.keys
    .filter((key) => key.accessKeyId !== input.pressedKeyId && key.status === 'Active')
    .map((key) => currentSubject(input, key, input.records.get(key.accessKeyId)))
    .filter((subject) => subject.ageDays >= firstReminder);
  if (pressed === undefined) return { kind: 'rotated', how: 'deleted', stillDue };
  if (pressed.status !== 'Active') return { kind: 'rotated', how: 'deactivated', stillDue };
  return {
    kind: 'still-active',
    subject: currentSubject(input, pressed, input.records.get(pressed.accessKeyId)),
    stillDue,
  };
}

/**
 * A key as the run would describe it now: its deadline from `buildSubject`, exemptions (tag and
 * approved) from `keyExemption`, the same two functions every message, `scan` and the run use.
 */
export function currentSubject(
  input: KeyUserFacts,
  key: AccessKeyInfo,
  record: KeyRecord | undefined,
): KeySubject {
  const { config, now } = input;
  const today = utcDate(now);
  const facts: KeyFacts = {
    account: input.account,
    userName: input.userName,
    owner: input.owner,
    exemption: keyExemption(input.tags, config, today, record),
    key,
    record,
    baselined: true,
    otherActiveKeys: [],
    now,
    config,
  };
  return buildSubject(facts, wholeDaysBetween(key.createDate, now), today);
}
