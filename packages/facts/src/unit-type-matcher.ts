import type { FactSink } from './sink.js';
import type { UnitTypeList } from '@xunshi/types';

/** Measure words after which a bound term (村, 县) also stands: 3个村, 5所学校. */
const MEASURE_BEFORE_BOUND = new Set(['个', '家', '所', '座', '些']);

/** A compiled matcher for the unit types of a {@link UnitTypeList}. */
export interface UnitTypeMatcher {
  /** Report every unit-type term of the normalised window, longest match first. */
  find(text: string, sink: FactSink): void;
}

/** One node of the term trie, keyed by UTF-16 code unit. */
interface TrieNode {
  next: Map<number, TrieNode>;
  /** Id of the free term ending here. */
  free?: string;
  /** Id of the bound term ending here. */
  bound?: string;
}

/** Compile the terms of `list` into one longest-match matcher. */
export function compileUnitTypes(list: UnitTypeList): UnitTypeMatcher {
  // One trie walk per position replaces trying every length with a slice and a lookup; a later duplicate term
  // overrides an earlier one, as the Map-based lists did.
  const root: TrieNode = { next: new Map() };
  const insert = (term: string, id: string, bound: boolean): void => {
    if (term.length === 0) return;
    let node = root;
    for (let k = 0; k < term.length; k++) {
      const c = term.charCodeAt(k);
      let child = node.next.get(c);
      if (child === undefined) {
        child = { next: new Map() };
        node.next.set(c, child);
      }
      node = child;
    }
    if (bound) node.bound = id;
    else node.free = id;
  };
  for (const t of list.types) {
    for (const term of t.terms) insert(term, t.id, false);
    for (const term of t.boundTerms) insert(term, t.id, true);
  }
  // Most characters begin no term; a table lookup rejects them faster than the Map.
  const firstCodes = new Uint8Array(0x10000);
  for (const c of root.next.keys()) firstCodes[c] = 1;
  const determiners = [...list.determiners].sort((a, b) => b.length - a.length);
  const determinerBefore = (text: string, pos: number): string | undefined =>
    determiners.find((d) => d.length <= pos && text.startsWith(d, pos - d.length));
  const boundAllowed = (text: string, pos: number): boolean =>
    determinerBefore(text, pos) !== undefined || MEASURE_BEFORE_BOUND.has(text[pos - 1] ?? '');
  const notWithin = list.notWithin ?? [];
  /** Whether the hit `[pos, pos + len)` lies wholly within an occurrence of a longer `notWithin` word (学院 of 中国科学院). */
  const withinOther = (text: string, pos: number, len: number): boolean => {
    const hit = text.slice(pos, pos + len);
    for (const word of notWithin) {
      if (word.length <= len) continue;
      for (let k = word.indexOf(hit); k >= 0; k = word.indexOf(hit, k + 1)) {
        if (k <= pos && text.startsWith(word, pos - k)) return true;
      }
    }
    return false;
  };
  return {
    find(text, sink) {
      let i = 0;
      while (i < text.length) {
        const c = text.charCodeAt(i);
        let node = firstCodes[c] === 1 ? root.next.get(c) : undefined;
        if (node === undefined) {
          i++;
          continue;
        }
        // The longest free term wins; a bound term only where a determiner or measure word stands before it, which
        // depends on the position alone and is therefore checked once, lazily.
        let hitLen = 0;
        let hitId: string | undefined;
        let bound: boolean | undefined;
        for (let j = i + 1; node !== undefined; j++) {
          if (node.free !== undefined) {
            hitLen = j - i;
            hitId = node.free;
          } else if (node.bound !== undefined && (bound ??= boundAllowed(text, i))) {
            hitLen = j - i;
            hitId = node.bound;
          }
          if (j >= text.length) break;
          node = node.next.get(text.charCodeAt(j));
        }
        if (hitId === undefined || (notWithin.length > 0 && withinOther(text, i, hitLen))) {
          i++;
          continue;
        }
        const det = determinerBefore(text, i);
        const start = det === undefined ? i : i - det.length;
        sink.add(start, i + hitLen, { kind: 'unitType', type: hitId });
        i += hitLen;
      }
    },
  };
}
