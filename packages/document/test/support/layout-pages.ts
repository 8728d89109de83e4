/**
 * Fixed-layout pages built run by run, for the PDF/OFD layout tests: a page of blocks set in one column, in two
 * columns or as a short centred line (with the text each should read as), and an OFD package of any such pages.
 */
import JSZip from 'jszip';
import type { PdfTextItem } from '../../src/pdf-layout.js';
import { rulesOfOperatorList, type PdfRule } from '../../src/pdf-tables.js';

/** A text run as pdf.js gives it (points, origin at the bottom left). */
export interface PlacedRun {
  str: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A page of runs, as layoutPdf takes it. */
export interface PlacedPage {
  width: number;
  height: number;
  items: PlacedRun[];
}

/**
 * One block of a mixed page: paragraphs across the text width (`one`), paragraphs flowed into two balanced columns
 * (`two`, as CSS columns fill them), or a short line centred on the page (`centred`), moved `shift` points right (a
 * centred line with a first-line indent, as Chromium sets `text-align:center` with `text-indent`).
 */
export type LayoutBlock = { kind: 'one'; paragraphs: string[] } | { kind: 'two'; paragraphs: string[] } | { kind: 'centred'; text: string; shift?: number };

/** The measures of a mixed page: a column's width and the gutter's in characters (each character one em). */
export interface MixedPageOptions {
  columnChars: number;
  gutterChars: number;
  size?: number;
  pitch?: number;
  left?: number;
}

/** A paragraph of Chinese text of `n` characters, told apart by `k` (its number comes first). */
export function paragraphText(k: number, n: number): string {
  const words = '巡视发现该单位违规发放津贴补贴问题突出，整改责任落实不到位，监督执纪宽松软，选人用人把关不严，';
  let s = `第${k}段：`;
  for (let i = 0; s.length < n - 1; i++) s += words[(i + k) % words.length];
  return s.replace(/，$/, '') + '。';
}

/** Closing punctuation, which a typesetter lets hang past the margin rather than start a line with. */
const HANGS = /^[，。、；：！？）》”’]/;

/**
 * A paragraph broken into lines of `chars` characters, the first indented two; a closing mark that would start a line
 * hangs past the end of the line before instead.
 */
function wrap(p: string, chars: number): { text: string; indent: boolean }[] {
  const out: { text: string; indent: boolean }[] = [];
  let rest = p;
  for (let first = true; rest.length > 0; first = false) {
    let n = first ? chars - 2 : chars;
    if (HANGS.test(rest.slice(n))) n++;
    out.push({ text: rest.slice(0, n), indent: first });
    rest = rest.slice(n);
  }
  return out;
}

/** Lines a two-column block holds (balanced columns: the left one holds the odd line). */
export function twoColumnLines(paragraphs: readonly string[], columnChars: number): number {
  return paragraphs.reduce((s, p) => s + wrap(p, columnChars).length, 0);
}

/**
 * A page of `blocks` top to bottom, one line pitch apart (no extra space between blocks), each character one em wide:
 * the runs (one a line and column) and the lines it reads as (each paragraph and each centred line one line).
 */
export function mixedPage(blocks: readonly LayoutBlock[], options: MixedPageOptions): { page: PlacedPage; lines: string[] } {
  const size = options.size ?? 12;
  const pitch = options.pitch ?? 16;
  const left = options.left ?? 54;
  const full = 2 * options.columnChars + options.gutterChars;
  const rightColumn = left + (options.columnChars + options.gutterChars) * size;
  const centre = left + (full * size) / 2;
  const items: PlacedRun[] = [];
  const lines: string[] = [];
  let row = 0;
  const run = (str: string, x: number, r: number): PlacedRun => ({ str, x, y: -r * pitch, width: str.length * size, height: size });
  // A line of a paragraph: one run, and a closing mark that hangs past the margin a run of its own (as an OFD's text
  // objects, or a PDF's runs, often cut it).
  const line = (l: { text: string; indent: boolean }, x: number, r: number, chars: number): void => {
    const n = l.text.length + (l.indent ? 2 : 0);
    if (n <= chars) items.push(run(l.text, x + (l.indent ? 2 * size : 0), r));
    else {
      items.push(run(l.text.slice(0, -1), x + (l.indent ? 2 * size : 0), r));
      items.push(run(l.text.slice(-1), x + chars * size, r));
    }
  };
  for (const b of blocks) {
    if (b.kind === 'centred') {
      items.push(run(b.text, centre - (b.text.length * size) / 2 + (b.shift ?? 0), row++));
      lines.push(b.text);
    } else if (b.kind === 'one') {
      for (const p of b.paragraphs) {
        for (const l of wrap(p, full)) line(l, left, row++, full);
        lines.push(p);
      }
    } else {
      const all = b.paragraphs.flatMap((p) => wrap(p, options.columnChars));
      const rows = Math.ceil(all.length / 2);
      all.forEach((l, i) => line(l, i < rows ? left : rightColumn, row + (i % rows), options.columnChars));
      row += rows;
      lines.push(...b.paragraphs);
    }
  }
  const top = 72 + size;
  const height = top + row * pitch + 72;
  for (const it of items) it.y += height - top;
  return { page: { width: 2 * left + full * size, height, items }, lines };
}

const OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const MM = 25.4 / 72;

/**
 * An OFD package of pages of runs: each run one TextObject drawing its characters in one TextCode, placed evenly over
 * its width by `DeltaX` (points turned into millimetres, y measured from the top edge to the baseline). `objects[p]`,
 * graphic objects written as they are (PathObjects), are drawn on page p before its text.
 */
export async function ofdOfPages(pages: readonly PlacedPage[], objects: readonly (string | undefined)[] = []): Promise<Uint8Array> {
  const zip = new JSZip();
  let id = 1;
  const pageDecl: string[] = [];
  pages.forEach((page, p) => {
    const objs = page.items.map((it) => {
      const chars = [...it.str];
      const size = it.height * MM;
      const step = (it.width * MM) / Math.max(1, chars.length);
      const dx = chars.length > 1 ? ` DeltaX="g ${chars.length - 1} ${+step.toFixed(4)}"` : '';
      const text = it.str.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      const x = +(it.x * MM).toFixed(4);
      const top = +((page.height - it.y) * MM - size).toFixed(4);
      return `<ofd:TextObject ID="${id++}" Boundary="${x} ${top} ${+(it.width * MM).toFixed(4)} ${+(size * 1.25).toFixed(4)}" Font="1" Size="${+size.toFixed(4)}"><ofd:TextCode X="0" Y="${+size.toFixed(4)}"${dx}>${text}</ofd:TextCode></ofd:TextObject>`;
    });
    const box = `0 0 ${+(page.width * MM).toFixed(3)} ${+(page.height * MM).toFixed(3)}`;
    zip.file(`Doc_0/Pages/Page_${p}/Content.xml`, `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${OFD_NS}><ofd:Area><ofd:PhysicalBox>${box}</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="${id++}">${objects[p] ?? ''}${objs.join('')}</ofd:Layer></ofd:Content></ofd:Page>`);
    pageDecl.push(`<ofd:Page ID="${id++}" BaseLoc="Pages/Page_${p}/Content.xml"/>`);
  });
  zip.file(
    'Doc_0/Document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${OFD_NS}><ofd:CommonData><ofd:MaxUnitID>${id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData><ofd:Pages>${pageDecl.join('')}</ofd:Pages></ofd:Document>`,
  );
  zip.file('OFD.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/**
 * Rules (points, y up) on an OFD page of `height` points as the e-invoices of the tax system draw their frames: each
 * rule a stroked PathObject of its own, its Boundary the rule's box 0.3 mm thick, its path along the middle.
 */
export function ofdRulePaths(rules: readonly PdfRule[], height: number): string {
  const f = (v: number): string => `${+v.toFixed(4)}`;
  return rules
    .map((r, i) => {
      const x0 = r.x0 * MM, y0 = (height - r.y0) * MM, x1 = r.x1 * MM, y1 = (height - r.y1) * MM;
      const bx = Math.min(x0, x1) - 0.15;
      const by = Math.min(y0, y1) - 0.15;
      const w = Math.abs(x1 - x0) + 0.3;
      const h = Math.abs(y1 - y0) + 0.3;
      return `<ofd:PathObject ID="${9000 + i}" Boundary="${f(bx)} ${f(by)} ${f(w)} ${f(h)}" LineWidth="0.3"><ofd:AbbreviatedData>M ${f(x0 - bx)} ${f(y0 - by)} L ${f(x1 - bx)} ${f(y1 - by)}</ofd:AbbreviatedData></ofd:PathObject>`;
    })
    .join('');
}

/** The text runs and rules pdf.js gives of each page of a PDF, as the PDF reader takes them (pdf-read.ts). */
export async function pdfPages(bytes: Uint8Array): Promise<(PlacedPage & { rules: PdfRule[] })[]> {
  const { getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, disableFontFace: false });
  const out: (PlacedPage & { rules: PdfRule[] })[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale: 1 });
    const items: PdfTextItem[] = [];
    for (const it of (await page.getTextContent()).items) {
      if (!('str' in it) || it.str.length === 0) continue;
      const t = it.transform as number[];
      items.push({ str: it.str, x: t[4]!, y: t[5]!, width: it.width, height: Math.hypot(t[2]!, t[3]!) || it.height || 1 });
    }
    const ops = await page.getOperatorList();
    out.push({ width: viewport.width, height: viewport.height, items, rules: rulesOfOperatorList(ops.fnArray, ops.argsArray) ?? [] });
    page.cleanup();
  }
  await pdf.cleanup();
  return out;
}

/** The OFD of a PDF's pages: its runs as text objects (ofdOfPages), its rules as PathObjects (ofdRulePaths). */
export async function ofdOfPdf(bytes: Uint8Array): Promise<Uint8Array> {
  const pages = await pdfPages(bytes);
  return ofdOfPages(
    pages.map((p) => ({ width: p.width, height: p.height, items: p.items })),
    pages.map((p) => ofdRulePaths(p.rules, p.height)),
  );
}
