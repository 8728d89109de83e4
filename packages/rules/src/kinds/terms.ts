import type { RuleHit } from '../model.js';
import { dimensionBits, termList, type RuleKindModule } from './kind.js';

/**
 * `terms`: fires on any of its literal terms (found by the one automaton) that stands on token boundaries. A term hit
 * inside a longer term hit of the same dimension (category, root cause or function) is dropped, so that 主体责任 is
 * not also counted as 责任.
 */
export const termsKind: RuleKindModule = {
  kind: 'terms',
  keys: { terms: termList },
  required: ['terms'],
  labelled: true,
  bucket: 'label',
  refine(ctx, kept) {
    const { rules } = ctx;
    // One sweep over the term hits by start: a hit is dropped when, in one of its dimensions, a term hit that starts
    // before it reaches at least as far, or one that starts with it reaches further (both are longer and contain it).
    const terms: number[] = [];
    for (let i = 0; i < kept.length; i++) if (rules[kept[i]!.rule]!.kind === 'terms') terms.push(i);
    if (terms.length < 2) return kept;
    // The term hits come from the automaton by start: sort only when they do not (the same order either way).
    let sorted = true;
    for (let i = 1; i < terms.length && sorted; i++) if (kept[terms[i - 1]!]!.start > kept[terms[i]!]!.start) sorted = false;
    if (!sorted) terms.sort((a, b) => kept[a]!.start - kept[b]!.start || a - b);
    const dims = (hit: RuleHit): number => dimensionBits(rules[hit.rule]!.target);
    let drop: Uint8Array | undefined;
    const before = [-1, -1, -1];
    const group = [-1, -1, -1];
    for (let g = 0; g < terms.length; ) {
      const start = kept[terms[g]!]!.start;
      let e = g;
      group[0] = group[1] = group[2] = -1;
      for (; e < terms.length && kept[terms[e]!]!.start === start; e++) {
        const hit = kept[terms[e]!]!;
        const d = dims(hit);
        for (let k = 0; k < 3; k++) if (d & (1 << k) && hit.end > group[k]!) group[k] = hit.end;
      }
      for (let i = g; i < e; i++) {
        const hit = kept[terms[i]!]!;
        const d = dims(hit);
        for (let k = 0; k < 3; k++) {
          if (d & (1 << k) && (before[k]! >= hit.end || group[k]! > hit.end)) {
            (drop ??= new Uint8Array(kept.length))[terms[i]!] = 1;
            break;
          }
        }
      }
      for (let k = 0; k < 3; k++) if (group[k]! > before[k]!) before[k] = group[k]!;
      g = e;
    }
    return drop ? kept.filter((_, i) => drop![i] === 0) : kept;
  },
};
