import { DigestSchema } from './digest-schema';
import { OutboxSchema } from './outbox-schema';
import { InteractivitySchema } from './interactivity-schema';
import { RulesSchema } from './rules-schema';
import { SecurityHubSchema } from './security-hub-schema';
import * as z from './zod';

/**
 * The engine's configuration: one schema shared by the Lambda (at start-up), the CLI and
 * `cdk synth`, so a bad value is refused in the same words everywhere. No AWS imports here.
 */

const AccountIdSchema = z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'));

/** An AWS account the enforcer watches. */
export const AccountSchema = z.strictObject({
  /** 12-digit account id. */
  id: AccountIdSchema,
  /** Human name shown in messages. @default the id */
  name: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});
export type Account = z.infer<typeof AccountSchema>;

const DaySchema = z.number().check(z.int(), z.gte(1), z.lte(3650));

/** What happens to keys of one class of user (engineer, machine, unknown owner). */
export const UserClassPolicySchema = z.strictObject({
  /** Deactivate keys of this class at the deadline. */
  deactivate: z.boolean(),
  /** DM the owner when the user has a valid `slack-id` tag. */
  directMessage: z.boolean(),
});
export type UserClassPolicy = z.infer<typeof UserClassPolicySchema>;

/** How accounts are read (issue 9): the daily fast path, and how often it is checked by a full sweep. */
export const ReadSchema = z.strictObject({
  /**
   * Read baselined accounts through the credential report and `GetAccountAuthorizationDetails`,
   * listing keys only for users that need a look today. False reads every user every day
   * (`1 + ⌈N/100⌉ + 2N` IAM calls). @default true
   */
  fastPath: z._default(z.boolean(), true),
  /** Days between exhaustive sweeps of an account read by the fast path. @default 7 */
  fullSweepDays: z._default(z.number().check(z.int(), z.gte(1), z.lte(31)), 7),
});

export const PolicySchema = z
  .strictObject({
    /** Ages in days at which the owner is reminded. @default [76, 81, 86] */
    remindAtDays: z._default(
      z.array(DaySchema).check(
        z.minLength(1),
        z.superRefine((days, ctx) => {
          days.forEach((day, i) => {
            const previous = days[i - 1];
            if (previous !== undefined && day <= previous) {
              ctx.addIssue({ code: 'custom', path: [i], message: 'must be increasing' });
            }
          });
        }),
      ),
      [76, 81, 86],
    ),
    /** Age in days at which an active key is deactivated. @default 91 */
    deactivateAtDays: z._default(DaySchema, 91),
    /** A key is only deactivated if a reminder reached someone at least this many days earlier. @default 5 */
    minimumNoticeDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(60)), 5),
    /** More deactivations than this in one run deactivates none and alerts instead. @default 20 */
    maxDeactivationsPerRun: z._default(z.number().check(z.int(), z.gte(0)), 20),
    /** Longest exemption accepted, counted from today. @default 90 */
    maxExemptionDays: z._default(z.number().check(z.int(), z.gte(0), z.lte(365)), 90),
  })
  .check(
    z.superRefine((policy, ctx) => {
      const last = policy.remindAtDays[policy.remindAtDays.length - 1];
      if (last !== undefined && policy.deactivateAtDays <= last) {
        ctx.addIssue({
          code: 'custom',
          path: ['deactivateAtDays'],
          message: `must be greater than the last reminder day (${last})`,
        });
      }
    }),
  );
export type Policy = z.infer<typeof PolicySchema>;

/** Names of the IAM user tags the enforcer reads. */
export const TagKeysSchema = z
  .strictObject({
    /** @default "type" */
    type: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'type'),
    /** @default "slack-id" */
    slackId: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'slack-id'),
    /** @default "full-name" */
    fullName: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'full-name'),
    /** @default "key-rotation-exempt-until" */
    exemptUntil: z._default(z.string().check(z.minLength(1), z.maxLength(128)), 'key-rotation-exempt-until'),
  })
  .check(
    z.superRefine((tags, ctx) => {
      // One tag cannot say both who owns the user and what kind of user it is.
      const seen = new Map<string, string>();
      for (const [field, key] of Object.entries(tags)) {
        const first = seen.get(key);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `tag key "${key}" is already used for tags.${first}; each tag needs its own key`,
          });
        }
        seen.set(key, field);
      }
    }),
  );
export type TagKeys = z.infer<typeof TagKeysSchema>;

export const UserClassesSchema = z.strictObject({
  /** `type=engineer` with a valid `slack-id`. */
  engineer: z._default(UserClassPolicySchema, { deactivate: true, directMessage: true }),
  /** `type=machine`: reminders to the channel (and a DM if tagged), not deactivated by default. */
  machine: z._default(UserClassPolicySchema, { deactivate: false, directMessage: true }),
  /** No or unknown `type`, or an engineer without a usable `slack-id`. */
  unknown: z._default(UserClassPolicySchema, { deactivate: true, directMessage: false }),
});
export type UserClasses = z.infer<typeof UserClassesSchema>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The bot token travels in the request to this URL, so it must be encrypted on the way: https,
 * or plain http only to this machine (a local stand-in or emulator). `file:` and the like are refused.
 */
const SlackApiUrlSchema = z.url().check(
  z.refine(
    (value) => {
      const url = new URL(value);
      if (url.protocol === 'https:') return true;
      return (
        url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.'))
      );
    },
    {
      message:
        'must be an https:// URL (plain http:// only to localhost or 127.0.0.1): the Slack token is sent to it',
    },
  ),
);

/** Shown as a link to every owner: only web links, never `javascript:`, `data:` or `file:`. */
const WebLinkSchema = z.url().check(
  z.refine((value) => ['https:', 'http:'].includes(new URL(value).protocol), {
    message: 'must be an https:// (or http://) link',
  }),
);

export const SlackSchema = z.strictObject({
  /** Channel id (`C…`/`G…`) where every message is mirrored and alerts go. */
  infraChannel: z.string().check(z.regex(/^[CG][A-Z0-9]{6,}$/, 'must be a Slack channel id like C0123ABCD')),
  /** Slack Web API base URL; point it at a proxy or a local stand-in. @default "https://slack.com/api/" */
  apiUrl: z._default(SlackApiUrlSchema, 'https://slack.com/api/'),
  /**
   * When to post the daily run digest, which lists only what is new that day (standing problems
   * are in the weekly `digest`); at most once a day either way. @default "when-notable"
   */
  runDigest: z._default(z.enum(['always', 'when-notable', 'never']), 'when-notable'),
  /** Buttons and the endpoint that answers them (issue 11 item 3). @default off */
  interactivity: z.optional(InteractivitySchema),
});

export const RotationHelpSchema = z.strictObject({
  /** Link to your team's rotation guide, shown in every reminder. */
  docsUrl: z._default(
    WebLinkSchema,
    'https://docs.aws.amazon.com/IAM/latest/UserGuide/id-credentials-access-keys-update.html',
  ),
  /** Shown as `aws-vault rotate <profile>`; set to your team's profile naming, e.g. "<account-name>". */
  awsVaultProfileHint: z._default(z.string().check(z.minLength(1), z.maxLength(64)), '<profile>'),
});

/** An organizational unit (`ou-…`) or root (`r-…`) id; the StackSet targets use it too. */
export const OrganizationalUnitIdSchema = z
  .string()
  .check(
    z.regex(
      /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/,
      'must be an organizational unit id (ou-…) or a root id (r-…)',
    ),
  );

/**
 * Accounts discovered from AWS Organizations at the start of every run (issue 12), so an account
 * that joins is watched from its first day without a config change.
 */
export const OrganizationSchema = z.strictObject({
  /** Off keeps the section in the file without discovering. @default true */
  enabled: z._default(z.boolean(), true),
  /** Read-only role in the management (or delegated administrator) account that the hub assumes. */
  managementRoleArn: z
    .string()
    .check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/, 'must be an IAM role ARN')),
  /** OUs (`ou-…`) or the root (`r-…`) whose accounts are watched, nested OUs included. @default the whole organisation */
  includeOus: z.optional(z.array(OrganizationalUnitIdSchema).check(z.minLength(1))),
  /** OUs (and the OUs nested in them) whose accounts are not watched. @default none */
  excludeOus: z.optional(z.array(OrganizationalUnitIdSchema)),
  /** Accounts never watched, even when discovered. @default none */
  excludeAccounts: z.optional(z.array(AccountIdSchema)),
  /** The organisation's id (`o-…`): bounds the hub's AssumeRole to its accounts. @default deploy.memberRole.organizationId */
  organizationId: z.optional(
    z.string().check(z.regex(/^o-[a-z0-9]{10,32}$/, 'must be an AWS Organizations id like o-a1b2c3d4e5')),
  ),
});
export type OrganizationConfig = z.infer<typeof OrganizationSchema>;

export const EnforcerConfigSchema = z
  .strictObject({
    /**
     * Accounts to watch (the hub may list itself); with `organization`, added to the discovered
     * ones, and their names win. @default [] (then `organization` is required)
     */
    accounts: z._default(
      z.array(AccountSchema).check(
        z.superRefine((accounts, ctx) => {
          const seen = new Set<string>();
          accounts.forEach((account, i) => {
            if (seen.has(account.id)) {
              ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate account ${account.id}` });
            }
            seen.add(account.id);
          });
        }),
      ),
      [],
    ),
    /** Discover accounts from AWS Organizations. @default none: only `accounts` */
    organization: z.optional(OrganizationSchema),
    /** Role assumed in every member account. @default "AccessKeyEnforcerMember" */
    memberRoleName: z._default(
      z.string().check(z.regex(/^[\w+=,.@-]{1,64}$/, 'must be a valid IAM role name')),
      'AccessKeyEnforcerMember',
    ),
    /** Accounts processed at once. @default 4 */
    accountConcurrency: z._default(z.number().check(z.int(), z.gte(1), z.lte(32)), 4),
    policy: z._default(PolicySchema, PolicySchema.parse({})),
    tags: z._default(TagKeysSchema, TagKeysSchema.parse({})),
    userClasses: z._default(UserClassesSchema, UserClassesSchema.parse({})),
    slack: SlackSchema,
    rotation: z._default(RotationHelpSchema, RotationHelpSchema.parse({})),
    read: z._default(ReadSchema, ReadSchema.parse({})),
    /** The team's other rules (issue 10): MFA, password age, one user per person, unused keys. @default off */
    rules: z.optional(RulesSchema),
    /** Findings in the hub account's Security Hub (issue 10). @default off */
    securityHub: z.optional(SecurityHubSchema),
    /** The weekly compliance digest (issue 10). @default weekly on Mondays, at the day's first run */
    digest: z._default(DigestSchema, DigestSchema.parse({})),
    /** The Slack outbox of the state machine mode (issue 12 item 4). */
    outbox: z._default(OutboxSchema, OutboxSchema.parse({})),
    /** Decide and report everything; change nothing, send nothing, record nothing. @default false */
    dryRun: z._default(z.boolean(), false),
  })
  .check(
    z.superRefine(
      (config, ctx) => {
        // Checked at run time with discovery, when the union is known. It runs even when other
        // fields failed (so every mistake is named at once), hence no trust in the shapes here.
        const accounts: unknown = config.accounts;
        const organization: unknown = config.organization;
        if (Array.isArray(accounts) && accounts.length > 0) return;
        const discovering =
          typeof organization === 'object' &&
          organization !== null &&
          (organization as { enabled?: unknown }).enabled !== false;
        if (discovering) return;
        ctx.addIssue({
          code: 'custom',
          path: ['accounts'],
          message:
            organization === undefined
              ? 'must list at least one account, or configure organization to discover them'
              : 'must list at least one account while organization.enabled is false',
        });
      },
      { when: () => true },
    ),
  );
/** Input shape (defaults optional), e.g. a JSON config file. */
export type EnforcerConfigInput = z.input<typeof EnforcerConfigSchema>;
/** Parsed config with every default filled in. */
export type EnforcerConfig = z.infer<typeof EnforcerConfigSchema>;
