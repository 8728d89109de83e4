import type { PdfPageText, PdfTextItem } from '../../src/pdf-layout.js';
import { layoutPdf } from '../../src/index.js';

// Pages of borderless tables as real producers set them, for the audit of pdf-stream-tables.ts: cells centred in
// their rows (HTML's default vertical-align: middle), the narrow gaps of HTML's default cell spacing, rows that run
// into the page's bottom band, and pages that are no tables (columns of running text, a letter-spaced title).

export const SIZE = 12;
export const run = (str: string, x: number, y: number, size = SIZE): PdfTextItem => ({ str, x, y, width: [...str].length * size, height: size });

/**
 * A line of running text as LibreOffice sets it (and pdf.js reads it): Chinese characters and full-width marks one
 * size wide, half-width letters, figures and marks 0.6 of it, each script a run of its own, and a fifth of the size
 * (its default space between Asian and non-Asian text) between a Chinese character and a letter or figure. A justified
 * line adds `spread` points after each character and to that space.
 */
export function libreLine(text: string, x: number, y: number, size = 10, spread = 0): PdfTextItem[] {
  const items: PdfTextItem[] = [];
  const half = (ch: string): boolean => /[\x21-\x7e]/.test(ch);
  const alnum = /[0-9A-Za-z%]/;
  let at = x;
  let cur: PdfTextItem | undefined;
  let prev = '';
  for (const ch of text) {
    if (cur && half(ch) !== half(prev)) {
      items.push(cur);
      cur = undefined;
      if ((alnum.test(ch) && /\p{Script=Han}/u.test(prev)) || (alnum.test(prev) && /\p{Script=Han}/u.test(ch))) at += 0.2 * size + spread;
    }
    const w = (half(ch) ? 0.6 : 1) * size + spread;
    if (!cur) cur = { str: '', x: at, y, width: 0, height: size };
    cur.str += ch;
    cur.width += w;
    at += w;
    prev = ch;
  }
  if (cur) items.push(cur);
  return items;
}

export interface LibreSetting {
  size: number;
  /** Lines but a paragraph's last spread to reach `right` (LibreOffice's justified alignment), else set solid. */
  justify: boolean;
  left: number;
  right: number;
  /** Baseline of the first line, and the distance between lines. */
  top: number;
  pitch: number;
}

/**
 * Paragraphs set as LibreOffice sets them (see libreLine), each first line indented two characters, lines broken where
 * the next character, or the next run of figures (kept whole), would pass `right`; a closing mark hangs past it rather
 * than begin a line (one mark: a mark after one that hangs begins the next line). Justified, each line but the last
 * is spread, character by character and the spaces between scripts alike, until it reaches `right` (a hanging mark
 * past it). Returns the runs and the baseline below the last line.
 */
export function libreParagraphs(paragraphs: readonly string[], s: LibreSetting): { items: PdfTextItem[]; bottom: number } {
  const items: PdfTextItem[] = [];
  let y = s.top;
  const half = /[0-9A-Za-z%.]/;
  const closing = /^[，。、；：！？）”]$/u;
  const widthOf = (t: string): number => [...t].reduce((w, ch) => w + (/[\x21-\x7e]/.test(ch) ? 0.6 : 1) * s.size, 0);
  for (const text of paragraphs) {
    const tokens = text.match(/[0-9A-Za-z.%]+|[^0-9A-Za-z.%]/gu) ?? [];
    const lines: { text: string; x0: number; end: number; gaps: number }[] = [];
    let cur = { text: '', x0: s.left + 2 * s.size, end: s.left + 2 * s.size, gaps: 0 };
    for (const t of tokens) {
      const prev = cur.text.slice(-1);
      const space = prev !== '' && half.test(t[0]!) !== half.test(prev) && /\p{Script=Han}/u.test(half.test(t[0]!) ? prev : t[0]!) ? 0.2 * s.size : 0;
      const w = widthOf(t);
      if (cur.text !== '' && cur.end + space + w > s.right && (!closing.test(t) || cur.end > s.right)) {
        lines.push(cur);
        cur = { text: t, x0: s.left, end: s.left + w, gaps: 0 };
        continue;
      }
      cur.text += t;
      cur.end += space + w;
      if (space > 0) cur.gaps++;
    }
    lines.push(cur);
    lines.forEach((l, i) => {
      let spread = 0;
      if (s.justify && i < lines.length - 1) {
        const last = l.text.slice(-1);
        const target = l.end > s.right && closing.test(last) ? s.right + s.size : s.right;
        spread = Math.max(0, (target - l.end) / ([...l.text].length + l.gaps));
      }
      items.push(...libreLine(l.text, l.x0, y, s.size, spread));
      y -= s.pitch;
    });
  }
  return { items, bottom: y };
}

/** What layoutPdf reads: each row line as its cells, each other line as `body:TEXT`. */
export function rowsOf(pages: PdfPageText[]): string[][] {
  const doc = layoutPdf(pages);
  return doc.lines.map((l) => (l.kind === 'row' ? l.cells!.map((c) => doc.text.slice(c.start, c.end)) : [`body:${doc.text.slice(l.start, l.end)}`]));
}

const CJK = '巡察反馈问题整改落实责任制度干部党组织建设监督执纪学习教育';
/** A cell's text of `n` Chinese characters and a full stop, told apart by `k`. */
export const cellText = (n: number, k: number): string => Array.from({ length: n }, (_, i) => CJK[(i * 7 + k * 3) % CJK.length]).join('') + '。';

/** Each cell's text cut into lines of `per` characters. */
export const wrap = (text: string, per: number): string[] => {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += per) out.push(chars.slice(i, i + per).join(''));
  return out.length > 0 ? out : [''];
};

export interface TableSetting {
  /** Characters a line of each column holds. */
  per: number[];
  /** Blank between a column's full lines and the next column's text, in points (HTML's `border=0`: 3pt). */
  colGap: number;
  /** Blank added between rows, in points (cell spacing and padding). */
  rowGap: number;
  /** Cells centred in the row's height (the default of an HTML table), else set from its top. */
  middle: boolean;
  pitch?: number;
  x0?: number;
  size?: number;
}

/**
 * A table's runs drawn from `top` down as a browser sets it: each column `per[c]` characters wide, the next column
 * `colGap` points after it; a cell centred in its row sits half a line lower for each line it has fewer than the row.
 * Returns the runs and the baseline below the last row.
 */
export function setTable(rows: string[][], s: TableSetting, top: number): { items: PdfTextItem[]; bottom: number } {
  const size = s.size ?? SIZE;
  const pitch = s.pitch ?? 1.1875 * size;
  const xs: number[] = [];
  let x = s.x0 ?? 40;
  for (const per of s.per) {
    xs.push(x);
    x += per * size + s.colGap;
  }
  const items: PdfTextItem[] = [];
  let y = top;
  for (const row of rows) {
    const cells = row.map((t, c) => (t === '' ? [] : wrap(t, s.per[c]!)));
    const height = Math.max(1, ...cells.map((l) => l.length));
    cells.forEach((lines, c) => {
      const offset = s.middle ? ((height - lines.length) * pitch) / 2 : 0;
      lines.forEach((str, i) => items.push(run(str, xs[c]!, y - size - offset - i * pitch, size)));
    });
    y -= height * pitch + s.rowGap;
  }
  return { items, bottom: y };
}

/**
 * Two or three columns of running text (a page set with CSS `column-count`), each paragraph's lines `per`
 * characters, `paraGap` points after each paragraph; each column is set on its own, so where its paragraphs differ
 * from the next column's, the baselines drift apart.
 */
export function setColumns(columns: string[][], per: number, paraGap: number, top: number, gutter = SIZE): PdfTextItem[] {
  const pitch = 1.1875 * SIZE;
  const items: PdfTextItem[] = [];
  columns.forEach((paras, c) => {
    const x = 40 + c * (per * SIZE + gutter);
    let y = top - SIZE;
    for (const p of paras) {
      for (const line of wrap(p, per)) {
        items.push(run(line, x, y));
        y -= pitch;
      }
      y -= paraGap;
    }
  });
  return items;
}
