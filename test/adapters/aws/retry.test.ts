import { RetriesExhaustedError } from '../../../lambda/adapters/aws/errors';
import {
  backoffBound,
  isRetryableError,
  isThrottlingError,
  withRetry,
} from '../../../lambda/adapters/aws/retry';
import { iamError, noSuchUser } from './fake-org';

/** A function failing with `errors` in turn, then returning 'ok'. */
function flaky(...errors: Error[]) {
  return jest.fn(() => {
    const error = errors.shift();
    return error ? Promise.reject(error) : Promise.resolve('ok');
  });
}

const throttled = () => iamError('Throttling', 'Rate exceeded');

describe('error classification', () => {
  it.each<[string, Error, boolean, boolean]>([
    ['Throttling', iamError('Throttling', 'x'), true, true],
    ['ThrottlingException', iamError('ThrottlingException', 'x'), true, true],
    ['TooManyRequestsException', iamError('TooManyRequestsException', 'x', 429), true, true],
    ['RequestLimitExceeded', iamError('RequestLimitExceeded', 'x'), true, true],
    ['ServiceFailure (500)', iamError('ServiceFailure', 'x', 500), false, true],
    ['an unknown 503', iamError('Whatever', 'x', 503), false, true],
    ['a network reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), false, true],
    ['AccessDenied', iamError('AccessDenied', 'x', 403), false, false],
    [
      "IAM's LimitExceeded (a quota), parsed as LimitExceededException",
      Object.assign(iamError('LimitExceededException', 'x', 409), { Code: 'LimitExceeded' }),
      false,
      false,
    ],
    ['NoSuchEntity', noSuchUser('bob'), false, false],
    ['a programming error', new TypeError('x'), false, false],
  ])('treats %s as throttling=%p retryable=%p', (_, error, throttling, retryable) => {
    expect([isThrottlingError(error), isRetryableError(error)]).toEqual([throttling, retryable]);
  });
});

describe('backoffBound', () => {
  it.each([
    [1, 100],
    [2, 200],
    [3, 400],
    [8, 12_800],
    [9, 20_000],
    [30, 20_000],
  ])('before retry %i is %i ms', (retry, bound) => {
    expect(backoffBound(retry)).toBe(bound);
  });
});

describe('withRetry', () => {
  it('retries throttling until it succeeds, sleeping a jittered share of doubling bounds', async () => {
    const fn = flaky(throttled(), throttled(), throttled());
    const sleep = jest.fn(() => Promise.resolve());

    const result = await withRetry('iam:ListUsers', fn, {
      sleep,
      random: () => 0.75,
      deadline: () => Infinity,
    });

    expect(result).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(4);
    expect(sleep.mock.calls).toEqual([[75], [150], [300]]);
  });

  it('rethrows a non-retryable error at once', async () => {
    const denied = iamError('AccessDenied', 'no', 403);
    const fn = flaky(denied);
    const sleep = jest.fn(() => Promise.resolve());

    await expect(withRetry('iam:ListUsers', fn, { sleep, deadline: () => Infinity })).rejects.toBe(denied);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('gives up on a transient failure after maxAttempts with the operation, attempts and last AWS error', async () => {
    const fn = jest.fn(() => Promise.reject(iamError('ServiceFailure', 'down', 500)));
    const onAttempt = jest.fn();

    const error = await withRetry('iam:ListUsers', fn, {
      maxAttempts: 3,
      sleep: () => Promise.resolve(),
      deadline: () => Infinity,
      onAttempt,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({
      operation: 'iam:ListUsers',
      attempts: 3,
      code: 'ServiceFailure',
      outOfTime: false,
      message: 'iam:ListUsers failed: ServiceFailure (gave up after 3 attempts; last error: down)',
    });
    expect(onAttempt.mock.calls).toEqual([[1], [2], [3]]);
  });

  it('stops before a backoff that would outlast the deadline', async () => {
    const fn = jest.fn(() => Promise.reject(throttled()));
    const sleep = jest.fn(() => Promise.resolve());

    const error = await withRetry('iam:ListUsers', fn, {
      maxAttempts: 8,
      sleep,
      random: () => 0.99,
      deadline: () => 150,
    }).catch((e: unknown) => e);

    // Backoffs 99 ms (fits in 150 ms), then 198 ms (does not).
    expect(sleep.mock.calls).toEqual([[99]]);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(error).toMatchObject({
      outOfTime: true,
      message:
        'iam:ListUsers failed: Throttling (out of time after 2 attempts: 150 ms left, next backoff 198 ms; ' +
        'last error: Rate exceeded)',
    });
  });

  it('keeps retrying throttling past maxAttempts while time remains', async () => {
    const fn = flaky(...Array.from({ length: 19 }, throttled));

    const result = await withRetry('iam:ListUsers', fn, {
      maxAttempts: 3,
      sleep: () => Promise.resolve(),
      deadline: () => 60_000,
    });

    expect(result).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(20);
  });
});
