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
 * (its default space between Asian and non-Asian text) between a Chinese character and a letter or figure.
 */
export function libreLine(text: string, x: number, y: number, size = 10): PdfTextItem[] {
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
      if ((alnum.test(ch) && /\p{Script=Han}/u.test(prev)) || (alnum.test(prev) && /\p{Script=Han}/u.test(ch))) at += 0.2 * size;
    }
    const w = (half(ch) ? 0.6 : 1) * size;
    if (!cur) cur = { str: '', x: at, y, width: 0, height: size };
    cur.str += ch;
    cur.width += w;
    at += w;
    prev = ch;
  }
  if (cur) items.push(cur);
  return items;
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
