/** Answers "does any of these ranges overlap [start, end)?" in logarithmic time. */
export interface RangeIndex {
  /** True when some indexed range `[s, e)` has `s < end && e > start` (UTF-16 offsets). */
  overlaps(start: number, end: number): boolean;
  /** True when some indexed range `[s, e)` strictly encloses `[start, end)`: `s < start && end < e`. */
  encloses(start: number, end: number): boolean;
}

/**
 * Index `ranges` (any order, overlaps allowed) for overlap and enclosure queries; replaces a linear scan per query,
 * which made long documents quadratic.
 */
export function indexRanges(ranges: readonly (readonly [number, number])[]): RangeIndex {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const starts = sorted.map((r) => r[0]);
  // maxEnd[k]: the largest end among the first k + 1 ranges by start.
  const maxEnd: number[] = [];
  let m = -Infinity;
  for (const r of sorted) {
    m = Math.max(m, r[1]);
    maxEnd.push(m);
  }
  /** Number of ranges whose start is < x. */
  const countStartsBelow = (x: number): number => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    overlaps(start, end) {
      const k = countStartsBelow(end);
      return k > 0 && maxEnd[k - 1]! > start;
    },
    encloses(start, end) {
      const k = countStartsBelow(start);
      return k > 0 && maxEnd[k - 1]! > end;
    },
  };
}
