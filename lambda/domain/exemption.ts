import { type InputProblem } from './decisions';
import { addDays, tryParseUtcDate } from './dates';
import { describe } from './owner';

export type ExemptionStatus =
  | { readonly kind: 'none' }
  | { readonly kind: 'active'; readonly until: string }
  | {
      readonly kind: 'ignored';
      readonly code: InputProblem['code'];
      readonly message: string;
      /** The tag's date, when it is one (expired or too far ahead). */
      readonly until?: string;
    };

/**
 * Reads the exemption tag (SPEC §2): a `YYYY-MM-DD` date at most `maxDays` ahead stops
 * deactivation through that date. Anything else is ignored and reported, so a typo can never
 * silently exempt a key forever.
 */
export function readExemption(
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
