import {
  decideRealtimeEvent,
  InvalidRealtimeEventError,
  parseCloudTrailTimestamp,
  type RealtimeEventDecision,
} from '../../lambda/domain/realtime-event';
import {
  assumedRole,
  createAccessKeyEvent,
  EVENT_TIME,
  failedCreateAccessKeyEvent,
  iamUser,
  KEY_ID,
  MEMBER_ACCOUNT,
} from './events';

const ROOT_CALLER = {
  type: 'Root',
  principalId: MEMBER_ACCOUNT,
  arn: `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
  accountId: MEMBER_ACCOUNT,
  invokedBy: 'signin.amazonaws.com',
};

function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('decideRealtimeEvent', () => {
  it.each<[string, Record<string, unknown>, string, boolean, string]>([
    [
      'a key the user made for itself in the console (no user named)',
      createAccessKeyEvent({
        requestedUser: null,
        userAgent: 'AWS Internal',
        detail: {
          responseElements: {
            accessKey: { accessKeyId: KEY_ID, status: 'Active', createDate: 'Jan 10, 2027 9:05:12 AM' },
          },
        },
      }),
      'bob',
      false,
      `arn:aws:iam::${MEMBER_ACCOUNT}:user/bob`,
    ],
    [
      'a key the user made for itself with the CLI, naming itself',
      createAccessKeyEvent(),
      'bob',
      false,
      `arn:aws:iam::${MEMBER_ACCOUNT}:user/bob`,
    ],
    [
      'an admin user making a key for another user',
      createAccessKeyEvent({ caller: iamUser('alice') }),
      'bob',
      true,
      `arn:aws:iam::${MEMBER_ACCOUNT}:user/alice`,
    ],
    [
      'an assumed-role session making a key for a user',
      createAccessKeyEvent({ caller: assumedRole('AWSReservedSSO_Admin_0123', 'alice@example.com') }),
      'bob',
      true,
      `arn:aws:sts::${MEMBER_ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com`,
    ],
    [
      'the root user making a key for an IAM user',
      createAccessKeyEvent({ caller: ROOT_CALLER }),
      'bob',
      true,
      `arn:aws:iam::${MEMBER_ACCOUNT}:root`,
    ],
  ])('reads %s', (_case, event, userName, someoneElse, creatorArn) => {
    const decision = decideRealtimeEvent(event);

    expect(decision).toMatchObject({
      kind: 'new-key',
      accountId: MEMBER_ACCOUNT,
      userName,
      key: { accessKeyId: KEY_ID, status: 'Active', createDate: new Date(EVENT_TIME) },
      creator: { arn: creatorArn },
      createdBySomeoneElse: someoneElse,
    });
  });

  it('keeps who called, from where and with what', () => {
    const decision = decideRealtimeEvent(
      createAccessKeyEvent({ sourceIp: '198.51.100.23', userAgent: 'Boto3/1.34.0 md/Botocore#1.34.0' }),
    );

    expect(decision).toMatchObject({
      eventId: '7bf73129-1428-4cd3-a780-95db273d1602',
      sourceIp: '198.51.100.23',
      userAgent: 'Boto3/1.34.0 md/Botocore#1.34.0',
      eventTime: new Date(EVENT_TIME),
      creator: { type: 'IAMUser', userName: 'bob' },
    });
  });

  it('flags a same-named user of another account as someone else', () => {
    const caller = { ...iamUser('bob'), accountId: '999999999999' };

    const decision = decideRealtimeEvent(createAccessKeyEvent({ caller }));

    expect(decision).toMatchObject({ kind: 'new-key', createdBySomeoneElse: true });
  });

  it.each([
    ['AccessDenied', 'bob'],
    ['LimitExceeded', 'bob'],
    // IAM refuses the name, so the event carries a value no real key can have.
    ['ValidationError', 'not a valid name!'],
  ])('ignores a call that failed with %s', (errorCode, requestedUser) => {
    const decision = decideRealtimeEvent(failedCreateAccessKeyEvent(errorCode, requestedUser));

    expect(decision).toEqual<RealtimeEventDecision>({
      kind: 'ignored',
      reason: 'failed-call',
      detail: `the call failed with ${errorCode}`,
    });
  });

  it('ignores the root user making a key for itself', () => {
    const event = createAccessKeyEvent({
      caller: ROOT_CALLER,
      requestedUser: null,
      detail: { responseElements: { accessKey: { accessKeyId: KEY_ID, status: 'Active' } } },
    });

    expect(decideRealtimeEvent(event)).toMatchObject({ kind: 'ignored', reason: 'root-user-key' });
  });

  it('takes the event time as the creation time when createDate cannot be read', () => {
    const event = createAccessKeyEvent({
      detail: {
        eventTime: '2027-01-10T09:05:13Z',
        responseElements: { accessKey: { accessKeyId: KEY_ID, userName: 'bob', createDate: 'soon' } },
      },
    });

    expect(decideRealtimeEvent(event)).toMatchObject({
      key: { createDate: new Date('2027-01-10T09:05:13Z'), status: 'Active' },
    });
  });

  it.each<[string, unknown, string]>([
    ['no event at all', null, '(root)'],
    ['another detail type', { ...createAccessKeyEvent(), 'detail-type': 'Scheduled Event' }, 'detail-type'],
    [
      'another API call',
      createAccessKeyEvent({ detail: { eventName: 'DeleteAccessKey' } }),
      'detail.eventName',
    ],
    [
      'a success without a response',
      createAccessKeyEvent({ detail: { responseElements: undefined } }),
      'detail.responseElements',
    ],
    [
      'a key id that is no key id',
      createAccessKeyEvent({ keyId: '<!channel>' }),
      'detail.responseElements.accessKey.accessKeyId',
    ],
    ['a bad event time', createAccessKeyEvent({ detail: { eventTime: 'yesterday' } }), 'detail.eventTime'],
    ['no caller', createAccessKeyEvent({ detail: { userIdentity: undefined } }), 'detail.userIdentity'],
    [
      'accounts that disagree',
      createAccessKeyEvent({ detail: { recipientAccountId: '333333333333' } }),
      'detail.recipientAccountId',
    ],
    [
      'no account anywhere',
      { ...createAccessKeyEvent({ detail: { recipientAccountId: undefined } }), account: undefined },
      'account',
    ],
    [
      'no user named by the response, the request or the caller',
      createAccessKeyEvent({
        caller: assumedRole('Admin', 'alice'),
        requestedUser: null,
        detail: { responseElements: { accessKey: { accessKeyId: KEY_ID } } },
      }),
      'detail.responseElements.accessKey.userName',
    ],
  ])('refuses %s, naming the field', (_case, event, field) => {
    const error = thrown(() => decideRealtimeEvent(event));

    expect(error).toBeInstanceOf(InvalidRealtimeEventError);
    expect((error as InvalidRealtimeEventError).issues.some((issue) => issue.startsWith(`${field}:`))).toBe(
      true,
    );
  });
});

describe('parseCloudTrailTimestamp', () => {
  it.each<[string, string | undefined]>([
    ['Jan 10, 2027 9:05:12 AM', '2027-01-10T09:05:12.000Z'],
    ['Jan 10, 2027 12:00:00 AM', '2027-01-10T00:00:00.000Z'],
    ['Jan 10, 2027 12:30:00 PM', '2027-01-10T12:30:00.000Z'],
    ['Dec 31, 2027, 11:59:59 PM', '2027-12-31T23:59:59.000Z'],
    ['Jan 10, 2027 9:05:12\u202fPM', '2027-01-10T21:05:12.000Z'],
    ['2027-01-10T09:05:12Z', '2027-01-10T09:05:12.000Z'],
    ['Feb 30, 2027 9:05:12 AM', undefined],
    ['Jan 10, 2027 0:05:12 AM', undefined],
    ['Foo 10, 2027 9:05:12 AM', undefined],
    ['10/01/2027', undefined],
  ])('reads %j as %s', (value, expected) => {
    expect(parseCloudTrailTimestamp(value)?.toISOString()).toBe(expected);
  });
});
