/**
 * `CreateAccessKey` events as EventBridge delivers them to the hub's bus: the CloudTrail record
 * in `detail`, in the shapes IAM really writes (the console's own-key call names no user;
 * `createDate` is CloudTrail's `Mon D, YYYY h:mm:ss AM` in UTC).
 */

export const MEMBER_ACCOUNT = '222222222222';
export const KEY_ID = 'AKIAEXAMPLEBOB000001';
export const EVENT_TIME = '2027-01-10T09:05:12Z';

type Json = Record<string, unknown>;

/** An IAM user acting in the member account. */
export function iamUser(userName: string): Json {
  return {
    type: 'IAMUser',
    principalId: 'AIDAEXAMPLE000000001',
    arn: `arn:aws:iam::${MEMBER_ACCOUNT}:user/${userName}`,
    accountId: MEMBER_ACCOUNT,
    accessKeyId: 'ASIAEXAMPLE000000001',
    userName,
  };
}

/** A role session, e.g. an SSO admin or a CI pipeline. */
export function assumedRole(roleName: string, sessionName: string): Json {
  return {
    type: 'AssumedRole',
    principalId: `AROAEXAMPLE000000001:${sessionName}`,
    arn: `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/${roleName}/${sessionName}`,
    accountId: MEMBER_ACCOUNT,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${MEMBER_ACCOUNT}:role/${roleName}`,
        userName: roleName,
      },
    },
  };
}

export interface EventOptions {
  readonly caller?: Json;
  /** `null` for a call that names no user (the caller's own key). @default keyUser */
  readonly requestedUser?: string | null;
  readonly keyUser?: string;
  readonly keyId?: string;
  readonly userAgent?: string;
  readonly sourceIp?: string;
  readonly eventId?: string;
  /** Replaces fields of `detail` (a value of `undefined` removes the field). */
  readonly detail?: Json;
}

/** A successful `CreateAccessKey` by `bob` for himself from the CLI, unless told otherwise. */
export function createAccessKeyEvent(options: EventOptions = {}): Json {
  const keyUser = options.keyUser ?? 'bob';
  const requested = options.requestedUser === undefined ? keyUser : options.requestedUser;
  const detail: Json = {
    eventVersion: '1.09',
    userIdentity: options.caller ?? iamUser(keyUser),
    eventTime: EVENT_TIME,
    eventSource: 'iam.amazonaws.com',
    eventName: 'CreateAccessKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: options.sourceIp ?? '203.0.113.7',
    userAgent: options.userAgent ?? 'aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.amzn.2',
    requestParameters: requested === null ? null : { userName: requested },
    responseElements: {
      accessKey: {
        userName: keyUser,
        accessKeyId: options.keyId ?? KEY_ID,
        status: 'Active',
        createDate: 'Jan 10, 2027 9:05:12 AM',
      },
    },
    requestID: '6a7b8c9d-0000-4000-8000-000000000001',
    eventID: '0f1e2d3c-0000-4000-8000-000000000002',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: MEMBER_ACCOUNT,
    eventCategory: 'Management',
  };
  for (const [field, value] of Object.entries(options.detail ?? {})) {
    if (value === undefined) delete detail[field];
    else detail[field] = value;
  }
  return {
    version: '0',
    id: options.eventId ?? '7bf73129-1428-4cd3-a780-95db273d1602',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: MEMBER_ACCOUNT,
    time: EVENT_TIME,
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** The same call refused by IAM: no response, the request as the caller sent it. */
export function failedCreateAccessKeyEvent(errorCode: string, requestedUser: string): Json {
  return createAccessKeyEvent({
    requestedUser,
    detail: {
      errorCode,
      errorMessage: `${errorCode}: the call was refused`,
      responseElements: null,
    },
  });
}
