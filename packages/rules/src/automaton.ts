/**
 * Aho–Corasick automaton over UTF-16 code units: every term of every rule is found in one pass over the text, so
 * matching cost does not grow with the number of terms.
 */
export interface AutomatonHit {
  start: number;
  end: number;
  /** Index of the term in the list the automaton was built from. */
  term: number;
}

/** Hits as columns: hit `k` (0 ≤ k < count) spans `[starts[k], ends[k])` and is of term `terms[k]`. */
export interface AutomatonHitColumns {
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  terms: Int32Array;
}

/** A compiled multi-term matcher. */
export interface Automaton {
  readonly size: number;
  /** All occurrences of all terms in `text[from, to)`, ordered by end then by length (longest first). */
  search(text: string, from?: number, to?: number): AutomatonHit[];
  /** The same hits in the same order as {@link search}, as columns (no object per hit). */
  searchColumns(text: string, from?: number, to?: number): AutomatonHitColumns;
}

/** Options for {@link buildAutomaton}. */
export interface AutomatonOptions {
  /**
   * Characters the search steps over as if they were absent, so that a term also matches when the text quotes part of
   * it (三资管理 in “三资”管理). A hit then spans the skipped characters. Terms themselves should not contain them.
   */
  transparent?: string;
}

/** Build an automaton from `terms` (duplicates allowed; each index is reported). */
export function buildAutomaton(terms: readonly string[], options: AutomatonOptions = {}): Automaton {
  const transparent = new Set<number>([...(options.transparent ?? '')].map((c) => c.charCodeAt(0)));
  // Nodes are stored in flat arrays: goto edges in a Map per node, failure links, and output lists.
  const edges: Map<number, number>[] = [new Map()];
  const fail: number[] = [0];
  const out: number[][] = [[]];
  const depth: number[] = [0];
  terms.forEach((term, idx) => {
    if (!term) return;
    let node = 0;
    for (let i = 0; i < term.length; i++) {
      const c = term.charCodeAt(i);
      let next = edges[node]!.get(c);
      if (next === undefined) {
        next = edges.length;
        edges.push(new Map());
        fail.push(0);
        out.push([]);
        depth.push(depth[node]! + 1);
        edges[node]!.set(c, next);
      }
      node = next;
    }
    out[node]!.push(idx);
  });
  // Breadth-first failure links; outputs are merged along them so a search never walks the failure chain for output.
  const queue: number[] = [];
  for (const child of edges[0]!.values()) queue.push(child);
  for (let qi = 0; qi < queue.length; qi++) {
    const node = queue[qi]!;
    for (const [c, child] of edges[node]!) {
      queue.push(child);
      let f = fail[node]!;
      while (f !== 0 && !edges[f]!.has(c)) f = fail[f]!;
      const target = edges[f]!.get(c);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const inherited = out[fail[child]!]!;
      if (inherited.length) out[child] = out[child]!.concat(inherited);
    }
  }
  const termLengths = Int32Array.from(terms, (t) => t.length);
  // Most characters of a text start no term: the root's transitions are a flat table, so the common case is one array
  // read instead of a hash lookup (and the cost does not grow with the number of terms).
  const rootTable = new Int32Array(0x10000);
  for (const [c, child] of edges[0]!) rootTable[c] = child;
  // The other transitions in one open-addressing table keyed by (node, code unit): typed-array reads, no Map per node.
  let edgeCount = 0;
  for (let n = 1; n < edges.length; n++) edgeCount += edges[n]!.size;
  let tableSize = 16;
  while (tableSize < edgeCount * 2) tableSize *= 2;
  const tableMask = tableSize - 1;
  const keyNode = new Int32Array(tableSize).fill(-1);
  const keyChar = new Uint16Array(tableSize);
  const target = new Int32Array(tableSize);
  const slotOf = (node: number, c: number): number => (Math.imul(node, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b)) >>> 0;
  for (let n = 1; n < edges.length; n++) {
    for (const [c, child] of edges[n]!) {
      let h = slotOf(n, c) & tableMask;
      while (keyNode[h] !== -1) h = (h + 1) & tableMask;
      keyNode[h] = n;
      keyChar[h] = c;
      target[h] = child;
    }
  }
  /** The node `node` goes to on `c`, or 0 when it has no such edge (no edge leads back to the root). */
  const step = (node: number, c: number): number => {
    if (node === 0) return rootTable[c]!;
    let h = slotOf(node, c) & tableMask;
    for (;;) {
      const k = keyNode[h]!;
      if (k === -1) return 0;
      if (k === node && keyChar[h] === c) return target[h]!;
      h = (h + 1) & tableMask;
    }
  };
  const failTable = Int32Array.from(fail);
  // Output lists flattened: the terms ending at node n are outTerms[outStart[n] .. outStart[n + 1]).
  const outStart = new Int32Array(out.length + 1);
  for (let n = 0; n < out.length; n++) outStart[n + 1] = outStart[n]! + out[n]!.length;
  const outTerms = new Int32Array(outStart[out.length]!);
  for (let n = 0; n < out.length; n++) outTerms.set(out[n]!, outStart[n]!);
  const isTransparent = new Uint8Array(0x10000);
  for (const c of transparent) isTransparent[c] = 1;
  // A ring of the offsets of the last consumed characters, as long as the longest term (a power of two for masking).
  let longest = 1;
  for (const n of termLengths) if (n > longest) longest = n;
  let ringSize = 1;
  while (ringSize < longest) ringSize *= 2;
  const mask = ringSize - 1;
  const automaton: Automaton = {
    size: terms.length,
    searchColumns(text: string, from = 0, to = text.length): AutomatonHitColumns {
      // About one hit per six characters in report text; grown by doubling when a text holds more.
      let cap = Math.max(16, (to - from) >>> 3);
      let starts = new Int32Array(cap);
      let ends = new Int32Array(cap);
      let hitTerms = new Int32Array(cap);
      let count = 0;
      const ring = new Int32Array(ringSize);
      let consumed = 0;
      let node = 0;
      for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (isTransparent[c] === 1) continue;
        ring[consumed & mask] = i;
        consumed++;
        let next = step(node, c);
        while (next === 0 && node !== 0) {
          node = failTable[node]!;
          next = step(node, c);
        }
        node = next;
        const end = outStart[node + 1]!;
        for (let k = outStart[node]!; k < end; k++) {
          if (count === cap) {
            cap *= 2;
            const s2 = new Int32Array(cap);
            s2.set(starts);
            starts = s2;
            const e2 = new Int32Array(cap);
            e2.set(ends);
            ends = e2;
            const t2 = new Int32Array(cap);
            t2.set(hitTerms);
            hitTerms = t2;
          }
          const term = outTerms[k]!;
          starts[count] = ring[(consumed - termLengths[term]!) & mask]!;
          ends[count] = i + 1;
          hitTerms[count] = term;
          count++;
        }
      }
      return { count, starts, ends, terms: hitTerms };
    },
    search(text: string, from = 0, to = text.length): AutomatonHit[] {
      // The columns' walk, with an object per hit (for callers outside the hot path).
      const { count, starts, ends, terms: hitTerms } = automaton.searchColumns(text, from, to);
      const hits = new Array<AutomatonHit>(count);
      for (let k = 0; k < count; k++) hits[k] = { start: starts[k]!, end: ends[k]!, term: hitTerms[k]! };
      return hits;
    },
  };
  return automaton;
}
