import type { Lexicon, Report } from '@xunshi/types';

/**
 * What the evaluation needs of an analyzer (`createAnalyzer()` of `xunshi` is one): reports for gold texts, and the
 * segmenter lexicon the naive Bayes baseline tokenizes with. Declared here so that this package does not depend on the
 * `xunshi` package, whose CLI uses it.
 */
export interface EvalAnalyzer {
  readonly lexicon: Lexicon;
  /**
   * Every label id the analyzer knows (functions, categories, subcategories, root causes), as `Analyzer.labels` of
   * `xunshi` gives them. When present, gold naming a subcategory outside it is refused (a misspelt subcategory would
   * otherwise only lower the subcategory accuracy).
   */
  readonly labels?: Readonly<Record<string, unknown>>;
  /**
   * The rules, when the analyzer has them (`Analyzer.ruleset` of `xunshi`): `rules suggest` leaves out phrases a rule's
   * terms already hold, even where its evidence stayed below the label's threshold.
   */
  readonly ruleset?: { readonly rules?: readonly { readonly kind: string; readonly terms: readonly string[]; readonly target: { category?: { id: string; subcategory: string | null }; rootCause?: string; function?: string } }[] };
  analyze(input: string | Uint8Array, options?: { path?: string }): Report;
}
