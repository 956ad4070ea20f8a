import { type Decision, type InputProblem } from './decisions';
import { type KeyRecord } from './ledger-records';
import { type KeyHistory } from './messages/context';

/**
 * What the ledger and today's read say about a key's past, for the words of its messages only
 * (issue 11: "catch-up after missed runs" on a first sight, "owner unknown" for a malformed
 * `slack-id`, a deactivation that follows an exemption's end). The policy's decisions stay as they
 * are; this never changes what happens.
 */
export function keyHistory(
  decision: Decision,
  record: KeyRecord | undefined,
  problems: readonly InputProblem[],
  today: string,
): KeyHistory | undefined {
  if (!('subject' in decision)) return undefined;
  const { account, userName } = decision.subject;
  const userProblems = problems.filter(
    (problem) => problem.accountId === account.id && problem.userName === userName,
  );
  const endedOn = userProblems.find((problem) => problem.code === 'exemption-expired')?.exemptUntil;
  return {
    firstSeenToday: record === undefined || record.firstSeenOn === today,
    ...(endedOn !== undefined ? { exemptionEndedOn: endedOn } : {}),
    problems: userProblems.map(({ code }) => ({ code })),
  };
}
