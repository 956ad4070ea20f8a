/**
 * What a button is about, carried in its `value` (issue 11 item 3): the account, the IAM user and
 * the key, nothing more. Who pressed it comes from Slack's signed payload; whether they may is
 * decided from the user's tags and the config at the moment of the click, never from the value.
 */
export interface KeyRef {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
}

/** The `action_id`s of the enforcer's buttons; the interactivity endpoint routes on them. */
export const ACTION = {
  rotated: 'ake.rotated',
  moreTime: 'ake.more-time',
  newKeyMine: 'ake.new-key-mine',
  newKeyNotMine: 'ake.new-key-not-mine',
  approveExemption: 'ake.exemption-approve',
  denyExemption: 'ake.exemption-deny',
} as const;
export type ActionId = (typeof ACTION)[keyof typeof ACTION];

/** `callback_id` of the "Ask for more time" modal. */
export const MORE_TIME_VIEW = 'ake.more-time-request';

const VERSION = '1';
const ACCOUNT_ID = /^\d{12}$/;
/** IAM's user-name alphabet has no `|`, so it can separate the fields. */
const USER_NAME = /^[\w+=,.@-]{1,64}$/;
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

/** `1|<account>|<user>|<key>`: about 60 characters, far under Slack's 2,000 for a value. */
export function encodeKeyRef(ref: KeyRef): string {
  return [VERSION, ref.accountId, ref.userName, ref.accessKeyId].join('|');
}

/** The key a value names, or undefined when it is not one of ours (or from a future version). */
export function decodeKeyRef(value: string): KeyRef | undefined {
  const [version, accountId, userName, accessKeyId, ...rest] = value.split('|');
  if (version !== VERSION || rest.length > 0) return undefined;
  if (accountId === undefined || !ACCOUNT_ID.test(accountId)) return undefined;
  if (userName === undefined || !USER_NAME.test(userName)) return undefined;
  if (accessKeyId === undefined || !ACCESS_KEY_ID.test(accessKeyId)) return undefined;
  return { accountId, userName, accessKeyId };
}
