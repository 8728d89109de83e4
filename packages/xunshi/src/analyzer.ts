import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import type { Diagnostic, DocumentModel, Fact, FunctionId, ImageFile, Passage, Report, SourceFormat } from '@xunshi/types';
import { readDocument, readDocumentAsync, readImageFilesAsync, parseDocument, parseExtracted, checkTextLines, MAX_PASSAGES, extractHtml, isAsyncFormat, loadParsers, readingCopy, type ReadingCopy } from '@xunshi/document/lean';
import { ERROR_CODES, FUNCTION_IDS, SOURCE_FORMATS, XunshiError } from '@xunshi/types';
import { createMatchingCopy, ensureSegmenter, segment, segmentColumns, type Lexicon } from '@xunshi/tokenizer';
import { getRuleDirs, loadRuleSet, type CategoryModel, type FunctionModel, type RuleSet } from '@xunshi/rules';
import { runRuleExamples, tagPassages, type RuleExampleResult } from '@xunshi/engine';
import type { CategoryCandidate, FeatureVector } from '@xunshi/engine';
import type { TokenColumns, Unit } from '@xunshi/types';
import { createFactExtractor, type FactExtractor } from '@xunshi/facts';
import { summarizePassages, unitTypeLabelKey } from '@xunshi/report/core';
// Types from the package entry (erased at run time): declarations then name only the entry, which the bundle resolves.
import type { LabelTable } from '@xunshi/report';
import { DEFAULT_MAX_SIZE, TimeBudget, createTooLargeError } from './limits.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Options for {@link createAnalyzer}. */
export interface AnalyzerOptions {
  /** A rules folder (or several) to use. Default: the shipped `rules/`. */
  rules?: string | string[];
  /**
   * When true, `rules` extends the shipped rules instead of replacing them (same ids replace shipped rules and unit
   * types); otherwise `rules` replaces everything shipped, lexicon and unit types included (see `getRuleDirs`).
   */
  extendRules?: boolean;
}

/** Options for one analysis. */
export interface AnalyzeOptions {
  /** Path to report in `source.path`; its extension also picks the format. */
  path?: string;
  /**
   * Input format; by default bytes are sniffed (magic bytes, then the extension of `path`) and a string is Markdown
   * when `path` ends in `.md`/`.markdown`, HTML when it ends in `.html`/`.htm`, else text.
   */
  format?: SourceFormat;
  /** Byte decoding: detected by default. */
  encoding?: 'utf-8' | 'gb18030' | 'big5' | 'auto';
  /**
   * Largest input in bytes (a string counts its UTF-8 bytes); a larger one is `XUNSHI_INPUT_TOO_LARGE`. Default
   * {@link DEFAULT_MAX_SIZE} (20 MiB).
   */
  maxSize?: number;
  /**
   * Time budget in seconds: past it the analysis throws `XUNSHI_INPUT_TIMEOUT` at its next check (between phases and
   * before each call into the segmenter, and while a page is read by OCR). Each page read by OCR grows it by 30 s
   * (`OCR_PAGE_SECONDS`), by at most ten times itself in all. Default none for one call; `analyzeFiles` and the CLI
   * default to 120 s and also stop a worker thread that never reaches a check.
   */
  timeout?: number;
  /**
   * PDF and OFD: read the pages that have no text layer (PDF) or no text objects (OFD) but draw an image (scans) by
   * OCR (tesseract.js, Simplified Chinese); off by default, when such a document is `XUNSHI_INPUT_NO_TEXT`. About 5 s
   * a page at 300 dpi on one core; the report then has the diagnostic `XUNSHI_PDF_OCR` or `XUNSHI_OFD_OCR`. An image file (PNG, JPEG, BMP, TIFF: a scanned page, a photograph, a scanner's file of pages) is read by OCR only with it (`XUNSHI_IMAGE_OCR`); without it, it is `XUNSHI_INPUT_NO_TEXT`. So are the pictures of a Word document, RTF, OpenDocument text, web archive or web page of scans (no text but pictures, or a short title above them: `XUNSHI_DOCX_OCR`, `XUNSHI_DOC_OCR`, `XUNSHI_RTF_OCR`, `XUNSHI_ODT_OCR`, `XUNSHI_MHTML_OCR`, `XUNSHI_HTML_OCR`). The OCR worker thread is started for the document and ended after it.
   */
  ocr?: boolean;
  /**
   * With `ocr`: how many pages of one document are read by OCR at once (default 1), each by a tesseract thread of its
   * own (about 200 MB): for a long scan on a machine whose other cores are idle (the CLI and `analyzeFiles` give a
   * document the cores their batch leaves idle). At most 4. The report is the same whatever it is.
   */
  ocrThreads?: number;
}

/** Options the batch passes to one analysis: the budget it watches (shared control block) instead of `timeout`. */
export interface TaskAnalyzeOptions extends AnalyzeOptions {
  budget?: TimeBudget;
  /** A web page read from a file: the files under its folder its pictures name (see `ReadOptions.resources`). */
  resources?: (path: string) => Uint8Array | undefined;
}

/** A loaded ruleset with its segmenter lexicon and fact extractor, ready for many documents. */
export interface Analyzer {
  readonly ruleset: RuleSet;
  readonly lexicon: Lexicon;
  /**
   * Chinese and English label of every function, category, subcategory and root-cause id, and of every unit type
   * (`unitType.ID`, see `unitTypeLabelKey` of the report package).
   */
  readonly labels: LabelTable;
  /**
   * Analyse text (already decoded) or raw bytes of text, Markdown or HTML into a Report; a docx or pdf throws
   * `XUNSHI_USAGE` naming {@link Analyzer.analyzeAsync}.
   */
  analyze(input: string | Uint8Array, options?: AnalyzeOptions): Report;
  /** Analyse any supported input, including Word (.docx) and PDF, whose extraction is asynchronous. */
  analyzeAsync(input: string | Uint8Array, options?: AnalyzeOptions): Promise<Report>;
  /**
   * Analyse one report photographed or scanned a page a file (a phone's IMG_1.jpg … IMG_4.jpg of a notice's pages):
   * the image files read by OCR in the order given (needs `ocr: true`), as the pages of one document. The report's
   * `source.pageFiles` names the file of each page and `source.sha256` hashes the files' bytes in order; a file that
   * cannot be read or decoded is left out and named in the diagnostic `XUNSHI_IMAGE_OCR`.
   */
  analyzeImageFilesAsync(files: readonly ImageFile[], options?: AnalyzeOptions): Promise<Report>;
  /** Run every rule's examples; returns the failures. */
  testRules(filter?: (ruleId: string) => boolean): RuleExampleResult;
  /** Load the segmenter dictionary now instead of on the first document (for timing and worker warm-up). */
  warmUp(): void;
  /**
   * An analyzer with the same rules, lexicon and segmenter that decides with these fitted models instead of the
   * ruleset's (each one given replaces its counterpart; one not given is kept): for measuring a model fitted without
   * some documents on those documents (`xunshi eval --out-of-fold`). Its reports' `tool.rulesetHash` hashes the rules'
   * hash with the models.
   */
  withModels(models: AnalyzerModels): Analyzer;
  /**
   * The function-model features of every unit of a document, read by the same pipeline as {@link Analyzer.analyze}
   * but with the hand-set rules only: the ruleset's fitted function model is ignored, so that a refit does not learn
   * from the model's own output. For fitting the model (`xunshi rules fit`); no facts are extracted.
   */
  featuresOf(input: string | Uint8Array, options?: AnalyzeOptions): UnitFeatures;
  /**
   * Each unit's candidate categories with their category-model features (for `xunshi rules fit --model category`).
   * `functionModel` replaces the ruleset's fitted function model for this call: cross-validation gives each document
   * the functions of a model fitted without its site, as a new text gets them.
   */
  categoryCandidatesOf(input: string | Uint8Array, options?: CategoryCandidatesOptions): UnitCategoryCandidates;
}

/** Fitted models for {@link Analyzer.withModels} (as `rules/function-model.json` and `rules/category-model.json` hold them). */
export interface AnalyzerModels {
  functionModel?: FunctionModel;
  categoryModel?: CategoryModel;
}

/** Options of {@link Analyzer.categoryCandidatesOf}. */
export interface CategoryCandidatesOptions extends AnalyzeOptions {
  /** A function model to decide the functions with instead of the ruleset's (weights as `rules/function-model.json` holds them). */
  functionModel?: FunctionModel;
  /**
   * Puts a function in place of the decided one for the units it returns one for (`undefined` keeps the decision), before
   * categories and root causes are decided: for measuring what the labels would be with other functions, such as the
   * gold's. It is given each unit as the engine reads it (a document with inline pinyin glosses is read without them,
   * so its units' ranges and text are those of the reading copy) and the unit's index.
   */
  functionOf?: (unit: Unit, index: number) => FunctionId | undefined;
}

/** A candidate category of one unit (index into the document's units) with its category-model features. */
export type UnitCategoryCandidate = CategoryCandidate & { unit: number };

/** What {@link Analyzer.categoryCandidatesOf} returns for one document. */
export interface UnitCategoryCandidates {
  units: Unit[];
  /** Every unit's candidate categories (every category with rule evidence), in unit order. */
  candidates: UnitCategoryCandidate[];
  /** The passages the analyzer reports. */
  passages: Passage[];
}

/** What {@link Analyzer.featuresOf} returns for one document. */
export interface UnitFeatures {
  /** The document's units, in order. */
  units: Unit[];
  /** Each unit's function-model features (index-aligned with `units`). */
  features: FeatureVector[];
  /** The passages the hand-set rules give, without the fitted function model (index-aligned with `units`). */
  passages: Passage[];
}

export const ENCODINGS = ['auto', 'utf-8', 'gb18030', 'big5'] as const;

/** Most units (sentences, lines, cells) a document may have to be analysed: see analyzeDocument. */
export const MAX_UNITS = MAX_PASSAGES;

function usage(message: string): XunshiError {
  return new XunshiError(ERROR_CODES.USAGE, message);
}

function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array';
  const kind = typeof x === 'object' ? ((x as object).constructor?.name ?? 'object') : typeof x;
  return `${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** A wrong option value as a message shows it: numbers as written (NaN, Infinity), strings quoted, others by kind. */
function showValue(x: unknown): string {
  return typeof x === 'number' ? String(x) : typeof x === 'string' ? JSON.stringify(x) : describeValue(x);
}

/** Check what JavaScript callers (no type checker) pass to analyze/analyzeAsync/featuresOf: XUNSHI_USAGE, not a TypeError. */
function checkAnalyzeArgs(fn: string, input: unknown, opts: unknown, known: readonly string[] = ANALYZE_OPTION_NAMES): void {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw usage(`${fn}(input): input must be a string (decoded text) or a Uint8Array (bytes), got ${describeValue(input)}`);
  }
  checkAnalyzeOptions(fn, opts, known);
}

/** Check the options of one analysis (XUNSHI_USAGE for a wrong type or value). */
function checkAnalyzeOptions(fn: string, opts: unknown, known: readonly string[] = ANALYZE_OPTION_NAMES): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) throw usage(`${fn}(input, options): options must be an object, got ${describeValue(opts)}`);
  const o = opts as Record<string, unknown>;
  checkOptionNames(fn, o, known);
  if (o.path !== undefined && typeof o.path !== 'string') throw usage(`${fn}: options.path must be a string, got ${describeValue(o.path)}`);
  if (o.format !== undefined && !(SOURCE_FORMATS as readonly unknown[]).includes(o.format)) throw usage(`${fn}: options.format must be one of ${SOURCE_FORMATS.join(', ')}, got ${showValue(o.format)}`);
  if (o.encoding !== undefined && !(ENCODINGS as readonly unknown[]).includes(o.encoding)) throw usage(`${fn}: options.encoding must be one of ${ENCODINGS.join(', ')}, got ${showValue(o.encoding)}`);
  if (o.ocr !== undefined && typeof o.ocr !== 'boolean') throw usage(`${fn}: options.ocr must be a boolean, got ${describeValue(o.ocr)}`);
  if (o.ocrThreads !== undefined && !(Number.isInteger(o.ocrThreads) && (o.ocrThreads as number) >= 1)) throw usage(`${fn}: options.ocrThreads must be a positive whole number, got ${showValue(o.ocrThreads)}`);
  checkLimitOptions(fn, o);
}

/** Check `maxSize` (a positive whole number of bytes) and `timeout` (seconds, ≥ 0; 0 is no budget). */
export function checkLimitOptions(fn: string, o: Record<string, unknown>): void {
  if (o.maxSize !== undefined && !(Number.isSafeInteger(o.maxSize) && (o.maxSize as number) > 0)) throw usage(`${fn}: options.maxSize must be a positive whole number of bytes, got ${showValue(o.maxSize)}`);
  if (o.timeout !== undefined && !(typeof o.timeout === 'number' && o.timeout >= 0 && Number.isFinite(o.timeout))) throw usage(`${fn}: options.timeout must be a number of seconds (0 for none), got ${showValue(o.timeout)}`);
}

/** Refuse an input over the size limit before anything is decoded or parsed. */
function checkSize(input: string | Uint8Array, opts: AnalyzeOptions): void {
  const maxSize = opts.maxSize ?? DEFAULT_MAX_SIZE;
  // A string has at least as many UTF-8 bytes as UTF-16 code units and at most three times as many.
  if (typeof input === 'string' && input.length * 3 <= maxSize) return;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > maxSize) throw createTooLargeError(size, maxSize, opts.path);
}

/** The time budget of one call: the batch's shared one, one from `timeout`, or none. */
function budgetOf(opts: TaskAnalyzeOptions): TimeBudget | undefined {
  if (opts.budget) return opts.budget;
  return opts.timeout ? new TimeBudget(opts.timeout, opts.path) : undefined;
}

// natural's main entry pulls in database clients and prints dotenv tips: only its string distance, and only when an
// option name is wrong.
const requireHere = createRequire(import.meta.url);
type Distance = (a: string, b: string) => number;
const loadDistance = (): Distance => (requireHere('natural/lib/natural/distance/levenshtein_distance.js') as { DamerauLevenshteinDistance: Distance }).DamerauLevenshteinDistance;

/** The options of one analysis as the library takes them (`budget` and `resources` are the batch's own). */
export const ANALYZE_OPTION_NAMES: readonly string[] = ['path', 'format', 'encoding', 'maxSize', 'timeout', 'ocr', 'ocrThreads', 'budget', 'resources'];
/** The options of {@link createAnalyzer}. */
export const ANALYZER_OPTION_NAMES: readonly string[] = ['rules', 'extendRules'];

/**
 * Refuse an option name a function does not take (a misspelt `pth` or `rule` was silently ignored: the shipped rules,
 * a report read as plain text), naming the nearest known one. TypeScript catches this only in object literals; plain
 * JavaScript and options built elsewhere do not. A name whose value is undefined is let pass (`{ ...defaults }`).
 */
export function checkOptionNames(fn: string, o: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(o)) {
    if (known.includes(key) || o[key] === undefined) continue;
    const distance = loadDistance();
    const near = known.map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1))[0];
    const hint = near && near[1] <= Math.max(1, Math.floor(key.length / 3)) ? ` (did you mean "${near[0]}"?)` : '';
    throw usage(`${fn}: unknown option "${key}"${hint}; it takes ${known.join(', ')}`);
  }
}

/**
 * The analyzer options of a command's `--rules` and `--extend-rules`; `absolute` resolves the folders against the working
 * folder (for worker threads, which may not share it). `--extend-rules` without `--rules` (it adds nothing, and was
 * silently ignored) is a usage error.
 */
export function rulesOptionsOf(opts: { rules?: readonly string[]; extendRules?: boolean }, absolute = false): AnalyzerOptions {
  if (opts.extendRules && !opts.rules?.length) throw usage('--extend-rules adds the folders of --rules to the shipped rules: name one with --rules DIR');
  const out: AnalyzerOptions = {};
  if (opts.rules?.length) out.rules = opts.rules.map((r) => (absolute ? resolvePath(r) : r));
  if (opts.extendRules) out.extendRules = true;
  return out;
}

/** Check the options of createAnalyzer (and analyzeFiles): XUNSHI_USAGE, not a TypeError deep in the loader. */
export function checkAnalyzerOptions(fn: string, options: unknown, known: readonly string[] = ANALYZER_OPTION_NAMES): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw usage(`${fn}: options must be an object, got ${describeValue(options)}`);
  const o = options as Record<string, unknown>;
  checkOptionNames(fn, o, known);
  const rules = o.rules;
  if (rules !== undefined && typeof rules !== 'string' && !(Array.isArray(rules) && rules.every((r) => typeof r === 'string'))) {
    throw usage(`${fn}: options.rules must be a folder path or an array of folder paths, got ${describeValue(rules)}`);
  }
  if (rules === '' || (Array.isArray(rules) && rules.includes(''))) throw usage(`${fn}: options.rules names a folder with an empty string (it would be the working folder, read whole as rules)`);
  if (o.extendRules !== undefined && typeof o.extendRules !== 'boolean') throw usage(`${fn}: options.extendRules must be true or false, got ${describeValue(o.extendRules)}`);
}

/**
 * An empty or blank string is `XUNSHI_INPUT_EMPTY`, as empty or blank bytes are (and as an empty file is in a batch):
 * there is nothing to report on, and a report with no passages would look like a report without problems.
 */
function checkNotBlank(input: string, path: string | undefined): void {
  if (/^[\s\ufeff]*$/.test(input)) {
    const where = path === undefined ? 'input' : 'the file';
    throw new XunshiError(ERROR_CODES.INPUT_EMPTY, input.length === 0 ? `${where} is empty (0 characters)` : `${where} contains only white space`, path === undefined ? {} : { file: path });
  }
}

function formatFromPath(path: string | undefined): SourceFormat {
  if (path && /\.(md|markdown)$/i.test(path)) return 'markdown';
  if (path && /\.(html?|xhtml)$/i.test(path)) return 'html';
  return 'text';
}

/** A decoded string as a DocumentModel: text and Markdown as they are, HTML extracted; docx and pdf need bytes. */
function parseString(input: string, format: SourceFormat, path?: string): DocumentModel {
  if (format === 'html') return parseExtracted(extractHtml(input, path !== undefined ? { path } : {}), { format: 'html' });
  // Only text and Markdown are read from a decoded string (and HTML, above); every container comes as bytes.
  if (format !== 'text' && format !== 'markdown') {
    const to = isAsyncFormat(format) ? 'analyzeAsync()' : 'analyze() or analyzeAsync()';
    throw new XunshiError(ERROR_CODES.USAGE, `a ${format} document must be given as bytes (Uint8Array) to ${to}, not as a string`);
  }
  checkTextLines(input, path);
  return parseDocument(input, { format });
}

/** Build the label table from a ruleset's taxonomy. */
export function getLabels(ruleset: RuleSet): LabelTable {
  const out: LabelTable = {};
  for (const f of ruleset.taxonomy.functions) out[f.id] = { zh: f.zh, en: f.en };
  for (const c of ruleset.taxonomy.categories) {
    out[c.id] = { zh: c.zh, en: c.en };
    for (const s of c.subcategories) out[s.id] = { zh: s.zh, en: s.en };
  }
  for (const r of ruleset.taxonomy.rootCauses) out[r.id] = { zh: r.zh, en: r.en };
  for (const t of ruleset.unitTypes.types) out[unitTypeLabelKey(t.id)] = { zh: t.label.zh, en: t.label.en };
  return out;
}

/**
 * Load and compile rules once (all rule-file errors are thrown together, before any text is read) for analysing many
 * documents. The segmenter dictionary is loaded lazily on the first document.
 */
export function createAnalyzer(options: AnalyzerOptions = {}): Analyzer {
  checkAnalyzerOptions('createAnalyzer', options);
  const ruleset = loadRuleSet({ dirs: getRuleDirs({ ...(options.rules !== undefined ? { rules: options.rules } : {}), extend: options.extendRules === true }) });
  // One hash over every file of the rules folders (rules, lexicon, unit types): everything that shapes the output.
  return buildAnalyzer(ruleset, ruleset.hash, { facts: createFactExtractor({ unitTypes: ruleset.unitTypes }), labels: getLabels(ruleset) });
}

/** Check the models given to {@link Analyzer.withModels}: XUNSHI_USAGE naming what is wrong. */
function checkModels(models: unknown): asserts models is AnalyzerModels {
  if (models === null || typeof models !== 'object' || Array.isArray(models)) throw usage(`withModels(models): models must be an object, got ${describeValue(models)}`);
  const m = models as Record<string, unknown>;
  for (const key of Object.keys(m)) if (key !== 'functionModel' && key !== 'categoryModel') throw usage(`withModels: unknown key ${JSON.stringify(key)} (functionModel, categoryModel)`);
  const fm = m.functionModel as { weights?: unknown } | undefined;
  if (fm !== undefined && (fm === null || typeof fm !== 'object' || typeof fm.weights !== 'object' || fm.weights === null)) throw usage(`withModels: functionModel must be an object with weights, got ${describeValue(fm)}`);
  const cm = m.categoryModel as { weights?: unknown; threshold?: unknown } | undefined;
  if (cm !== undefined && (cm === null || typeof cm !== 'object' || typeof cm.weights !== 'object' || cm.weights === null || typeof cm.threshold !== 'number' || !Number.isFinite(cm.threshold))) {
    throw usage(`withModels: categoryModel must be an object with weights and a numeric threshold, got ${describeValue(cm)}`);
  }
}

/**
 * The analyzer of a loaded ruleset; `rulesetHash` is what reports give as `tool.rulesetHash`. Analyzers made by
 * {@link Analyzer.withModels} share the fact extractor and label table (and, through the lexicon, the segmenter).
 */
function buildAnalyzer(ruleset: RuleSet, rulesetHash: string, shared: { facts: FactExtractor; labels: LabelTable }): Analyzer {
  const lexicon = ruleset.lexicon;
  const { facts, labels } = shared;
  // The same rules without the fitted function model: the hand-set decisions the model's features are read from.
  const { functionModel: _fitted, ...handRuleset } = ruleset;
  // The same rules with another function model, one ruleset per model (the engine compiles a ruleset's models once).
  const withFunctionModel = new WeakMap<FunctionModel, RuleSet>();
  const rulesetWith = (model: FunctionModel | undefined): RuleSet => {
    if (!model) return ruleset;
    let out = withFunctionModel.get(model);
    if (!out) withFunctionModel.set(model, (out = { ...handRuleset, functionModel: model }));
    return out;
  };

  /** The engine's input for a document: its matching copy and tokens (segmented per block). */
  const engineInput = (doc: DocumentModel, budget?: TimeBudget): { normalized: string; script: Report['source']['script']; tokens: TokenColumns } => {
    const { normalized, script } = createMatchingCopy(doc.text);
    return { normalized, script, tokens: segmentColumns(normalized, blockRangesOf(doc), lexicon, budget) };
  };
  /**
   * A document read synchronously for fitting, with its engine input (featuresOf, categoryCandidatesOf): `doc` is the
   * source, `work` what the engine reads (the source without inline pinyin glosses; index-aligned units).
   */
  const fitInput = (input: string | Uint8Array, opts: AnalyzeOptions): { doc: DocumentModel; work: DocumentModel; normalized: string; tokens: TokenColumns } => {
    const format = opts.format ?? formatFromPath(opts.path);
    const doc = typeof input === 'string' ? parseDocument(input, { format }) : readDocument(input, { ...(opts.path ? { path: opts.path } : {}), format, encoding: opts.encoding ?? 'auto' });
    const work = readingCopy(doc)?.doc ?? doc;
    return { doc, work, ...engineInput(work) };
  };

  const analyzeDocument = (source: DocumentModel, path: string | null, sha256: string, budget?: TimeBudget): Report => {
    budget?.check();
    // A report is passages with their evidence and facts, some kilobytes each while it is made: 650,000 one-character
    // lines (1.3 MB of text, well under --max-size) took 3.2 GB, and 20 MB of them would exhaust the memory of the
    // process (in the batch's own thread with --jobs 1: every other input lost). Real reports have hundreds to a few
    // thousand units; a document past the bound is refused before the engine runs.
    if (source.units.length > MAX_UNITS) {
      throw new XunshiError(
        ERROR_CODES.INPUT_TOO_LARGE,
        `the document has ${source.units.length.toLocaleString('en-US')} passages (sentences and lines), more than the ${MAX_UNITS.toLocaleString('en-US')} a report is read in (its analysis would take gigabytes of memory); split it, or check it is a report and not a data dump`,
        path === null ? {} : { file: path },
      );
    }
    // Inline pinyin glosses (責(zé)任), invisible characters (圈子\u200b文化) and Markdown inline markup (违规**发放**)
    // split the words they stand in: the engine reads the text without them, and every range it reports is mapped back
    // onto the source below.
    const reading = readingCopy(source);
    const doc = reading?.doc ?? source;
    const { normalized, script, tokens } = engineInput(doc, budget);
    budget?.check();
    const diagnostics: Diagnostic[] = [];
    if (source.diagnostics) diagnostics.push(...source.diagnostics);
    if (reading?.glosses) {
      diagnostics.push({
        code: 'XUNSHI_PINYIN_GLOSSES',
        message: `${reading.glosses} inline pinyin gloss(es) such as 責(zé)任 were read past for segmentation and matching; every offset indexes the source text`,
      });
    }
    if (reading?.invisible) {
      diagnostics.push({
        code: 'XUNSHI_INVISIBLE_CHARACTERS',
        message: `${reading.invisible} invisible character(s) (zero-width spaces or joiners, soft hyphens, variation selectors, …) were read past for segmentation, matching and facts; every offset indexes the source text`,
      });
    }
    const passages: Passage[] = tagPassages(ruleset, { source: doc.text, normalized, units: doc.units, tokens, diagnostics });
    budget?.check();
    // PDF: each passage gives the page it starts on; a passage of a table row, its cell (passages are the units, in
    // order).
    passages.forEach((p, i) => {
      const unit = doc.units[i]?.id === p.id ? doc.units[i]! : undefined;
      if (unit?.page !== undefined && doc.pages) p.page = unit.page;
      if (unit?.cell) p.cell = unit.cell;
    });
    // One extraction pass over the document, then each fact goes to the passage that contains it (sorted by start).
    const all = facts.extract(doc.text, { normalized }) as Fact[];
    let k = 0;
    for (const p of passages) {
      while (k < all.length && all[k]!.start < p.start) k++;
      const mine: Fact[] = [];
      for (let j = k; j < all.length && all[j]!.start < p.end; j++) if (all[j]!.end <= p.end) mine.push(all[j]!);
      p.facts = mine;
    }
    budget?.check();
    const summary = summarizePassages(passages);
    if (reading) {
      restoreSourceRanges(passages, source, reading);
      for (const d of diagnostics) {
        if (d.start === undefined || d.end === undefined || source.diagnostics?.includes(d)) continue;
        [d.start, d.end] = reading.toSource(d.start, d.end);
      }
    }
    return {
      schemaVersion: 1,
      tool: { name: 'xunshi', version: VERSION, rulesetHash },
      source: {
        path,
        format: source.format,
        encoding: source.encoding,
        script,
        sha256,
        length: source.text.length,
        // Extracted formats carry the text their offsets index.
        ...(source.extracted ? { text: source.text } : {}),
        ...(source.pages ? { pages: source.pages.length } : {}),
        ...(source.pageFiles ? { pageFiles: source.pageFiles } : {}),
      },
      passages,
      summary,
      diagnostics,
    };
  };

  return {
    ruleset,
    lexicon,
    labels,
    analyze(input, opts: TaskAnalyzeOptions = {}) {
      checkAnalyzeArgs('analyze', input, opts);
      checkSize(input, opts);
      const budget = budgetOf(opts);
      const path = opts.path ?? null;
      if (typeof input === 'string') {
        checkNotBlank(input, opts.path);
        const sha = createHash('sha256').update(input, 'utf8').digest('hex');
        return analyzeDocument(parseString(input, opts.format ?? formatFromPath(opts.path), opts.path), path, sha, budget);
      }
      const sha = createHash('sha256').update(input).digest('hex');
      const doc = readDocument(input, readOptions(opts));
      return analyzeDocument(doc, path, sha, budget);
    },
    async analyzeAsync(input, opts: TaskAnalyzeOptions = {}) {
      checkAnalyzeArgs('analyzeAsync', input, opts);
      if (typeof input === 'string') {
        await loadParsers(opts.format ?? formatFromPath(opts.path));
        return this.analyze(input, opts);
      }
      checkSize(input, opts);
      const budget = budgetOf(opts);
      const sha = createHash('sha256').update(input).digest('hex');
      const doc = await readDocumentAsync(input, { ...readOptions(opts), ...(opts.ocr ? { ocr: true } : {}), ...(opts.ocrThreads ? { ocrThreads: opts.ocrThreads } : {}), ...(budget ? { check: () => budget.check(), grant: (seconds: number) => budget.grant(seconds) } : {}), ...(opts.resources ? { resources: opts.resources } : {}) });
      return analyzeDocument(doc, opts.path ?? null, sha, budget);
    },
    async analyzeImageFilesAsync(files, opts: TaskAnalyzeOptions = {}) {
      if (!Array.isArray(files) || !files.every((f) => f !== null && typeof f === 'object' && typeof f.name === 'string' && f.name !== '' && typeof f.read === 'function')) {
        throw new XunshiError(ERROR_CODES.USAGE, 'analyzeImageFilesAsync(files, options): files must be an array of { name: string, read: () => bytes } (one image file a page)');
      }
      checkAnalyzeOptions('analyzeImageFilesAsync', opts);
      const budget = budgetOf(opts);
      const max = opts.maxSize ?? DEFAULT_MAX_SIZE;
      // Each file within the size limit (a larger one is left out and named, as one that cannot be read is).
      const sized = files.map((f): ImageFile => ({
        name: f.name,
        read: async () => {
          const bytes = await f.read();
          if (!(bytes instanceof Uint8Array)) throw new XunshiError(ERROR_CODES.USAGE, `analyzeImageFilesAsync: the read() of ${f.name} must give a Uint8Array, got ${describeValue(bytes)}`);
          if (bytes.length > max) throw createTooLargeError(bytes.length, max, f.name, 'the file');
          return bytes;
        },
      }));
      const doc = await readImageFilesAsync(sized, { ...(opts.path !== undefined ? { path: opts.path } : {}), ...(opts.ocr ? { ocr: true } : {}), ...(opts.ocrThreads ? { ocrThreads: opts.ocrThreads } : {}), ...(budget ? { check: () => budget.check(), grant: (seconds: number) => budget.grant(seconds) } : {}) });
      return analyzeDocument(doc, opts.path ?? null, doc.sha256, budget);
    },
    testRules(filter) {
      if (filter !== undefined && typeof filter !== 'function') throw new XunshiError(ERROR_CODES.USAGE, `testRules expects a filter function (ruleId) => boolean or nothing, got ${filter === null ? 'null' : typeof filter}`);
      return runRuleExamples(
        ruleset,
        (text) => {
          const { normalized } = createMatchingCopy(text);
          return { normalized, tokens: segment(normalized, [{ start: 0, end: text.length }], lexicon) };
        },
        filter ? (r) => filter(r.id) : undefined,
      );
    },
    warmUp() {
      ensureSegmenter(lexicon);
    },
    withModels(models) {
      checkModels(models);
      const variant: RuleSet = {
        ...ruleset,
        ...(models.functionModel ? { functionModel: models.functionModel } : {}),
        ...(models.categoryModel ? { categoryModel: models.categoryModel } : {}),
      };
      // The reports say which models decided: the rules' hash and the models', hashed together.
      const hash = createHash('sha256').update(rulesetHash).update('\0models\0').update(JSON.stringify(models)).digest('hex');
      return buildAnalyzer(variant, hash, shared);
    },
    featuresOf(input, opts = {}) {
      checkAnalyzeArgs('featuresOf', input, opts);
      const { doc, work, normalized, tokens } = fitInput(input, opts);
      const features: FeatureVector[] = [];
      const passages = tagPassages(handRuleset, { source: work.text, normalized, units: work.units, tokens, features });
      return { units: [...doc.units], features, passages };
    },
    categoryCandidatesOf(input, opts = {}) {
      checkAnalyzeArgs('categoryCandidatesOf', input, opts, [...ANALYZE_OPTION_NAMES, 'functionModel', 'functionOf']);
      const model = opts.functionModel;
      if (model !== undefined && (model === null || typeof model !== 'object' || typeof model.weights !== 'object' || model.weights === null)) {
        throw usage(`categoryCandidatesOf: options.functionModel must be an object with weights, got ${describeValue(model)}`);
      }
      const functionOf = opts.functionOf;
      if (functionOf !== undefined && typeof functionOf !== 'function') {
        throw usage(`categoryCandidatesOf: options.functionOf must be a function, got ${describeValue(functionOf)}`);
      }
      const { doc, work, normalized, tokens } = fitInput(input, opts);
      const candidates: UnitCategoryCandidate[] = [];
      const checked = functionOf && ((unit: Unit, index: number): FunctionId | undefined => {
        const f = functionOf(unit, index);
        if (f !== undefined && !(FUNCTION_IDS as readonly unknown[]).includes(f)) {
          throw usage(`categoryCandidatesOf: options.functionOf returned ${typeof f === 'string' ? JSON.stringify(f) : describeValue(f)} for unit ${index}; expected one of ${FUNCTION_IDS.join(', ')} or undefined`);
        }
        return f;
      });
      const passages = tagPassages(rulesetWith(model), { source: work.text, normalized, units: work.units, tokens, categorySamples: candidates, ...(checked ? { functionOf: checked } : {}) });
      return { units: [...doc.units], candidates, passages };
    },
  };
}

function readOptions(opts: AnalyzeOptions): { path?: string; format?: SourceFormat; encoding: 'utf-8' | 'gb18030' | 'big5' | 'auto' } {
  return { ...(opts.path ? { path: opts.path } : {}), ...(opts.format ? { format: opts.format } : {}), encoding: opts.encoding ?? 'auto' };
}

/**
 * Put the passages of a reading copy back onto the source: each passage takes its unit's source range, text and
 * heading path (passage i is unit i), and every evidence and fact range is mapped through `toSource`, its text read
 * from the source (a gloss inside a range stays in its text).
 */
function restoreSourceRanges(passages: Passage[], source: DocumentModel, reading: ReadingCopy): void {
  const text = source.text;
  // An evidence object may be cited by more than one label: map each object once.
  const seen = new Set<object>();
  const back = <T extends { start: number; end: number; text: string }>(r: T): void => {
    if (seen.has(r)) return;
    seen.add(r);
    const [start, end] = reading.toSource(r.start, r.end);
    r.start = start;
    r.end = end;
    r.text = text.slice(start, end);
  };
  passages.forEach((p, i) => {
    const unit = source.units[i]!;
    p.start = unit.start;
    p.end = unit.end;
    p.text = unit.text;
    p.headingPath = unit.headingPath;
    p.functionEvidence.forEach(back);
    for (const c of p.categories) c.evidence.forEach(back);
    for (const r of p.rootCauses) r.evidence.forEach(back);
    p.facts.forEach(back);
  });
}

/** Segment per line/paragraph: the ranges of the document's blocks, merged from its units. */
function blockRangesOf(doc: DocumentModel): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let current: { start: number; end: number; block: number } | undefined;
  for (const u of doc.units) {
    if (current && current.block === u.block) current.end = u.end;
    else {
      if (current) out.push({ start: current.start, end: current.end });
      current = { start: u.start, end: u.end, block: u.block };
    }
  }
  if (current) out.push({ start: current.start, end: current.end });
  return out;
}

let defaultAnalyzer: Analyzer | undefined;

/**
 * Analyse one report (text or bytes) with the shipped rules and return its Report. The rules are compiled once per
 * thread and reused; use {@link createAnalyzer} for custom rules.
 */
export function analyze(input: string | Uint8Array, options: AnalyzeOptions = {}): Report {
  checkAnalyzeArgs('analyze', input, options);
  defaultAnalyzer ??= createAnalyzer();
  return defaultAnalyzer.analyze(input, options);
}

/**
 * Analyse one report of any supported format (text, Markdown, HTML, Word .docx, PDF) with the shipped rules; the
 * asynchronous form of {@link analyze}, needed for docx and pdf.
 */
export async function analyzeAsync(input: string | Uint8Array, options: AnalyzeOptions = {}): Promise<Report> {
  checkAnalyzeArgs('analyzeAsync', input, options);
  defaultAnalyzer ??= createAnalyzer();
  return defaultAnalyzer.analyzeAsync(input, options);
}
