/**
 * Values that a rules folder provides to the segmenter and the fact extractor. `@xunshi/rules` reads and validates
 * them (`lexicon/*.txt`, `facts/unit-types.yaml`); `@xunshi/tokenizer` and `@xunshi/facts` receive them and read no
 * files.
 */

/** The segmenter's domain lexicon: `word freq tag` (or lone `word`) entries of the `lexicon/*.txt` files of every rules folder. */
export interface Lexicon {
  /** Absolute paths of the lexicon files (nodejieba loads its user dictionary from files), in load order. */
  files: string[];
  /** The entries, in file order. */
  entries: { word: string; freq?: number; tag?: string }[];
  /** sha256 over the files' names and contents (`none` without files); a changed lexicon reloads the dictionary. */
  hash: string;
  /** Number of entries. */
  size: number;
}

/** One type of inspected unit, as listed in `facts/unit-types.yaml`. */
export interface UnitType {
  /** Stable kebab-case id, e.g. `municipal-department`. */
  id: string;
  label: { zh: string; en: string };
  /** Surface terms recognised anywhere in the text. */
  terms: string[];
  /** Short, ambiguous terms (县, 村) recognised only right after a determiner or a measure word. */
  boundTerms: string[];
}

/** The validated unit-type list. */
export interface UnitTypeList {
  /** Path of the file it was read from (the last one when several folders have one; empty when none has). */
  file: string;
  /** Words that let a bound term stand (某, 该, 各 …); they become part of the fact's text. */
  determiners: string[];
  /**
   * Words inside which no term counts (科学院 holds 学院, 市场 holds 市 after 各): a hit that lies wholly within an
   * occurrence of a longer one of them is no unit type. Absent: none.
   */
  notWithin?: string[];
  types: UnitType[];
}
