// Scanned PDFs made at test time: a page of HTML rendered by headless Chromium to a PNG (its `--screenshot`), then
// either printed inside an HTML page holding only that <img> (Chromium's PDF: one Flate image a page, no text), or
// wrapped by hand into a PDF whose image is drawn through a matrix of our choosing (a page turned by /Rotate).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { jpegFrame } from '../../src/ofd-images.js';
import { printPdf } from './fixtures.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A4 at 96 CSS pixels an inch. */
export const A4_CSS = { width: 794, height: 1123 };

/** An A4 page of paragraphs as a 公文 sets them (WenQuanYi 16 px, 2-character indent, 1-inch margins). */
export function scanPageHtml(paragraphs: readonly string[]): string {
  const body = paragraphs.map((p) => `<p>${esc(p.trim())}</p>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff} body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:16px;padding:72px;width:650px} p{margin:0;text-indent:2em;line-height:1.6}</style></head><body>\n${body}\n</body></html>`;
}

/**
 * A PNG screenshot of `html` with headless Chromium: an A4 page (794 × 1123 CSS px) at `scale` device pixels per CSS
 * pixel (3: 2382 × 3369, about 290 dpi, as a scanner at 300 dpi).
 */
export function screenshot(chromium: string, html: string, scale = 3, type: 'png' | 'jpeg' | 'webp' = 'png'): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-shot-'));
  try {
    writeFileSync(join(dir, 'page.html'), html);
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, `--screenshot=${join(dir, `shot.${type}`)}`, `--window-size=${A4_CSS.width},${A4_CSS.height}`, `--force-device-scale-factor=${scale}`];
    execFileSync(chromium, [...args, `file://${join(dir, 'page.html')}`], { stdio: 'ignore', timeout: 60_000 });
    return new Uint8Array(readFileSync(join(dir, `shot.${type}`)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An `<img>` of a PNG filling an A4 page. */
function imgTag(png: Uint8Array): string {
  return `<img src="data:image/png;base64,${Buffer.from(png).toString('base64')}">`;
}

/** An image-only PDF printed by Chromium: each PNG fills one A4 page (what a scanner's PDF is: one image a page). */
export function scanPdf(chromium: string, pngs: readonly Uint8Array[]): Uint8Array {
  const html = `<!doctype html><html><head><style>@page{size:A4;margin:0} html,body{margin:0} img{display:block;width:210mm;height:297mm;page-break-after:always}</style></head><body>${pngs.map(imgTag).join('')}</body></html>`;
  return printPdf(chromium, html);
}

/** A PDF whose first page is typeset text (a text layer) and whose second page is a scan (one image). */
export function mixedPdf(chromium: string, paragraphs: readonly string[], png: Uint8Array): Uint8Array {
  const text = paragraphs.map((p) => `<p>${esc(p.trim())}</p>`).join('\n');
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:0} html,body{margin:0} .text{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:16px;padding:72px;height:${A4_CSS.height - 144}px;box-sizing:content-box;page-break-after:always} p{margin:0;text-indent:2em;line-height:1.6} img{display:block;width:210mm;height:297mm}</style></head><body><div class="text">${text}</div>${imgTag(png)}</body></html>`;
  return printPdf(chromium, html);
}

/** The header and pixels of an 8-bit RGB or grey PNG that is not interlaced (what Chromium's screenshots are). */
function pngParts(png: Uint8Array): { width: number; height: number; colors: number; idat: Buffer } {
  const b = Buffer.from(png);
  let pos = 8;
  let width = 0;
  let height = 0;
  let colors = 0;
  const idat: Buffer[] = [];
  while (pos + 8 <= b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const data = b.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8]!;
      const colorType = data[9]!;
      if (depth !== 8 || data[12] !== 0 || (colorType !== 2 && colorType !== 0)) throw new Error(`PNG not 8-bit RGB/grey non-interlaced (depth ${depth}, colour type ${colorType})`);
      colors = colorType === 2 ? 3 : 1;
    }
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  return { width, height, colors, idat: Buffer.concat(idat) };
}

/** A PDF of numbered objects (`n 0 obj` … `endobj`), with a cross-reference table; streams are given as Buffers. */
export function rawPdf(objects: readonly (string | { dict: string; stream: Uint8Array })[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const body = typeof o === 'string' ? Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1') : Buffer.concat([Buffer.from(`${i + 1} 0 obj\n${o.dict.replace('>>', ` /Length ${o.stream.length} >>`)}\nstream\n`, 'latin1'), Buffer.from(o.stream), Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    parts.push(body);
    length += body.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * A one-page scan stored turned: the page is landscape with `/Rotate 90`, and the upright A4 image is drawn turned a
 * quarter counter-clockwise, so that a viewer (turning the page clockwise) shows it upright. The PNG's pixels go in
 * as they are (Flate with the PNG predictors).
 */
export function rotatedScanPdf(png: Uint8Array): Uint8Array {
  const { width, height, colors, idat } = pngParts(png);
  // Landscape media box 842 × 595; the image's width (595) runs up the page, its height (842) from right to left.
  const content = 'q 0 595 -842 0 842 0 cm /Im0 Do Q';
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Rotate 90 /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< >>', stream: Buffer.from(content, 'latin1') },
    { dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /Device${colors === 3 ? 'RGB' : 'Gray'} /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ${colors} /BitsPerComponent 8 /Columns ${width} >> >>`, stream: idat },
  ]);
}

/** The grey pixels (one byte each, 0 black) of an 8-bit RGB or grey PNG: its scanlines inflated and unfiltered. */
function pngGrey(png: Uint8Array): { width: number; height: number; grey: Uint8Array } {
  const { width, height, colors, idat } = pngParts(png);
  const raw = inflateSync(idat);
  const stride = width * colors;
  const cur = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= colors ? cur[i - colors]! : 0;
      const b = prev[i]!;
      const c = i >= colors ? prev[i - colors]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) grey[y * width + x] = colors === 3 ? Math.round((cur[x * 3]! * 299 + cur[x * 3 + 1]! * 587 + cur[x * 3 + 2]! * 114) / 1000) : cur[x]!;
    prev.set(cur);
  }
  return { width, height, grey };
}

/**
 * A one-page bilevel scan (what JBIG2 and CCITT fax scans decode to): the PNG thresholded to 1 bit a pixel, drawn as a
 * 1-bit DeviceGray image (1 white), or as an image mask painted black (`mask`: 0 paints, PDF's default decode).
 */
export function bilevelScanPdf(png: Uint8Array, mask = false): Uint8Array {
  const { width, height, grey } = pngGrey(png);
  const stride = (width + 7) >> 3;
  const bits = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (grey[y * width + x]! >= 160) bits[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
  const image = mask ? `/ImageMask true` : `/ColorSpace /DeviceGray /BitsPerComponent 1`;
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< >>', stream: Buffer.from('q 0 g 595 0 0 842 0 0 cm /Im0 Do Q', 'latin1') },
    { dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} ${image} /Filter /FlateDecode >>`, stream: deflateSync(bits) },
  ]);
}

/** Width, height and components of a baseline or progressive JPEG, from its SOF marker (the OFD reader's). */
function jpegSize(jpeg: Uint8Array): { width: number; height: number; components: number } {
  const frame = jpegFrame(jpeg);
  if (frame.width === 0) throw new Error('JPEG without a frame header');
  return frame;
}

/** A one-page A4 scan as scanners write it: one JPEG (DCTDecode) drawn over the page. */
export function jpegScanPdf(jpeg: Uint8Array): Uint8Array {
  const { width, height, components } = jpegSize(jpeg);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< >>', stream: Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q', 'latin1') },
    { dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /Device${components === 3 ? 'RGB' : 'Gray'} /BitsPerComponent 8 /Filter /DCTDecode >>`, stream: jpeg },
  ]);
}

/** A one-page PDF drawing one grey image of `width` × `height` white pixels over the page (Flate: a few bytes a million pixels). */
export function blankImagePdf(width: number, height: number): Uint8Array {
  const rows = Buffer.alloc(width * height, 255);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< >>', stream: Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q', 'latin1') },
    { dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode >>`, stream: deflateSync(rows, { level: 9 }) },
  ]);
}

/** A one-page PDF drawing one 8-bit grey image (`pixels`, one byte each, 0 black) over the page. */
export function greyImagePdf(width: number, height: number, pixels: Uint8Array): Uint8Array {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< >>', stream: Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q', 'latin1') },
    { dict: `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode >>`, stream: deflateSync(pixels) },
  ]);
}

/** Text without whitespace, for comparing what OCR read with the source (line breaks and indents differ by reader). */
export function compact(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Character accuracy of `got` against `expected`: 1 − (Levenshtein distance / length of expected), whitespace left
 * out. The distance is natural's (a dependency of xunshi, loaded from there: only its distance submodule).
 */
export function charAccuracy(expected: string, got: string): number {
  const require = createRequire(new URL('../../../xunshi/package.json', import.meta.url));
  const { LevenshteinDistance } = require('natural/lib/natural/distance/levenshtein_distance.js') as { LevenshteinDistance: (a: string, b: string) => number };
  const a = compact(expected);
  return 1 - LevenshteinDistance(a, compact(got)) / a.length;
}

/** The header of the scanned 整改台账 of {@link ledgerPageHtml}. */
export const LEDGER_HEAD = ['序号', '反馈问题', '整改措施', '责任单位', '完成时限'];
/** Its rows: cells of a sentence or two, so that 反馈问题 and 整改措施 wrap onto several lines. */
export const LEDGER_ROWS = [
  ['1', '落实全面从严治党主体责任不到位，党委研究党风廉政建设工作次数偏少。', '制定党委主体责任清单，每季度专题研究党风廉政建设工作一次。', '县委办公室', '2024年6月底前'],
  ['2', '违规发放津贴补贴18.5万元，财务审核把关不严。', '全额清退违规发放的津贴补贴，修订财务报销审核制度。', '县财政局', '2024年3月底前'],
  ['3', '选人用人工作不规范，干部档案审核不严格。', '开展干部档案专项审核，对发现的问题逐一整改到位。', '县委组织部', '2024年9月底前'],
  ['4', '巡察整改日常监督不到位，整改台账更新不及时。', '建立整改台账月度调度机制，按月通报整改进展情况。', '县纪委监委', '长期坚持'],
];

/**
 * An A4 page holding a 整改台账: a title, a paragraph and a heading, the table of {@link LEDGER_HEAD} and
 * {@link LEDGER_ROWS}, and a closing paragraph. `ruled`: 1 px black borders round every cell (border-collapse), as Word
 * and WPS print a 台账; otherwise no borders at all.
 */
export function ledgerPageHtml(ruled: boolean): string {
  const cell = (tag: string, s: string): string => `<${tag}>${esc(s)}</${tag}>`;
  const rows = LEDGER_ROWS.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;background:#fff} body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:16px;padding:72px;width:650px} p{margin:0;text-indent:2em;line-height:1.6} table{border-collapse:collapse;width:100%;margin:12px 0;font-size:15px;line-height:1.5} td,th{padding:6px;text-align:left;vertical-align:top${ruled ? ';border:1px solid #000' : ''}} col.n{width:8%} col.w{width:31%} col.u{width:14%} col.t{width:16%}</style></head><body>
<p style="text-indent:0;text-align:center">关于巡察反馈问题整改落实情况的报告</p>
<p>根据县委统一部署，现将巡察反馈问题整改落实情况报告如下。</p>
<p>一、整改落实情况台账</p>
<table><colgroup><col class="n"><col class="w"><col class="w"><col class="u"><col class="t"></colgroup><thead><tr>${LEDGER_HEAD.map((h) => cell('th', h)).join('')}</tr></thead><tbody>
${rows}</tbody></table>
<p>二、下一步工作打算。坚持标准不降、力度不减，巩固整改成果。</p>
</body></html>`;
}

/** The text of {@link ledgerPageHtml} in reading order: the table row by row, each row's cells left to right. */
export function ledgerText(): string {
  return ['关于巡察反馈问题整改落实情况的报告', '根据县委统一部署，现将巡察反馈问题整改落实情况报告如下。', '一、整改落实情况台账', ...[LEDGER_HEAD, ...LEDGER_ROWS].map((r) => r.join('\t')), '二、下一步工作打算。坚持标准不降、力度不减，巩固整改成果。'].join('\n');
}

/**
 * How many of the ledger's cells (header included) a reading gives in their row and column: `exact` (the same text,
 * whitespace left out) and `close` (character accuracy 0.9 or better). Rows are the document's table rows in order.
 */
export function ledgerCells(doc: { text: string; lines: readonly { kind: string; cells?: readonly { start: number; end: number }[] }[] }): { exact: number; close: number; total: number } {
  const got = doc.lines.filter((l) => l.kind === 'row').map((l) => l.cells!.map((c) => doc.text.slice(c.start, c.end)));
  const expected = [LEDGER_HEAD, ...LEDGER_ROWS];
  let exact = 0;
  let close = 0;
  expected.forEach((row, i) =>
    row.forEach((cell, j) => {
      const g = got[i]?.[j];
      if (g === undefined) return;
      if (compact(g) === compact(cell)) exact++;
      if (charAccuracy(cell, g) >= 0.9) close++;
    }),
  );
  return { exact, close, total: expected.length * LEDGER_HEAD.length };
}
