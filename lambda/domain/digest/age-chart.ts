import { type MessageContext } from '../messages/context';
import { ageBuckets } from './age-buckets';

/** Characters of a bar at 100%: the chart stays narrow enough for a phone's code block. */
const BAR_WIDTH = 20;

/** `0–30    ██████░░░░░░░░░░░░░░   6  30%`; a range with any key shows at least one block. */
export function chartLines(byAge: readonly number[], ctx: Pick<MessageContext, 'policy'>): string[] {
  const buckets = ageBuckets(ctx.policy);
  const total = byAge.reduce((sum, count) => sum + count, 0);
  const labelWidth = Math.max(...buckets.map((bucket) => `${bucket.label} days`.length));
  const countWidth = Math.max(...byAge.map((count) => String(count).length), 1);
  return buckets.map((bucket, i) => {
    const count = byAge[i] ?? 0;
    const filled = count === 0 ? 0 : Math.max(1, Math.round((count / total) * BAR_WIDTH));
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const share = total === 0 ? '' : ` ${String(Math.round((count / total) * 100)).padStart(3)}%`;
    return `${`${bucket.label} days`.padEnd(labelWidth)} ${bar} ${String(count).padStart(countWidth)}${share}`;
  });
}
