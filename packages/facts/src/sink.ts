import type { Fact } from '@xunshi/types';

type FactBody = Fact extends infer F ? (F extends Fact ? Omit<F, 'text' | 'start' | 'end'> : never) : never;

/** Collects the facts of one kind found in a window, turning window offsets into source offsets. */
export interface FactSink {
  /** Record a fact covering window offsets `[start, end)` (UTF-16 units). */
  add(start: number, end: number, body: FactBody): void;
}

/** Build a sink that offsets ranges by `offset` and takes each fact's `text` from `source`. */
export function createFactSink(source: string, offset: number, out: Fact[]): FactSink {
  return {
    add(start, end, body) {
      const s = start + offset;
      const e = end + offset;
      // Keys in a fixed order (kind, text, start, end, then the value fields) for deterministic output.
      const { kind, ...rest } = body;
      out.push({ kind, text: source.slice(s, e), start: s, end: e, ...rest } as Fact);
    },
  };
}

/**
 * Keep, per kind, the leftmost-longest facts that do not overlap one another; the result is sorted by start, then
 * end, then kind.
 */
export function selectNonOverlapping(facts: Fact[]): Fact[] {
  const byKind = new Map<Fact['kind'], Fact[]>();
  for (const f of facts) {
    const list = byKind.get(f.kind);
    if (list) list.push(f);
    else byKind.set(f.kind, [f]);
  }
  const out: Fact[] = [];
  for (const list of byKind.values()) {
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    let lastEnd = -1;
    for (const f of list) {
      if (f.start < lastEnd || f.end <= f.start) continue;
      out.push(f);
      lastEnd = f.end;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

const KIND_ORDER: Record<Fact['kind'], number> = { amount: 0, count: 1, ratio: 2, period: 3, unitType: 4, catchphrase: 5 };
