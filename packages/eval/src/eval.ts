import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { EvalAnalyzer as Analyzer } from './analyzer.js';
import { addUnitScore, computeScoreFigures, createScoreCounts, labelsAt, mergeScoreCounts, type GoldFile, type GoldUnit, type ScoreCounts, type ScoreFigures, type SystemLabels } from './score.js';
import { bootstrapIntervals, formatIntervals, type EvalIntervals } from './intervals.js';

/** A gold document found in a folder: the text file and its gold file. */
export interface GoldDocument {
  /** Path of the text relative to the gold folder. */
  name: string;
  textPath: string;
  goldPath: string;
  /** Kind from an `index.tsv` beside the files (feedback, rectification, analysis, negative), when present. */
  kind?: string;
  /** Script from `index.tsv` (simplified, traditional), when present. */
  script?: string;
  /** Site from `index.tsv` (its `site` column, else the host of its `url`), when present. */
  site?: string;
  /** Part of the corpus from `index.tsv` (`tuning`, `held-out`), when the index has a `part` column. */
  part?: string;
}

/** Options of {@link findGoldDocuments}. */
export interface FindGoldOptions {
  /**
   * Keep only the documents whose `index.tsv` row has this `part`. Documents without a row are left out. A folder
   * whose indexes have no `part` column, or a value no index names, is a usage error.
   */
  part?: string;
}

/** A unit where the system and the gold disagree. */
export interface UnitDisagreement {
  doc: string;
  unit: number;
  text: string;
  gold: { function: string; categories: string[]; rootCauses: string[] };
  system: { function: string; categories: string[]; rootCauses: string[] };
  /** Rules that fired on the covering passage. */
  rules: string[];
  /** 2 for a wrong function, plus 1 for wrong categories, plus 1 for wrong root causes. */
  severity: number;
}

/** Result of an evaluation run. */
export interface EvalResult {
  documents: number;
  overall: ScoreFigures;
  perDocument: { doc: string; kind?: string; figures: ScoreFigures }[];
  perKind: Record<string, ScoreFigures>;
  worst: UnitDisagreement[];
  /** Bootstrap intervals of the headline figures over documents, when asked for (`intervals`). */
  intervals?: EvalIntervals;
  /** Each document's counts, in the order of `perDocument`, when asked for (`keepCounts`: paired comparisons). */
  perDocumentCounts?: ScoreCounts[];
}

/** The `index.tsv` of a gold folder (one row per document: id, kind, script, encoding, format, …), keyed by id. */
export function readGoldIndex(dir: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const path = join(dir, 'index.tsv');
  if (!existsSync(path)) return out;
  const [head, ...rows] = readFileSync(path, 'utf8').split(/\r?\n/).filter(Boolean);
  const cols = head!.split('\t');
  for (const row of rows) {
    const cells = row.split('\t');
    const rec = Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
    if (rec.id) out.set(rec.id, rec);
  }
  return out;
}

/** The host of a URL, or undefined when it is not one. */
function hostOf(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * Find every `NAME.txt`/`NAME.md`/`NAME.markdown` with a `NAME.gold.json` below `dir` (recursively), sorted, with
 * what the `index.tsv` beside it says of it (kind, script, site, part). With `options.part`, only that part.
 */
export function findGoldDocuments(dir: string, options: FindGoldOptions = {}): GoldDocument[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new XunshiError(ERROR_CODES.USAGE, `gold folder not found: ${dir}`, { file: dir });
  const out: GoldDocument[] = [];
  const parts = new Set<string>();
  let partColumn = false;
  const walk = (d: string): void => {
    const index = readGoldIndex(d);
    for (const rec of index.values()) {
      if ('part' in rec) {
        partColumn = true;
        if (rec.part) parts.add(rec.part);
      }
    }
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const m = /^(.*)\.(txt|md|markdown)$/.exec(name);
      if (!m) continue;
      const goldPath = join(d, `${m[1]}.gold.json`);
      if (!existsSync(goldPath)) continue;
      const meta = index.get(m[1]!);
      const doc: GoldDocument = { name: relative(dir, full), textPath: full, goldPath };
      if (meta?.kind) doc.kind = meta.kind;
      if (meta?.script) doc.script = meta.script;
      const site = meta?.site || hostOf(meta?.url);
      if (site) doc.site = site;
      if (meta?.part) doc.part = meta.part;
      out.push(doc);
    }
  };
  walk(dir);
  if (options.part === undefined) return out;
  if (!partColumn) throw new XunshiError(ERROR_CODES.USAGE, `--part ${options.part}: no index.tsv below ${dir} has a "part" column`, { file: join(dir, 'index.tsv') });
  if (!parts.has(options.part)) {
    throw new XunshiError(ERROR_CODES.USAGE, `--part ${options.part}: unknown part; the index.tsv below ${dir} names ${[...parts].sort().join(', ') || 'no part'}`, { file: join(dir, 'index.tsv') });
  }
  return out.filter((d) => d.part === options.part);
}

/** Read and check a gold file (taxonomy.md format). */
export function readGoldFile(path: string): GoldFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new XunshiError(ERROR_CODES.GOLD_INVALID, `gold file is not valid JSON: ${(e as Error).message}`, { file: path });
  }
  const g = data as GoldFile;
  if (!g || !Array.isArray(g.units)) throw new XunshiError(ERROR_CODES.GOLD_INVALID, 'gold file has no "units" array', { file: path });
  g.units.forEach((u: GoldUnit, i) => {
    if (typeof u.start !== 'number' || typeof u.end !== 'number' || !u.function || !Array.isArray(u.categories) || !Array.isArray(u.rootCauses)) {
      throw new XunshiError(ERROR_CODES.GOLD_INVALID, `unit ${i} lacks start/end/function/categories/rootCauses`, { file: path });
    }
  });
  return g;
}

const labelKey = (c: { id: string; subcategory: string | null }): string => c.subcategory ?? `${c.id}.*`;

function describe(u: { function: string; categories: { id: string; subcategory: string | null }[]; rootCauses: string[] }): UnitDisagreement['gold'] {
  return { function: u.function, categories: u.categories.map(labelKey).sort(), rootCauses: [...u.rootCauses].sort() };
}

/**
 * Run the analyzer on every gold document below `dir` and score it with the protocol of taxonomy.md: per-label
 * precision/recall/F1 over units, micro and macro averages, function accuracy and subcategory accuracy. With
 * `part`, only the documents of that part of the folder's `index.tsv` are read and scored (see {@link FindGoldOptions}).
 */
export function evaluateGold(analyzer: Analyzer, dir: string, options: { worst?: number; part?: string; intervals?: number; keepCounts?: boolean } = {}): EvalResult {
  const docs = findGoldDocuments(dir, options.part !== undefined ? { part: options.part } : {});
  const total = createScoreCounts();
  const byKind = new Map<string, ScoreCounts>();
  const perDocument: EvalResult['perDocument'] = [];
  const documentCounts: ScoreCounts[] = [];
  const worst: UnitDisagreement[] = [];
  for (const d of docs) {
    const gold = readGoldFile(d.goldPath);
    const report = analyzer.analyze(readFileSync(d.textPath), { path: d.textPath });
    const counts = createScoreCounts();
    for (const u of gold.units) {
      const sys: SystemLabels = labelsAt(report.passages, u);
      addUnitScore(counts, u, sys);
      const g = describe(u);
      const s = describe(sys);
      const severity = (g.function !== s.function ? 2 : 0) + (g.categories.join() !== s.categories.join() ? 1 : 0) + (g.rootCauses.join() !== s.rootCauses.join() ? 1 : 0);
      if (severity) worst.push({ doc: d.name, unit: u.i, text: u.text, gold: g, system: s, rules: sys.rules, severity });
    }
    mergeScoreCounts(total, counts);
    documentCounts.push(counts);
    const kind = d.kind ?? 'unknown';
    if (!byKind.has(kind)) byKind.set(kind, createScoreCounts());
    mergeScoreCounts(byKind.get(kind)!, counts);
    if (d.script === 'traditional') {
      if (!byKind.has('traditional')) byKind.set('traditional', createScoreCounts());
      mergeScoreCounts(byKind.get('traditional')!, counts);
    }
    perDocument.push({ doc: d.name, ...(d.kind ? { kind: d.kind } : {}), figures: computeScoreFigures(counts) });
  }
  worst.sort((a, b) => b.severity - a.severity || (a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : a.unit - b.unit));
  return {
    documents: docs.length,
    overall: computeScoreFigures(total),
    perDocument,
    perKind: Object.fromEntries([...byKind.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, computeScoreFigures(v)])),
    worst: worst.slice(0, options.worst ?? 20),
    ...(options.intervals !== undefined ? { intervals: bootstrapIntervals(documentCounts, { resamples: options.intervals }) } : {}),
    ...(options.keepCounts ? { perDocumentCounts: documentCounts } : {}),
  };
}

const f3 = (x: number): string => x.toFixed(3);

/** The headline figures of an evaluation as one line. */
export function formatHeadline(f: ScoreFigures): string {
  // With no gold label at all (texts that are not inspection reports) F1 says nothing; say how many labels were given.
  const f1 = (x: ScoreFigures['categories']['micro']): string => (x.support === 0 ? `n/a (no gold labels, ${x.predicted} given)` : f3(x.f1));
  const sub = f.subcategorySupport === 0 ? 'n/a' : f3(f.subcategoryAccuracy);
  return `category micro-F1 ${f1(f.categories.micro)}  root-cause micro-F1 ${f1(f.rootCauses.micro)}  function accuracy ${f3(f.functions.accuracy)}  subcategory accuracy ${sub}  (${f.units} units)`;
}

/** A readable evaluation report; `perDocumentHidden`: the per-document figures were left out (the held-out part). */
export function formatEvalText(r: EvalResult & { perDocumentHidden?: boolean }, title = 'rules'): string {
  const o = r.overall;
  const lines: string[] = [];
  lines.push(`xunshi eval (${title}): ${r.documents} document(s), ${o.units} unit(s)`);
  lines.push(formatHeadline(o));
  if (r.intervals) lines.push(formatIntervals(r.intervals));
  lines.push('');
  const row = (name: string, x: { precision: number; recall: number; f1: number; support: number }): string =>
    `  ${name.padEnd(16)} P ${f3(x.precision)}  R ${f3(x.recall)}  F1 ${f3(x.f1)}  (support ${x.support})`;
  lines.push('categories');
  for (const [k, v] of Object.entries(o.categories.labels)) lines.push(row(k, v));
  lines.push(row('micro', o.categories.micro));
  lines.push(row('macro', o.categories.macro));
  lines.push('root causes');
  for (const [k, v] of Object.entries(o.rootCauses.labels)) lines.push(row(k, v));
  lines.push(row('micro', o.rootCauses.micro));
  lines.push(row('macro', o.rootCauses.macro));
  lines.push(`functions (accuracy ${f3(o.functions.accuracy)}, macro-F1 ${f3(o.functions.macroF1)})`);
  for (const [k, v] of Object.entries(o.functions.labels)) lines.push(row(k, v));
  lines.push(`subcategory accuracy ${f3(o.subcategoryAccuracy)} over ${o.subcategorySupport} correctly categorised labels`);
  lines.push('');
  lines.push('per kind of document');
  for (const [k, v] of Object.entries(r.perKind)) lines.push(`  ${k.padEnd(14)} ${formatHeadline(v)}`);
  lines.push('');
  if (r.perDocumentHidden) lines.push(`per document: not listed for the held-out part (--per-document lists them)`);
  else {
    lines.push('per document');
    for (const d of r.perDocument) lines.push(`  ${d.doc.padEnd(30)} ${formatHeadline(d.figures)}`);
  }
  if (r.worst.length) {
    lines.push('');
    lines.push('worst units (gold → system)');
    for (const w of r.worst) {
      lines.push(`  ${w.doc}#${w.unit}: ${w.text.length > 60 ? w.text.slice(0, 60) + '…' : w.text}`);
      lines.push(`    gold   ${w.gold.function} | ${w.gold.categories.join(', ') || '-'} | ${w.gold.rootCauses.join(', ') || '-'}`);
      lines.push(`    system ${w.system.function} | ${w.system.categories.join(', ') || '-'} | ${w.system.rootCauses.join(', ') || '-'}`);
      lines.push(`    rules  ${w.rules.join(' ') || '(none fired)'}`);
    }
  }
  return lines.join('\n') + '\n';
}
