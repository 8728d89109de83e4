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

/** A compiled multi-term matcher. */
export interface Automaton {
  readonly size: number;
  /** All occurrences of all terms in `text[from, to)`, ordered by end then by length (longest first). */
  search(text: string, from?: number, to?: number): AutomatonHit[];
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
  const termLengths = terms.map((t) => t.length);
  // Most characters of a text start no term: the root's transitions are a flat table, so the common case is one array
  // read instead of a hash lookup (and the cost does not grow with the number of terms).
  const rootTable = new Int32Array(0x10000);
  for (const [c, child] of edges[0]!) rootTable[c] = child;
  // A ring of the offsets of the last consumed characters, as long as the longest term (a power of two for masking).
  let longest = 1;
  for (const n of termLengths) if (n > longest) longest = n;
  let ringSize = 1;
  while (ringSize < longest) ringSize *= 2;
  const mask = ringSize - 1;
  return {
    size: terms.length,
    search(text: string, from = 0, to = text.length): AutomatonHit[] {
      const hits: AutomatonHit[] = [];
      // Offsets of the characters consumed so far (transparent ones are not consumed), to find where a hit starts.
      const ring = new Int32Array(ringSize);
      let consumed = 0;
      let node = 0;
      for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (transparent.has(c)) continue;
        ring[consumed & mask] = i;
        consumed++;
        let next = node === 0 ? rootTable[c] || undefined : edges[node]!.get(c);
        while (next === undefined && node !== 0) {
          node = fail[node]!;
          next = node === 0 ? rootTable[c] || undefined : edges[node]!.get(c);
        }
        node = next ?? 0;
        const o = out[node]!;
        for (let k = 0; k < o.length; k++) {
          const term = o[k]!;
          hits.push({ start: ring[(consumed - termLengths[term]!) & mask]!, end: i + 1, term });
        }
      }
      return hits;
    },
  };
}
