import type { Range } from '@xunshi/types';
import type { RuleHit } from '../model.js';
import { termList, type RuleKindModule } from './kind.js';

/**
 * `near`: one of `first` followed by one of `then` at most `within` characters after it (either order unless
 * `ordered` is true, the default). Of all pairs in a range, the shortest (then the earliest) is the hit.
 */
export const nearKind: RuleKindModule = {
  kind: 'near',
  keys: {
    first: termList,
    then: termList,
    within: { type: 'integer', minimum: 0, maximum: 60 },
    ordered: { type: 'boolean' },
  },
  required: ['first', 'then', 'within'],
  labelled: true,
  bucket: 'label',
  collect(ctx, rules) {
    for (const ri of rules) {
      const firsts = ctx.roleHits.first.get(ri);
      const thens = firsts && ctx.roleHits.then.get(ri);
      if (!thens) continue;
      const best = pairNear(firsts, thens, ctx.rules[ri]!, ri);
      if (best) ctx.hits.label.push(best);
    }
  },
};

/**
 * The shortest (then earliest) pair of a `first` and a `then` hit at most `within` characters apart (`then` after
 * `first`, or either order unless `ordered`), among the pairs whose gap `accept` allows (all by default).
 */
export function pairNear(firsts: Range[], thens: Range[], rule: { within: number; ordered: boolean }, ri: number, accept: (gapStart: number, gapEnd: number) => boolean = () => true): RuleHit | undefined {
  let best: RuleHit | undefined;
  if (firsts.length * thens.length <= SMALL_PAIRS) {
    for (const f of firsts) {
      for (const t of thens) {
        if (t.start >= f.end && t.start - f.end <= rule.within && accept(f.end, t.start)) best = pick(best, { start: f.start, end: t.end, rule: ri });
        else if (!rule.ordered && f.start >= t.end && f.start - t.end <= rule.within && accept(t.end, f.start)) best = pick(best, { start: t.start, end: f.end, rule: ri });
      }
    }
    return best;
  }
  // Many hits (a long unit): only the partners that start within `within` after a hit's end can pair with it, found by
  // binary search in the partners sorted by start, so the cost grows with the hits, not with their product. The best
  // pair is the same whatever the order pairs are met in (shortest, then earliest: one span).
  const pairs = (lefts: Range[], rights: Range[], make: (l: Range, r: Range) => RuleHit): void => {
    const sorted = [...rights].sort((a, b) => a.start - b.start);
    for (const l of lefts) {
      for (let k = lowerBound(sorted, l.end); k < sorted.length && sorted[k]!.start - l.end <= rule.within; k++) {
        if (accept(l.end, sorted[k]!.start)) best = pick(best, make(l, sorted[k]!));
      }
    }
  };
  pairs(firsts, thens, (f, t) => ({ start: f.start, end: t.end, rule: ri }));
  if (!rule.ordered) pairs(thens, firsts, (t, f) => ({ start: t.start, end: f.end, rule: ri }));
  return best;
}

/** Below this many candidate pairs, every pair is tried. */
const SMALL_PAIRS = 64;

/** The first index of `sorted` (by start) whose start is at least `at`. */
function lowerBound(sorted: readonly Range[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.start < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function pick(a: RuleHit | undefined, b: RuleHit): RuleHit {
  if (!a) return b;
  return b.end - b.start < a.end - a.start || (b.end - b.start === a.end - a.start && b.start < a.start) ? b : a;
}
