import { type InputProblem } from './decisions';
import { addDays, tryParseUtcDate } from './dates';
import { type ApprovedExemption } from './ledger-records';
import { describe } from './owner';

export type ExemptionStatus =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'active';
      readonly until: string;
      /** Set when the exemption in force is one approved in Slack rather than the tag. */
      readonly approved?: ApprovedExemption;
    }
  | {
      readonly kind: 'ignored';
      readonly code: InputProblem['code'];
      readonly message: string;
      /** The tag's date, when it is one (expired or too far ahead). */
      readonly until?: string;
    };

/**
 * The exemption of a key (SPEC §2, §8): the user's tag, a `YYYY-MM-DD` date at most `maxDays`
 * ahead, and an exemption approved in Slack for the key (from its ledger record). Either stops
 * deactivation through its date; with both, the later date. Anything else in the tag is ignored
 * and reported, so a typo can never silently exempt a key forever.
 *
 * An approved exemption was checked against `maxDays` by the approval (`checkExemptionRequest`)
 * and is then in force through its date, as a tag written on that day would be.
 */
/** The settings an exemption is read with: which tag holds it, and how far ahead it may reach. */
export interface ExemptionSettings {
  readonly tags: { readonly exemptUntil: string };
  readonly policy: { readonly maxExemptionDays: number };
}

/**
 * A key's exemption as the config reads it: the user's tag, and one approved in Slack on the key's
 * record. Without a record, the tag alone (its problems are reported once per user).
 */
export function keyExemption(
  tags: Readonly<Record<string, string>>,
  settings: ExemptionSettings,
  today: string,
  record?: { readonly approvedExemption?: ApprovedExemption },
): ExemptionStatus {
  const { exemptUntil } = settings.tags;
  return readExemption(
    tags[exemptUntil],
    exemptUntil,
    today,
    settings.policy.maxExemptionDays,
    record?.approvedExemption,
  );
}

export function readExemption(
  value: string | undefined,
  tagKey: string,
  today: string,
  maxDays: number,
  approved?: ApprovedExemption,
): ExemptionStatus {
  const tag = readExemptionTag(value, tagKey, today, maxDays);
  if (approved === undefined || approved.until < today) return tag;
  if (tag.kind === 'active' && tag.until >= approved.until) return tag;
  return { kind: 'active', until: approved.until, approved };
}

function readExemptionTag(
  value: string | undefined,
  tagKey: string,
  today: string,
  maxDays: number,
): ExemptionStatus {
  if (value === undefined) return { kind: 'none' };
  const until = value.trim();
  if (!tryParseUtcDate(until)) {
    return {
      kind: 'ignored',
      code: 'invalid-exemption',
      message: `tag ${tagKey}=${describe(value)} is not a date (YYYY-MM-DD); ignored`,
    };
  }
  if (until < today) {
    return {
      kind: 'ignored',
      code: 'exemption-expired',
      message: `exemption ${tagKey}=${until} has expired; the tag can be removed`,
      until,
    };
  }
  const latest = addDays(today, maxDays);
  if (until > latest) {
    return {
      kind: 'ignored',
      code: 'exemption-too-far',
      message: `exemption ${tagKey}=${until} is more than ${maxDays} days ahead (latest allowed ${latest}); ignored`,
      until,
    };
  }
  return { kind: 'active', until };
}
