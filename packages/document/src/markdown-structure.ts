import { getParser } from './parsers.js';
import type { FormatParsers } from './parsers.js';
import type { Nodes, Root } from 'mdast';
import { appendLineUnits, isTerminator, isUnitWhitespace, splitLines, terminatorOfUnit } from './split-units.js';
import type { LineSpan, UnitSpan } from './split-units.js';
import type { Range, TableCell } from '@xunshi/types';
import type { Element } from 'hast';
import { tableRows } from './html-extract.js';
import { cellsOfTable, lineAcross, widthAfterRow, type TableRowShape } from './table-header.js';

/** A unit of a Markdown document with the block and heading it comes from. */
export interface MarkdownUnit extends UnitSpan {
  /** Key of the leaf block (paragraph, heading, …) the unit lies in; equal keys share a block. */
  blockKey: number;
  /** Index into the `headings` list when the unit is part of a heading. */
  heading?: number;
  /** 0-based source line the unit is on. */
  line: number;
  /** Set when the unit is a cell (or part of one) of a table row (GFM, or a table of an HTML block). */
  cell?: true;
  /** Where the unit lies in its table. */
  tableCell?: TableCell;
  /** Set when the unit is inside a list item or a block quote (which the outline never takes as a heading). */
  nested?: true;
}

/** A Markdown heading: its depth (1–6) and the key of the block its units carry. */
export interface MarkdownHeading {
  depth: number;
  blockKey: number;
}

/** Units and headings of a Markdown document; ranges are UTF-16 offsets into the raw source. */
export interface MarkdownStructure {
  units: MarkdownUnit[];
  headings: MarkdownHeading[];
  /**
   * Inline markup inside the units, sorted: emphasis delimiters (`**`, `_`; GFM strikethrough is not parsed), a link's `[` and
   * `](…)`, images, inline HTML tags, hard breaks and the backslash of an escape; what a reader of the rendered page
   * does not see, which segmentation and matching read past.
   */
  markup: Range[];
  /** 1-based line from which inline markup was not looked for (the document passed {@link INLINE_MARKER_BUDGET}). */
  markupCutLine?: number;
  /** 1-based line of the first HTML block nested past {@link MAX_HTML_BLOCK_DEPTH} elements: read as written, tags and all. */
  htmlTooDeepLine?: number;
}

const INLINE_CONSTRUCTS = [
  'attention',
  'autolink',
  'characterEscape',
  'characterReference',
  'codeText',
  'hardBreakEscape',
  'htmlText',
  'labelEnd',
  'labelStartImage',
  'labelStartLink',
] as const;
const CONTAINERS = new Set(['root', 'blockquote', 'listItem', 'list']);

let blockProcessor: ReturnType<FormatParsers['markdown']> | undefined;

/**
 * The processor of the block pass, built once: a processor is stateless between parses, while building one and
 * attaching its plugins (on its first parse) cost about 0.15 ms, as much as parsing 2,000 characters of a report.
 */
function getBlockProcessor(): ReturnType<FormatParsers['markdown']> {
  if (blockProcessor === undefined) {
    blockProcessor = getParser('markdown')();
    // Only block structure matters here (inline markup stays inside units), and inline parsing is
    // most of micromark's cost: switching it off makes parsing 2–3x faster.
    blockProcessor.data('micromarkExtensions', [{ disable: { null: [...INLINE_CONSTRUCTS] } }]);
  }
  return blockProcessor;
}

function isFenced(text: string, offset: number): boolean {
  let i = offset;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text.startsWith('```', i) || text.startsWith('~~~', i);
}

/**
 * Split a Markdown source into units (taxonomy.md rule 4): block markers (#, >, -, *, +) trimmed
 * like white space, thematic breaks, fenced code, HTML blocks, link definitions and setext
 * underlines dropped; structure comes from unified + remark-parse + remark-gfm positions. A GFM
 * table row is one block with units cut per cell (never across a `|`), its delimiter row no unit,
 * as an HTML table's rows; a GFM footnote definition is in no unit (as HTML and docx footnotes). `minChunk` (UTF-16
 * units, default 2048) is the least size of the independently parsed pieces; `Infinity` parses whole.
 */
export function splitMarkdown(text: string, options: { minChunk?: number } = {}): MarkdownStructure {
  const minChunk = options.minChunk ?? MIN_CHUNK;
  const lines = splitLines(text);
  const excluded = new Uint8Array(lines.length);
  const blockOfLine = new Array<number | undefined>(lines.length);
  const headingOfLine = new Array<number | undefined>(lines.length);
  const atxLine = new Uint8Array(lines.length);
  const nestedLine = new Uint8Array(lines.length);
  // Lines of indented code (kept as prose units): their text is read as it is, markup included.
  const codeLine = new Uint8Array(lines.length);
  const markup: Range[] = [];
  // Character references (&amp;) whose `;` ends no sentence: of inline text (findInlineMarkup) and of HTML blocks.
  const references: Range[] = [];
  // The lines (and table cells) whose inline markup is looked for once every line is known.
  const inlineSpans: Range[] = [];
  // `[start, end)` of each cell of a GFM table row, without its pipes.
  const cellsOfLine = new Map<number, Range[]>();
  // Where each of those cells lies in its table (a GFM table's first row is its header).
  const tableCellsOfLine = new Map<number, TableCell[]>();
  // A table's header texts by column, filled from the units of its header row (as read: a footnote call left out), by
  // the header row's line; and the cells below it that take their column's header once all units are cut.
  const headerOfLine = new Map<number, string[]>();
  const headed: { at: TableCell; texts: string[] }[] = [];
  let tables = 0;
  // Where the text of a GFM task list item starts on its first line: its [ ] / [x] is trimmed like the bullet before it
  // (an ordered item's number too: the unit is a slice, it cannot keep 1. without [x]).
  const taskStart = new Map<number, number>();
  // Identifiers of the GFM footnote definitions: a [^label] in the body is a note reference only when defined.
  const footnoteIds = new Set<string>();
  const headings: MarkdownHeading[] = [];
  // Units of the HTML blocks, by the block's first line.
  const htmlUnits = new Map<number, HtmlBlockUnit[]>();
  // Where the first HTML block nested past MAX_HTML_BLOCK_DEPTH begins (it is read as written).
  let htmlTooDeepAt: number | undefined;
  const processor = getBlockProcessor();
  // Offsets of the chunk being visited: remark positions are relative to it.
  let lineBase = 0;
  let charBase = 0;
  // First line of the next piece: a piece's trailing empty line must not mark that line.
  let lineLimit = lines.length;

  const mark = (node: Nodes, fn: (line: number) => void): void => {
    const pos = node.position;
    if (!pos) return;
    // An unclosed block can end at column 1 of the next line: that line is not part of it.
    const endLine = pos.end.column === 1 && pos.end.line > pos.start.line ? pos.end.line - 1 : pos.end.line;
    for (let l = lineBase + pos.start.line - 1; l <= lineBase + endLine - 1 && l < lineLimit; l++) fn(l);
  };
  let blockSeq = 0;
  const visit = (node: Nodes, parentType: string): void => {
    switch (node.type) {
      case 'thematicBreak':
      case 'definition':
        mark(node, (l) => (excluded[l] = 1));
        return;
      case 'footnoteDefinition':
        footnoteIds.add(node.identifier);
        mark(node, (l) => (excluded[l] = 1));
        return;
      case 'blockquote':
        mark(node, (l) => (nestedLine[l] = 1));
        for (const child of node.children) visit(child as Nodes, node.type);
        return;
      case 'listItem': {
        mark(node, (l) => (nestedLine[l] = 1));
        const first = node.children[0];
        if (node.checked != null && first?.type === 'paragraph' && first.position) {
          const l = lineBase + first.position.start.line - 1;
          if (l < lineLimit) taskStart.set(l, charBase + (first.position.start.offset ?? 0));
        }
        for (const child of node.children) visit(child as Nodes, node.type);
        return;
      }
      case 'table':
        // The delimiter row (|---|:-:|) is no row of the tree: every line of the table is left out but its rows.
        mark(node, (l) => (excluded[l] = 1));
        {
          const table = tables++;
          const header: string[] = [];
          const headerLine = node.children[0]?.position ? lineBase + node.children[0].position.start.line - 1 : -1;
          if (node.children.length > 1 && headerLine >= 0) headerOfLine.set(headerLine, header);
          node.children.forEach((row, r) => {
            const pos = row.position;
            if (!pos) return;
            const l = lineBase + pos.start.line - 1;
            if (l >= lineLimit) return;
            const cells: Range[] = [];
            const where: TableCell[] = [];
            // A cell's own position runs from the pipe before it and may hold the pipes of empty cells after it
            // (|  | ); its content is what its children span (an empty cell has none).
            row.children.forEach((cell, column) => {
              const first = cell.children[0]?.position;
              const last = cell.children[cell.children.length - 1]?.position;
              if (!first || !last) return;
              const range = { start: charBase + (first.start.offset ?? 0), end: charBase + (last.end.offset ?? 0) };
              cells.push(range);
              const at: TableCell = { table, row: r, column };
              if (r === 0) {
                if (node.children.length > 1) at.isHeader = true;
              } else headed.push({ at, texts: header });
              where.push(at);
            });
            excluded[l] = 0;
            blockOfLine[l] = blockSeq++;
            cellsOfLine.set(l, cells);
            tableCellsOfLine.set(l, where);
          });
        }
        return;
      case 'html':
        // Inline HTML inside a paragraph stays as it is; an HTML block's lines give the units of its text (below).
        if (CONTAINERS.has(parentType)) mark(node, (l) => (excluded[l] = 1));
        // Only a top-level block is read: inside a quote or a list item its lines carry the container's markers.
        if (parentType === 'root' && node.position) {
          const first = lineBase + node.position.start.line - 1;
          if (first < lineLimit) {
            const from = charBase + (node.position.start.offset ?? 0);
            const to = charBase + (node.position.end.offset ?? 0);
            htmlUnits.set(first, htmlBlockUnits(text, from, to, lines, () => blockSeq++, (depth, blockKey) => headings.push({ depth, blockKey }) - 1, markup, () => (htmlTooDeepAt ??= from), () => tables++, references));
          }
        }
        return;
      case 'code': {
        const start = charBase + (node.position?.start.offset ?? 0);
        if (isFenced(text, start)) {
          mark(node, (l) => (excluded[l] = 1));
        } else {
          // Indented "code" in a report is almost always indented prose: keep its text as units.
          const key = blockSeq++;
          mark(node, (l) => {
            blockOfLine[l] ??= key;
            codeLine[l] = 1;
          });
        }
        return;
      }
      case 'heading': {
        const pos = node.position;
        if (!pos) return;
        const key = blockSeq++;
        const idx = headings.length;
        headings.push({ depth: node.depth, blockKey: key });
        const setext = pos.end.line > pos.start.line;
        mark(node, (l) => {
          if (setext && l === lineBase + pos.end.line - 1) {
            excluded[l] = 1;
          } else {
            blockOfLine[l] = key;
            headingOfLine[l] = idx;
            if (!setext) atxLine[l] = 1;
          }
        });
        return;
      }
      case 'paragraph': {
        const key = blockSeq++;
        mark(node, (l) => (blockOfLine[l] ??= key));
        return;
      }
      default:
        if ('children' in node) for (const child of node.children) visit(child as Nodes, node.type);
    }
  };
  const cuts = cutCandidates(text, lines);
  const lineAt = new Map<number, number>();
  for (const line of lines) lineAt.set(line.start, line.line);
  // YAML front matter is metadata, not report text: its lines give no unit (and no setext heading of its last key).
  const frontMatter = frontMatterLines(text, lines);
  for (let l = 0; l < frontMatter; l++) excluded[l] = 1;
  let from = frontMatter > 0 ? (lines[frontMatter]?.start ?? text.length) : 0;
  let next = 0;
  while (from < text.length || (from === 0 && frontMatter === 0)) {
    let want = Math.max(minChunk, 1);
    let tree: Root;
    let to: number;
    for (;;) {
      while (next < cuts.length && cuts[next]! - from < want) next++;
      to = next < cuts.length ? cuts[next]! : text.length;
      const piece = text.slice(from, to);
      tree = processor.parse(piece) as Root;
      if (to === text.length || !isOpenAtEnd(tree, piece)) break;
      // A block is still open at the cut: take a piece twice as long (keeps re-parsing linear overall).
      want = Math.max(2 * (to - from), minChunk, 1);
    }
    lineBase = lineAt.get(from) ?? 0;
    charBase = from;
    lineLimit = to >= text.length ? lines.length : (lineAt.get(to) ?? lines.length);
    visit(tree, 'root');
    if (to >= text.length) break;
    from = to;
  }

  const units: MarkdownUnit[] = [];
  const scratch: UnitSpan[] = [];
  for (const line of lines) {
    const html = htmlUnits.get(line.line);
    if (html) {
      for (const u of html) {
        const unit: MarkdownUnit = { ...u, line: lineOf(lines, u.start) };
        if (nestedLine[line.line]) unit.nested = true;
        units.push(unit);
      }
    }
    if (excluded[line.line]) continue;
    scratch.length = 0;
    const cells = cellsOfLine.get(line.line);
    if (cells) {
      for (const c of cells) appendLineUnits(text, c.start, c.end, scratch);
    } else {
      const from = Math.max(skipBlockMarkers(text, line), taskStart.get(line.line) ?? 0);
      const to = atxLine[line.line] ? stripClosingHashes(text, from, line.end) : line.end;
      appendLineUnits(text, from, to, scratch);
    }
    if (footnoteIds.size > 0) dropFootnoteCalls(text, scratch, footnoteIds);
    if (scratch.length > 0 && !codeLine[line.line]) {
      if (cells) for (const c of cells) inlineSpans.push(c);
      else inlineSpans.push({ start: scratch[0]!.start, end: scratch[scratch.length - 1]!.end });
    }
    // Lines outside any leaf block get keys of their own, below every real block key.
    const blockKey = blockOfLine[line.line] ?? -(line.line + 1);
    const heading = headingOfLine[line.line];
    // The cell each unit starts in (a unit never runs across cells; both come in order).
    let k = 0;
    for (const u of scratch) {
      const unit: MarkdownUnit = { ...u, blockKey, line: line.line };
      if (heading !== undefined) unit.heading = heading;
      if (cells) {
        unit.cell = true;
        while (k < cells.length && cells[k]!.end <= unit.start) k++;
        const where = k < cells.length && unit.start >= cells[k]!.start ? tableCellsOfLine.get(line.line)![k] : undefined;
        if (where) {
          unit.tableCell = where;
          const header = headerOfLine.get(line.line);
          if (header) header[where.column] = (header[where.column] ?? '') + u.text;
        }
      }
      if (nestedLine[line.line]) unit.nested = true;
      units.push(unit);
    }
  }
  for (const { at, texts } of headed) if (texts[at.column]) at.header = texts[at.column];
  const markupCut = findInlineMarkup(text, inlineSpans, markup, references);
  // An HTML block's tags were found when it was visited, before the lines: put them in order.
  markup.sort((a, b) => a.start - b.start);
  const structure: MarkdownStructure = { units: joinUnitsSplitInMarkup(text, units, markup, references), headings, markup };
  if (markupCut) structure.markupCutLine = lineOf(lines, markupCut.start) + 1;
  if (htmlTooDeepAt !== undefined) structure.htmlTooDeepLine = lineOf(lines, htmlTooDeepAt) + 1;
  return structure;
}

/**
 * Units were cut at every terminator of a line before its inline markup was known: a unit whose cut came from a
 * terminator inside markup (the `!` of an image `![图](a.png)`, one in an inline tag) or from the `;` of a character
 * reference (`&amp;`) is joined with the next unit of its line and cell, as a reader of the rendered page sees them.
 */
function joinUnitsSplitInMarkup(text: string, units: MarkdownUnit[], markup: readonly Range[], references: readonly Range[]): MarkdownUnit[] {
  if (markup.length === 0 && references.length === 0) return units;
  const inside = (ranges: readonly Range[], pos: number): boolean => {
    if (ranges.length === 0) return false;
    const r = ranges[lastStartAtOrBefore(ranges.length, (i) => ranges[i]!.start, pos)]!;
    return r.start <= pos && pos < r.end;
  };
  const sortedReferences = [...references].sort((a, b) => a.start - b.start);
  const inMarkup = (pos: number): boolean => inside(markup, pos) || inside(sortedReferences, pos);
  const out: MarkdownUnit[] = [];
  for (const unit of units) {
    const last = out[out.length - 1];
    const cut = last === undefined ? -1 : terminatorOfUnit(text, last.start, last.end);
    if (last !== undefined && cut >= 0 && last.line === unit.line && last.blockKey === unit.blockKey && last.tableCell === unit.tableCell && last.cell === unit.cell) {
      if (inMarkup(cut)) {
        last.end = unit.end;
        last.text = text.slice(last.start, last.end);
        continue;
      }
      // 一句。![图](a.png)下一句: the sentence ends at 。; the image's `!` begins the next unit.
      let k = cut + 1;
      while (k < last.end && !inMarkup(k)) k++;
      if (k < last.end && unit.start === last.end) {
        last.end = k;
        last.text = text.slice(last.start, k);
        unit.start = k;
        unit.text = text.slice(k, unit.end);
      }
    }
    out.push(unit);
  }
  return out;
}

/**
 * Deepest container nesting (block quotes and list items on one line) that remark-parse is given. micromark's work per
 * line grows with the depth (a 2,000-deep line took 2.3 s, one of 4,000 far longer); no real report nests past a handful.
 */
export const MAX_MARKDOWN_DEPTH = 32;

/**
 * Budget of {@link measureMarkdownWork}: a fixed allowance plus an amount per character. micromark copies the events of
 * the whole open block every time a nested list item or a lazy line closes something, so a run of nested list or quote
 * lines with no blank line between them costs (lines) × (their markers): 40,000 lines of a two-level list took 272 s,
 * 5,000 lines of `> - > - ` nesting 83 s. The costliest shape measured takes about 0.4 µs a unit of work, so remark
 * stays under ~2 s for the allowance and ~1 s per MB beyond it; the reports of the corpora read as Markdown use at most
 * 0.16 units a character.
 */
export const MARKDOWN_WORK_BUDGET = { base: 4_000_000, perChar: 2 } as const;

/** What {@link measureMarkdownWork} finds: the deepest line and the estimated work of parsing the whole source. */
export interface MarkdownWork {
  /** Most container markers (`>`, list bullets and numbers, nesting indentation) on one line. */
  depth: number;
  /** 1-based line of that deepest line. */
  depthLine: number;
  /**
   * Σ over runs without a blank-line break that hold a container: lines × (lines + markers); plus the inline markers'
   * and the GFM table cells' work.
   */
  work: number;
}

/**
 * Work units per GFM table cell (each `|` and each row of a table, from its delimiter row to the next blank line):
 * remark-gfm's table costs 25–75 µs a cell whatever the table's shape (1 MB of `|---|---|` rows took 15 s, a
 * 2,000-column table of short cells 12.6 s, 2 MB of it 31 s), about 160 units of {@link MARKDOWN_WORK_BUDGET}'s
 * 0.4 µs. A report's rectification list (hundreds of rows of long cells) stays far below the budget; megabytes of
 * short cells go over it and are read as plain text.
 */
const TABLE_CELL_WORK = 160;
/**
 * Divisor of the inline work of a run of lines without a blank line: (its lines with an inline marker) × (its
 * markers, `[ ] * _ ` \ < & !`) / this. micromark cuts a paragraph's text at each marker (even with inline parsing
 * off) and merges the pieces with a splice per line, quadratic in the paragraph: 1 MB of lines with four markers and
 * no blank line took 6.8 s, 2 MB 20 s (with CommonMark alone; about 1 unit per 160 marker-lines measured).
 */
const INLINE_MARKER_DIVISOR = 128;

/**
 * Estimate in one linear pass, without parsing, what remark-parse would do with `text`: the deepest container nesting on
 * a line and the work of the runs between the places where every block is closed (a column-0 line after a blank line,
 * as the parser's pieces are cut). A run that holds a quote, list marker or GFM footnote definition costs its lines
 * times its lines and markers; one without any is plain paragraphs, which micromark parses in linear time but for the
 * splice of inline markers ({@link INLINE_MARKER_DIVISOR}). GFM tables add {@link TABLE_CELL_WORK} per cell.
 */
export function measureMarkdownWork(text: string): MarkdownWork {
  const lines = splitLines(text);
  let depth = 0;
  let depthLine = 0;
  let work = 0;
  let runLines = 0;
  let runWeight = 0;
  let runHasContainer = false;
  let runMarkers = 0;
  let runMarkerLines = 0;
  let prevBlank = false;
  let inTable = false;
  let prevPipes = 0;
  const endRun = (): void => {
    if (runHasContainer) work += runLines * runWeight;
    work += (runMarkerLines * runMarkers) / INLINE_MARKER_DIVISOR;
    runLines = 0;
    runWeight = 0;
    runHasContainer = false;
    runMarkers = 0;
    runMarkerLines = 0;
  };
  for (const line of lines) {
    const blank = isBlankLine(text, line);
    const first = text[line.start];
    if (prevBlank && !blank && first !== ' ' && first !== '\t') endRun();
    prevBlank = blank;
    const d = blank ? 0 : containerDepth(text, line);
    if (d > depth) {
      depth = d;
      depthLine = line.line + 1;
    }
    runLines++;
    runWeight += 1 + d;
    if (d > 0) runHasContainer = true;
    let pipes = 0;
    let markers = 0;
    for (let i = line.start; i < line.end; i++) {
      const c = text.charCodeAt(i);
      if (c === 124) pipes++;
      else if (isInlineMarker(c)) markers++;
    }
    runMarkers += markers;
    if (markers > 0) runMarkerLines++;
    if (blank) {
      inTable = false;
    } else if (inTable) {
      work += TABLE_CELL_WORK * (pipes + 1);
    } else if ((pipes > 0 || prevPipes > 0) && isDelimiterRowLike(text, line)) {
      inTable = true;
      work += TABLE_CELL_WORK * (prevPipes + 1 + pipes + 1);
    }
    prevPipes = blank ? 0 : pipes;
  }
  endRun();
  return { depth, depthLine, work };
}

// CommonMark's inline markers: each cuts micromark's text data even with inline parsing switched off.
// The same characters are what a line needs for its inline markup to be looked for (findInlineMarkup).
const INLINE_MARKER = new Uint8Array(128);
for (const ch of '!&*<[\\]_`') INLINE_MARKER[ch.charCodeAt(0)] = 1;
const isInlineMarker = (c: number): boolean => c < 128 && INLINE_MARKER[c] === 1;

/**
 * True when a line could be a GFM table's delimiter row (|---|:-:|) after its container markers: only `|`, `:`, `-`,
 * white space and `>`, with at least one `-`. An over-estimate (the budget is an estimate too), linear in the line.
 */
function isDelimiterRowLike(text: string, line: LineSpan): boolean {
  let dash = false;
  for (let i = line.start; i < line.end; i++) {
    const ch = text[i]!;
    if (ch === '-') dash = true;
    else if (ch !== '|' && ch !== ':' && ch !== ' ' && ch !== '\t' && ch !== '>') return false;
  }
  return dash;
}

/**
 * Container markers at the start of a line: each `>`, each GFM footnote definition label (`[^1]:`), each bullet (`-`, `*`, `+`) or number (`1.`, `1)`) followed by a
 * space, a tab or the end of the line, and for indentation in front of a marker one level per two columns (lists nest
 * by indentation). Stops at the first other character; bounded by the line's length.
 */
function containerDepth(text: string, line: LineSpan): number {
  let p = line.start;
  const end = line.end;
  let depth = 0;
  for (;;) {
    let columns = 0;
    while (p < end && (text[p] === ' ' || text[p] === '\t')) {
      columns += text[p] === '\t' ? 4 : 1;
      p++;
    }
    if (p >= end) return depth;
    const ch = text[p]!;
    let after = p + 1;
    if (ch === '>') {
      depth += 1 + (columns >> 1);
      p = after;
      continue;
    }
    if (ch === '[' && text[after] === '^') {
      // A GFM footnote definition ([^1]: …) is a container like a list item.
      let q = after + 1;
      while (q < end && q - after <= 1000 && text[q] !== ']' && text[q] !== ' ' && text[q] !== '\t' && text[q] !== '[') q++;
      if (q === after + 1 || q + 1 >= end || text[q] !== ']' || text[q + 1] !== ':') return depth;
      depth += 1 + (columns >> 1);
      p = q + 2;
      continue;
    }
    if (ch !== '-' && ch !== '*' && ch !== '+') {
      let q = p;
      while (q < end && q - p < 9 && text.charCodeAt(q) >= 48 && text.charCodeAt(q) <= 57) q++;
      if (q === p || q >= end || (text[q] !== '.' && text[q] !== ')')) return depth;
      after = q + 1;
    }
    if (after < end && text[after] !== ' ' && text[after] !== '\t') return depth;
    depth += 1 + (columns >> 1);
    p = after;
  }
}

/**
 * Why remark-parse must not be given `text` (too deep, or too much work for its length), or undefined when it may:
 * {@link parseDocument} then reads the document as plain text with a diagnostic instead.
 */
export function checkMarkdownWork(text: string): string | undefined {
  const { depth, depthLine, work } = measureMarkdownWork(text);
  if (depth > MAX_MARKDOWN_DEPTH) {
    return `Markdown nested ${depth} levels deep on line ${depthLine} (block quotes and lists; the limit is ${MAX_MARKDOWN_DEPTH})`;
  }
  const budget = MARKDOWN_WORK_BUDGET.base + MARKDOWN_WORK_BUDGET.perChar * text.length;
  if (work > budget) {
    return `Markdown too costly for the parser: nested lists, quotes or footnotes running on without blank lines, GFM table cells or inline markers in long paragraphs (estimated parsing work ${work.toExponential(1)}, budget ${budget.toExponential(1)} for ${text.length} characters)`;
  }
  return undefined;
}

/**
 * Lines of a YAML front matter block (Jekyll, Hugo, pandoc, Obsidian): the file (after a BOM) opens with a `---` line,
 * the next line is a `key:` entry, and a `---` or `...` line closes it; 0 when there is none. Without the `key:` line a
 * leading `---` stays a thematic break.
 */
function frontMatterLines(text: string, lines: LineSpan[]): number {
  const lineText = (l: LineSpan): string => text.slice(l.start, l.end).replace(/^\ufeff/, '').trimEnd();
  if (lines.length < 3 || lineText(lines[0]!) !== '---' || !YAML_KEY_RE.test(text.slice(lines[1]!.start, lines[1]!.end))) return 0;
  for (let l = 2; l < lines.length; l++) {
    const t = lineText(lines[l]!);
    if (t === '---' || t === '...') return l + 1;
  }
  return 0;
}
const YAML_KEY_RE = /^[^\s:#\-][^:]*:(?:\s|$)/;

const MIN_CHUNK = 2048;
const FENCE_LINE_RE = /^[ \t]{0,3}(`{3,}|~{3,})/;
const CLOSING_FENCE_RE = /^[ \t]{0,3}(`{3,}|~{3,})[ \t]*$/;
// HTML blocks of CommonMark types 1–5 run past blank lines until their end marker.
const RAW_HTML_KINDS: readonly [RegExp, RegExp][] = [
  [/^[ \t]{0,3}<(pre|script|style|textarea)(?=[\s>]|$)/i, /<\/(pre|script|style|textarea)>/i],
  [/^[ \t]{0,3}<!--/, /-->/],
  [/^[ \t]{0,3}<\?/, /\?>/],
  [/^[ \t]{0,3}<![A-Za-z]/, />/],
  [/^[ \t]{0,3}<!\[CDATA\[/, /\]\]>/],
];

/**
 * Offsets where the source may be cut into independently parsed pieces: micromark is quadratic
 * in document length on block quotes and lists, so multi-megabyte files cannot be parsed whole.
 * A candidate is the start of a line in column 0 right after a blank line: no paragraph, quote,
 * setext title, list item content or indented code continues there. Only a top-level fenced code
 * block or a raw HTML block can still be open; {@link isOpenAtEnd} rejects those cuts.
 */
function cutCandidates(text: string, lines: LineSpan[]): number[] {
  const cuts: number[] = [];
  let prevBlank = false;
  for (const line of lines) {
    const blank = isBlankLine(text, line);
    const first = text[line.start];
    if (prevBlank && !blank && first !== ' ' && first !== '\t' && line.start < text.length) cuts.push(line.start);
    prevBlank = blank;
  }
  return cuts;
}

/** True when the piece's last top-level block is a fenced code or raw HTML block left open at its end. */
function isOpenAtEnd(tree: Root, piece: string): boolean {
  const last = tree.children[tree.children.length - 1];
  if (!last?.position) return false;
  const startOff = last.position.start.offset ?? 0;
  const endOff = last.position.end.offset ?? 0;
  const firstLine = piece.slice(startOff, piece.indexOf('\n', startOff) < 0 ? piece.length : piece.indexOf('\n', startOff));
  if (last.type === 'code') {
    const open = FENCE_LINE_RE.exec(firstLine);
    if (!open) return false;
    if (last.position.end.line === last.position.start.line) return true;
    const body = piece.slice(startOff, endOff);
    const lastLine = body.slice(body.search(/[^\r\n]*$/));
    const close = CLOSING_FENCE_RE.exec(lastLine);
    return !(close && close[1]![0] === open[1]![0] && close[1]!.length >= open[1]!.length);
  }
  if (last.type === 'html') {
    for (const [opener, closer] of RAW_HTML_KINDS) {
      if (opener.test(firstLine)) return !closer.test(piece.slice(startOff + 2, endOff));
    }
  }
  return false;
}

function isBlankLine(text: string, line: LineSpan): boolean {
  // CommonMark's notion of blank: only spaces and tabs (a U+3000 line is a paragraph there).
  for (let i = line.start; i < line.end; i++) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
}

function isSpaceOrTab(ch: string | undefined): boolean {
  return ch === ' ' || ch === '\t';
}

/** Offset after the leading white space and block markers (`>`, bullets, ATX `#`s) of a line. */
function skipBlockMarkers(text: string, line: LineSpan): number {
  let p = line.start;
  const end = line.end;
  let sawAtx = false;
  for (;;) {
    while (p < end && isUnitWhitespace(text[p]!)) p++;
    if (p >= end) return p;
    const ch = text[p]!;
    if (ch === '>') {
      p++;
      continue;
    }
    if ((ch === '-' || ch === '*' || ch === '+') && (p + 1 >= end || isSpaceOrTab(text[p + 1]))) {
      p++;
      continue;
    }
    if (ch === '#' && !sawAtx) {
      let q = p;
      while (q < end && text[q] === '#' && q - p < 7) q++;
      if (q - p <= 6 && (q >= end || isSpaceOrTab(text[q]))) {
        sawAtx = true;
        p = q;
        continue;
      }
    }
    return p;
  }
}

const FOOTNOTE_CALL = /\[\^([^\s\[\]\\]{1,999})\]/g;

/**
 * Leave GFM note references ([^1], of a defined note) out of a line's units where they touch a unit's edge, as the
 * HTML and docx readers leave note markers out of the body: a unit that starts with one starts after it (。[^1]再一句。),
 * one that ends with one ends before it (……。[^1]), and one whose closing terminators follow one ends before it
 * (……万元[^1]。 gives ……万元: a unit is a slice of the file, so it cannot be ……万元。 without the marker). Inside a
 * sentence (某规定[^2]要求……) the reference stays in its unit. A unit of references alone is dropped.
 */
function dropFootnoteCalls(text: string, units: UnitSpan[], ids: ReadonlySet<string>): void {
  let out = 0;
  for (const u of units) {
    let { start, end } = u;
    const slice = u.text;
    if (!slice.includes('[^')) {
      units[out++] = u;
      continue;
    }
    const calls: [number, number][] = [];
    FOOTNOTE_CALL.lastIndex = 0;
    for (let m = FOOTNOTE_CALL.exec(slice); m; m = FOOTNOTE_CALL.exec(slice)) {
      if (ids.has(m[1]!.toLowerCase().toUpperCase().toLowerCase())) calls.push([start + m.index, start + m.index + m[0].length]);
    }
    for (let changed = true; changed && start < end; ) {
      changed = false;
      for (const [a, b] of calls) {
        if (a === start) {
          start = b;
          changed = true;
        } else if (b === end) {
          end = a;
          changed = true;
        } else if (b < end && a > start && isTerminatorRun(text, b, end)) {
          end = a;
          changed = true;
        }
      }
      while (start < end && isUnitWhitespace(text[start]!)) start++;
      while (end > start && isUnitWhitespace(text[end - 1]!)) end--;
    }
    if (start < end) units[out++] = start === u.start && end === u.end ? u : { start, end, text: text.slice(start, end) };
  }
  units.length = out;
}

/** True when `[from, to)` holds only sentence terminators and closing quotes or brackets (and white space). */
function isTerminatorRun(text: string, from: number, to: number): boolean {
  let sawTerminator = false;
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (isTerminator(ch)) sawTerminator = true;
    else if (!isUnitWhitespace(ch) && !'”’」』）)】》"\''.includes(ch)) return false;
  }
  return sawTerminator;
}

/** End offset of an ATX heading line without its optional closing `#` sequence. */
function stripClosingHashes(text: string, from: number, to: number): number {
  let e = to;
  while (e > from && isUnitWhitespace(text[e - 1]!)) e--;
  let h = e;
  while (h > from && text[h - 1] === '#') h--;
  // A closing sequence needs white space before it (or must be the whole content).
  if (h < e && (h === from || isSpaceOrTab(text[h - 1]))) return h;
  return e;
}

/** A unit of an HTML block, before its line is known. */
type HtmlBlockUnit = Omit<MarkdownUnit, 'line' | 'nested'>;

/** Elements whose text is not report text. */
const HTML_SKIPPED = new Set(['script', 'style', 'template', 'noscript', 'head', 'title', 'svg', 'math', 'iframe', 'object', 'textarea', 'select']);
/** Elements that hold a block of text: the text under one (and no deeper one) is one block. */
const HTML_TEXT_BLOCKS = new Set([
  'p', 'div', 'li', 'dt', 'dd', 'td', 'th', 'caption', 'pre', 'blockquote', 'section', 'article', 'main', 'header',
  'footer', 'aside', 'nav', 'figure', 'figcaption', 'address', 'center', 'details', 'summary', 'table', 'tr', 'tbody',
  'thead', 'tfoot', 'ul', 'ol', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'body', 'html', 'form', 'fieldset', 'legend',
]);
const HTML_HEADING = /^h([1-6])$/;

/** Index of the last of `count` ascending starts (`startAt(i)`) that is at or before `offset`; 0 when none is. */
function lastStartAtOrBefore(count: number, startAt: (i: number) => number, offset: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (startAt(mid) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** 0-based line holding `offset`. */
function lineOf(lines: readonly LineSpan[], offset: number): number {
  return lines[lastStartAtOrBefore(lines.length, (i) => lines[i]!.start, offset)]?.line ?? 0;
}

interface HastLike {
  type: string;
  value?: string;
  tagName?: string;
  children?: HastLike[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

/**
 * The units of an HTML block of a Markdown file (`[from, to)` of `text`), as slices of the file: the text under each
 * block element (a paragraph, a list item, a table cell, a heading) is one block, from its first to its last text (the
 * inline tags and entities between stay in the units, as inline HTML does in a paragraph), cut into units line by line;
 * a table row is one block with units cut per cell, an `h1`–`h6` a heading of that depth. Script, style and other
 * elements without report text give none; a block nested past {@link MAX_HTML_BLOCK_DEPTH} elements (or that the parser
 * cannot read) is read as it is written, tags and all, its lines one block (and `tooDeep` is called).
 */
function htmlBlockUnits(
  text: string,
  from: number,
  to: number,
  lines: readonly LineSpan[],
  newBlock: () => number,
  newHeading: (depth: number, blockKey: number) => number,
  markup: Range[],
  tooDeep: () => void,
  newTable: () => number,
  references: Range[],
): HtmlBlockUnit[] {
  interface Group { owner: HastLike; start: number; end: number; row?: HastLike; cell?: HastLike; heading?: number; gaps: Range[] }
  // Where each cell element of the block's tables lies (cellsOfTable), by element.
  const cellAt = new Map<HastLike, TableCell>();
  // The rows that are lines across their table (lineAcross): read as paragraphs of their own, as a page reads them (a
  // number cell before the title, 一 | 作风建设方面, is a paragraph of its own: a unit is a stretch of the source, and
  // one over both cells would hold the tags between them).
  const across = new Set<HastLike>();
  const groups: Group[] = [];
  let tree: HastLike | undefined;
  try {
    tree = getParser('html')(text.slice(from, to), true) as unknown as HastLike;
  } catch {
    tree = undefined;
  }
  // Depth-first over the tree with an explicit stack: [node, the block element it is in, its table row, its heading
  // depth, the depth, its table cell].
  const stack: [HastLike, HastLike, HastLike | undefined, number, number, HastLike | undefined][] = tree ? [[tree, tree, undefined, 0, 0, undefined]] : [];
  let plain = tree === undefined;
  while (stack.length > 0) {
    const [node, owner, row, heading, depth, cell] = stack.pop()!;
    if (depth > MAX_HTML_BLOCK_DEPTH) {
      plain = true;
      break;
    }
    if (node.type === 'text') {
      const a = node.position?.start.offset;
      const b = node.position?.end.offset;
      if (a === undefined || b === undefined || !/[^\s]/.test(text.slice(from + a, from + b))) continue;
      // Character references, as in inline text (findInlineMarkup): one that renders as a space is read past like
      // markup, any other keeps its place in the unit but its `;` ends no sentence (&lt;纪律&gt;松弛 cut three ways).
      if (node.value !== undefined && b - a !== node.value.length) {
        const raw = text.slice(from + a, from + b);
        for (const m of raw.matchAll(CHARACTER_REFERENCE)) {
          if (node.value.includes(m[0])) continue;
          const range = { start: from + a + m.index, end: from + a + m.index + m[0].length };
          if (SPACE_REFERENCE.test(m[0])) markup.push(range);
          else references.push(range);
        }
      }
      const last = groups[groups.length - 1];
      if (last && last.owner === owner) {
        // What lies between two texts of one block is tags (or a comment): markup, read past.
        if (from + a > last.end) last.gaps.push({ start: last.end, end: from + a });
        last.end = from + b;
      } else {
        groups.push({ owner, start: from + a, end: from + b, gaps: [], ...(row ? { row } : {}), ...(row && cell ? { cell } : {}), ...(heading ? { heading } : {}) });
      }
      continue;
    }
    const tag = node.tagName;
    if (tag !== undefined && HTML_SKIPPED.has(tag)) continue;
    const isBlock = tag !== undefined && HTML_TEXT_BLOCKS.has(tag);
    const h = tag !== undefined ? HTML_HEADING.exec(tag) : null;
    const nextOwner = isBlock ? node : owner;
    // A row that is a line across its table (its table was read before its rows are reached) is read as a paragraph.
    const nextRow = tag === 'tr' ? (across.has(node) ? undefined : node) : tag === 'table' ? undefined : row;
    const nextHeading = h ? Number(h[1]) : isBlock ? 0 : heading;
    const nextCell = tag === 'td' || tag === 'th' ? node : tag === 'table' ? undefined : cell;
    if (tag === 'table') htmlTableCells(node, newTable(), cellAt, across);
    const children = node.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i]!, nextOwner, nextRow, nextHeading, depth + 1, nextCell]);
  }
  if (plain) {
    // Nested past the limit (or not parsed): the block is read as it is written, tags and all, one block of lines.
    groups.length = 0;
    groups.push({ owner: { type: 'root' }, start: from, end: to, gaps: [] });
    tooDeep();
  }
  const out: HtmlBlockUnit[] = [];
  const scratch: UnitSpan[] = [];
  let lastRow: HastLike | undefined;
  let rowKey = 0;
  for (const g of groups) {
    let blockKey: number;
    let heading: number | undefined;
    if (g.row) {
      if (g.row !== lastRow) rowKey = newBlock();
      blockKey = rowKey;
    } else {
      blockKey = newBlock();
      if (g.heading) heading = newHeading(g.heading, blockKey);
    }
    lastRow = g.row;
    for (const gap of g.gaps) markup.push(gap);
    scratch.length = 0;
    // Cut line by line: a unit never runs across a line end of the source.
    for (let l = lineOf(lines, g.start); l < lines.length && lines[l]!.start < g.end; l++) {
      const line = lines[l]!;
      appendLineUnits(text, Math.max(line.start, g.start), Math.min(line.end, g.end), scratch);
    }
    for (const u of scratch) {
      const unit: HtmlBlockUnit = { ...u, blockKey };
      if (heading !== undefined) unit.heading = heading;
      if (g.row) {
        unit.cell = true;
        const at = g.cell && cellAt.get(g.cell);
        if (at) unit.tableCell = { ...at };
      }
      out.push(unit);
    }
  }
  return out;
}

/**
 * The {@link TableCell} of each `td`/`th` of an HTML table in a Markdown file, as a web page's table is read: its rows
 * (directly or in `thead`, `tbody`, `tfoot`), each cell's place in the grid and the rows markup marks as headers
 * ({@link tableRows}), and the header row found by {@link cellsOfTable}. A row that is a line across the table
 * ({@link lineAcross}) is no row of it (as on a page, where ExtractedTextBuilder.addRow makes it a line): it goes into
 * `across`, and its cells get none.
 */
function htmlTableCells(table: HastLike, id: number, out: Map<HastLike, TableCell>, across: Set<HastLike>): void {
  const rows: ReturnType<typeof tableRows> = [];
  const shapes: TableRowShape[] = [];
  let width = 0;
  for (const r of tableRows(table as Element)) {
    const texts = r.cells.map((c) => flatCellText(c as HastLike));
    if (texts.every((t) => t.length === 0)) continue;
    if (lineAcross(texts, r.columns, r.spans, width) !== undefined) {
      across.add(r.row as unknown as HastLike);
      continue;
    }
    width = widthAfterRow(width, texts, r.columns, r.spans);
    rows.push(r);
    shapes.push({ texts, columns: r.columns, spans: r.spans, header: r.header });
  }
  cellsOfTable(id, shapes).forEach((cells, i) => cells.forEach((at, k) => out.set(rows[i]!.cells[k] as HastLike, at)));
}

/**
 * The text of a cell element as a web page's cell is read (what a header cell says): a block inside it or a `<br>` a
 * space, runs of white space one space, trimmed.
 */
function flatCellText(cell: HastLike): string {
  let s = '';
  // Nodes, and ' ' markers where a block inside the cell ends.
  const stack: (HastLike | ' ')[] = [...(cell.children ?? [])].reverse();
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === ' ') s += ' ';
    else if (n.type === 'text') s += (n as { value?: string }).value ?? '';
    else if (n.type === 'element' && !HTML_SKIPPED.has(n.tagName!)) {
      const block = n.tagName === 'br' || HTML_TEXT_BLOCKS.has(n.tagName!) || HTML_HEADING.test(n.tagName!);
      if (block) {
        s += ' ';
        stack.push(' ');
      }
      for (let i = (n.children?.length ?? 0) - 1; i >= 0; i--) stack.push(n.children![i]!);
    }
  }
  return s.replace(/\s+/g, ' ').trim();
}

/** Deepest element nesting read in an HTML block of a Markdown file (as {@link MAX_HTML_DEPTH} for a page). */
export const MAX_HTML_BLOCK_DEPTH = 512;

/** Longest line (UTF-16 units) whose inline markup is looked for: micromark's inline pass is super-linear on markers. */
const MAX_INLINE_LINE = 4096;
/** Most marker characters (those of {@link INLINE_MARKER}) a line may hold for its inline markup to be looked for (a line without any is not parsed either). */
const MAX_INLINE_MARKERS = 64;
/** A character reference as CommonMark reads one: named, decimal or hexadecimal. */
const CHARACTER_REFERENCE = /&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/g;
/** Character references that render as a space (no-break, en, em, thin, ideographic, plain). */
const SPACE_REFERENCE = /^&(?:nbsp|ensp|emsp|thinsp|#0*(?:32|160|8194|8195|8201|12288)|#[xX]0*(?:20|[aA]0|2002|2003|2009|3000));$/;
/** mdast inline nodes whose own syntax (not their children's text) is markup. */
const WRAPPING_NODES = new Set(['strong', 'emphasis', 'delete', 'link', 'linkReference']);
/** mdast inline nodes that are markup as a whole. */
const WHOLE_NODES = new Set(['html', 'break', 'image', 'imageReference']);

interface MdastLike {
  type: string;
  value?: string;
  children?: MdastLike[];
  position?: { start: { offset?: number }; end: { offset?: number } };
}

let inlineProcessor: ReturnType<FormatParsers['markdown']> | undefined;

/** Whether `[from, to)` of `text` may hold inline markup worth a parse: not too long, a marker in it, not too many. */
function inlineMarkers(text: string, from: number, to: number): number {
  if (to - from > MAX_INLINE_LINE || to <= from) return 0;
  // micromark's emphasis resolution is quadratic in a line's delimiters (4,000 characters of *a_ took 0.27 s a line):
  // a line with more marker characters than a report's line ever has is read as it is.
  let markers = 0;
  for (let i = from; i < to; i++) if (isInlineMarker(text.charCodeAt(i)) && ++markers > MAX_INLINE_MARKERS) return 0;
  return markers;
}

/**
 * Marker characters whose inline markup a document may have looked for: micromark's inline pass costs about 15 µs a
 * marker (5,000 lines of 63 markers took 4.4 s), so past a fixed allowance and one marker per 20 characters (a report
 * converted by pandoc has a few per paragraph) the rest of the document is read as it is, with a diagnostic.
 */
export const INLINE_MARKER_BUDGET = { base: 20_000, perChar: 0.05 } as const;

/** Most text (UTF-16 units) parsed at once: lines are parsed in batches, which saves a fifth of the time of one parse a line. */
const INLINE_BATCH = 4096;
/** A line that could open a block running past its own end (HTML, a fence, a link definition) is parsed alone. */
const OPENS_LONG_BLOCK = /^(?:<|\[|```|~~~)/;

/**
 * Append to `out`, sorted, the inline markup of the `spans` of `text` (lines or table cells, in order, none holding a
 * line break), as remark-parse with its inline constructs and remark-cjk-friendly read it: the delimiters of emphasis,
 * strong and links (their children's text stays), images, inline HTML and hard breaks as a whole, the backslash of a
 * character escape; code spans and entities stay as written. Spans are parsed in batches, a blank line between two, so
 * each is a paragraph of its own; a found range that does not lie within one span is dropped. Returns the first span
 * not looked at when the document's markers pass {@link INLINE_MARKER_BUDGET}.
 */
export function findInlineMarkup(text: string, spans: readonly Range[], out: Range[], references?: Range[]): Range | undefined {
  const todo: Range[] = [];
  let budget = INLINE_MARKER_BUDGET.base + INLINE_MARKER_BUDGET.perChar * text.length;
  let over: Range | undefined;
  for (const r of spans) {
    const markers = inlineMarkers(text, r.start, r.end);
    if (markers === 0) continue;
    budget -= markers;
    if (budget < 0) {
      over = r;
      break;
    }
    todo.push(r);
  }
  // CJK-friendly emphasis: a Chinese author's **一、**总体情况 is bold in the editors they write with, not in CommonMark.
  if (todo.length > 0) inlineProcessor ??= getParser('markdown')({ cjkFriendly: true });
  let k = 0;
  while (k < todo.length) {
    // A batch: spans joined with blank lines; starts[i] is where span i begins in the joined text.
    const batch: Range[] = [];
    const starts: number[] = [];
    let joined = '';
    while (k < todo.length) {
      const r = todo[k]!;
      const piece = text.slice(r.start, r.end);
      const alone = OPENS_LONG_BLOCK.test(piece);
      if (alone && batch.length > 0) break;
      starts.push(joined.length);
      batch.push(r);
      joined += piece + '\n\n';
      k++;
      if (alone || joined.length >= INLINE_BATCH) break;
    }
    const tree = inlineProcessor!.parse(joined) as MdastLike;
    const found: Range[] = [];
    const add = (a: number | undefined, b: number | undefined, into: Range[] = found): void => {
      if (a === undefined || b === undefined || b <= a) return;
      // The span the range starts in; a range running past its end (a block that swallowed the next span) is dropped.
      const lo = lastStartAtOrBefore(starts.length, (i) => starts[i]!, a);
      const span = batch[lo]!;
      const base = starts[lo]!;
      if (b - base > span.end - span.start) return;
      into.push({ start: span.start + (a - base), end: span.start + (b - base) });
    };
    const stack: MdastLike[] = [tree];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const pos = node.position;
      if (WHOLE_NODES.has(node.type)) {
        add(pos?.start.offset, pos?.end.offset);
        continue;
      }
      if (node.type === 'text' && pos && node.value !== undefined) {
        const a = pos.start.offset ?? 0;
        const b = pos.end.offset ?? 0;
        // An escape (\*) reads as its character: the backslash is markup. A character reference that renders as a space
        // (&nbsp;, &#12288;) is read past like markup (18&nbsp;万元 is 18万元); any other (&amp;) stays as written, but
        // its `;` ends no sentence (`references`).
        if (b - a !== node.value.length) {
          for (let i = a; i < b - 1; i++) {
            if (joined.charCodeAt(i) === 92 && /[!-/:-@[-`{-~]/.test(joined[i + 1]!)) {
              add(i, i + 1);
              i++;
            }
          }
          const raw = joined.slice(a, b);
          for (const m of raw.matchAll(CHARACTER_REFERENCE)) {
            // A reference left as written (an unknown name) is text, not a reference.
            if (node.value.includes(m[0])) continue;
            if (SPACE_REFERENCE.test(m[0])) add(a + m.index, a + m.index + m[0].length);
            else if (references) add(a + m.index, a + m.index + m[0].length, references);
          }
        }
        continue;
      }
      const children = node.children ?? [];
      if (WRAPPING_NODES.has(node.type) && pos) {
        const first = children[0]?.position;
        const last = children[children.length - 1]?.position;
        if (first && last) {
          add(pos.start.offset, first.start.offset);
          add(last.end.offset, pos.end.offset);
        } else {
          add(pos.start.offset, pos.end.offset);
        }
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
    found.sort((x, y) => x.start - y.start);
    for (const r of found) out.push(r);
  }
  return over;
}
