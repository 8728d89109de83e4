import type { RuleHit } from '../model.js';
import { dimensionsOf, termList, type RuleKindModule } from './kind.js';

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
    return kept.filter((hit: RuleHit) => {
      const rule = rules[hit.rule]!;
      if (rule.kind !== 'terms') return true;
      const dims = dimensionsOf(rule);
      return !kept.some((o) => {
        if (o === hit) return false;
        const other = rules[o.rule]!;
        if (other.kind !== 'terms') return false;
        if (!(o.start <= hit.start && hit.end <= o.end && o.end - o.start > hit.end - hit.start)) return false;
        return dimensionsOf(other).some((d) => dims.includes(d));
      });
    });
  },
};
