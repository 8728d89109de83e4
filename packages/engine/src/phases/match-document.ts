import type { Diagnostic, FunctionId, Token, TokenColumns, Unit } from '@xunshi/types';
import type { AutomatonHitColumns, RuleSet } from '@xunshi/rules';
import { collectDocumentPatternHits } from '@xunshi/rules/kinds';
import { collectBoundaries, matchRange, type RuleHit, type UnitHits } from '../match.js';
import type { FeatureVector } from './function-features.js';
import type { CategoryCandidate } from './category-model.js';

/** The document as the engine sees it: source text, its same-length matching copy, units and tokens. */
export interface EngineInput {
  source: string;
  /** Matching copy of `source` (same length; simplified, half-width). */
  normalized: string;
  units: readonly Unit[];
  /** The segmenter's tokens, as objects (`segment`) or as columns (`segmentColumns`, no object per token). */
  tokens: readonly Token[] | TokenColumns;
  /** When given, document-level findings (such as an absence rule firing) are appended here. */
  diagnostics?: Diagnostic[];
  /** When given, each unit's function-model features are appended here, in unit order (for fitting the model). */
  features?: FeatureVector[];
  /** When given, every unit's candidate categories (with their category-model features) are appended here, in unit order. */
  categorySamples?: (CategoryCandidate & { unit: number })[];
  /**
   * When given, the function it returns for a unit (its index and the unit as the engine reads it) replaces the decided
   * one before categories and root causes are decided; `undefined` keeps the decision. For measuring how much of the
   * label error is the function's (`scripts/experiments/oracle.mjs`). The passage keeps the decision's scores and
   * evidence.
   */
  functionOf?: (unit: Unit, index: number) => FunctionId | undefined;
}

/** A heading's cues (one hit per rule) and how many distinct functions they announce. */
export interface HeadingCues {
  cues: RuleHit[];
  functions: number;
}

/** What the match phase knows about a whole document before any unit is labelled. */
export interface MatchedDocument {
  /** Each unit's hits, index-aligned with the units. */
  perUnit: UnitHits[];
  /** Document-kind cues from the lead that count as a prior (the strongest rule only, each rule once). */
  documentHits: RuleHit[];
  /** `document` rules with `absent: true` whose terms occur nowhere in the document. */
  absentRules: number[];
  /** Each unit's heading cues (used when the unit is a heading or a short enumerated title). */
  headingCues: HeadingCues[];
}

/**
 * Match phase: one automaton pass over the whole document, hits bucketed by unit and filtered by {@link matchRange};
 * then the document-level cues (lead and absence rules) and every unit's heading cues.
 */
export function matchDocument(ruleset: RuleSet, input: EngineInput): MatchedDocument {
  const { rules, scoring } = ruleset;
  const { normalized, units } = input;
  const boundaries = collectBoundaries(input.tokens);
  const all = sortByStart(ruleset.automaton.searchColumns(normalized), normalized.length);
  // Every pattern rule's regex hits, unit by unit, in one pass over the document (a long unit: its own pass).
  const patternHits = collectDocumentPatternHits(rules, normalized, units, boundaries);
  const perUnit: UnitHits[] = [];
  let cursor = 0;
  for (let ui = 0; ui < units.length; ui++) {
    const unit = units[ui]!;
    while (cursor < all.count && all.starts[cursor]! < unit.start) cursor++;
    let to = cursor;
    while (to < all.count && all.starts[to]! < unit.end) to++;
    // The hits that start inside the unit (those that end past it are left out by matchRange).
    perUnit.push(matchRange(ruleset, normalized, unit, boundaries, { starts: all.starts, ends: all.ends, terms: all.terms, from: cursor, to }, patternHits[ui]));
  }
  // A document is of one kind, so only the strongest document rule that fires in the lead counts (a rectification
  // report also mentions the feedback it answers), once.
  const leadHits = perUnit.slice(0, scoring.document.leadUnits).flatMap((u) => u.document).filter((h) => !rules[h.rule]!.absent);
  const topWeight = Math.max(0, ...leadHits.map((h) => rules[h.rule]!.weight));
  const documentHits: RuleHit[] = [];
  for (const h of leadHits) {
    if (rules[h.rule]!.weight === topWeight && !documentHits.some((d) => d.rule === h.rule)) documentHits.push(h);
  }
  // An `absent` document rule fires when none of its terms occurs anywhere (e.g. a text with no inspection vocabulary).
  const seenAnywhere = new Set(perUnit.flatMap((u) => u.document.map((h) => h.rule)));
  const absentRules = rules.map((r, i) => (r.kind === 'document' && r.absent && !seenAnywhere.has(i) ? i : -1)).filter((i) => i >= 0);
  for (const ri of absentRules) {
    input.diagnostics?.push({ code: 'XUNSHI_DOCUMENT_KIND', message: `${rules[ri]!.id}: ${rules[ri]!.description ?? 'document rule fired by absence'}` });
  }
  // A heading that repeats a term announces it once; a heading that announces several functions (表现、根源与治理) is an
  // overview, which the function phase recognises by `functions > 1`.
  // A column-header rule's terms (问题) count only in a table's header row.
  const headingCues = perUnit.map((u, ui) => {
    const seen = new Set<number>();
    const inHeader = units[ui]!.cell?.isHeader === true;
    const cues = u.heading.filter((h) => (seen.has(h.rule) || (rules[h.rule]!.columnHeader && !inHeader) ? false : (seen.add(h.rule), true)));
    return { cues, functions: new Set(cues.flatMap((h) => rules[h.rule]!.target.function ?? [])).size };
  });
  return { perUnit, documentHits, absentRules, headingCues };
}

/**
 * The automaton's hits (ordered by end, then by start) ordered by start, then end, then term, with one stable
 * counting pass over the starts instead of a comparison sort. Two hits never share both start and end (the same span
 * is the same string, and terms are distinct), so the order is the one `(start, end, term)` gives.
 */
function sortByStart(hits: AutomatonHitColumns, length: number): AutomatonHitColumns {
  const n = hits.count;
  if (n < 2) return hits;
  const counts = new Int32Array(length + 2);
  for (let k = 0; k < n; k++) counts[hits.starts[k]! + 1]!++;
  for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const terms = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const at = counts[hits.starts[k]!]!++;
    starts[at] = hits.starts[k]!;
    ends[at] = hits.ends[k]!;
    terms[at] = hits.terms[k]!;
  }
  return { count: n, starts, ends, terms };
}
