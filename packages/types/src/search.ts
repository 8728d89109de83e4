/**
 * The index of the last of `sorted` (ascending) that is at most `x`, or -1 when all are greater: a binary search, whose
 * steps `work.steps` counts. What a table's grid asks of its columns or edges (the cell or header whose columns hold a
 * column) wherever it is laid out.
 */
export function lastAtOrBefore(sorted: ArrayLike<number>, x: number, work?: { steps: number }): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    if (work) work.steps++;
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
