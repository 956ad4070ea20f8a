/**
 * A small deterministic pseudo-random generator (mulberry32) so that a simulated org, a demo and a
 * property test replay identically from a seed. Not for anything secret.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with probability `p` (0..1). */
  chance(p: number): boolean;
  /** A shuffled copy; the input is left alone. */
  shuffle<T>(items: readonly T[]): T[];
  /** `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string;
  /**
   * An independent generator derived from this one (it consumes one draw here), so that later
   * changes in how many draws one part makes do not reshuffle every other part.
   */
  fork(label: string): SeededRandom;
}

/** Thrown when a random helper is asked for something impossible (an empty pick, min > max). */
export class SeededRandomError extends Error {
  override readonly name = 'SeededRandomError';
}

/** Creates a generator from a number or a string (strings are hashed, so `'demo'` is a fine seed). */
export function seededRandom(seed: number | string): SeededRandom {
  return fromState(typeof seed === 'number' ? seed >>> 0 : hashString(seed));
}

function fromState(initial: number): SeededRandom {
  let state = initial >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) {
      throw new SeededRandomError(`int(${min}, ${max}) needs integers with min <= max`);
    }
    return min + Math.floor(next() * (max - min + 1));
  };
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new SeededRandomError('pick() needs a non-empty array');
      return items[int(0, items.length - 1)] as T;
    },
    chance: (p) => next() < p,
    shuffle: <T>(items: readonly T[]): T[] => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = int(0, i);
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy;
    },
    string: (length, alphabet) => {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet.charAt(int(0, alphabet.length - 1));
      return out;
    },
    fork: (label) => fromState(hashString(`${label}:${Math.floor(next() * 4294967296)}`)),
  };
}

/** FNV-1a, 32-bit: enough spread for seeds, and stable across platforms. */
function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
