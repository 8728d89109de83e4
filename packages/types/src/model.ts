/**
 * Shared data model of xunshi. Every position is a half-open `[start, end)` range of UTF-16
 * code units into the decoded source text (what `String.prototype.slice` uses).
 */

/** A half-open range of UTF-16 code units into the decoded source text. */
export interface Range {
  start: number;
  end: number;
}

/** What a passage does. */
export type FunctionId = 'problem' | 'cause' | 'measure' | 'context';
/** The four problem categories. */
export type CategoryId = 'political' | 'organizational' | 'conduct' | 'discipline';
/** The four root-cause types. */
export type RootCauseId = 'ideology' | 'responsibility' | 'institution' | 'ecology';

/** All function ids, in report order. */
export const FUNCTION_IDS: readonly FunctionId[] = ['problem', 'cause', 'measure', 'context'];
/** All category ids, in report order. */
export const CATEGORY_IDS: readonly CategoryId[] = ['political', 'organizational', 'conduct', 'discipline'];
/** All root-cause ids, in report order. */
export const ROOT_CAUSE_IDS: readonly RootCauseId[] = ['ideology', 'responsibility', 'institution', 'ecology'];

/**
 * Input formats: `text` and `markdown` are read as they are; `html`, `docx`, `doc`, `pdf` and `ofd` are extracted into a plain
 * text (one block a line) that the report carries in `source.text`.
 */
export type SourceFormat = 'text' | 'markdown' | 'html' | 'mhtml' | 'docx' | 'doc' | 'rtf' | 'xlsx' | 'xls' | 'csv' | 'pdf' | 'ofd' | 'odt' | 'image';
/** All input formats, in documentation order. */
export const SOURCE_FORMATS: readonly SourceFormat[] = ['text', 'markdown', 'html', 'mhtml', 'docx', 'doc', 'rtf', 'xlsx', 'xls', 'csv', 'pdf', 'ofd', 'odt', 'image'];
/** Encodings the decoder reports. */
export type SourceEncoding = 'utf-8' | 'gb18030' | 'big5';
/** Writing system of the document, as detected. */
export type Script = 'simplified' | 'traditional';

/** A heading recovered from Markdown, from markup (HTML h1–h6, Word heading styles) or from official numbering / short title lines. */
export interface Heading extends Range {
  /** 1 = top level. */
  level: number;
  text: string;
  /** How the heading was recognised. */
  source: 'markdown' | 'numbering' | 'title-line' | 'markup';
}

/** An enumeration marker at the start of a unit (一、 （一） 1. （1） 一是 …). */
export interface Enumeration {
  /** The marker as written, e.g. `（二）` or `一是`. */
  marker: string;
  /** Marker family: `cn-dun` 一、, `cn-paren` （一）, `arabic-dot` 1., `arabic-paren` （1）, `cn-shi` 一是, `cn-ordinal` 第一 or 其一, `cn-sequence` 首先是/其次，/再次是. */
  style: 'cn-dun' | 'cn-paren' | 'arabic-dot' | 'arabic-paren' | 'cn-shi' | 'cn-ordinal' | 'cn-sequence';
  /** 1-based ordinal value. */
  ordinal: number;
}

/**
 * Where a unit lies in a table (a unit never runs across cells): which table of the document, which row and column,
 * and the header of its column. Tables come from markup (HTML, Word, OpenDocument, RTF, GFM Markdown), from sheets
 * (`.xlsx`, `.xls`) and from the tables found on PDF and OFD pages (ruled or not, over page breaks).
 */
export interface TableCell {
  /** 0-based index of the table in the document. */
  table: number;
  /** 0-based row of the table, the header row included (a header repeated on each page of a PDF is read once). */
  row: number;
  /**
   * 0-based column where the cell starts: in the table's grid (cells spanning columns or rows taken into account) for
   * markup, the sheet's column for a sheet (A = 0), the column of the page's table for PDF and OFD.
   */
  column: number;
  /** True for a cell of the table's header row, or of a second header row of sub-headers (整改措施 | 完成时限 under 整改情况). */
  isHeader?: true;
  /**
   * The text of the header row's cell above this column (`整改措施`), for a cell below a header row: a first row marked
   * as a header (`<th>`, `<thead>`, a GFM table's first row) or one of two cells or more, each short and without
   * punctuation, that rows below it follow. Under a second header row, the sub-header that holds the cell's columns
   * where there is one.
   */
  header?: string;
}

/** The annotation unit: one sentence or clause, or one heading (see taxonomy.md). */
export interface Unit extends Range {
  /** `u0`, `u1`, … in document order. */
  id: string;
  index: number;
  text: string;
  /** Texts of the enclosing headings, outermost first (the unit's own heading text excluded). */
  headingPath: string[];
  /** True when the unit is itself a heading. */
  isHeading: boolean;
  /** Heading level when `isHeading`. */
  headingLevel?: number;
  /** Index of the paragraph / block the unit comes from (units of one line share it). */
  block: number;
  /** Enumeration marker at the start of the unit, when present. */
  enumeration?: Enumeration;
  /** 1-based page the unit starts on (PDF input only). */
  page?: number;
  /** The table cell the unit is in, for a unit of a table row. */
  cell?: TableCell;
}

/** A decoded and parsed document. */
export interface DocumentModel {
  /** The decoded source text; every range points into it. */
  text: string;
  format: SourceFormat;
  encoding: SourceEncoding;
  /** True when the bytes started with a byte-order mark (it is not part of `text`). */
  bom: boolean;
  headings: Heading[];
  units: Unit[];
  /**
   * True when `text` was extracted from a container or markup (html, docx, pdf) rather than decoded as it is: the
   * report then carries it in `source.text`, since offsets index it and not the file's bytes.
   */
  extracted?: boolean;
  /** PDF input: the `[start, end)` range of each page in `text`, page 1 first. */
  pages?: Range[];
  /** A report read from several image files (one a page): the file of each page, page 1 first. */
  pageFiles?: string[];
  /** Notes about the extraction (a charset fallback, dropped page headers), copied into the report's diagnostics. */
  diagnostics?: Diagnostic[];
  /**
   * Markdown input: the ranges of `text` that are inline markup (`**`, a link's `[` and `](…)`, inline HTML tags …),
   * sorted and not overlapping, which segmentation and matching read past as they do inline pinyin glosses.
   */
  markup?: Range[];
}

/** A token from the segmenter, with its range in the source text. */
export interface Token extends Range {
  text: string;
}

/**
 * A document's tokens as columns, without an object per token: token `i` spans `[starts[i], ends[i])` and reads
 * `texts[i]` (the segmenter's word), for `i < count`; ordered by start. What `segmentColumns` of `@xunshi/tokenizer`
 * writes and the engine reads; `segment` gives the same tokens as objects.
 */
export interface TokenColumns {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly texts: readonly string[];
}

/** A piece of text that made a rule fire. */
export interface Evidence extends Range {
  /** Stable rule id, e.g. `conduct.formalism.paper-work`. */
  rule: string;
  text: string;
}

/** A problem category given to a passage. */
export interface CategoryLabel {
  id: CategoryId;
  /** Subcategory id such as `conduct.formalism`, or null when only the area is named. */
  subcategory: string | null;
  score: number;
  evidence: Evidence[];
}

/** A root cause given to a passage. */
export interface RootCauseLabel {
  id: RootCauseId;
  score: number;
  evidence: Evidence[];
}

/** Base of every fact: its kind and where it stands. */
export interface FactBase extends Range {
  kind: 'amount' | 'count' | 'ratio' | 'period' | 'unitType' | 'catchphrase';
  text: string;
}
export interface AmountFact extends FactBase {
  kind: 'amount';
  unit: 'CNY';
  /** Exact value in yuan. */
  value?: number;
  /** Lower bound in yuan (inclusive) for approximations and bounds. */
  min?: number;
  /** Upper bound in yuan for approximations and bounds. */
  max?: number;
  approx?: boolean;
}
export interface CountFact extends FactBase {
  kind: 'count';
  value: number;
  measure: string;
  counted?: string;
  min?: number;
  max?: number;
  approx?: boolean;
}
export interface RatioFact extends FactBase {
  kind: 'ratio';
  /** Fraction as written: 20% → 0.2 (the first end of a range, the base of 三成多). */
  value: number;
  /** Lower bound (inclusive) when the text gives one: 超过/以上, a range, 三成多. */
  min?: number;
  /** Upper bound (inclusive) when the text gives one: 不足/以下, 近, a range. */
  max?: number;
  approx?: boolean;
  comparator?: 'lt' | 'le' | 'eq' | 'ge' | 'gt';
  change?: 'up' | 'down';
}
export interface PeriodFact extends FactBase {
  kind: 'period';
  /** Inclusive ISO date or partial date (`2019`, `2022-12`, `2020-10-28`). */
  from?: string;
  to?: string;
  duration?: { value: number; unit: 'year' | 'month' | 'day' | 'workday' };
}
export interface UnitTypeFact extends FactBase {
  kind: 'unitType';
  type: string;
}
export interface CatchphraseFact extends FactBase {
  kind: 'catchphrase';
  phrase: string;
}
/** A fact found in a passage, with a normalised value. */
export type Fact = AmountFact | CountFact | RatioFact | PeriodFact | UnitTypeFact | CatchphraseFact;

/** One classified unit of the document. */
export interface Passage extends Range {
  id: string;
  text: string;
  headingPath: string[];
  function: FunctionId;
  /** Score of each function cue family that fired, and the evidence behind the decision. */
  functionScores: Record<FunctionId, number>;
  functionEvidence: Evidence[];
  categories: CategoryLabel[];
  rootCauses: RootCauseLabel[];
  facts: Fact[];
  /** 1-based page the passage starts on (PDF input only). */
  page?: number;
  /** The table cell the passage is in, for a passage of a table row. */
  cell?: TableCell;
}

/** A message about the document that is not a label (for example a decoding fallback). */
export interface Diagnostic {
  code: string;
  message: string;
  start?: number;
  end?: number;
}

/** Counts over a report's passages. */
export interface ReportSummary {
  passages: number;
  functions: Record<FunctionId, number>;
  categories: Record<CategoryId, number>;
  subcategories: Record<string, number>;
  rootCauses: Record<RootCauseId, number>;
  /** Most frequent evidence phrases, most frequent first. */
  keywords: { text: string; count: number }[];
  /** Fact totals per category (amounts in yuan, people, cases). */
  facts: Record<CategoryId | 'none', { amount: number; people: number; cases: number }>;
}

/** The result of analysing one document (output contract, schemaVersion 1). */
export interface Report {
  schemaVersion: 1;
  tool: { name: 'xunshi'; version: string; rulesetHash: string };
  source: {
    path: string | null;
    format: SourceFormat;
    encoding: SourceEncoding;
    script: Script;
    sha256: string;
    length: number;
    /**
     * The extracted text, present for html, docx, doc, pdf and ofd input: every `[start, end)` of the report indexes it, so
     * `text.slice(start, end)` is the passage. Absent for text and Markdown, whose offsets index the decoded file.
     */
    text?: string;
    /** Number of pages (PDF and OFD input only). */
    pages?: number;
    /**
     * A report read from a folder's image files, one a page (`--join-images`; `path` is the folder, ending in `/`): the
     * file each page was read from, relative to `path`, page 1 first (a multi-page TIFF's name repeats for its pages).
     */
    pageFiles?: string[];
  };
  passages: Passage[];
  summary: ReportSummary;
  diagnostics: Diagnostic[];
}

/**
 * An input that could not be analysed, as it appears in batch output (`errors.jsonl` of `--format json`, the error rows
 * of CSV, the summary's failed inputs): part of the output contract.
 */
export interface ErrorEntry {
  path: string;
  code: string;
  message: string;
  line?: number;
  column?: number;
}

/** One file of a report photographed or scanned a page a file (IMG_1.jpg … IMG_4.jpg): its name and its bytes. */
export interface ImageFile {
  /** How the file is named in messages and in `source.pageFiles` (a path relative to the report's folder). */
  name: string;
  /** Its bytes, read when its turn comes (so that a folder of photographs is never held whole); may throw. */
  read: () => Uint8Array | Promise<Uint8Array>;
}
