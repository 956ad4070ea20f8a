import { type ExemptionNote, type InputProblem } from '../decisions';

/**
 * Standing items of one account (exemptions in force, input problems such as untagged users) by
 * id, with the UTC date each was first seen. Kept on the account record.
 */
export type ItemsSeen = Readonly<Record<string, string>>;

/** Stable across runs: the same untagged user is the same problem every day. */
export function problemItemId(problem: InputProblem): string {
  return ['problem', problem.code, problem.userName ?? '', problem.accessKeyId ?? ''].join('/');
}

/** A changed end date is a new exemption: it is news that someone extended it. */
export function exemptionItemId(note: ExemptionNote): string {
  return ['exemption', note.userName, note.until].join('/');
}

export interface SeenToday {
  /** The account's items as the ledger should now hold them: today's, with their first dates. */
  readonly seen: ItemsSeen;
  /** Ids of the items first seen today (also on a same-day re-run, so a failed post can be retried). */
  readonly firstSeenToday: readonly string[];
}

/**
 * Pure: which of today's standing items are new, from the dates the ledger remembers. Items gone
 * today are dropped, so one that comes back is new again.
 */
export function trackItemsSeen(
  previous: ItemsSeen | undefined,
  items: { readonly problems: readonly InputProblem[]; readonly exemptions: readonly ExemptionNote[] },
  today: string,
): SeenToday {
  const seen: Record<string, string> = {};
  const ids = [...items.exemptions.map(exemptionItemId), ...items.problems.map(problemItemId)];
  for (const id of ids) seen[id] = previous?.[id] ?? today;
  return { seen, firstSeenToday: Object.keys(seen).filter((id) => seen[id] === today) };
}

/** Same ids with the same dates: nothing to write. */
export function sameItemsSeen(a: ItemsSeen | undefined, b: ItemsSeen): boolean {
  const left = a ?? {};
  const ids = Object.keys(b);
  return Object.keys(left).length === ids.length && ids.every((id) => left[id] === b[id]);
}
