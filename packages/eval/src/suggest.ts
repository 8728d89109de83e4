import { sep } from 'node:path';
import { CATEGORY_IDS, ERROR_CODES, FUNCTION_IDS, ROOT_CAUSE_IDS, XunshiError, type Passage } from '@xunshi/types';
import { createMatchingCopy, segment } from '@xunshi/tokenizer';
import type { EvalAnalyzer } from './analyzer.js';
import { findGoldDocuments, readGoldDocument, type GoldDocument } from './eval.js';
import { labelsAt, type GoldUnit, type SystemLabels } from './score.js';

/** Options of {@link suggestPhrases}. */
export interface SuggestOptions {
  /** Only this label (a function, category, subcategory or root-cause id); default every label of the gold. */
  label?: string;
  /** Phrases per label. Default 10. */
  top?: number;
  /** Only this part of the folder's `index.tsv` (see `findGoldDocuments`); `held-out` is refused. */
  part?: string;
  /** Longest n-gram, in tokens. Default 3. */
  maxTokens?: number;
  /** A phrase must occur in missed units of at least this many documents. Default 2. */
  minDocuments?: number;
  /**
   * A phrase must say more of the label than its base rate `b` (the share of gold units with the label): precision at
   * least `min(minLift × b, (1 + b) / 2)`. Default 3; 0 keeps function words.
   */
  minLift?: number;
}

/** A unit where a phrase occurs, with a short excerpt around it. */
export interface PhraseExample {
  /** Document name relative to the gold folder. */
  doc: string;
  /** The gold unit's `i`. */
  unit: number;
  /** At most 40 characters of the unit around the phrase. */
  excerpt: string;
}

/** A phrase that could extend the rules of a label. */
export interface PhraseSuggestion {
  /** The n-gram, as the matching copy spells it (simplified, half-width). */
  phrase: string;
  /** How many jieba tokens it spans. */
  tokens: number;
  /** Gold units with the label that the analyzer missed and that contain the phrase. */
  missed: number;
  /** Of all gold units containing the phrase, the share that have the label. */
  precision: number;
  /** All gold units containing the phrase. */
  units: number;
  /** Documents and sites of the missed units that contain it. */
  documents: number;
  sites: number;
  /** Up to 3 missed units containing it, in document order. */
  examples: PhraseExample[];
}

/** The suggestions for one label. */
export interface LabelSuggestions {
  label: string;
  kind: 'function' | 'category' | 'subcategory' | 'rootCause';
  /** Gold units with the label. */
  goldUnits: number;
  /** Of those, the units the analyzer did not give it. */
  missedUnits: number;
  phrases: PhraseSuggestion[];
}

/** Result of {@link suggestPhrases}. */
export interface SuggestResult {
  folder: string;
  part?: string;
  documents: number;
  units: number;
  /** Documents left out because their index says part=held-out (never read for writing rules). */
  heldOut: number;
  labels: LabelSuggestions[];
}

/** One gold unit as the suggester sees it. */
interface UnitView {
  doc: string;
  site: string;
  i: number;
  text: string;
  /** n-gram → its token count and the offsets (in the unit) where it starts. */
  grams: Map<string, Ngram>;
  gold: Set<string>;
  missed: Set<string>;
  /** Evidence spans (unit offsets) the analyzer gave for each label on the passages covering the unit. */
  spans: Map<string, [number, number][]>;
}

const PUNCT_ONLY = /^[\p{P}\p{S}\p{Z}\s\p{Cf}]*$/u;
const PUNCT_OR_DIGITS_ONLY = /^[\p{N}\p{P}\p{S}\p{Z}\s\p{Cf}]*$/u;
/** Fillers of the matching copy (pinyin glosses, `MATCH_FILLER`) and other format characters: not part of a phrase. */
const FORMAT = /[\p{Cf}]/gu;
const FORMAT_ONLY = /^[\p{Cf}]+$/u;
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function labelKind(label: string): LabelSuggestions['kind'] | undefined {
  if ((FUNCTION_IDS as readonly string[]).includes(label)) return 'function';
  if ((CATEGORY_IDS as readonly string[]).includes(label)) return 'category';
  if ((ROOT_CAUSE_IDS as readonly string[]).includes(label)) return 'rootCause';
  const dot = label.indexOf('.');
  if (dot > 0 && (CATEGORY_IDS as readonly string[]).includes(label.slice(0, dot)) && label.length > dot + 1) return 'subcategory';
  return undefined;
}

/** Every label a gold unit or a system reading carries: its function, categories, subcategories and root causes. */
function labelSet(u: Pick<SystemLabels, 'function' | 'categories' | 'rootCauses'>): Set<string> {
  const out = new Set<string>([u.function]);
  for (const c of u.categories) {
    out.add(c.id);
    if (c.subcategory) out.add(c.subcategory);
  }
  for (const r of u.rootCauses) out.add(r);
  return out;
}

/** Evidence the analyzer gave, per label, on the passages overlapping a range: spans and texts. */
function evidenceOf(passages: readonly Passage[], start: number, end: number): Map<string, { start: number; end: number; text: string }[]> {
  const out = new Map<string, { start: number; end: number; text: string }[]>();
  const add = (label: string, ev: readonly { start: number; end: number; text: string }[]): void => {
    if (!ev.length) return;
    let list = out.get(label);
    if (!list) out.set(label, (list = []));
    list.push(...ev);
  };
  for (const p of passages) {
    if (p.end <= start || p.start >= end) continue;
    add(p.function, p.functionEvidence);
    for (const c of p.categories) {
      add(c.id, c.evidence);
      if (c.subcategory) add(c.subcategory, c.evidence);
    }
    for (const r of p.rootCauses) add(r.id, r.evidence);
  }
  return out;
}

/** An n-gram of a text: how many tokens it spans (where first seen) and where it starts. */
export interface Ngram {
  tokens: number;
  offsets: number[];
}

/**
 * The n-grams of 1..maxTokens consecutive tokens of a text (none with a token of punctuation or space, none of digits
 * only), each with the offsets where it starts, in text order.
 */
export function tokenNgrams(text: string, tokens: readonly { start: number; end: number; text: string }[], maxTokens = 3): Map<string, Ngram> {
  const out = new Map<string, Ngram>();
  // Tokens of fillers only (a pinyin gloss in the matching copy) are transparent.
  tokens = tokens.filter((t) => !FORMAT_ONLY.test(t.text));
  for (let i = 0; i < tokens.length; i++) {
    for (let n = 1; n <= maxTokens && i + n <= tokens.length; n++) {
      const last = tokens[i + n - 1]!;
      if (PUNCT_ONLY.test(last.text)) break;
      if (n === 1 && PUNCT_ONLY.test(tokens[i]!.text)) break;
      const start = tokens[i]!.start;
      const gram = text.slice(start, last.end).replace(FORMAT, '');
      if (PUNCT_OR_DIGITS_ONLY.test(gram)) continue;
      let g = out.get(gram);
      if (!g) out.set(gram, (g = { tokens: n, offsets: [] }));
      if (g.offsets.at(-1) !== start) g.offsets.push(start);
    }
  }
  return out;
}

/** At most `width` characters of `text` around `[start, start + length)`. */
export function excerptAround(text: string, start: number, length: number, width = 40): string {
  if (text.length <= width) return text;
  const from = Math.max(0, Math.min(text.length - width, start - Math.floor((width - length) / 2)));
  return text.slice(from, from + width);
}

/**
 * Check the options of {@link suggestPhrases} (label, part; a usage error names what is wrong) and list the gold
 * documents it would read: `docs`, which leaves out those of part=held-out.
 */
export function checkSuggestOptions(dir: string, options: SuggestOptions = {}): { all: GoldDocument[]; docs: GoldDocument[] } {
  if (options.part === 'held-out') throw new XunshiError(ERROR_CODES.USAGE, '--part held-out: held-out texts are never read while writing rules; score them with `xunshi eval --part held-out`', { file: dir });
  if (options.label !== undefined && !labelKind(options.label)) {
    throw new XunshiError(ERROR_CODES.USAGE, `--label ${options.label}: not a function, category, subcategory or root-cause id (${[...FUNCTION_IDS, ...CATEGORY_IDS, ...ROOT_CAUSE_IDS].join(', ')}, or CATEGORY.SUB)`);
  }
  const all = findGoldDocuments(dir, options.part !== undefined ? { part: options.part } : {});
  return { all, docs: all.filter((d) => d.part !== 'held-out') };
}

/**
 * Phrases that distinguish a label in gold and that no rule matches (issue item 6), for rule writers: for each label,
 * n-grams of 1–3 tokens of the analyzer's segmenter over the matching copy of the gold units, ranked by how many
 * gold units with the label the analyzer missed contain them, then by their precision on the whole gold (units with
 * the n-gram that have the label / units with the n-gram). Left out: n-grams no more precise than `minLift` times the
 * label's base rate (function words), n-grams inside an evidence span the analyzer gave
 * for the label (on the unit, or as the text of any evidence for the label anywhere in the gold), n-grams of
 * punctuation or digits only, and n-grams whose missed units lie in fewer than `minDocuments` documents. Documents whose
 * index says part=held-out are never read. Deterministic: ties go by n-gram, in code-point order.
 */
export function suggestPhrases(analyzer: EvalAnalyzer, dir: string, options: SuggestOptions = {}): SuggestResult {
  const top = options.top ?? 10;
  const maxTokens = options.maxTokens ?? 3;
  const minDocuments = options.minDocuments ?? 2;
  const minLift = options.minLift ?? 3;
  const { all, docs } = checkSuggestOptions(dir, options);
  if (options.label !== undefined && labelKind(options.label) === 'subcategory' && analyzer.labels && !Object.hasOwn(analyzer.labels, options.label)) {
    const category = options.label.split('.')[0]!;
    const known = Object.keys(analyzer.labels).filter((id) => id.startsWith(`${category}.`)).sort();
    throw new XunshiError(ERROR_CODES.USAGE, `--label ${options.label}: not a subcategory of the rules' taxonomy (${category}: ${known.join(', ') || 'none'})`);
  }
  const units: UnitView[] = [];
  /**
   * Label → matching-copy texts of every evidence the analyzer gave for it, and of the terms of the rules that give it
   * (a rule whose evidence stayed below the label's threshold is the rule to weigh, not a phrase to add).
   */
  const knownEvidence = new Map<string, Set<string>>();
  for (const rule of analyzer.ruleset?.rules ?? []) {
    const t = rule.target;
    const labels = [t.function, t.rootCause, t.category?.id, t.category?.subcategory ?? undefined].filter((l): l is string => l !== undefined);
    for (const label of labels) {
      let set = knownEvidence.get(label);
      if (!set) knownEvidence.set(label, (set = new Set()));
      for (const term of rule.terms) set.add(createMatchingCopy(term).normalized);
    }
  }
  for (const d of docs) {
    const { gold, report } = readGoldDocument(analyzer, d);
    const doc = d.name.split(sep).join('/');
    const site = d.site ?? doc.replace(/\.(txt|md|markdown)$/, '');
    for (const p of report.passages) {
      for (const [label, ev] of evidenceOf([p], p.start, p.end)) {
        let set = knownEvidence.get(label);
        if (!set) knownEvidence.set(label, (set = new Set()));
        for (const e of ev) set.add(createMatchingCopy(e.text).normalized);
      }
    }
    for (const u of gold.units as GoldUnit[]) {
      const sys = labelsAt(report.passages, u);
      const goldLabels = labelSet(u);
      const sysLabels = labelSet(sys);
      const { normalized } = createMatchingCopy(u.text);
      const tokens = segment(normalized, [{ start: 0, end: normalized.length }], analyzer.lexicon);
      const spans = new Map<string, [number, number][]>();
      for (const [label, ev] of evidenceOf(report.passages, u.start, u.end)) spans.set(label, ev.map((e) => [e.start - u.start, e.end - u.start]));
      units.push({
        doc,
        site,
        i: u.i,
        text: u.text,
        grams: tokenNgrams(normalized, tokens, maxTokens),
        gold: goldLabels,
        missed: new Set([...goldLabels].filter((l) => !sysLabels.has(l))),
        spans,
      });
    }
  }
  // Units containing each n-gram, and of those, the units with each label.
  const withGram = new Map<string, number>();
  for (const u of units) for (const g of u.grams.keys()) withGram.set(g, (withGram.get(g) ?? 0) + 1);
  const labelOrder = (l: string): [number, string] => {
    const k = labelKind(l);
    return [k === 'function' ? (FUNCTION_IDS as readonly string[]).indexOf(l) : k === 'category' || k === 'subcategory' ? 10 + (CATEGORY_IDS as readonly string[]).indexOf(l.split('.')[0]!) : 20 + (ROOT_CAUSE_IDS as readonly string[]).indexOf(l), l];
  };
  const goldLabels = new Set<string>();
  for (const u of units) for (const l of u.gold) goldLabels.add(l);
  const labels = options.label !== undefined ? [options.label] : [...goldLabels].filter((l) => labelKind(l)).sort((a, b) => {
    const [x, xs] = labelOrder(a);
    const [y, ys] = labelOrder(b);
    return x - y || cmp(xs, ys);
  });
  const out: LabelSuggestions[] = [];
  for (const label of labels) {
    const known = [...(knownEvidence.get(label) ?? [])];
    const withLabel = new Map<string, number>();
    for (const u of units) if (u.gold.has(label)) for (const g of u.grams.keys()) withLabel.set(g, (withLabel.get(g) ?? 0) + 1);
    const cand = new Map<string, { tokens: number; missed: number; docs: Set<string>; sites: Set<string>; examples: PhraseExample[] }>();
    let goldUnits = 0;
    let missedUnits = 0;
    for (const u of units) {
      if (!u.gold.has(label)) continue;
      goldUnits++;
      if (!u.missed.has(label)) continue;
      missedUnits++;
      const spans = u.spans.get(label) ?? [];
      for (const [g, { tokens, offsets }] of u.grams) {
        const off = offsets.find((o) => !spans.some(([s, e]) => s <= o && o + g.length <= e));
        if (off === undefined) continue;
        if (known.some((t) => t.includes(g))) continue;
        let c = cand.get(g);
        if (!c) cand.set(g, (c = { tokens, missed: 0, docs: new Set(), sites: new Set(), examples: [] }));
        c.missed++;
        c.docs.add(u.doc);
        c.sites.add(u.site);
        if (c.examples.length < 3) c.examples.push({ doc: u.doc, unit: u.i, excerpt: excerptAround(u.text, off, g.length) });
      }
    }
    const base = goldUnits / (units.length || 1);
    const minPrecision = Math.min(minLift * base, (1 + base) / 2);
    const phrases: PhraseSuggestion[] = [...cand.entries()]
      .filter(([g, c]) => c.docs.size >= minDocuments && (withLabel.get(g) ?? 0) / (withGram.get(g) ?? 1) >= minPrecision)
      .map(([g, c]) => ({
        phrase: g,
        tokens: c.tokens,
        missed: c.missed,
        precision: (withLabel.get(g) ?? 0) / (withGram.get(g) ?? 1),
        units: withGram.get(g) ?? 0,
        documents: c.docs.size,
        sites: c.sites.size,
        examples: c.examples,
      }))
      .sort((a, b) => b.missed - a.missed || b.precision - a.precision || b.documents - a.documents || cmp(a.phrase, b.phrase))
      .slice(0, top);
    out.push({ label, kind: labelKind(label)!, goldUnits, missedUnits, phrases });
  }
  return { folder: dir, ...(options.part !== undefined ? { part: options.part } : {}), documents: docs.length, units: units.length, heldOut: all.length - docs.length, labels: out };
}

const f2 = (x: number): string => x.toFixed(2);

/** A readable list of suggestions, label by label. */
export function formatSuggestText(r: SuggestResult): string {
  const lines: string[] = [];
  lines.push(`xunshi rules suggest: ${r.documents} document(s), ${r.units} gold unit(s) of ${r.folder}${r.part !== undefined ? ` (part ${r.part})` : ''}`);
  if (r.heldOut) lines.push(`left out ${r.heldOut} document(s) marked part=held-out: held-out texts are never read while writing rules`);
  lines.push('phrases in units the analyzer missed, that no evidence of the label contains; precision over all gold units with the phrase');
  for (const l of r.labels) {
    lines.push('');
    lines.push(`${l.label} (${l.kind}): ${l.goldUnits} gold unit(s), ${l.missedUnits} missed`);
    if (!l.phrases.length) {
      lines.push('  (no phrase in missed units of 2 or more documents)');
      continue;
    }
    lines.push(`  ${'missed'.padStart(6)} ${'prec'.padStart(5)} ${'units'.padStart(5)} ${'docs'.padStart(4)} ${'sites'.padStart(5)}  phrase`);
    for (const p of l.phrases) {
      lines.push(`  ${String(p.missed).padStart(6)} ${f2(p.precision).padStart(5)} ${String(p.units).padStart(5)} ${String(p.documents).padStart(4)} ${String(p.sites).padStart(5)}  ${p.phrase}`);
      for (const e of p.examples) lines.push(`${' '.repeat(32)}${e.doc}#${e.unit}  ${e.excerpt}`);
    }
  }
  return lines.join('\n') + '\n';
}
