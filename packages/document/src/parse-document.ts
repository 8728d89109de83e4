import { ERROR_CODES, XunshiError, lastAtOrBefore } from '@xunshi/types';
import type { Diagnostic, DocumentModel, Heading, Range, SourceEncoding, SourceFormat, TableCell, Unit } from '@xunshi/types';
import { detectEnumeration } from './enumeration.js';
import { checkMarkdownWork, MAX_HTML_BLOCK_DEPTH, splitMarkdown } from './markdown-structure.js';
import { forEachLineUnit, isUnitWhitespace, splitLines } from './split-units.js';
import type { UnitSpan } from './split-units.js';
import { findTextHeadings, numberingRankOf } from './text-structure.js';
import type { RankedHeading } from './text-structure.js';
import type { ExtractedDocument, ExtractedLine } from './extracted.js';
import { cutText, type CutText } from './reading-copy.js';
import { cellsOfTable, edgeGrid, type TableRowShape } from './table-header.js';

/** Options of {@link parseDocument}. */
export interface ParseOptions {
  /** `text` (default) or `markdown`. */
  format?: SourceFormat;
  /** Encoding the text was decoded from, recorded in the model (default `utf-8`). */
  encoding?: SourceEncoding;
  /** Whether the bytes had a byte-order mark, recorded in the model (default false). */
  bom?: boolean;
}

/**
 * Parse decoded text into a DocumentModel: headings (Markdown, official numbering, title lines)
 * and units split exactly as taxonomy.md defines them, each with its `[start, end)` UTF-16 range,
 * heading path, block index and enumeration marker; never throws on any string.
 */
export function parseDocument(text: string, options: ParseOptions = {}): DocumentModel {
  if (typeof text !== 'string') {
    throw new XunshiError(ERROR_CODES.USAGE, `parseDocument expects a string, got ${typeof text}`);
  }
  const format = options.format ?? 'text';
  if (format !== 'text' && format !== 'markdown') {
    throw new XunshiError(
      ERROR_CODES.INPUT_UNSUPPORTED,
      `parseDocument reads "text" or "markdown", not "${String(format)}": html, docx and pdf come as bytes (readDocument / readDocumentAsync)`,
    );
  }
  const encoding = options.encoding ?? 'utf-8';
  if (encoding !== 'utf-8' && encoding !== 'gb18030' && encoding !== 'big5') {
    throw new XunshiError(ERROR_CODES.USAGE, `unknown encoding "${String(encoding)}" (expected "utf-8", "gb18030" or "big5")`);
  }
  const bom = options.bom ?? false;
  // remark-parse is super-linear on deep or long unbroken nesting: such a document is read as plain text (its markers
  // stay in the units, official numbering still gives headings), measured in one pass before anything is parsed.
  const tooComplex = format === 'markdown' ? checkMarkdownWork(text) : undefined;
  const built = format === 'markdown' && tooComplex === undefined ? buildMarkdown(text) : buildText(text);
  const doc: DocumentModel = { text, format, encoding, bom, headings: built.headings, units: built.units };
  if (built.markup?.length) doc.markup = built.markup;
  if (built.diagnostics) doc.diagnostics = built.diagnostics;
  if (tooComplex !== undefined) {
    doc.diagnostics = [{ code: 'XUNSHI_MARKDOWN_TOO_COMPLEX', message: `${tooComplex}: read as plain text, so block markers stay in the units and Markdown headings are not recognised` }];
  }
  return doc;
}

interface Built {
  markup?: Range[];
  diagnostics?: Diagnostic[];
  headings: Heading[];
  units: Unit[];
}

/**
 * Shared tail: takes units in document order, keeps the outline stack (by rank: lower is outer),
 * and attaches paths, blocks and enumerations. Units are added one by one so that no
 * intermediate array of decorated spans is built (parsing megabytes is allocation-bound).
 */
class UnitAssembler {
  readonly units: Unit[] = [];
  private readonly stack: number[] = [];
  // Units under the same headings share one path array (rebuilt only when the outline moves).
  private shared: string[] = [];
  private pathBefore: string[] = [];
  private current = -1;
  private readonly blockIndex = new Map<number, number>();
  private lastKey = Number.NaN;
  private lastBlock = -1;

  constructor(
    private readonly headings: readonly Heading[],
    private readonly ranks: readonly number[],
  ) {}

  /** Close the sections whose rank is at or below `rank` (an enumerated body line ends its earlier siblings). */
  close(rank: number): void {
    const before = this.stack.length;
    this.popFrom(rank);
    if (this.stack.length !== before) this.shared = this.texts();
  }

  /** Add one unit `[start, end)`; `heading` is the index of the heading it belongs to, or -1. */
  add(start: number, end: number, text: string, blockKey: number, heading: number, cell?: TableCell): void {
    if (heading >= 0 && heading !== this.current) {
      this.popFrom(this.ranks[heading]!);
      this.pathBefore = this.texts();
      this.stack.push(heading);
      this.current = heading;
      this.shared = this.texts();
    }
    // Units of one block are adjacent, so the map is consulted once per block.
    if (blockKey !== this.lastKey) {
      let found = this.blockIndex.get(blockKey);
      if (found === undefined) {
        found = this.blockIndex.size;
        this.blockIndex.set(blockKey, found);
      }
      this.lastBlock = found;
      this.lastKey = blockKey;
    }
    const index = this.units.length;
    const isHeading = heading >= 0;
    const unit: Unit = {
      id: `u${index}`,
      index,
      start,
      end,
      text,
      headingPath: isHeading ? this.pathBefore : this.shared,
      isHeading,
      block: this.lastBlock,
    };
    if (isHeading) unit.headingLevel = this.headings[heading]!.level;
    const enumeration = detectEnumeration(text);
    if (enumeration) unit.enumeration = enumeration;
    // A copy for each unit: the units of one cell share no object that changing one of them would change.
    if (cell) unit.cell = { ...cell };
    this.units.push(unit);
  }

  private popFrom(rank: number): void {
    const { stack, ranks } = this;
    while (stack.length > 0 && ranks[stack[stack.length - 1]!]! >= rank) stack.pop();
  }

  private texts(): string[] {
    return this.stack.map((i) => this.headings[i]!.text);
  }
}

function buildText(text: string): Built {
  const lines = splitLines(text, true);
  const { headings: ranked, closers } = findTextHeadings(text, lines);
  const headingOfLine = new Int32Array(lines.length).fill(-1);
  ranked.forEach((h, i) => (headingOfLine[h.line] = i));
  const closeRankOfLine = new Int32Array(lines.length).fill(-1);
  for (const c of closers) closeRankOfLine[c.line] = c.rank;
  const headings: Heading[] = ranked.map((h) => ({
    start: h.start,
    end: h.end,
    level: h.level,
    text: h.text,
    source: h.source,
  }));
  const assembler = new UnitAssembler(
    headings,
    ranked.map((h) => h.rank),
  );
  let lineNo = 0;
  let heading = -1;
  const emit = (start: number, end: number): void => {
    // In plain text one line is one paragraph (the corpus has one paragraph a line).
    assembler.add(start, end, text.slice(start, end), lineNo, heading);
  };
  for (const line of lines) {
    lineNo = line.line;
    heading = headingOfLine[lineNo]!;
    const closeRank = closeRankOfLine[lineNo]!;
    if (closeRank >= 0) assembler.close(closeRank);
    forEachLineUnit(text, line.start, line.end, emit);
  }
  return { headings, units: assembler.units };
}

/**
 * A Markdown document's outline is its `#` and setext headings merged with the plain-text outline of its other lines,
 * as for a web page: a paragraph 一、总体情况 (what a converter writes for typed numbering) heads the paragraphs after
 * it as it does in a `.txt` file. Unlike a web page's `h1`, a leading `#` title stays a heading: a Markdown file's
 * `#` is written by its author (or a converter from heading styles), not by a site's template, and the sample
 * reports written as Markdown score better with it (corpus/held-out 0.862 against 0.852 category micro-F1).
 */
function buildMarkdown(text: string): Built {
  const { units, headings: mdHeadings, markup, markupCutLine, htmlTooDeepLine } = splitMarkdown(text);
  const lines: OutlineLine[] = [];
  let current: OutlineLine | undefined;
  let currentLine = -1;
  for (const u of units) {
    const heading = u.heading !== undefined;
    // A heading is one line even when it runs over several (a setext heading); other blocks give a line per source line.
    if (current && current.block === u.blockKey && (heading || u.line === currentLine)) {
      current.units!.push(u);
      current.end = u.end;
    } else {
      current = { start: u.start, end: u.end, kind: heading ? 'heading' : u.cell ? 'row' : 'body', block: u.blockKey, units: [u] };
      if (heading) current.level = mdHeadings[u.heading!]!.depth;
      else if (u.nested) current.plain = true;
      lines.push(current);
    }
    currentLine = u.line;
  }
  // A line set in bold as a whole (**一、总体情况**, what converters write for a bold typed heading) is read by the
  // outline without its markers; its unit keeps them, as units are slices of the file.
  for (const l of lines) {
    if (l.kind === 'row' || l.plain || l.end - l.start < 5) continue;
    const mark = text.slice(l.start, l.start + 2);
    if ((mark === '**' || mark === '__') && text.startsWith(mark, l.end - 2) && text.indexOf(mark, l.start + 2) === l.end - 2) {
      l.start += 2;
      l.end -= 2;
    }
  }
  // The outline reads the lines as they are shown, without inline markup: `**一、**总体情况` and `[一、总体情况](…)` are
  // numbered lines as `一、总体情况` is. Heading ranges and texts stay slices of the file.
  const shown = markup.length > 0 ? cutText(text, markup) : undefined;
  const built: Built = { ...buildOutlined(text, lines, 'markdown', shown), markup };
  const diagnostics: Diagnostic[] = [];
  if (htmlTooDeepLine !== undefined) {
    diagnostics.push({ code: 'XUNSHI_MARKDOWN_TOO_COMPLEX', message: `an HTML block nested more than ${MAX_HTML_BLOCK_DEPTH} elements deep (from line ${htmlTooDeepLine}): read as it is written, its tags in the units` });
  }
  if (markupCutLine !== undefined) {
    diagnostics.push({ code: 'XUNSHI_MARKDOWN_TOO_COMPLEX', message: `more inline markup than a report holds: from line ${markupCutLine} on, \`**\`, links and inline tags stay in the text that segmentation and matching read` });
  }
  if (diagnostics.length > 0) built.diagnostics = diagnostics;
  return built;
}

/** Options of {@link parseExtracted}. */
export interface ParseExtractedOptions {
  format: SourceFormat;
  encoding?: SourceEncoding;
  bom?: boolean;
}

/**
 * Build the DocumentModel of extracted text (html, docx, pdf): markup headings (h1–h6, Word heading styles) are
 * headings, body lines get the plain-text outline (official numbering 一、（一）1., short title lines) exactly as `.txt`
 * input does, table rows give one block each with units cut per cell, and footnotes stay in the text without units.
 */
export function parseExtracted(doc: ExtractedDocument, options: ParseExtractedOptions): DocumentModel {
  const { text } = doc;
  const { headings, units } = buildOutlined(text, withTitleAsBody(text, doc.lines), 'markup');
  // A unit is on the page where it starts (a paragraph continued on the next page has units on both).
  if (doc.pages) {
    let p = 0;
    for (const u of units) {
      while (p + 1 < doc.pages.length && doc.pages[p + 1]!.start <= u.start) p++;
      u.page = p + 1;
    }
  }
  const model: DocumentModel = {
    text,
    format: options.format,
    encoding: options.encoding ?? 'utf-8',
    bom: options.bom ?? false,
    headings,
    units,
    extracted: true,
  };
  if (doc.pages) model.pages = doc.pages;
  if (doc.diagnostics.length) model.diagnostics = doc.diagnostics;
  return model;
}

/** A line of a document with structure from markup: an extracted line, or a Markdown line with its units already cut. */
interface OutlineLine extends ExtractedLine {
  /** The line's units when the reader cut them itself (Markdown); otherwise they are cut from `[start, end)`. */
  units?: (UnitSpan & { tableCell?: TableCell })[];  /** A body line that markup says is no heading (a Markdown list item or quote): content to the outline, never a heading. */
  plain?: true;
}

/**
 * Headings and units of a document whose lines say what they are: markup headings (h1–h6, Word heading styles,
 * Markdown `#`) are headings, body lines get the plain-text outline (official numbering, short title lines) as the
 * lines of a `.txt` file do, and the two are merged into one outline.
 */
function buildOutlined(text: string, lines: readonly OutlineLine[], markup: 'markup' | 'markdown', shown?: CutText): Built {
  // The outline is found on the body and heading lines, numbered as if they were the lines of a text file; table rows,
  // list items and quotes are there as content only (a numbered title before a table is a heading). With `shown`, it
  // reads the text as shown (inline markup cut out) and its headings are mapped back onto `text`.
  const view = shown?.text ?? text;
  const at = (i: number): number => (shown ? shown.cleanOf[i]! : i);
  const outlineLines = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.kind !== 'footnote');
  const spans = outlineLines.map(({ l }, k) => ({ start: at(l.start), end: at(l.end), line: k, ...(l.kind === 'row' ? { row: true } : l.plain ? { plain: true } : {}) }));
  const outline = findTextHeadings(view, spans);
  const textHeadingOf = new Map<number, RankedHeading>();
  for (const h of outline.headings) {
    if (shown && h.end > h.start) {
      const start = shown.srcOf[h.start]!;
      const end = shown.srcOf[h.end - 1]! + 1;
      textHeadingOf.set(outlineLines[h.line]!.i, { ...h, start, end, text: text.slice(start, end) });
    } else textHeadingOf.set(outlineLines[h.line]!.i, h);
  }
  const closerOf = new Map<number, number>();
  for (const c of outline.closers) closerOf.set(outlineLines[c.line]!.i, c.rank);
  // Merge markup headings into the outline: a numbered one keeps its numbering's rank (so 一、 nests as in text input),
  // an unnumbered one sits right below the nearest open markup heading of a smaller level.
  interface Event { line: number; rank: number; heading?: Heading; markupLevel?: number }
  const events: Event[] = [];
  const stack: Event[] = [];
  lines.forEach((l, i) => {
    let ev: Event | undefined;
    if (l.kind === 'heading') {
      let a = l.start;
      let b = l.end;
      while (a < b && isUnitWhitespace(text[a]!)) a++;
      while (b > a && isUnitWhitespace(text[b - 1]!)) b--;
      const content = text.slice(a, b);
      const level = l.level ?? 1;
      let rank = numberingRankOf(view.slice(at(a), at(b)).trim().slice(0, 61));
      if (rank === undefined) {
        let parent: Event | undefined;
        for (let k = stack.length - 1; k >= 0; k--) {
          if (stack[k]!.markupLevel !== undefined && stack[k]!.markupLevel! < level) {
            parent = stack[k];
            break;
          }
        }
        rank = parent ? parent.rank + 1 : level - 1;
      }
      // A markup heading ends the open markup headings of its level and below, whatever their numbering says
      // (<h1>第二部分</h1> closes the sections of an earlier <h1>).
      for (const open of stack) if (open.markupLevel !== undefined && open.markupLevel >= level) rank = Math.min(rank, open.rank);
      ev = { line: i, rank, heading: { start: a, end: b, level: 0, text: content, source: markup }, markupLevel: level };
    } else {
      const th = textHeadingOf.get(i);
      if (th) ev = { line: i, rank: th.rank, heading: { start: th.start, end: th.end, level: 0, text: th.text, source: th.source } };
      else if (closerOf.has(i)) ev = { line: i, rank: closerOf.get(i)! };
    }
    if (!ev) return;
    while (stack.length > 0 && stack[stack.length - 1]!.rank >= ev.rank) stack.pop();
    if (ev.heading) {
      stack.push(ev);
      ev.heading.level = stack.length;
    }
    events.push(ev);
  });
  const headings: Heading[] = [];
  const ranks: number[] = [];
  const headingOfLine = new Map<number, number>();
  const closeRankOfLine = new Map<number, number>();
  for (const ev of events) {
    if (ev.heading) {
      headingOfLine.set(ev.line, headings.length);
      headings.push(ev.heading);
      ranks.push(ev.rank);
    } else {
      closeRankOfLine.set(ev.line, ev.rank);
    }
  }

  const assembler = new UnitAssembler(headings, ranks);
  const cellsOf = tableCells(text, lines);
  lines.forEach((l, i) => {
    if (l.kind === 'footnote') return;
    const close = closeRankOfLine.get(i);
    if (close !== undefined) assembler.close(close);
    const heading = headingOfLine.get(i) ?? -1;
    const emit = (start: number, end: number): void => assembler.add(start, end, text.slice(start, end), l.block, heading);
    if (l.units) for (const u of l.units) assembler.add(u.start, u.end, u.text, l.block, heading, u.tableCell);
    else if (l.kind === 'row') {
      const cells = cellsOf.get(i);
      (l.cells ?? []).forEach((c, k) => forEachLineUnit(text, c.start, c.end, (start, end) => assembler.add(start, end, text.slice(start, end), l.block, heading, cells?.[k])));
    } else forEachLineUnit(text, l.start, l.end, emit);
  });
  return { headings, units: assembler.units };
}

export { edgeGrid, headerCellAt, looksLikeHeaderRow } from './table-header.js';

/**
 * The {@link TableCell} of each cell of the table rows among `lines` (by line index, then cell), as
 * {@link cellsOfTable} reads each table's rows: the table, the row within it, the column, and the header above it.
 */
function tableCells(text: string, lines: readonly OutlineLine[]): Map<number, TableCell[]> {
  const rowsOf = new Map<number, number[]>();
  lines.forEach((l, i) => {
    if (l.kind !== 'row' || !l.cells || l.table === undefined || l.units) return;
    let rows = rowsOf.get(l.table);
    if (!rows) rowsOf.set(l.table, (rows = []));
    rows.push(i);
  });
  const out = new Map<number, TableCell[]>();
  const textsOf = (l: OutlineLine): string[] => l.cells!.map((c) => text.slice(c.start, c.end));
  for (const [table, rows] of rowsOf) {
    // Columns and spans: the reader's, or the grid of the cells' edges when every row gives them, or positions.
    const byEdges = rows.every((li) => lines[li]!.edges !== undefined) ? edgeGrid(rows.map((li) => lines[li]!.edges!)) : undefined;
    const shapes = rows.map((li, r): TableRowShape => {
      const l = lines[li]!;
      return { texts: textsOf(l), columns: byEdges?.[r]?.columns ?? l.columns ?? l.cells!.map((_, k) => k), spans: byEdges?.[r]?.spans ?? l.spans, header: l.header };
    });
    cellsOfTable(table, shapes).forEach((cells, r) => out.set(rows[r]!, cells));
  }
  return out;
}

/**
 * A document's title set as its first heading (an `h1` page title, Word's Title style) is the title, not a section:
 * as in plain text, it becomes a body line, so that it does not head every unit (the rules were tuned with the title
 * as the document's lead; taking it as a heading costs accuracy on the sample reports). It stays a heading when it is
 * numbered or when another markup heading is at its level or above. Short lines without a sentence may stand above it
 * (what a saved page keeps of its chrome, a 公文's 附件1): it is still the title.
 */
function withTitleAsBody<L extends ExtractedLine>(text: string, lines: readonly L[]): readonly L[] {
  const at = lines.findIndex((l) => l.kind !== 'body' || !isLeadLine(text.slice(l.start, l.end)));
  const first = lines[at];
  if (!first || first.kind !== 'heading') return lines;
  const level = first.level ?? 1;
  if (lines.some((l, i) => i > at && l.kind === 'heading' && (l.level ?? 1) <= level)) return lines;
  if (numberingRankOf(text.slice(first.start, Math.min(first.end, first.start + 61)).trim()) !== undefined) return lines;
  const { level: _dropped, ...rest } = first;
  void _dropped;
  return [...lines.slice(0, at), { ...rest, kind: 'body' } as L, ...lines.slice(at + 1)];
}

/**
 * A line that may stand above a document's title without making it a section: what a saved page keeps of its chrome
 * (a site name, 搜索, 首页 要闻, a date bar) or a 公文's 附件1: short, no sentence in it.
 */
function isLeadLine(line: string): boolean {
  return line.length <= MAX_LEAD_LINE && !/[。！？!?；;]/.test(line);
}
const MAX_LEAD_LINE = 40;
