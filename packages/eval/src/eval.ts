import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CATEGORY_IDS, ERROR_CODES, FUNCTION_IDS, ROOT_CAUSE_IDS, XunshiError } from '@xunshi/types';
import { lineColumn, readDocument } from '@xunshi/document';
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

/**
 * The `index.tsv` of a gold folder (one row per document: id, kind, script, encoding, format, …), keyed by id. A BOM
 * and any line end (LF, CRLF, CR) are accepted and cells are trimmed; an index without an `id` column, a row with more or
 * fewer cells than the header or a repeated id is `XUNSHI_GOLD_INVALID` with its line, since a row read wrongly would
 * move a document between the tuning and held-out parts without a word.
 */
export function readGoldIndex(dir: string): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const path = join(dir, 'index.tsv');
  if (!existsSync(path)) return out;
  if (!statSync(path).isFile()) throw new XunshiError(ERROR_CODES.GOLD_INVALID, 'index.tsv is not a file', { file: path });
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new XunshiError(ERROR_CODES.GOLD_INVALID, 'index.tsv is empty: its first line names the columns (id, kind, script, …)', { file: path });
  const cols = lines[first]!.split('\t').map((c) => c.trim());
  if (!cols.includes('id')) {
    throw new XunshiError(ERROR_CODES.GOLD_INVALID, `index.tsv has no "id" column (its header is ${JSON.stringify(cols.join('\t'))}; columns are separated by tabs)`, { file: path, line: first + 1, column: 1 });
  }
  for (let k = first + 1; k < lines.length; k++) {
    const row = lines[k]!;
    if (row.trim() === '') continue;
    const cells = row.split('\t').map((c) => c.trim());
    if (cells.length !== cols.length) {
      throw new XunshiError(ERROR_CODES.GOLD_INVALID, `index.tsv row has ${cells.length} cell(s), its header ${cols.length}`, { file: path, line: k + 1, column: 1 });
    }
    const rec = Object.fromEntries(cols.map((c, i) => [c, cells[i]!]));
    if (!rec.id) throw new XunshiError(ERROR_CODES.GOLD_INVALID, 'index.tsv row has an empty id', { file: path, line: k + 1, column: 1 });
    if (out.has(rec.id)) throw new XunshiError(ERROR_CODES.GOLD_INVALID, `index.tsv names ${rec.id} twice`, { file: path, line: k + 1, column: 1 });
    out.set(rec.id, rec);
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

/** A gold document's text file name: NAME and its extension. */
const TEXT_NAME = /^(.*)\.(txt|md|markdown)$/;

/**
 * Find every `NAME.txt`/`NAME.md`/`NAME.markdown` with a `NAME.gold.json` below `dir` (recursively), sorted, with
 * what the `index.tsv` beside it says of it (kind, script, site, part). With `options.part`, only that part.
 */
export function findGoldDocuments(dir: string, options: FindGoldOptions = {}): GoldDocument[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new XunshiError(ERROR_CODES.USAGE, `gold folder not found: ${dir}`, { file: dir });
  const out: GoldDocument[] = [];
  const parts = new Set<string>();
  let partColumn = false;
  // Folders by their real path: a folder linked in twice (or a link loop) is read once, so no document counts twice.
  const seen = new Set<string>();
  const walk = (d: string): void => {
    const real = realpathSync(d);
    if (seen.has(real)) return;
    seen.add(real);
    const index = readGoldIndex(d);
    for (const rec of index.values()) {
      if ('part' in rec) {
        partColumn = true;
        if (rec.part) parts.add(rec.part);
      }
    }
    const names = readdirSync(d).sort();
    // A gold file belongs to exactly one text beside it: one without a text, or with two (a.txt and a.md), is refused
    // rather than skipped or scored twice.
    const texts = new Map<string, string[]>();
    for (const name of names) {
      const m = TEXT_NAME.exec(name);
      if (m) texts.set(m[1]!, [...(texts.get(m[1]!) ?? []), name]);
    }
    for (const name of names) {
      const g = /^(.*)\.gold\.json$/.exec(name);
      if (!g) continue;
      const own = texts.get(g[1]!) ?? [];
      if (own.length !== 1) {
        throw new XunshiError(ERROR_CODES.GOLD_INVALID, own.length ? `${name} has ${own.length} texts beside it (${own.join(', ')}); keep one` : `${name} has no text beside it (${g[1]}.txt, .md or .markdown)`, { file: join(d, name) });
      }
    }
    for (const name of names) {
      const full = join(d, name);
      let stat;
      try {
        stat = statSync(full);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A name that is neither gold nor the text of a gold file is no part of the set (a stray link to a draft, a
        // README moved away): left out as any file of no gold is, rather than stopping the whole evaluation.
        const text = TEXT_NAME.exec(name);
        if (!name.endsWith('.gold.json') && !(text && names.includes(`${text[1]}.gold.json`))) continue;
        throw new XunshiError(ERROR_CODES.GOLD_INVALID, `cannot read ${name} in the gold folder: ${code === 'ENOENT' ? 'a link to nothing' : code === 'ELOOP' ? 'a loop of links' : (e as Error).message}`, { file: full });
      }
      if (stat.isDirectory()) {
        walk(full);
        continue;
      }
      const m = TEXT_NAME.exec(name);
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
  if (!out.length) throw new XunshiError(ERROR_CODES.USAGE, `no gold documents below ${dir} (a text NAME.txt, .md or .markdown with its NAME.gold.json)`, { file: dir });
  if (options.part === undefined) return out;
  if (!partColumn) throw new XunshiError(ERROR_CODES.USAGE, `--part ${options.part}: no index.tsv below ${dir} has a "part" column`, { file: join(dir, 'index.tsv') });
  if (!parts.has(options.part)) {
    throw new XunshiError(ERROR_CODES.USAGE, `--part ${options.part}: unknown part; the index.tsv below ${dir} names ${[...parts].sort().join(', ') || 'no part'}`, { file: join(dir, 'index.tsv') });
  }
  return out.filter((d) => d.part === options.part);
}

const FUNCTIONS = new Set<string>(FUNCTION_IDS);
const CATEGORIES = new Set<string>(CATEGORY_IDS);
const ROOT_CAUSES = new Set<string>(ROOT_CAUSE_IDS);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
/** A JSON value as a message shows it (numbers as they are: 1e400 read as Infinity, not JSON's null). */
const shown = (x: unknown): string => (typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x));
const isOffset = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;

/**
 * Read and check a gold file (taxonomy.md format): JSON (a BOM is accepted; a syntax error names its line and column),
 * then every unit — whole-number offsets with start < end, in document order without overlap, a known function, known
 * categories whose subcategory (or null) is of that category, known root causes, no label twice, `text` a string when
 * present. Anything else is `XUNSHI_GOLD_INVALID` naming the unit: a malformed unit would otherwise move the scores
 * without a word.
 */
export function readGoldFile(path: string): GoldFile {
  let source: string;
  try {
    source = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new XunshiError(ERROR_CODES.GOLD_INVALID, `gold file cannot be read: ${(e as Error).message}`, { file: path });
  }
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (e) {
    const message = (e as Error).message;
    const at = /at position (\d+)/.exec(message);
    const where = lineColumn(source, Math.min(at ? Number(at[1]) : source.length, source.length));
    throw new XunshiError(ERROR_CODES.GOLD_INVALID, `gold file is not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, { file: path, ...where });
  }
  const bad = (message: string): XunshiError => new XunshiError(ERROR_CODES.GOLD_INVALID, message, { file: path });
  if (!isObject(data) || !Array.isArray(data.units)) throw bad('gold file has no "units" array');
  if (data.doc !== undefined && (typeof data.doc !== 'string' || data.doc === '')) throw bad(`"doc" must be the text's file name (got ${shown(data.doc)})`);
  if (data.sha256 !== undefined && (typeof data.sha256 !== 'string' || !SHA256.test(data.sha256))) throw bad(`"sha256" must be the SHA-256 of the text's bytes, 64 hex digits (got ${shown(data.sha256)})`);
  let previousEnd = 0;
  data.units.forEach((u: unknown, k: number) => {
    const name = `unit ${k}`;
    if (!isObject(u)) throw bad(`${name} is not an object`);
    if (!isOffset(u.start) || !isOffset(u.end) || u.start >= u.end) throw bad(`${name}: start and end must be whole numbers with 0 ≤ start < end (got ${shown(u.start)}, ${shown(u.end)})`);
    if (u.start < previousEnd) throw bad(`${name} starts at ${u.start}, before the unit before it ends (${previousEnd}): units are in document order and do not overlap`);
    previousEnd = u.end;
    if (u.i !== k) throw bad(`${name}: "i" must be its place in the list, ${k} (got ${shown(u.i)})`);
    if (u.text !== undefined && typeof u.text !== 'string') throw bad(`${name}: "text" must be a string when present`);
    if (typeof u.function !== 'string' || !FUNCTIONS.has(u.function)) throw bad(`${name}: unknown function ${shown(u.function)} (expected ${FUNCTION_IDS.join(', ')})`);
    if (!Array.isArray(u.categories)) throw bad(`${name}: "categories" must be an array`);
    const seen = new Set<string>();
    for (const c of u.categories as unknown[]) {
      if (!isObject(c) || typeof c.id !== 'string' || !CATEGORIES.has(c.id)) throw bad(`${name}: unknown category ${shown(isObject(c) ? c.id : c)} (expected ${CATEGORY_IDS.join(', ')})`);
      if (c.subcategory === undefined) throw bad(`${name}: category ${c.id} has no "subcategory" (${c.id}.NAME, or null)`);
      if (c.subcategory !== null && (typeof c.subcategory !== 'string' || !c.subcategory.startsWith(`${c.id}.`) || c.subcategory.length <= c.id.length + 1)) {
        throw bad(`${name}: subcategory ${JSON.stringify(c.subcategory)} is not one of ${c.id} (${c.id}.NAME, or null)`);
      }
      const key = `${c.id}|${String(c.subcategory)}`;
      if (seen.has(key)) throw bad(`${name}: category ${c.subcategory ?? c.id} given twice`);
      seen.add(key);
    }
    if (!Array.isArray(u.rootCauses)) throw bad(`${name}: "rootCauses" must be an array`);
    const causes = new Set<string>();
    for (const r of u.rootCauses as unknown[]) {
      if (typeof r !== 'string' || !ROOT_CAUSES.has(r)) throw bad(`${name}: unknown root cause ${shown(r)} (expected ${ROOT_CAUSE_IDS.join(', ')})`);
      if (causes.has(r)) throw bad(`${name}: root cause ${r} given twice`);
      causes.add(r);
    }
  });
  return data as unknown as GoldFile;
}

/**
 * Give every unit of a gold file kept without its `text` fields (taxonomy.md: gold of a text the project does not own)
 * the text its offsets cut from the document, decoded as the analyzer decodes it. Units that have a text keep it.
 */
export function fillGoldTexts(gold: GoldFile, textPath: string, bytes?: Uint8Array, decoded?: () => string): GoldFile {
  if (gold.units.every((u) => typeof u.text === 'string')) return gold;
  const text = decoded ? decoded() : readDocument(bytes ?? readFileSync(textPath), { path: textPath }).text;
  for (const u of gold.units) if (typeof u.text !== 'string') u.text = text.slice(u.start, u.end);
  return gold;
}

/**
 * Check a gold file against its document as the analyzer read it (`length`: the report's `source.length`, in UTF-16
 * units of the decoded text): every unit must end within it.
 */
export function checkGoldOffsets(gold: GoldFile, length: number, path: string): void {
  gold.units.forEach((u, k) => {
    if (u.end > length) throw new XunshiError(ERROR_CODES.GOLD_INVALID, `unit ${k} ends at ${u.end}, past the end of its text (${length} characters as read)`, { file: path });
  });
}

/**
 * A gold document read for scoring: its gold checked ({@link readGoldFile}), the analyzer's report of its text (read
 * once), the offsets checked against the text as read ({@link checkGoldOffsets}) and the units' texts filled where the
 * gold leaves them out ({@link fillGoldTexts}).
 */
export function readGoldDocument(analyzer: Analyzer, d: Pick<GoldDocument, 'textPath' | 'goldPath'>): { gold: GoldFile; report: ReturnType<Analyzer['analyze']> } {
  const gold = readGoldFile(d.goldPath);
  if (analyzer.labels) checkGoldSubcategories(gold, analyzer.labels, d.goldPath);
  const bytes = readFileSync(d.textPath);
  // The text as read, decoded once for both the check of the units' texts and the texts of units kept without them.
  let text: string | undefined;
  const decoded = (): string => (text ??= readDocument(bytes, { path: d.textPath }).text);
  checkGoldText(gold, d.textPath, bytes, d.goldPath, decoded);
  const report = analyzer.analyze(bytes, { path: d.textPath });
  checkGoldOffsets(gold, report.source.length, d.goldPath);
  return { gold: fillGoldTexts(gold, d.textPath, bytes, decoded), report };
}

const SHA256 = /^(?:sha256:)?[0-9a-f]{64}$/;

/**
 * Refuse gold made for another text than the one it is paired with (`XUNSHI_GOLD_INVALID`): a `doc` naming another
 * file, a `sha256` that is not the text's, a unit `text` that is not what its offsets cut from the text. Labels scored
 * against a changed text would be scored against words nobody labelled.
 */
export function checkGoldText(gold: GoldFile, textPath: string, bytes: Uint8Array, goldPath: string, decoded = (): string => readDocument(bytes, { path: textPath }).text): void {
  const bad = (message: string): XunshiError => new XunshiError(ERROR_CODES.GOLD_INVALID, message, { file: goldPath });
  const name = basename(textPath);
  if (gold.doc !== undefined && gold.doc !== name) throw bad(`"doc" names ${JSON.stringify(gold.doc)}, but the gold file is paired with ${name}: gold is named after its text (NAME.gold.json for NAME.txt)`);
  if (gold.sha256 !== undefined) {
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (gold.sha256.replace(/^sha256:/, '') !== actual) throw bad(`"sha256" is not the SHA-256 of ${name} (${actual}): the text changed since the gold was made; label it again`);
  }
  if (!gold.units.some((u) => typeof u.text === 'string')) return;
  const text = decoded();
  for (const u of gold.units) {
    if (typeof u.text === 'string' && u.text !== text.slice(u.start, u.end)) {
      throw bad(`unit ${u.i}: its "text" is not what ${u.start}–${u.end} of ${name} holds (${JSON.stringify(text.slice(u.start, Math.min(u.end, u.start + 20)))}…): the text changed since the gold was made, or the offsets are wrong`);
    }
  }
}

/**
 * Refuse gold whose subcategories the analyzer's taxonomy does not list (`XUNSHI_GOLD_INVALID`, naming the unit and the
 * known subcategories of its category): such a label can never be matched, so it would silently count as an error.
 */
export function checkGoldSubcategories(gold: GoldFile, labels: Readonly<Record<string, unknown>>, path: string): void {
  for (const u of gold.units) {
    for (const c of u.categories) {
      if (c.subcategory === null || Object.hasOwn(labels, c.subcategory)) continue;
      const known = Object.keys(labels).filter((id) => id.startsWith(`${c.id}.`)).sort();
      throw new XunshiError(ERROR_CODES.GOLD_INVALID, `unit ${u.i}: subcategory ${JSON.stringify(c.subcategory)} is not in the rules' taxonomy (${c.id}: ${known.join(', ') || 'none'}, or null)`, { file: path });
    }
  }
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
    const { gold, report } = readGoldDocument(analyzer, d);
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
  const fn = f.units === 0 ? 'n/a' : f3(f.functions.accuracy);
  return `category micro-F1 ${f1(f.categories.micro)}  root-cause micro-F1 ${f1(f.rootCauses.micro)}  function accuracy ${fn}  subcategory accuracy ${sub}  (${f.units} units)`;
}

/** A readable evaluation report; `perDocumentHidden`: the per-document figures were left out (the held-out part). */
export function formatEvalText(r: EvalResult & { perDocumentHidden?: boolean }, title = 'rules'): string {
  const o = r.overall;
  const lines: string[] = [];
  lines.push(`xunshi eval (${title}): ${r.documents} document(s), ${o.units} unit(s)`);
  lines.push(formatHeadline(o));
  if (r.intervals) lines.push(formatIntervals(r.intervals));
  lines.push('');
  // A label that neither gold nor the system gives has no figures (its counts are all 0): n/a, not a perfect 1.
  const row = (name: string, x: { precision: number; recall: number; f1: number; support: number; predicted: number }): string =>
    x.support + x.predicted === 0
      ? `  ${name.padEnd(16)} n/a (neither gold nor the system gives it)`
      : `  ${name.padEnd(16)} P ${f3(x.precision)}  R ${f3(x.recall)}  F1 ${f3(x.f1)}  (support ${x.support})`;
  lines.push('categories');
  for (const [k, v] of Object.entries(o.categories.labels)) lines.push(row(k, v));
  lines.push(row('micro', o.categories.micro));
  lines.push(row('macro', o.categories.macro));
  lines.push('root causes');
  for (const [k, v] of Object.entries(o.rootCauses.labels)) lines.push(row(k, v));
  lines.push(row('micro', o.rootCauses.micro));
  lines.push(row('macro', o.rootCauses.macro));
  lines.push(o.units === 0 ? 'functions (no units)' : `functions (accuracy ${f3(o.functions.accuracy)}, macro-F1 ${f3(o.functions.macroF1)})`);
  for (const [k, v] of Object.entries(o.functions.labels)) lines.push(row(k, v));
  lines.push(
    o.subcategorySupport === 0
      ? 'subcategory accuracy n/a (no correctly categorised labels)'
      : `subcategory accuracy ${f3(o.subcategoryAccuracy)} over ${o.subcategorySupport} correctly categorised labels`,
  );
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
