import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { getParser, TooManyElements } from './parsers.js';
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';

/** Elements whose content is never report text. */
const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'head', 'title', 'iframe', 'object', 'embed', 'svg', 'math',
  'canvas', 'select', 'button', 'input', 'textarea', 'menu', 'audio', 'video', 'map', 'dialog', 'datalist', 'meter',
  'progress', 'img', 'picture',
  // A ruby's reading (拼音 over the characters) and its fallback brackets: shown above the text, not in it, and left
  // out as the Word and OpenDocument readers leave a phonetic guide's reading out.
  'rt', 'rp',
]);
/** Elements that end the line before them and after them. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'center', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'fieldset',
  'figcaption', 'figure', 'footer', 'form', 'header', 'hgroup', 'html', 'legend', 'li', 'listing', 'main', 'ol', 'p',
  'plaintext', 'pre', 'section', 'summary', 'ul', 'xmp', 'caption', 'hr', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th',
  'table',
]);
const HEADING = /^h([1-6])$/;
/** Class of the `h1` that a Word document's Title style becomes: a heading at level 0, above `Heading 1`. */
export const DOCX_TITLE_CLASS = 'xunshi-docx-title';
const BOILERPLATE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'search', 'menu', 'menubar', 'toolbar']);
const FOOTNOTE_ROLES = new Set(['doc-footnote', 'doc-endnote', 'doc-footnotes', 'doc-endnotes']);
const FOOTNOTE_ID = /^(?:[\w-]*?)(?:footnote|endnote|fn)[-_:]?\d+$/i;
const BACKLINK_HREF = /^#(?:[\w-]*?)(?:footnote-ref|endnote-ref|fnref)/i;
/** A note reference in the body: a short link to a footnote (Word's `<sup><a href="#footnote-1">[1]</a></sup>`, `#fn2`). */
const NOTE_REF_HREF = /^#(?:[\w-]*?)(?:footnote|endnote|fn)[-_:]?\d+$/i;
const MAX_NOTE_MARK = 6;

/** A footnote or endnote marker in the body ([1], 2, *): left out, as a `.txt` copy has no marker and a unit none. */
function isNoteReference(node: Element): boolean {
  if (node.tagName !== 'a' || !NOTE_REF_HREF.test(prop(node, 'href') ?? '')) return false;
  let text = '';
  const walk = (n: ElementContent): void => {
    if (n.type === 'text') text += n.value;
    else if (n.type === 'element') for (const c of n.children) walk(c);
  };
  for (const c of node.children) walk(c);
  return text.trim().length <= MAX_NOTE_MARK;
}

/** Most columns a cell spans (HTML's own bound for `colspan`). */
const MAX_COLSPAN = 1000;
/** Most rows a cell spans (HTML's own bound for `rowspan`); 0 (to the end of its row group) is read as 1. */
const MAX_ROWSPAN = 65534;

/** A cell's `colspan` or `rowspan`, an integer within HTML's bounds (1 when absent or malformed). */
function spanOf(cell: Element, name: 'colSpan' | 'rowSpan'): number {
  const n = Math.trunc(Number(cell.properties?.[name]));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, name === 'colSpan' ? MAX_COLSPAN : MAX_ROWSPAN) : 1;
}

/** One row of an HTML table as {@link tableRows} reads it. */
export interface HtmlTableRow {
  row: Element;
  cells: Element[];
  /** Markup marks it a header row: it is in the `<thead>`, or its cells are all `<th>`. */
  header: boolean;
  /** Each cell's grid column and the columns it spans ({@link tableGrid}, with `colspan` and `rowspan`). */
  columns: number[];
  spans: number[];
}

/**
 * A table's rows (directly under it or in its `thead`, `tbody`, `tfoot`) with their `td`/`th` cells, whether markup
 * marks each a header row, and each cell's place in the grid; elements `skip` says are left out (hidden rows and cells
 * of a page). A web page and an HTML block of a Markdown file read their tables with it.
 */
export function tableRows(table: Element, skip: (el: Element) => boolean = () => false): HtmlTableRow[] {
  const rows: { row: Element; cells: Element[]; head: boolean }[] = [];
  const walk = (n: Element, head: boolean): void => {
    for (const c of n.children) {
      if (c.type !== 'element' || skip(c)) continue;
      if (c.tagName === 'tr') rows.push({ row: c, cells: c.children.filter((d): d is Element => d.type === 'element' && (d.tagName === 'td' || d.tagName === 'th') && !skip(d)), head });
      else if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') walk(c, c.tagName === 'thead');
    }
  };
  walk(table, false);
  const grid = tableGrid(rows.map((r) => r.cells.map((c) => ({ colSpan: spanOf(c, 'colSpan'), rowSpan: spanOf(c, 'rowSpan') }))));
  return rows.map(({ row, cells, head }, i) => ({
    row,
    cells,
    header: head || (cells.length > 0 && cells.every((c) => c.tagName === 'th')),
    columns: grid[i]!.columns,
    spans: grid[i]!.spans,
  }));
}

/**
 * Work allowed to {@link tableGrid}: `base` steps and `perCell` a cell. A step is a cell placed, or a cell from a row
 * above passed or carried down to the next row; real tables pass a few a row, but crafted spans (thousands of cells
 * each spanning 65,534 rows, then thousands of rows) would make it rows × cells.
 */
export const GRID_WORK = { base: 65_536, perCell: 32 } as const;

/**
 * Where each cell of a table's rows starts in the table's grid and how many columns it spans, by HTML's table model: a
 * cell takes the first column that no cell of a row above, spanning rows into this one, holds. The cells reaching down
 * from above are kept in column order and passed once a row. A malformed table whose cell would run into the columns
 * of a cell from above (HTML's "table model error", where the two overlap) has that cell cut short where the other
 * begins, so that no two cells hold the same slot of the grid. Past {@link GRID_WORK}, the rows left are laid out as
 * if nothing spanned rows into them (each cell after the columns of the cells before it). `work.steps` counts the steps.
 */
export function tableGrid(rows: readonly (readonly { colSpan: number; rowSpan: number }[])[], work: { steps: number } = { steps: 0 }): { columns: number[]; spans: number[] }[] {
  const limit = GRID_WORK.base + (GRID_WORK.perCell - 2) * rows.reduce((n, r) => n + r.length, 0);
  let above: { column: number; span: number; rows: number }[] = [];
  let cheap = false;
  return rows.map((cells) => {
    const columns: number[] = [];
    const spans: number[] = [];
    // A row costs its cells, the cells from above it passes and those it carries down (each at most `above.length`).
    if (!cheap && work.steps + cells.length + 2 * above.length > limit) {
      cheap = true;
      above = [];
    }
    if (cheap) {
      let column = 0;
      for (const cell of cells) {
        columns.push(column);
        spans.push(cell.colSpan);
        column += cell.colSpan;
      }
      work.steps += cells.length;
      return { columns, spans };
    }
    const below: { column: number; span: number; rows: number }[] = [];
    let column = 0;
    let p = 0;
    for (const cell of cells) {
      // Past the cells from above that hold this column (they do not overlap, and are in column order).
      while (p < above.length && above[p]!.column <= column) {
        if (above[p]!.column + above[p]!.span > column) column = above[p]!.column + above[p]!.span;
        p++;
        work.steps++;
      }
      // Cut short where the next cell from above begins (a malformed table's overlap).
      const span = p < above.length ? Math.min(cell.colSpan, above[p]!.column - column) : cell.colSpan;
      columns.push(column);
      spans.push(span);
      if (cell.rowSpan > 1) below.push({ column, span, rows: cell.rowSpan - 1 });
      column += span;
      work.steps++;
    }
    work.steps += above.length;
    // Both lists are in column order and do not overlap each other: merged, not sorted.
    const kept = above.filter((a) => a.rows > 1).map((a) => ({ ...a, rows: a.rows - 1 }));
    const merged: typeof above = [];
    let i = 0;
    let j = 0;
    while (i < kept.length || j < below.length) merged.push(j >= below.length || (i < kept.length && kept[i]!.column < below[j]!.column) ? kept[i++]! : below[j++]!);
    above = merged;
    return { columns, spans };
  });
}

function prop(node: Element, name: string): string | undefined {
  const v = node.properties?.[name];
  if (v === undefined || v === null || v === false) return undefined;
  return Array.isArray(v) ? v.join(' ') : String(v);
}

function isHidden(node: Element): boolean {
  if (node.properties?.hidden !== undefined && node.properties.hidden !== false) return true;
  if (prop(node, 'ariaHidden') === 'true') return true;
  const style = prop(node, 'style');
  if (style && /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i.test(style)) return true;
  const type = node.tagName === 'input' ? prop(node, 'type') : undefined;
  return type === 'hidden';
}

/** Elements that hold paragraphs of a page layout rather than a table cell's text. */
const LAYOUT_CONTAINER = new Set(['div', 'article', 'main', 'section', 'center', 'form', 'header', 'footer', 'nav', 'aside']);
/** A cell with this many paragraphs (`<p>`, `<br>`) is an article's body, not a cell of a rectification list. */
const LAYOUT_PARAGRAPHS = 8;
const LAYOUT_CONTENT = new Set(['p', 'div', 'table', 'ul', 'ol', 'dl', 'blockquote', 'section', 'article', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * A table used to lay out a page (older government portals put the whole article, its title, meta line and paragraphs
 * in one `<td>`) rather than to hold data: `role="presentation"`, a table nested in it, a heading in it, no row with
 * two cells, a cell holding a container of paragraphs (`<td><div><p>…`) or eight paragraphs or more. Its cells are read as ordinary blocks;
 * read as rows, each cell's paragraphs and headings would run together on one line. A data table read this way only
 * loses its row grouping, so unsure cases go this way; a rectification list (cells of text or of `<p>`s, as Word and
 * web editors write them) stays a table. In a document (a Word or OpenDocument file's HTML, `page` false) neither a
 * table in a cell (责任人 and 时限 under 责任) nor a cell of many paragraphs (a ledger's 整改措施 of nine measures) is the
 * sign of a page's layout: the ledger stays a table, a nested table's text is its cell's, as a `.doc` or an RTF of the
 * same document is read.
 */
export function isLayoutTable(table: Element, page = true): boolean {
  const role = prop(table, 'role');
  if (role === 'presentation' || role === 'none') return true;
  let twoCells = false;
  let layout = false;
  let paragraphs = 0;
  const inCell = (n: Element, inContainer: boolean): void => {
    for (const c of n.children) {
      if (layout || c.type !== 'element') continue;
      if ((c.tagName === 'p' || c.tagName === 'br') && ++paragraphs >= LAYOUT_PARAGRAPHS && page) {
        layout = true;
        return;
      }
      if ((c.tagName === 'table' && page) || HEADING.test(c.tagName) || (inContainer && LAYOUT_CONTENT.has(c.tagName))) {
        layout = true;
        return;
      }
      inCell(c, inContainer || LAYOUT_CONTAINER.has(c.tagName));
    }
  };
  const walk = (n: Element): void => {
    for (const c of n.children) {
      if (layout || c.type !== 'element') continue;
      if (c.tagName === 'tr') {
        let cells = 0;
        for (const cell of c.children) {
          if (cell.type !== 'element' || (cell.tagName !== 'td' && cell.tagName !== 'th')) continue;
          cells++;
          paragraphs = 0;
          inCell(cell, false);
        }
        if (cells >= 2) twoCells = true;
      } else if (c.tagName === 'thead' || c.tagName === 'tbody' || c.tagName === 'tfoot') walk(c);
    }
  };
  walk(table);
  return layout || !twoCells;
}

function isFootnote(node: Element): boolean {
  const role = prop(node, 'role');
  if (role && FOOTNOTE_ROLES.has(role)) return true;
  const id = prop(node, 'id');
  if (id && FOOTNOTE_ID.test(id) && (node.tagName === 'li' || node.tagName === 'div' || node.tagName === 'p' || node.tagName === 'aside')) return true;
  const cls = prop(node, 'className');
  return cls !== undefined && /(?:^|\s)(?:footnotes|endnotes)(?:\s|$)/.test(cls);
}

/** A link to a file: an attachment (附件) is part of the report, never a link list to leave out. */
const ATTACHMENT_HREF = /\.(?:pdf|docx?|wps|xlsx?|et|ofd|zip|rar|7z|txt)(?:[?#].*)?$/i;
/** Text of a link list that is neither link text nor a label: white space, digits, punctuation, symbols, dates. */
const LABEL_FILLER = /[\s\d\p{P}\p{S}年月日]/gu;
/** A link list may carry a label or two (当前位置：…正文, 相关新闻, 上一篇 下一篇) of at most this many characters. */
const MAX_LINK_LIST_LABEL = 12;
/** Sentence ends: a block with one is prose, whatever its links. */
const SENTENCE_ENDS = /[。！？!?]/g;
/** A block that opens with this is a link to the previous or next article. */
const PREV_NEXT = /^[\s【\[［(（]*(?:上一篇|下一篇|上一条|下一条|上篇|下篇)/;

interface LinkStats {
  /** Links (with an href, not to a file) that have text. */
  links: number;
  /** Characters of text outside links, fillers left out (counted up to just past the label limit). */
  other: number;
  /** The first characters of the text, for {@link PREV_NEXT}. */
  head: string;
  /** Any text outside links (fillers included). */
  loose: boolean;
  /** A block inside holds text and no link: a line of its own, which may be the report's (中共某市委, a date). */
  textBlock: boolean;
  /** Sentence ends in the text. */
  sentences: number;
  /** A link touches a letter of the text around it (学习<a>…</a>和<a>…</a>): links inside a sentence, not items. */
  glued: boolean;
}

/** Link statistics of every element of a tree, in one pass (left-out elements count as empty). */
function linkStats(tree: Root): { stats: WeakMap<Element, LinkStats>; sentences: number } {
  const stats = new WeakMap<Element, LinkStats>();
  const walk = (node: Element, inLink: boolean): LinkStats => {
    const st: LinkStats = { links: 0, other: 0, head: '', loose: false, textBlock: false, glued: false, sentences: 0 };
    if (SKIP.has(node.tagName) || isHidden(node)) {
      stats.set(node, st);
      return st;
    }
    const href = node.tagName === 'a' ? prop(node, 'href') : undefined;
    const isLink = !inLink && href !== undefined && !ATTACHMENT_HREF.test(href);
    const isLinkElement = (c: ElementContent | undefined): boolean => c?.type === 'element' && c.tagName === 'a' && prop(c, 'href') !== undefined;
    node.children.forEach((c, i) => {
      if (c.type === 'text' && !inLink && !isLink && ((isLinkElement(node.children[i - 1]) && /^\p{L}/u.test(c.value)) || (isLinkElement(node.children[i + 1]) && /\p{L}$/u.test(c.value)))) st.glued = true;
    });
    for (const c of node.children) {
      if (c.type === 'text') {
        st.sentences += c.value.match(SENTENCE_ENDS)?.length ?? 0;
        if (st.head.length < 8) st.head += c.value.trimStart().slice(0, 8);
        if (!inLink && !isLink) {
          if (st.other <= MAX_LINK_LIST_LABEL) st.other += c.value.replace(LABEL_FILLER, '').length;
          if (!st.loose && c.value.trim().length > 0) st.loose = true;
        }
      } else if (c.type === 'element') {
        const sub = walk(c, inLink || isLink);
        st.links += sub.links;
        st.other += sub.other;
        st.loose ||= sub.loose;
        st.glued ||= sub.glued;
        st.sentences += sub.sentences;
        st.textBlock ||= sub.textBlock || ((BLOCK.has(c.tagName) || HEADING.test(c.tagName)) && sub.links === 0 && sub.loose);
        if (st.head.length < 8) st.head += sub.head;
      }
    }
    if (isLink && (st.head.trim().length > 0 || st.links > 0)) st.links++;
    stats.set(node, st);
    return st;
  };
  let sentences = 0;
  for (const c of tree.children) if (c.type === 'element') sentences += walk(c, false).sentences;
  return { stats, sentences };
}

/**
 * A block of page chrome made of links: a menu, a breadcrumb (当前位置：首页 > 要闻 > 正文), a share bar, a list of
 * related articles, previous/next links. Its text is links but for a short label, and no sentence ends in it; or it
 * opens with 上一篇/下一篇 and holds a link. Report text does not look like that: a paragraph has sentences, a
 * paragraph-long link is one link, links inside a sentence touch its words (学习<a>…</a>和<a>…</a>), and attachment
 * links (附件) do not count. A block with a line of text without links
 * inside (a label such as 相关新闻 in its own line, but also a signature next to a share bar) is not left out whole:
 * its link blocks are, and its other lines stay.
 */
function isLinkBlock(st: LinkStats | undefined): boolean {
  if (!st || st.sentences > 0 || st.textBlock) return false;
  if (st.links >= 2 && st.other <= MAX_LINK_LIST_LABEL && !st.glued) return true;
  return st.links >= 1 && PREV_NEXT.test(st.head);
}

/** CJK characters, kana, hangul and full-width punctuation: a source line break between two of them is no space. */
function isWide(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0xd800 && c <= 0xdbff);
}

/** An ASCII digit: Chinese text writes numbers against its characters (津补贴18万元, 干部12人), never with a space. */
function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/**
 * HTML white-space collapsing: runs of ASCII white space become one space, or nothing where a line break joins two
 * CJK characters, or a CJK character and a digit (Word's "save as web page" wraps its lines there: 违规发放津补贴⏎18万元).
 */
export function collapseWhitespace(raw: string): string {
  return raw.replace(/[ \t\n\r\f]+/g, (ws: string, off: number, s: string) => {
    if (/[\n\r]/.test(ws)) {
      const before = s[off - 1];
      const after = s[off + ws.length];
      if ((isWide(before) || isDigit(before)) && (isWide(after) || isDigit(after)) && (isWide(before) || isWide(after))) return '';
    }
    return ' ';
  });
}

/**
 * Turn an HTML tree into extracted text: one line per paragraph-level block, `<br>` a new line in the same block,
 * `h1`–`h6` heading lines, each table row one line with its cells separated, footnotes after the body; scripts,
 * styles, navigation, page headers and footers (outside `article`/`main`), asides and hidden elements are left out.
 */
export function extractHast(tree: Root, options: { document?: boolean; images?: string[]; path?: string } = {}): ExtractedDocument {
  const out = new ExtractedTextBuilder(options.path);
  const { stats: links, sentences } = linkStats(tree);
  /**
   * Chrome by its tag or role (a page header or footer, `nav`, `aside`) that holds the page's content: most of its
   * sentences. A `<header>` or `<nav>` left unclosed by the site's template ends only at
   * `</body>`, with the whole report inside it; left out, the page would be empty.
   */
  const holdsContent = (node: Element): boolean => {
    const st = links.get(node);
    return st !== undefined && st.sentences * 2 > sentences;
  };
  let buffer = '';
  let block = 0;
  let blockUsed = false;
  let inArticle = 0;
  let inFootnote = 0;
  let inPre = 0;

  const flush = (): void => {
    if (buffer.length === 0) return;
    const text = inPre ? buffer : collapseWhitespace(buffer);
    buffer = '';
    if (inFootnote) {
      out.addFootnote(text, block);
      blockUsed = true;
      return;
    }
    if (inPre) {
      for (const line of text.split(/\r\n|\n|\r/)) if (out.add(line, 'body', block)) blockUsed = true;
      return;
    }
    if (out.add(text, 'body', block)) blockUsed = true;
  };
  const endBlock = (): void => {
    flush();
    if (blockUsed) {
      block++;
      blockUsed = false;
    }
  };

  /** The flat text of an element (for headings and table cells): blocks inside become spaces. */
  const flatText = (node: Element | Root): string => {
    let s = '';
    const walk = (n: ElementContent | RootContent): void => {
      if (n.type === 'text') s += n.value;
      else if (n.type === 'element') {
        if (SKIP.has(n.tagName) || isHidden(n)) return;
        if (n.tagName === 'a' && (BACKLINK_HREF.test(prop(n, 'href') ?? '') || isNoteReference(n))) return;
        if (n.tagName === 'br' || BLOCK.has(n.tagName) || HEADING.test(n.tagName)) s += ' ';
        for (const c of n.children) walk(c);
        if (BLOCK.has(n.tagName) || HEADING.test(n.tagName)) s += ' ';
      }
    };
    for (const c of node.children) walk(c);
    return collapseWhitespace(s);
  };

  const visit = (node: ElementContent | RootContent): void => {
    if (node.type === 'text') {
      buffer += node.value;
      return;
    }
    if (node.type !== 'element') return;
    const tag = node.tagName;
    // The pictures the page shows among its content (its chrome's are left out with the chrome), by their `src`.
    if (tag === 'img' && options.images && !inFootnote && !isHidden(node)) {
      const src = prop(node, 'src');
      if (src) options.images.push(src);
    }
    if (SKIP.has(tag) || isHidden(node)) return;
    const role = prop(node, 'role');
    if (role && BOILERPLATE_ROLES.has(role) && !holdsContent(node)) return;
    if ((tag === 'header' || tag === 'footer') && inArticle === 0 && !holdsContent(node)) return;
    if (tag === 'nav' && !holdsContent(node)) return;
    if (tag === 'a' && (BACKLINK_HREF.test(prop(node, 'href') ?? '') || (!inFootnote && isNoteReference(node)))) return;
    if (tag === 'aside' && !isFootnote(node) && !holdsContent(node)) return;
    if (BLOCK.has(tag) && !inFootnote && isLinkBlock(links.get(node))) return;
    if (tag === 'br') {
      flush();
      return;
    }
    const h = HEADING.exec(tag);
    if (h && !inFootnote) {
      endBlock();
      const level = h[1] === '1' && (prop(node, 'className') ?? '').split(/\s+/).includes(DOCX_TITLE_CLASS) ? 0 : Number(h[1]);
      if (out.add(flatText(node), 'heading', block, level)) block++;
      return;
    }
    if (tag === 'table' && !inFootnote && !isLayoutTable(node, !options.document)) {
      endBlock();
      const caption = node.children.find((c): c is Element => c.type === 'element' && c.tagName === 'caption');
      if (caption && out.add(flatText(caption), 'body', block)) block++;
      for (const { cells, header, columns, spans } of tableRows(node, isHidden)) {
        if (out.addRow(cells.map((c) => flatText(c)), block, { columns, spans, header })) block++;
      }
      out.endTable();
      return;
    }
    const footnote = isFootnote(node);
    const isBlock = BLOCK.has(tag) || footnote;
    if (isBlock) endBlock();
    if (tag === 'article' || tag === 'main') inArticle++;
    if (footnote) inFootnote++;
    if (tag === 'pre') inPre++;
    for (const c of node.children) visit(c);
    if (tag === 'pre') inPre--;
    if (isBlock) endBlock();
    if (footnote) inFootnote--;
    if (tag === 'article' || tag === 'main') inArticle--;
  };
  for (const c of tree.children) visit(c);
  endBlock();
  return out.finish();
}

/**
 * Deepest element nesting read from HTML: Chromium's parser caps its tree at 512 levels too; real pages nest a few
 * dozen. The tree converter and the extraction recurse once per level, so a far deeper page (`<div>` × 12,000, or
 * 20,000 unclosed `<b><i`) would otherwise end in a stack overflow, at a depth that depends on the thread's stack (about
 * 2,000 levels inside a test worker, 10,000 in the CLI).
 */
export const MAX_HTML_DEPTH = 512;

/** True for the RangeError that V8 throws when the call stack runs out. */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

/**
 * The error for a page nested deeper than {@link MAX_HTML_DEPTH}. One message whether the tree was measured or the
 * parser's stack ran out first, so that where that happens (which thread, which Node) never changes the output.
 */
function tooDeep(what: string, path: string | undefined): XunshiError {
  return new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the ${what} nests its elements more than ${MAX_HTML_DEPTH} levels deep; no report is written that way: save it as .txt`, path === undefined ? {} : { file: path });
}

/** The deepest element nesting of a hast tree, counted without recursion. */
export function hastDepth(tree: Root): number {
  let deepest = 0;
  const stack: [Root | ElementContent | RootContent, number][] = [[tree, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (node.type === 'root' || node.type === 'element') for (const c of node.children) stack.push([c, c.type === 'element' ? depth + 1 : depth]);
  }
  return deepest;
}

/**
 * Most elements a page may have: its start tags, counted before it is parsed, and the elements the parser makes, counted
 * as it makes them (it re-creates formatting elements left open). The tree costs about a kilobyte an element: 20 MB of
 * `<p>巡</p>` (1.8 million paragraphs, within the default --max-size) took 4.1 GB and 66 s before the bound on passages
 * refused it. A report's
 * page has thousands of tags (LibreOffice's web-page export of a sample report: three a passage); at ten a passage, a
 * page of the 100,000 passages a document may have stays within this bound.
 */
export const MAX_HTML_ELEMENTS = 1_000_000;

/** `INPUT_TOO_LARGE` for a page of more than {@link MAX_HTML_ELEMENTS} elements. */
function tooManyElements(what: string, path: string | undefined): XunshiError {
  return new XunshiError(
    ERROR_CODES.INPUT_TOO_LARGE,
    `the ${what} has more than ${MAX_HTML_ELEMENTS.toLocaleString('en-US')} elements, more than a report is read in (parsing them would take gigabytes of memory); split it, or check it is a report and not a data dump`,
    path === undefined ? {} : { file: path },
  );
}

/** Throw `INPUT_TOO_LARGE` when `html` has more than {@link MAX_HTML_ELEMENTS} start tags (`<` and a letter), before it is parsed. */
function checkHtmlElements(html: string, what: string, path: string | undefined): void {
  // A start tag takes three characters at least (<p>).
  if (html.length <= 3 * MAX_HTML_ELEMENTS) return;
  let tags = 0;
  for (let i = html.indexOf('<'); i >= 0 && tags <= MAX_HTML_ELEMENTS; i = html.indexOf('<', i + 1)) {
    const c = html.charCodeAt(i + 1) | 0x20;
    if (c >= 0x61 && c <= 0x7a) tags++;
  }
  if (tags > MAX_HTML_ELEMENTS) throw tooManyElements(what, path);
}

/**
 * Parse an HTML string (a whole page, or a fragment such as mammoth's output) with rehype-parse and extract its text.
 * A page nested deeper than {@link MAX_HTML_DEPTH} is refused with `XUNSHI_INPUT_UNSUPPORTED` (`what` names it: "page",
 * "Word document"), the same whether the parser's stack ran out or the tree was measured; one of more than {@link MAX_HTML_ELEMENTS} start
 * tags with `XUNSHI_INPUT_TOO_LARGE`, before it is parsed.
 */
export function extractHtml(html: string, options: { fragment?: boolean; path?: string; what?: string; document?: boolean; images?: string[] } = {}): ExtractedDocument {
  const what = options.what ?? 'page';
  checkHtmlElements(html, what, options.path);
  let tree: Root;
  try {
    // The parser's own count too: it re-creates formatting elements left open in each block after them, so a page of
    // few start tags can make millions of elements.
    tree = getParser('html')(html, options.fragment ?? false, MAX_HTML_ELEMENTS) as Root;
  } catch (e) {
    if (e instanceof TooManyElements) throw tooManyElements(what, options.path);
    if (isStackOverflow(e)) throw tooDeep(what, options.path);
    throw e;
  }
  const depth = hastDepth(tree);
  if (depth > MAX_HTML_DEPTH) throw tooDeep(what, options.path);
  return extractHast(tree, { document: options.document ?? false, ...(options.images ? { images: options.images } : {}), ...(options.path !== undefined ? { path: options.path } : {}) });
}
