import { z } from 'zod';

import { partitionForRegion } from '../../lambda/adapters/aws/partition';
import { AccountSchema, OrganizationalUnitIdSchema } from '../../lambda/config/schema';
import { RunSchema } from './run-mode';

/**
 * The `deploy` section of `enforcer.config.json`: where and how the stacks are deployed. It is
 * read only at `cdk synth`; the Lambda never sees it (SPEC §5: refused at synth, field named).
 */

// The engine's own rule, so both sections refuse a bad account id in the same words.
const AccountIdSchema = AccountSchema.shape.id;

const RegionSchema = z
  .string()
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS region code like eu-west-1');

/** EventBridge Scheduler cron: six fields inside `cron(...)`. */
const CronSchema = z
  .string()
  .regex(
    /^cron\(\S+( \S+){5}\)$/,
    'must be an EventBridge Scheduler cron expression with six fields, like cron(0 8 * * ? *)',
  );

/**
 * An IANA zone name as EventBridge Scheduler expects it. `Intl.supportedValuesOf` is not enough:
 * it omits aliases such as `Etc/UTC`; `Intl.DateTimeFormat` accepts them but is case-insensitive
 * and (on newer Node) takes offsets like `+01:00`, which Scheduler rejects, hence the pattern.
 */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Z][A-Za-z_-]*(\/[A-Z0-9][A-Za-z0-9_+-]*)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export const ScheduleSchema = z.strictObject({
  /** When the daily run starts. @default "cron(0 8 * * ? *)" (08:00 every day) */
  cron: CronSchema.default('cron(0 8 * * ? *)'),
  /** IANA time zone the cron is read in. @default "Etc/UTC" */
  timeZone: z
    .string()
    .refine(isIanaTimeZone, 'must be an IANA time zone name like Europe/Berlin')
    .default('Etc/UTC'),
  /**
   * The "no successful run" alarm fires after this many hours without one. Raise it when the cron
   * skips days (e.g. weekdays only: 74). CloudWatch caps an hourly alarm's window at 7 days.
   * @default 26 (a daily run plus two hours of slack)
   */
  missedRunAlarmHours: z.number().int().min(2).max(168).default(26),
});
export type ScheduleConfig = z.infer<typeof ScheduleSchema>;

const SecretArnSchema = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+-[A-Za-z0-9]{6}$/,
    'must be the complete ARN of a Secrets Manager secret (ending in its 6-character suffix)',
  );

/** Where a Slack secret (the bot token, the signing secret) lives: a secret the stack creates, or one that already exists. */
export const SlackTokenSecretSchema = z.union(
  [
    z.strictObject({
      /** Create an empty secret in the hub stack; put the token in after deploying. */
      create: z.literal(true),
    }),
    z.strictObject({
      /** Complete ARN of an existing secret in the hub account whose value is the bot token. */
      arn: SecretArnSchema,
    }),
  ],
  { error: 'must be { "create": true } or { "arn": "<complete secret ARN>" }' },
);
export type SlackTokenSecretConfig = z.infer<typeof SlackTokenSecretSchema>;

export const StackSetSchema = z.strictObject({
  /** OUs (or the root) whose accounts get the member role, now and as accounts join. */
  organizationalUnitIds: z.array(OrganizationalUnitIdSchema).min(1),
  /**
   * Region the stack instances are created in. Exactly one: the role is a global IAM resource
   * with a fixed name, so a second region would fail with "already exists".
   * @default [deploy.region]
   */
  regions: z
    .array(RegionSchema)
    .length(1, 'must name exactly one region: IAM roles are global, a second instance would collide')
    .optional(),
  /**
   * `DELEGATED_ADMIN` when deploying from a StackSets delegated administrator account rather than
   * the management account.
   * @default "SELF"
   */
  callAs: z.enum(['SELF', 'DELEGATED_ADMIN']).default('SELF'),
});

export const MemberRoleSchema = z.strictObject({
  /** AWS Organizations id (`o-…`); adds an `aws:PrincipalOrgID` condition to the role's trust. */
  organizationId: z
    .string()
    .regex(/^o-[a-z0-9]{10,32}$/, 'must be an AWS Organizations id like o-a1b2c3d4e5')
    .optional(),
  /** Deploy the member role to whole OUs with a service-managed StackSet. @default none */
  stackSet: StackSetSchema.optional(),
  /**
   * Roles in the hub account that may also assume the member role, for operators running the CLI
   * from a laptop. @default none
   */
  operatorRoleArns: z
    .array(z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN'))
    .max(10)
    .optional(),
});

/** The retention periods CloudWatch Logs accepts (`PutRetentionPolicy`), in days. */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** IAM is a global service: its CloudTrail events reach EventBridge in this region only. */
export const IAM_EVENTS_REGION = 'us-east-1';

export const RealtimeAlertsSchema = z.strictObject({
  /**
   * Alert the infra channel within a minute of a `CreateAccessKey` (SPEC §4, real time): the hub
   * gets an event bus and a second Lambda, and the member stack forwards IAM's CloudTrail events
   * to it from us-east-1. Needs CloudTrail management events logged in the member accounts.
   * @default false
   */
  enabled: z.boolean().default(false),
});
export type RealtimeAlertsConfig = z.infer<typeof RealtimeAlertsSchema>;

const IamRoleNameSchema = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be a valid IAM role name');

const DeploySectionSchema = z.strictObject({
  /** Account the hub stack (the enforcer Lambda) is deployed to. */
  hubAccountId: AccountIdSchema,
  /** Region of the hub stack. */
  region: RegionSchema,
  schedule: ScheduleSchema.default(ScheduleSchema.parse({})),
  /** Address subscribed to the alarm topic; confirm the subscription e-mail. @default none */
  alarmEmail: z.email('must be an e-mail address').optional(),
  /** @default { "create": true } */
  slackTokenSecret: SlackTokenSecretSchema.default({ create: true }),
  /**
   * Where the Slack app's signing secret lives, for the interactivity endpoint; deployed only with
   * `slack.interactivity.enabled` (issue 11 item 3). @default { "create": true }
   */
  slackSigningSecret: SlackTokenSecretSchema.default({ create: true }),
  /**
   * Name of the enforcer Lambda's role. Fixed, because every member role trusts it by name; the
   * real-time and buttons roles are named after it (`-realtime`, `-buttons`), hence 55 characters.
   * @default "AccessKeyEnforcerHub"
   */
  enforcerRoleName: IamRoleNameSchema.max(
    55,
    'must be at most 55 characters: the real-time and buttons roles add a suffix to it',
  ).default('AccessKeyEnforcerHub'),
  /** @default {} */
  memberRole: MemberRoleSchema.default({}),
  /**
   * Days the Lambda's logs are kept (the audit trail of every deactivation); one of the values
   * CloudWatch Logs accepts. @default 365
   */
  logRetentionDays: z
    .number()
    .refine((days) => LOG_RETENTION_DAYS.includes(days), {
      message: `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(365),
  /**
   * Real-time new-key alerts. Left out of the parsed config when absent, like the other optional
   * features (`alarmEmail`, `memberRole.stackSet`); read it with {@link realtimeAlertsEnabled}.
   * @default { "enabled": false }
   */
  realtimeAlerts: RealtimeAlertsSchema.optional(),
  /**
   * CloudFormation termination protection on the hub stack: `cdk destroy` and stack deletion are
   * refused until it is switched off (see the README's Teardown). @default true
   */
  terminationProtection: z.boolean().default(true),
  /** How the daily run executes: one Lambda or a state machine (lib/config/run-mode.ts). @default { "mode": "auto" } */
  run: RunSchema.default(RunSchema.parse({})),
});

/**
 * With real-time alerts the member stack also holds the event forwarder, which must live where
 * IAM's events are: a StackSet deploying it anywhere else would forward nothing, silently.
 */
const DeploySectionChecked = DeploySectionSchema.superRefine((deploy, ctx) => {
  checkOperatorRoles(deploy, ctx);
  if (!realtimeAlertsEnabled(deploy)) return;
  if (partitionForRegion(deploy.region) !== 'aws') {
    ctx.addIssue({
      code: 'custom',
      path: ['realtimeAlerts', 'enabled'],
      message: `real-time alerts need the aws partition (IAM's events arrive in ${IAM_EVENTS_REGION}); region ${deploy.region} is in another`,
    });
    return;
  }
  const { stackSet } = deploy.memberRole;
  if (!stackSet) return;
  const regions = stackSet.regions ?? [deploy.region];
  if (regions.length === 1 && regions[0] === IAM_EVENTS_REGION) return;
  const defaulted = stackSet.regions === undefined ? ` (it defaults to deploy.region, ${deploy.region})` : '';
  ctx.addIssue({
    code: 'custom',
    path: ['memberRole', 'stackSet', 'regions'],
    message:
      `must be ["${IAM_EVENTS_REGION}"] when realtimeAlerts.enabled is true${defaulted}: the member stack ` +
      `then forwards IAM's CloudTrail events, which reach EventBridge in ${IAM_EVENTS_REGION} only`,
  });
});

/**
 * The member role trusts the hub account only (SPEC §10), so an operator role elsewhere, or in
 * another partition, could never assume it: refuse it here rather than at the operator's first run.
 */
function checkOperatorRoles(deploy: z.infer<typeof DeploySectionSchema>, ctx: z.RefinementCtx): void {
  const partition = partitionForRegion(deploy.region);
  (deploy.memberRole.operatorRoleArns ?? []).forEach((arn, i) => {
    const [, arnPartition, , , account] = arn.split(':');
    if (arnPartition === partition && account === deploy.hubAccountId) return;
    ctx.addIssue({
      code: 'custom',
      path: ['memberRole', 'operatorRoleArns', i],
      message: `must be a role in the hub account (arn:${partition}:iam::${deploy.hubAccountId}:role/…): the member role trusts only the hub account`,
    });
  });
}

/** The `deploy` section, with `memberRole.stackSet.regions` defaulted to `[region]`. */
export const DeployConfigSchema = DeploySectionChecked.transform((deploy) => ({
  ...deploy,
  memberRole: {
    ...deploy.memberRole,
    stackSet: deploy.memberRole.stackSet && {
      ...deploy.memberRole.stackSet,
      regions: deploy.memberRole.stackSet.regions ?? [deploy.region],
    },
  },
}));
/** Input shape of the `deploy` section (defaults optional). */
export type DeployConfigInput = z.input<typeof DeployConfigSchema>;
/** Parsed `deploy` section with every default filled in. */
export type DeployConfig = z.infer<typeof DeployConfigSchema>;

/** Whether `deploy.realtimeAlerts` is switched on (absent means off). */
export function realtimeAlertsEnabled(deploy: Pick<DeployConfig, 'realtimeAlerts'>): boolean {
  return deploy.realtimeAlerts?.enabled === true;
}
