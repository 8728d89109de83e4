import type { FactSink } from './sink.js';
import type { UnitTypeList } from './unit-types.js';

/** Measure words after which a bound term (村, 县) also stands: 3个村, 5所学校. */
const MEASURE_BEFORE_BOUND = new Set(['个', '家', '所', '座', '些']);

/** A compiled matcher for the unit types of a {@link UnitTypeList}. */
export interface UnitTypeMatcher {
  /** Report every unit-type term of the normalised window, longest match first. */
  find(text: string, sink: FactSink): void;
}

/** Compile the terms of `list` into one longest-match matcher. */
export function compileUnitTypes(list: UnitTypeList): UnitTypeMatcher {
  const free = new Map<string, string>();
  const bound = new Map<string, string>();
  for (const t of list.types) {
    for (const term of t.terms) free.set(term, t.id);
    for (const term of t.boundTerms) bound.set(term, t.id);
  }
  const maxLen = Math.max(0, ...[...free.keys(), ...bound.keys()].map((k) => k.length));
  const determiners = [...list.determiners].sort((a, b) => b.length - a.length);
  const determinerBefore = (text: string, pos: number): string | undefined =>
    determiners.find((d) => d.length <= pos && text.startsWith(d, pos - d.length));
  return {
    find(text, sink) {
      let i = 0;
      while (i < text.length) {
        let hit: { len: number; id: string } | undefined;
        for (let len = Math.min(maxLen, text.length - i); len > 0 && hit === undefined; len--) {
          const s = text.slice(i, i + len);
          const freeId = free.get(s);
          if (freeId !== undefined) hit = { len, id: freeId };
          else {
            const boundId = bound.get(s);
            if (boundId !== undefined && (determinerBefore(text, i) !== undefined || MEASURE_BEFORE_BOUND.has(text[i - 1] ?? ''))) {
              hit = { len, id: boundId };
            }
          }
        }
        if (hit === undefined) {
          i++;
          continue;
        }
        const det = determinerBefore(text, i);
        const start = det === undefined ? i : i - det.length;
        sink.add(start, i + hit.len, { kind: 'unitType', type: hit.id });
        i += hit.len;
      }
    },
  };
}
