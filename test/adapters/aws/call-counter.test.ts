import { CallCounter } from '../../../lambda/adapters/aws/call-counter';

describe('CallCounter', () => {
  it('counts per account and operation, and hands out snapshots that later calls do not change', () => {
    const counter = new CallCounter();
    counter.record('111111111111', 'iam:ListUsers');
    counter.record('111111111111', 'iam:ListUsers');
    counter.record('222222222222', 'sts:AssumeRole');

    const snapshot = counter.snapshot();
    counter.record('111111111111', 'iam:ListUsers');

    expect(snapshot).toEqual({
      '111111111111': { 'iam:ListUsers': 2 },
      '222222222222': { 'sts:AssumeRole': 1 },
    });
    expect(counter.snapshot()['111111111111']).toEqual({ 'iam:ListUsers': 3 });
  });

  it('forgets everything on reset', () => {
    const counter = new CallCounter();
    counter.record('111111111111', 'iam:ListUsers');

    counter.reset();

    expect(counter.snapshot()).toEqual({});
  });
});
