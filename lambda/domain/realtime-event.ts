import { formatIssues } from '../config/parse-config';
import { type AccessKeyInfo } from './model';
import * as z from '../config/zod';

/**
 * The EventBridge event that IAM emits for a `CreateAccessKey` call, as CloudTrail records it
 * (SPEC §4, real time). The CDK rules match on these values and the schema below checks them, so
 * both sides agree on what an event is.
 */
export const CREATE_ACCESS_KEY_EVENT = {
  source: 'aws.iam',
  detailType: 'AWS API Call via CloudTrail',
  eventSource: 'iam.amazonaws.com',
  eventName: 'CreateAccessKey',
} as const;

const AccountIdSchema = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));
// IAM's own pattern for user names; a name that breaks it cannot belong to a real key.
const IamUserNameSchema = z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM user name'));
const InstantSchema = z
  .string()
  .check(z.refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 timestamp'));

/** Who made the call. `type` is IAMUser, AssumedRole, Root, FederatedUser, AWSService, … */
export const UserIdentitySchema = z.object({
  type: z.string().check(z.minLength(1)),
  arn: z.optional(z.string().check(z.minLength(1))),
  /** Set for IAMUser (and Root) callers. */
  userName: z.optional(z.string().check(z.minLength(1))),
  accountId: z.optional(AccountIdSchema),
  /** The AWS service that made the call on the caller's behalf, e.g. `signin.amazonaws.com`. */
  invokedBy: z.optional(z.string()),
});
export type UserIdentity = z.infer<typeof UserIdentitySchema>;

/** `responseElements.accessKey`: the new key as IAM returned it (never the secret). */
export const CreatedAccessKeySchema = z.object({
  accessKeyId: z.string().check(z.regex(/^\w{16,128}$/, 'must be an access key id like AKIA…')),
  /** Absent when the root user created a key for itself. */
  userName: z.optional(IamUserNameSchema),
  /** CloudTrail writes it as `Mar 14, 2026 9:05:12 AM` (UTC), not ISO 8601. */
  createDate: z.optional(z.string()),
  status: z._default(z.enum(['Active', 'Inactive']), 'Active'),
});

/** The CloudTrail record of a successful `CreateAccessKey`, as EventBridge carries it in `detail`. */
export const CreateAccessKeyDetailSchema = z.object({
  eventSource: z.literal(CREATE_ACCESS_KEY_EVENT.eventSource),
  eventName: z.literal(CREATE_ACCESS_KEY_EVENT.eventName),
  eventID: z.optional(z.string()),
  eventTime: InstantSchema,
  /** The account whose IAM was changed. */
  recipientAccountId: z.optional(AccountIdSchema),
  sourceIPAddress: z.optional(z.string()),
  userAgent: z.optional(z.string()),
  userIdentity: UserIdentitySchema,
  /** Null when the caller named no user: the key is then for the caller itself. */
  requestParameters: z.nullish(z.object({ userName: z.optional(IamUserNameSchema) })),
  responseElements: z.object({ accessKey: CreatedAccessKeySchema }),
});

/** The EventBridge envelope ("AWS API Call via CloudTrail") around a `CreateAccessKey` record. */
export const CreateAccessKeyEventSchema = z.object({
  /** EventBridge's event id: the same for every delivery of one event. */
  id: z.optional(z.string()),
  source: z.literal(CREATE_ACCESS_KEY_EVENT.source),
  'detail-type': z.literal(CREATE_ACCESS_KEY_EVENT.detailType),
  /** The account the event came from; kept when it is forwarded to the hub's bus. */
  account: z.optional(AccountIdSchema),
  detail: CreateAccessKeyDetailSchema,
});
export type CreateAccessKeyEvent = z.infer<typeof CreateAccessKeyEventSchema>;

/**
 * Checked before the full schema: a failed call (`AccessDenied`, `LimitExceeded`, a bad user name)
 * has no response and may carry request values IAM refused, so it must not count as malformed.
 */
const EventKindSchema = z.object({
  source: z.literal(CREATE_ACCESS_KEY_EVENT.source),
  'detail-type': z.literal(CREATE_ACCESS_KEY_EVENT.detailType),
  detail: z.object({
    eventSource: z.literal(CREATE_ACCESS_KEY_EVENT.eventSource),
    eventName: z.literal(CREATE_ACCESS_KEY_EVENT.eventName),
    errorCode: z.nullish(z.string()),
  }),
});

/** The event is not a `CreateAccessKey` event this enforcer can read; the message names the fields. */
export class InvalidRealtimeEventError extends Error {
  override readonly name = 'InvalidRealtimeEventError';
  constructor(
    readonly issues: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Invalid CreateAccessKey event:\n  - ${issues.join('\n  - ')}`, options);
  }
}

/** Who created a key, as CloudTrail names the caller. */
export interface KeyCreator {
  readonly type: string;
  /** Principal ARN (user, assumed-role session, root). */
  readonly arn?: string;
  readonly userName?: string;
}

/** A key that was just created: everything the alert and the ledger record need. */
export interface RealtimeNewKey {
  readonly kind: 'new-key';
  /** EventBridge's id, which repeats on a duplicate delivery. */
  readonly eventId?: string;
  readonly accountId: string;
  /** The IAM user the key belongs to. */
  readonly userName: string;
  readonly key: AccessKeyInfo;
  readonly creator: KeyCreator;
  readonly sourceIp?: string;
  readonly userAgent?: string;
  readonly eventTime: Date;
  /** The caller was not the key's own IAM user (an admin, a role, root, a service): worth a second look. */
  readonly createdBySomeoneElse: boolean;
}

/** An event that is well-formed but owes no alert. */
export interface RealtimeIgnored {
  readonly kind: 'ignored';
  /**
   * `failed-call`: IAM refused the call, so no key exists. `root-user-key`: the root user made a
   * key for itself; the enforcer only watches IAM users' keys.
   */
  readonly reason: 'failed-call' | 'root-user-key';
  readonly detail: string;
}

export type RealtimeEventDecision = RealtimeNewKey | RealtimeIgnored;

/**
 * Reads a forwarded `CreateAccessKey` event. Pure: the same event always gives the same answer.
 * Throws {@link InvalidRealtimeEventError} naming each bad field for anything else.
 */
export function decideRealtimeEvent(raw: unknown): RealtimeEventDecision {
  const kind = EventKindSchema.safeParse(raw);
  if (!kind.success) throw new InvalidRealtimeEventError(formatIssues(kind.error), { cause: kind.error });
  const { errorCode } = kind.data.detail;
  if (errorCode) {
    return { kind: 'ignored', reason: 'failed-call', detail: `the call failed with ${errorCode}` };
  }

  const parsed = CreateAccessKeyEventSchema.safeParse(raw);
  if (!parsed.success)
    throw new InvalidRealtimeEventError(formatIssues(parsed.error), { cause: parsed.error });
  const event = parsed.data;
  const { detail } = event;
  const identity = detail.userIdentity;
  const accessKey = detail.responseElements.accessKey;

  const accountId = accountOf(event);
  const userName =
    accessKey.userName ??
    detail.requestParameters?.userName ??
    (identity.type === 'IAMUser' ? identity.userName : undefined);
  if (userName === undefined) {
    if (identity.type === 'Root') {
      return {
        kind: 'ignored',
        reason: 'root-user-key',
        detail: `the root user of ${accountId} created access key ${accessKey.accessKeyId} for itself`,
      };
    }
    throw new InvalidRealtimeEventError([
      'detail.responseElements.accessKey.userName: missing, and neither the request nor the caller names the user',
    ]);
  }

  const eventTime = new Date(detail.eventTime);
  const ownKey =
    identity.type === 'IAMUser' &&
    identity.userName === userName &&
    (identity.accountId === undefined || identity.accountId === accountId);
  return {
    kind: 'new-key',
    ...(event.id !== undefined ? { eventId: event.id } : {}),
    accountId,
    userName,
    key: {
      accessKeyId: accessKey.accessKeyId,
      status: accessKey.status,
      createDate: parseCloudTrailTimestamp(accessKey.createDate) ?? eventTime,
    },
    creator: {
      type: identity.type,
      ...(identity.arn !== undefined ? { arn: identity.arn } : {}),
      ...(identity.userName !== undefined ? { userName: identity.userName } : {}),
    },
    ...(detail.sourceIPAddress !== undefined ? { sourceIp: detail.sourceIPAddress } : {}),
    ...(detail.userAgent !== undefined ? { userAgent: detail.userAgent } : {}),
    eventTime,
    createdBySomeoneElse: !ownKey,
  };
}

/**
 * The account the key lives in. Both fields are written by AWS, not by the caller; should they
 * ever disagree, the event is refused rather than a key being recorded under the wrong account.
 */
function accountOf(event: CreateAccessKeyEvent): string {
  const fromDetail = event.detail.recipientAccountId;
  const fromEnvelope = event.account;
  if (fromDetail !== undefined && fromEnvelope !== undefined && fromDetail !== fromEnvelope) {
    throw new InvalidRealtimeEventError([
      `detail.recipientAccountId: ${fromDetail} differs from account ${fromEnvelope}`,
    ]);
  }
  const accountId = fromDetail ?? fromEnvelope;
  if (accountId === undefined) {
    throw new InvalidRealtimeEventError(['account: missing, and so is detail.recipientAccountId']);
  }
  return accountId;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// `\s` also matches the narrow no-break space that newer Java runtimes put before AM/PM.
const CLOUDTRAIL_TIMESTAMP = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),?\s(\d{1,2}):(\d{2}):(\d{2})\s(AM|PM)$/;

/**
 * IAM's `createDate` as CloudTrail renders it (`Mar 14, 2026 9:05:12 AM`, UTC), or ISO 8601;
 * undefined when absent or unreadable, so that the caller can fall back to the event time.
 */
export function parseCloudTrailTimestamp(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const match = CLOUDTRAIL_TIMESTAMP.exec(value.trim());
  if (!match) {
    const iso = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
    return iso && !Number.isNaN(iso.getTime()) ? iso : undefined;
  }
  const [, month, day, year, hour, minute, second, half] = match;
  const monthIndex = MONTHS.indexOf(month ?? '');
  const hour12 = Number(hour);
  if (monthIndex < 0 || hour12 < 1 || hour12 > 12) return undefined;
  const hour24 = (hour12 % 12) + (half === 'PM' ? 12 : 0);
  const instant = new Date(
    Date.UTC(Number(year), monthIndex, Number(day), hour24, Number(minute), Number(second)),
  );
  // Date.UTC rolls over impossible dates (Feb 30); a timestamp that rolled over is not trusted.
  return instant.getUTCDate() === Number(day) ? instant : undefined;
}
