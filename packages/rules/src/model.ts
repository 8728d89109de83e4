import type { CategoryId, FunctionId, Lexicon, Range, RootCauseId, UnitTypeList } from '@xunshi/types';

/** Kinds of rule; the set is closed, one module per kind under `kinds/` (see `kinds/index.ts`). */
export type RuleKind = 'terms' | 'pattern' | 'near' | 'frame' | 'heading' | 'document' | 'negation' | 'exclude';

/** One label of the taxonomy. */
export interface TaxonomyLabel {
  id: string;
  zh: string;
  en: string;
  description?: string;
}
/** The label set (rules/taxonomy.yaml). */
export interface Taxonomy {
  functions: TaxonomyLabel[];
  rootCauses: TaxonomyLabel[];
  categories: (TaxonomyLabel & { subcategories: TaxonomyLabel[] })[];
}
/** Scores and thresholds (rules/scoring.yaml). */
export interface Scoring {
  category: { threshold: number; contextKeeps: number; secondSubcategory: { ofTop: number; ofThreshold: number } };
  rootCause: { threshold: number; contextKeeps: number };
  function: { threshold: number };
  heading: { functionPrior: number; subheadingPrior: number; categoryPrior: number; decay: number; enumeratedTitleMax: number };
  document: { leadUnits: number; functionPrior: number };
  /** Topic continuity: which units continue the area of their paragraph's opening sentence or section heading. */
  /** `headingFunctions`: functions that take a topic from their section heading only (optional; none when absent). */
  topic: { functions: FunctionId[]; headingFunctions?: FunctionId[]; fromParagraph: boolean; fromRow?: boolean; fromHeading: boolean; fromTitle: boolean; titleMax: number; rootCauses: boolean; scoreShare: number };
  /** How many hits of one rule count towards one label of one unit (more hits add evidence, not score). */
  perRuleCap: { function: number; category: number; rootCause: number };
}

/**
 * A fitted linear model of the function (`function-model.json`): per feature name (see the engine's
 * `functionFeatures`), its weight for each function. When a ruleset has one, it decides the function instead of the
 * hand-set priors of `scoring.yaml`.
 */
/**
 * A fitted linear model that decides which of a unit's candidate categories (every category with rule evidence in the
 * unit) it reports (`category-model.json`): per feature name (see the engine's `categoryFeatures`) its weight; a
 * candidate is kept when the weighted sum of its features exceeds `threshold`.
 */
export interface CategoryModel {
  threshold: number;
  weights: Record<string, number>;
}

export interface FunctionModel {
  weights: Record<string, Partial<Record<FunctionId, number>>>;
}

/** What a rule contributes when it fires. */
export interface RuleTarget {
  category?: { id: CategoryId; subcategory: string | null };
  rootCause?: RootCauseId;
  function?: FunctionId;
}

/** An example of a rule, as written. */
export interface RuleExample {
  text: string;
  spans?: string[];
  /** Where the example stands in its rule file (1-based), set when the rule is compiled. */
  line?: number;
  column?: number;
}

/** A validated, compiled rule. */
export interface CompiledRule {
  /** Stable id: the file path below its top folder, dots for slashes, then the rule's own id. */
  id: string;
  kind: RuleKind;
  file: string;
  line: number;
  column: number;
  description?: string;
  target: RuleTarget;
  weight: number;
  /** Weight of a category or root-cause hit in a `measure` unit (words that fill rectification demands as boilerplate); default `weight`. */
  measureWeight: number;
  /** Where a hit must meet token boundaries: both ends, the start only (prefixes of longer words), or nowhere. */
  boundary: 'token' | 'start' | 'none';
  terms: string[];
  first: string[];
  then: string[];
  within: number;
  ordered: boolean;
  /** `document` rules only: the rule fires when none of its terms occurs anywhere in the document. */
  absent: boolean;
  /** `heading` rules only: the terms count only in a table's header row (the header of the cells below it). */
  columnHeader: boolean;
  regex?: RegExp;
  window: number;
  scope: ('function' | 'category' | 'rootCause')[];
  /** Rule-id prefixes affected by an `exclude` or `negation` rule (all rules when empty). */
  targets: string[];
  examples: { match: RuleExample[]; noMatch: RuleExample[] };
  /** `terms`/`near` rules: why their `noMatch` examples may lack a term (the rule tester otherwise rejects them). */
  noMatchWithoutTerm?: string;
}

/** Which rule owns an automaton term, and in which role. */
export interface TermOwner {
  rule: number;
  role: 'terms' | 'first' | 'then';
}

export type { Lexicon, UnitType, UnitTypeList } from '@xunshi/types';

/** A loaded ruleset: taxonomy, scoring, rules, the one automaton over all their terms, lexicon and unit types. */
export interface RuleSet {
  taxonomy: Taxonomy;
  scoring: Scoring;
  /** The fitted function model, when a folder has `function-model.json` (the last one that has it). */
  functionModel?: FunctionModel;
  /** The fitted category model, when a folder has `category-model.json` (the last one that has it). */
  categoryModel?: CategoryModel;
  rules: CompiledRule[];
  automaton: import('./automaton.js').Automaton;
  /** For each automaton term index, the rules that use it. */
  termOwners: TermOwner[][];
  /** The distinct terms, index-aligned with `termOwners`. */
  terms: string[];
  /** Folders the rules came from, in load order. */
  dirs: string[];
  /** The segmenter lexicon of all folders. */
  lexicon: Lexicon;
  /** The unit-type list of all folders (empty when no folder has `facts/unit-types.yaml`). */
  unitTypes: UnitTypeList;
  /**
   * `sha256:` over every file that was read (rules, taxonomy, scoring, lexicon, unit types: everything that shapes the
   * output), each as its path below its folder and its bytes, in load order. This is the report's `tool.rulesetHash`.
   */
  hash: string;
  /** Milliseconds spent loading and compiling. */
  compileMs: number;
}

/** One place where a rule fired, in UTF-16 offsets into the document. */
export interface RuleHit extends Range {
  rule: number;
}
