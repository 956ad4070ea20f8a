import { type TagKeys } from '../config/schema';
import { type InputProblem } from './decisions';
import { type AccountRef, type IamUserSnapshot, type Owner } from './model';

/** Slack member ids: `U…` for users, `W…` for Enterprise Grid users; upper-case alphanumerics. */
const SLACK_MEMBER_ID = /^[UW][A-Z0-9]{6,20}$/;
/** Longer than any real name; such values are more likely a paste accident than a name. */
const MAX_DISPLAY_TAG_LENGTH = 128;

export interface ResolvedOwner {
  readonly owner: Owner;
  readonly problems: readonly InputProblem[];
}

/**
 * Decides how a user is treated from its tags (SPEC §3). Bad tags never throw: they degrade the
 * owner to what can still be trusted and come back as problems to report.
 */
export function resolveOwner(account: AccountRef, user: IamUserSnapshot, tagKeys: TagKeys): ResolvedOwner {
  const problems: InputProblem[] = [];
  const report = (code: InputProblem['code'], message: string): void => {
    problems.push({ accountId: account.id, userName: user.userName, code, message });
  };

  const rawType = user.tags[tagKeys.type]?.trim();
  const type = rawType?.toLowerCase();
  const rawSlackId = user.tags[tagKeys.slackId];
  const slackId = rawSlackId?.trim();
  const fullName = readDisplayTag(user, tagKeys.fullName, report);

  let validSlackId: string | undefined;
  if (slackId !== undefined) {
    if (SLACK_MEMBER_ID.test(slackId)) validSlackId = slackId;
    else
      report(
        'invalid-slack-id',
        `tag ${tagKeys.slackId}=${describe(rawSlackId ?? '')} is not a Slack member id like U0123ABCD`,
      );
  }

  let userClass: Owner['userClass'] = 'unknown';
  if (type === 'engineer') {
    if (validSlackId) userClass = 'engineer';
    else if (slackId === undefined) report('missing-slack-id', `engineer has no ${tagKeys.slackId} tag`);
  } else if (type === 'machine') {
    userClass = 'machine';
  } else if (rawType === undefined || rawType === '') {
    report('missing-type', `no ${tagKeys.type} tag (engineer|machine)`);
  } else {
    report('unknown-type', `tag ${tagKeys.type}=${describe(rawType)} is neither engineer nor machine`);
  }

  const owner: Owner = {
    userClass,
    displayName: fullName ?? user.userName,
    ...(rawType ? { declaredType: rawType } : {}),
    ...(validSlackId ? { slackId: validSlackId } : {}),
    ...(fullName ? { fullName } : {}),
  };
  return { owner, problems };
}

function readDisplayTag(
  user: IamUserSnapshot,
  key: string,
  report: (code: InputProblem['code'], message: string) => void,
): string | undefined {
  const value = user.tags[key]?.trim();
  if (value === undefined) return undefined;
  if (value === '') {
    report('invalid-tag-value', `tag ${key} is empty`);
    return undefined;
  }
  if (value.length > MAX_DISPLAY_TAG_LENGTH) {
    report(
      'invalid-tag-value',
      `tag ${key} is ${value.length} characters; ignored (max ${MAX_DISPLAY_TAG_LENGTH})`,
    );
    return undefined;
  }
  return value;
}

/** Quotes a tag value for a problem report, shortened so one bad tag cannot flood the digest. */
export function describe(value: string): string {
  const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
  return JSON.stringify(shown);
}
