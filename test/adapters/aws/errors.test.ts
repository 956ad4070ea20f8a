import { IAMServiceException } from '@aws-sdk/client-iam';

import {
  AccountAccessError,
  RetriesExhaustedError,
  awsErrorCode,
  awsErrorDetail,
} from '../../../lambda/adapters/aws/errors';
import { iamError, noSuchUser } from './fake-org';

describe('awsErrorCode', () => {
  it.each<[string, unknown, string]>([
    ['an unmodelled AWS error', iamError('AccessDenied', 'x'), 'AccessDenied'],
    ['a modelled error (wire code over class name)', noSuchUser('bob'), 'NoSuchEntity'],
    [
      'a modelled error without Code',
      new IAMServiceException({ name: 'NoSuchEntityException', $fault: 'client', $metadata: {} }),
      'NoSuchEntityException',
    ],
    [
      'a Node network error',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      'ECONNRESET',
    ],
    ['a plain Error', new Error('x'), 'Unknown'],
    ['a TypeError', new TypeError('x'), 'TypeError'],
    ['a thrown string', 'oops', 'Unknown'],
    [
      'retries exhausted (the last AWS code)',
      new RetriesExhaustedError('iam:ListUsers', 8, 'gave up', iamError('Throttling', 'x')),
      'Throttling',
    ],
  ])('reads %s', (_, error, code) => {
    expect(awsErrorCode(error)).toBe(code);
  });
});

describe('awsErrorDetail', () => {
  it.each<[unknown, string]>([
    [iamError('AccessDenied', 'not authorized'), 'not authorized'],
    ['oops', 'oops'],
    [new Error(''), 'no message'],
  ])('describes %p as %p', (error, detail) => {
    expect(awsErrorDetail(error)).toBe(detail);
  });
});

describe('AccountAccessError', () => {
  it('keeps the AWS error as its cause', () => {
    const cause = iamError('AccessDenied', 'no');

    const error = new AccountAccessError(
      '222222222222',
      'iam:ListUsers',
      'arn:aws:iam::222222222222:role/R',
      cause,
    );

    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({
      name: 'AccountAccessError',
      code: 'AccessDenied',
      roleArn: 'arn:aws:iam::222222222222:role/R',
    });
  });
});
