import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abbreviatedPath, extractOfd, MAX_PATH_COMMANDS, MAX_PATH_DATA_CHARS, readOfdPages } from '../src/ofd-read.js';
import { layoutPdf, type PdfPageText, type PdfTextItem } from '../src/pdf-layout.js';
import { DRAW, findTables, MAX_RULES, type PdfRule } from '../src/pdf-tables.js';
import type { ExtractedDocument } from '../src/extracted.js';
import { ofdOfPages, pdfPages } from './support/layout-pages.js';
import { findChromium, hasCjkFont, printPdf } from './support/fixtures.js';
import { extractPdf } from '../src/pdf-read.js';

// Ruled tables of OFD pages: the rules their PathObjects draw read as a PDF's (pdf-tables.ts), so that a table reads
// by rows of cells, the same rows as the PDF of the same page.

/** Points to millimetres; pages are A4 in points (595 × 842), y up, as pdf.js gives them. */
const MM = 25.4 / 72;
const W = 595;
const H = 842;
const SIZE = 10.5;
const f = (v: number): string => `${+v.toFixed(4)}`;

/**
 * The rules of a grid in points (y up): vertical rules at `xs`, horizontal ones at `ys` (top down), one piece a cell
 * side, without those in `missing` (`v:i:r` the vertical rule i along row r, `h:j:c` the horizontal rule j along column c).
 */
function grid(xs: number[], ys: number[], missing: Set<string> = new Set()): PdfRule[] {
  const out: PdfRule[] = [];
  for (let i = 0; i < xs.length; i++) for (let r = 0; r + 1 < ys.length; r++) if (!missing.has(`v:${i}:${r}`)) out.push({ x0: xs[i]!, y0: ys[r]!, x1: xs[i]!, y1: ys[r + 1]! });
  for (let j = 0; j < ys.length; j++) for (let c = 0; c + 1 < xs.length; c++) if (!missing.has(`h:${j}:${c}`)) out.push({ x0: xs[c]!, y0: ys[j]!, x1: xs[c + 1]!, y1: ys[j]! });
  return out;
}

/** How the rules are drawn in the OFD. */
type Style = 'line' | 'rect' | 'ctm' | 'dash';

/**
 * PathObjects drawing `rules` (points, y up) on an OFD page (millimetres, y down):
 * - `line`: each rule a stroked path of its own whose Boundary is the rule's box, 0.3 mm thick, and whose path runs
 *   along its middle (as the e-invoices of the tax system draw their frames);
 * - `rect`: each rule a filled rectangle 0.26 mm thick, not stroked (`Stroke="false" Fill="true"`);
 * - `ctm`: the horizontal rules in one path in units of half a millimetre (CTM 0.5), the vertical ones in one path
 *   drawn a quarter turn round (CTM 0 1 -1 0), from a Boundary of their own;
 * - `dash`: dashed rules, `DashPattern` on the path, and also each dash a subpath of its own (2 mm on, 0.6 mm off).
 */
function ofdRules(rules: readonly PdfRule[], style: Style, height = H): string {
  const pts = rules.map((r) => ({ x0: r.x0 * MM, y0: (height - r.y0) * MM, x1: r.x1 * MM, y1: (height - r.y1) * MM }));
  if (style === 'ctm') {
    const hs = pts.filter((r) => r.y0 === r.y1);
    const vs = pts.filter((r) => r.x0 === r.x1);
    // Scaled: (u, v) → (20 + u / 2, 10 + v / 2).
    const h = hs.map((r) => `M ${f((r.x0 - 20) * 2)} ${f((r.y0 - 10) * 2)} L ${f((r.x1 - 20) * 2)} ${f((r.y1 - 10) * 2)}`).join(' ');
    // Turned: (u, v) → (e - v, u + f) with e = 200, f = 5, from the Boundary's origin (5, 5): X = 205 - v, Y = u + 10.
    const v = vs.map((r) => `M ${f(r.y0 - 10)} ${f(205 - r.x0)} L ${f(r.y1 - 10)} ${f(205 - r.x1)}`).join(' ');
    return `<ofd:PathObject ID="900" Boundary="20 10 170 277" CTM="0.5 0 0 0.5 0 0" LineWidth="0.5"><ofd:AbbreviatedData>${h}</ofd:AbbreviatedData></ofd:PathObject><ofd:PathObject ID="901" Boundary="5 5 200 287" CTM="0 1 -1 0 200 5" LineWidth="0.3"><ofd:AbbreviatedData>${v}</ofd:AbbreviatedData></ofd:PathObject>`;
  }
  return pts
    .map((r, i) => {
      const x = Math.min(r.x0, r.x1) - 0.15;
      const y = Math.min(r.y0, r.y1) - 0.15;
      const w = Math.abs(r.x1 - r.x0) + 0.3;
      const h = Math.abs(r.y1 - r.y0) + 0.3;
      const box = `Boundary="${f(x)} ${f(y)} ${f(w)} ${f(h)}"`;
      if (style === 'rect') {
        const t = 0.26;
        const [rw, rh] = w > h ? [w - 0.3, t] : [t, h - 0.3];
        return `<ofd:PathObject ID="${1000 + i}" ${box} Stroke="false" Fill="true"><ofd:FillColor Value="0 0 0"/><ofd:AbbreviatedData>M 0.02 0.02 L ${f(rw + 0.02)} 0.02 L ${f(rw + 0.02)} ${f(rh + 0.02)} L 0.02 ${f(rh + 0.02)} C</ofd:AbbreviatedData></ofd:PathObject>`;
      }
      const len = Math.max(w, h) - 0.3;
      const along = (a: number, b: number): string => (w > h ? `M ${f(a + 0.15)} 0.15 L ${f(b + 0.15)} 0.15` : `M 0.15 ${f(a + 0.15)} L 0.15 ${f(b + 0.15)}`);
      if (style === 'dash') {
        const dashes: string[] = [];
        for (let a = 0; a < len; a += 2.6) dashes.push(along(a, Math.min(a + 2, len)));
        return `<ofd:PathObject ID="${1000 + i}" ${box} LineWidth="0.2" DashPattern="2 0.6"><ofd:StrokeColor Value="0 0 0"/><ofd:AbbreviatedData>${dashes.join(' ')}</ofd:AbbreviatedData></ofd:PathObject>`;
      }
      return `<ofd:PathObject ID="${1000 + i}" ${box} LineWidth="0.3"><ofd:AbbreviatedData>${along(0, len)}</ofd:AbbreviatedData><ofd:StrokeColor Value="128 0 0"/></ofd:PathObject>`;
    })
    .join('');
}

/** A cell's text wrapped onto lines of `per` characters, each line `pitch` below the last, the first `pad` below the top. */
function cellRuns(text: string, left: number, top: number, per: number, pitch = 1.4 * SIZE, pad = 3): PdfTextItem[] {
  const out: PdfTextItem[] = [];
  for (let i = 0, line = 0; i < text.length; i += per, line++) {
    const s = text.slice(i, i + per);
    out.push({ str: s, x: left + 3, y: top - pad - SIZE - line * pitch, width: s.length * SIZE, height: SIZE });
  }
  return out;
}

function rowsOf(doc: ExtractedDocument): string[][] {
  return doc.lines.map((l) => (l.kind === 'row' ? l.cells!.map((c) => doc.text.slice(c.start, c.end)) : [`body:${doc.text.slice(l.start, l.end)}`]));
}

/** The rows of the pages read as a PDF with these rules, and as an OFD drawing them in `style`. */
async function bothWays(pages: { items: PdfTextItem[]; rules: PdfRule[] }[], style: Style): Promise<{ pdf: string[][]; ofd: string[][] }> {
  const pdf = rowsOf(layoutPdf(pages.map((p) => ({ width: W, height: H, items: p.items, rules: p.rules }))));
  const bytes = await ofdOfPages(
    pages.map((p) => ({ width: W, height: H, items: p.items })),
    pages.map((p) => ofdRules(p.rules, style)),
  );
  return { pdf, ofd: rowsOf(await extractOfd(bytes)) };
}

const STYLES: Style[] = ['line', 'rect', 'ctm', 'dash'];

// A 台账 whose rows are set without any space between them: every line of the table one pitch below the last, across
// the rules too, so the white space cannot tell a row from a cell's next line.
const PITCH = 1.4 * SIZE;
const NX = [60, 200, 340, 540];
const NO_GAP_HEAD = ['责任单位', '问题', '整改措施'];
const NO_GAP_ROWS = [
  ['县财政局党组会同机关纪委', '干部档案管理混乱存在涂改现象', '开展干部档案专项审核工作并建立审核制度'],
  ['县财政局办公室牵头负责落实', '违规发放津贴补贴共计十二万元', '已全部清退到位并对相关责任人进行了处理'],
  ['局机关各科室和二级单位', '制度建设滞后执行不严格', '修订完善各项制度汇编成册'],
];
/** Characters a line in each column (the cell's width less padding). */
const PER = [12, 12, 18];
function noGapPage(): { items: PdfTextItem[]; rules: PdfRule[] } {
  const rows = [NO_GAP_HEAD, ...NO_GAP_ROWS];
  const ys = [720];
  const items: PdfTextItem[] = [];
  for (const row of rows) {
    const lines = Math.max(...row.map((t, c) => Math.ceil(t.length / PER[c]!)));
    const top = ys[ys.length - 1]!;
    row.forEach((t, c) => items.push(...cellRuns(t, NX[c]!, top, PER[c]!, PITCH, (PITCH - SIZE) / 2)));
    ys.push(top - lines * PITCH);
  }
  return { items, rules: grid(NX, ys) };
}

describe('OFD ruled tables: rules from PathObjects', () => {
  it('reads a ledger whose rows have no vertical gap by its rules, as the PDF of the same page, however the rules are drawn', async () => {
    const page = noGapPage();
    // Every line of the table is one pitch below the last: no white space between rows.
    const ys = [...new Set(page.items.map((it) => +it.y.toFixed(3)))].sort((a, b) => b - a);
    expect(ys.slice(1).map((y, i) => +(ys[i]! - y).toFixed(3))).toEqual(ys.slice(1).map(() => +PITCH.toFixed(3)));
    const expected = [NO_GAP_HEAD, ...NO_GAP_ROWS];
    for (const style of STYLES) {
      const { pdf, ofd } = await bothWays([page], style);
      expect(pdf).toEqual(expected);
      expect(ofd, style).toEqual(expected);
    }
    // Without its rules the same page does not read so: only the rules tell the rows apart.
    const bare = rowsOf(await extractOfd(await ofdOfPages([{ width: W, height: H, items: page.items }])));
    expect(bare).not.toEqual(expected);
  });

  it('puts the rules where the PDF has them: page units, y up, through Boundary and CTM', async () => {
    const page = noGapPage();
    const want = findTables(page.rules);
    expect(want).toHaveLength(1);
    for (const style of STYLES) {
      const { pages } = await readOfdPages(await ofdOfPages([{ width: W, height: H, items: page.items }], [ofdRules(page.rules, style)]));
      const got = findTables(pages[0]!.rules!);
      expect(got, style).toHaveLength(1);
      expect(got[0]!.columns.map((x) => Math.round(x))).toEqual(NX);
      expect(got[0]!.rowEdges.map((y) => Math.round(y))).toEqual(want[0]!.rowEdges.map((y) => Math.round(y)));
      expect(got[0]!.cells.map((c) => [c.row, c.col])).toEqual(want[0]!.cells.map((c) => [c.row, c.col]));
    }
  });

  it('reads each PathObject from its own Boundary, one nested in another too (as a hand-edited file may have it), on a page of its own size', async () => {
    // An e-invoice's page (211.5 × 140 mm): a rule 0.3 mm thick drawn along the middle of its Boundary, a second one
    // nested in the first, and a second piece of data of the first after the nested one closed.
    const page = `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Area><ofd:PhysicalBox>0 0 211.5 140</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="2">
      <ofd:PathObject Boundary="10 30 95.3 0.3" ID="12" LineWidth="0.3"><ofd:AbbreviatedData>M 0 0.15 L 95.3 0.15</ofd:AbbreviatedData><ofd:StrokeColor Value="128 0 0"/>
        <ofd:PathObject Boundary="4 30.3 0.3 22" ID="10" LineWidth="0.3"><ofd:AbbreviatedData>M 0.15 0 L 0.15 22</ofd:AbbreviatedData></ofd:PathObject>
        <ofd:AbbreviatedData>M 0 10 L 10 10</ofd:AbbreviatedData>
      </ofd:PathObject>
      <ofd:TextObject ID="40" Boundary="69 8 70 9" Font="5" Size="7"><ofd:TextCode DeltaX="g 9 7" X="0" Y="7">电子发票（普通发票）</ofd:TextCode></ofd:TextObject>
    </ofd:Layer></ofd:Content></ofd:Page>`;
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(await ofdOfPages([{ width: 10, height: 10, items: [] }]));
    zip.file('Doc_0/Pages/Page_0/Content.xml', page);
    const { pages } = await readOfdPages(await zip.generateAsync({ type: 'uint8array' }));
    const pt = (mm: number): number => Math.round((mm / MM) * 100) / 100;
    const round = (r: PdfRule): number[] => [r.x0, r.y0, r.x1, r.y1].map((v) => Math.round(v * 100) / 100);
    expect(pages[0]!.height).toBeCloseTo(140 / MM);
    expect(pages[0]!.rules!.map(round)).toEqual([
      [pt(10), pt(140 - 30.15), pt(105.3), pt(140 - 30.15)],
      [pt(4.15), pt(140 - 30.3), pt(4.15), pt(140 - 52.3)],
      // The outer path's second piece of data, from its own Boundary again.
      [pt(10), pt(140 - 40), pt(20), pt(140 - 40)],
    ]);
  });

  it('reads a merged cell once, in the row it starts in, as in the PDF', async () => {
    const xs = [60, 100, 300, 420, 540];
    const ys = [700, 680, 650, 620, 600];
    // 责任单位 of rows 1 and 2 merged (no rule between them there); the last row one cell across: a line of the table.
    const rules = grid(xs, ys, new Set(['h:2:2', 'v:1:3', 'v:2:3', 'v:3:3']));
    const items = [
      ...cellRuns('序号', 60, 700, 3), ...cellRuns('问题', 100, 700, 18), ...cellRuns('责任单位', 300, 700, 10), ...cellRuns('进展', 420, 700, 10),
      ...cellRuns('1', 60, 680, 3), ...cellRuns('学习不深入。', 100, 680, 18), ...cellRuns('县委组织部', 300, 672, 10), ...cellRuns('已完成。', 420, 680, 10),
      ...cellRuns('2', 60, 650, 3), ...cellRuns('制度不健全。', 100, 650, 18), ...cellRuns('正在推进。', 420, 650, 10),
      ...cellRuns('以上情况每月通报一次。', 60, 620, 30),
    ];
    const expected = [
      ['序号', '问题', '责任单位', '进展'],
      ['1', '学习不深入。', '县委组织部', '已完成。'],
      ['2', '制度不健全。', '正在推进。'],
      ['body:以上情况每月通报一次。'],
    ];
    for (const style of STYLES) {
      const { pdf, ofd } = await bothWays([{ items, rules }], style);
      expect(pdf).toEqual(expected);
      expect(ofd, style).toEqual(expected);
    }
  });

  it('goes on over a page break: the repeated header row once, the row cut by the break joined with its rest', async () => {
    const XS = [60, 100, 300, 540];
    const HEAD = ['序号', '问题', '整改措施'];
    const ROW1 = ['1', '选人用人把关不严，干部档案管理混乱。', '开展干部档案专项审核。'];
    // Page 1: header and row 1, then row 2 cut by the page foot (the side rules run on to y = 80, no rule there).
    const r1 = [...grid(XS, [700, 680, 620]), ...grid(XS, [620, 80], new Set(['h:1:0', 'h:1:1', 'h:1:2']))];
    const p1 = [
      ...[HEAD, ROW1].flatMap((row, r) => row.flatMap((text, c) => cellRuns(text, XS[c]!, [700, 680][r]!, c === 0 ? 3 : 18))),
      ...cellRuns('2', 60, 620, 3), ...cellRuns('违规发放津贴', 100, 620, 18), ...cellRuns('已全部', 300, 620, 18),
    ];
    // Page 2: the header again, the rest of row 2, then row 3.
    const r2 = grid(XS, [800, 780, 760, 730]);
    const p2 = [
      ...HEAD.flatMap((text, c) => cellRuns(text, XS[c]!, 800, c === 0 ? 3 : 18)),
      ...cellRuns('补贴12.5万元。', 100, 780, 18), ...cellRuns('清退。', 300, 780, 18),
      ...cellRuns('3', 60, 760, 3), ...cellRuns('档案管理混乱。', 100, 760, 18), ...cellRuns('建立审核制度。', 300, 760, 18),
    ];
    const expected = [HEAD, ROW1, ['2', '违规发放津贴补贴12.5万元。', '已全部清退。'], ['3', '档案管理混乱。', '建立审核制度。']];
    for (const style of STYLES) {
      const { pdf, ofd } = await bothWays([{ items: p1, rules: r1 }, { items: p2, rules: r2 }], style);
      expect(pdf).toEqual(expected);
      expect(ofd, style).toEqual(expected);
    }
  });

  it('draws a template page\'s rules on each page that uses it, and takes none from clipping paths, hidden or unpainted paths, or curves', async () => {
    const page = noGapPage();
    const expected = [NO_GAP_HEAD, ...NO_GAP_ROWS];
    // The frame in a template (a form printed on every page), the text on the page.
    const base = await ofdOfPages([{ width: W, height: H, items: page.items }]);
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(base);
    const doc = (await zip.file('Doc_0/Document.xml')!.async('string')).replace('</ofd:CommonData>', '<ofd:TemplatePage ID="70" BaseLoc="Tpl/Content.xml"/></ofd:CommonData>');
    zip.file('Doc_0/Document.xml', doc);
    zip.file('Doc_0/Tpl/Content.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="71">${ofdRules(page.rules, 'line')}</ofd:Layer></ofd:Content></ofd:Page>`);
    const content = await zip.file('Doc_0/Pages/Page_0/Content.xml')!.async('string');
    zip.file('Doc_0/Pages/Page_0/Content.xml', content.replace('<ofd:Content>', '<ofd:Template TemplateID="70"/><ofd:Content>'));
    expect(rowsOf(await extractOfd(await zip.generateAsync({ type: 'uint8array' })))).toEqual(expected);

    // The same grid drawn only where nothing is painted: as a clipping area, hidden, neither stroked nor filled, or
    // as curves.
    const hidden = ofdRules(page.rules, 'line').replace(/LineWidth="0.3"/g, 'LineWidth="0.3" Visible="false"');
    const unpainted = ofdRules(page.rules, 'rect').replace(/Fill="true"/g, 'Fill="false"');
    const clip = `<ofd:ImageObject ID="5" Boundary="0 0 210 297" ResourceID="9"><ofd:Clips>${page.rules.map((r) => `<ofd:Clip><ofd:Area><ofd:Path Boundary="0 0 210 297" Stroke="true"><ofd:AbbreviatedData>M ${f(r.x0 * MM)} ${f((H - r.y0) * MM)} L ${f(r.x1 * MM)} ${f((H - r.y1) * MM)}</ofd:AbbreviatedData></ofd:Path></ofd:Area></ofd:Clip>`).join('')}</ofd:Clips></ofd:ImageObject>`;
    const curves = `<ofd:PathObject ID="6" Boundary="0 0 210 297">${page.rules.map((r) => `<ofd:AbbreviatedData>M ${f(r.x0 * MM)} ${f((H - r.y0) * MM)} Q ${f(r.x1 * MM)} ${f((H - r.y1) * MM)} ${f(r.x1 * MM)} ${f((H - r.y1) * MM)}</ofd:AbbreviatedData>`).join('')}</ofd:PathObject>`;
    for (const objects of [hidden, unpainted, clip, curves]) {
      const { pages } = await readOfdPages(await ofdOfPages([{ width: W, height: H, items: page.items }], [objects]));
      expect(pages[0]!.rules).toBeUndefined();
    }
  });
});

describe('OFD path data (AbbreviatedData)', () => {
  const budget = (): { commands: number; over?: boolean } => ({ commands: 1000 });

  it('reads S, M, L, Q, B, A and C into path codes; numbers after a command repeat it; anything else ends the path', () => {
    expect(abbreviatedPath('S 0 0 L 10 0 Q 12 0 12 2 B 12 4 10 6 8 6 A 2 2 0 0 1 6 4 C', budget())).toEqual([
      DRAW.moveTo, 0, 0, DRAW.lineTo, 10, 0, DRAW.quadraticCurveTo, 12, 0, 12, 2, DRAW.curveTo, 12, 4, 10, 6, 8, 6, DRAW.quadraticCurveTo, 6, 4, 6, 4, DRAW.closePath,
    ]);
    // SVG's repetition: the pairs after a moveto's first are lines; commas separate as spaces do; Z closes.
    expect(abbreviatedPath('M 1,2 3 4 L 5 6 7 8 Z', budget())).toEqual([DRAW.moveTo, 1, 2, DRAW.lineTo, 3, 4, DRAW.lineTo, 5, 6, DRAW.lineTo, 7, 8, DRAW.closePath]);
    expect(abbreviatedPath('M 0 0 L 1e1 -.5 L +2. 3', budget())).toEqual([DRAW.moveTo, 0, 0, DRAW.lineTo, 10, -0.5, DRAW.lineTo, 2, 3]);
    // An unknown or lower-case command, a missing or infinite number, a number after C: what came before is kept.
    expect(abbreviatedPath('M 0 0 L 5 0 X 1 1 L 9 9', budget())).toEqual([DRAW.moveTo, 0, 0, DRAW.lineTo, 5, 0]);
    expect(abbreviatedPath('M 0 0 l 5 0', budget())).toEqual([DRAW.moveTo, 0, 0]);
    expect(abbreviatedPath('M 0 0 L 5', budget())).toEqual([DRAW.moveTo, 0, 0]);
    expect(abbreviatedPath('M 0 0 L 1e999 0 L 1 1', budget())).toEqual([DRAW.moveTo, 0, 0]);
    expect(abbreviatedPath('M 0 0 L 1 0 C 4 4', budget())).toEqual([DRAW.moveTo, 0, 0, DRAW.lineTo, 1, 0, DRAW.closePath]);
    expect(abbreviatedPath('', budget())).toEqual([]);
  });

  it('stops after its budget of commands, whatever the length of the data', () => {
    const b = { commands: 10 } as { commands: number; over?: boolean };
    const long = `M 0 0 ${'L 1 1 '.repeat(1_000_000)}`;
    const out = abbreviatedPath(long, b);
    expect(out).toHaveLength(30);
    expect(b.over).toBe(true);
    expect(b.commands).toBe(0);
  });

  it('never throws on random data, and gives well-formed path codes of finite numbers within the budget', () => {
    const token = fc.oneof(
      fc.constantFrom('S', 'M', 'L', 'Q', 'B', 'A', 'C', 'Z', 'm', 'x', 'e', ' ', ',', '-', '+', '.', '\n', 'E', '1e400'),
      fc.double({ noNaN: false }).map(String),
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.string({ maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), fc.integer({ min: 0, max: 50 }), (tokens, commands) => {
        const s = tokens.join(' ');
        const b: { commands: number; over?: boolean } = { commands };
        const out = abbreviatedPath(s, b);
        expect(b.commands).toBeGreaterThanOrEqual(0);
        const arity: Record<number, number> = { [DRAW.moveTo]: 2, [DRAW.lineTo]: 2, [DRAW.quadraticCurveTo]: 4, [DRAW.curveTo]: 6, [DRAW.closePath]: 0 };
        let n = 0;
        for (let i = 0; i < out.length; n++) {
          const k = arity[out[i]!];
          expect(k).toBeDefined();
          for (let j = 1; j <= k!; j++) expect(Number.isFinite(out[i + j])).toBe(true);
          i += 1 + k!;
        }
        expect(n).toBeLessThanOrEqual(commands);
        expect(n).toBe(commands - b.commands);
      }),
      { numRuns: 500 },
    );
  });

  it('reads any path data in a page without throwing, the text as without it', async () => {
    const items = [{ str: '巡察反馈的问题已完成整改。', x: 84, y: 660, width: 13 * 12, height: 12 }];
    const plain = (await extractOfd(await ofdOfPages([{ width: W, height: H, items }]))).text;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom('M', 'L', 'B', 'C', 'A', 'Q', 'S', '0', '10', '-3.5', '1e308'), fc.double().map(String)), { maxLength: 60 }), fc.boolean(), async (tokens, filled) => {
        const data = tokens.join(' ');
        const obj = `<ofd:PathObject ID="7" Boundary="10 20 100 50"${filled ? ' Fill="true" Stroke="false"' : ''} CTM="1 0 0 1 0 0"><ofd:AbbreviatedData>${data}</ofd:AbbreviatedData></ofd:PathObject>`;
        const doc = await extractOfd(await ofdOfPages([{ width: W, height: H, items }], [obj]));
        expect(doc.text).toBe(plain);
      }),
      { numRuns: 60 },
    );
  });
});

describe('OFD rules: bounds on crafted files', () => {
  const items = [{ str: '巡察反馈的问题已完成整改。', x: 84, y: 660, width: 13 * 12, height: 12 }];

  it('reads a page of more than MAX_RULES rules without tables, and says so', async () => {
    const segs = Array.from({ length: MAX_RULES + 1 }, (_, i) => `M 0 ${i % 200} L 20 ${i % 200}`).join(' ');
    const obj = `<ofd:PathObject ID="7" Boundary="10 20 100 250"><ofd:AbbreviatedData>${segs}</ofd:AbbreviatedData></ofd:PathObject>`;
    const { pages, diagnostics } = await readOfdPages(await ofdOfPages([{ width: W, height: H, items }, { width: W, height: H, items }], [obj]));
    expect(pages[0]!.rules).toBeUndefined();
    expect(pages[0]!.items.map((i) => i.str)).toEqual(['巡察反馈的问题已完成整改。']);
    expect(diagnostics).toEqual([{ code: 'XUNSHI_OFD_TABLES_SKIPPED', message: expect.stringContaining('ruled tables were not looked for on page 1:') }]);
    // Exactly MAX_RULES rules are still read.
    const fewer = `<ofd:PathObject ID="7" Boundary="10 20 100 250"><ofd:AbbreviatedData>${Array.from({ length: MAX_RULES }, (_, i) => `M 0 ${i % 200} L 20 ${i % 200}`).join(' ')}</ofd:AbbreviatedData></ofd:PathObject>`;
    const ok = await readOfdPages(await ofdOfPages([{ width: W, height: H, items }], [fewer]));
    expect(ok.pages[0]!.rules).toHaveLength(MAX_RULES);
    expect(ok.diagnostics).toEqual([]);
  });

  it('counts a template\'s rules on each page it is drawn on, and stops reading rules past a million in the document', async () => {
    const JSZip = (await import('jszip')).default;
    const tpl = (n: number): string => `<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer ID="71"><ofd:PathObject ID="72" Boundary="10 20 100 250"><ofd:AbbreviatedData>${Array.from({ length: n }, (_, i) => `M 0 ${i % 200} L 20 ${i % 200}`).join(' ')}</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>`;
    /** `pages` pages of one line each (told apart), all drawing the template of `n` rules, the first also `own` rules. */
    const withTemplate = async (pages: number, n: number, own = 0): Promise<Uint8Array> => {
      const lines = Array.from({ length: pages }, (_, p) => ({ width: W, height: H, items: [{ ...items[0]!, str: `第${p + 1}页：巡察反馈的问题已完成整改。`, width: 20 * 12 }] }));
      const zip = await JSZip.loadAsync(await ofdOfPages(lines, own > 0 ? [`<ofd:PathObject ID="8" Boundary="10 20 100 250"><ofd:AbbreviatedData>${Array.from({ length: own }, (_, i) => `M 0 ${i} L 20 ${i}`).join(' ')}</ofd:AbbreviatedData></ofd:PathObject>`] : []));
      zip.file('Doc_0/Document.xml', (await zip.file('Doc_0/Document.xml')!.async('string')).replace('</ofd:CommonData>', '<ofd:TemplatePage ID="70" BaseLoc="Tpl/Content.xml"/></ofd:CommonData>'));
      zip.file('Doc_0/Tpl/Content.xml', tpl(n));
      for (let p = 0; p < pages; p++) {
        const name = `Doc_0/Pages/Page_${p}/Content.xml`;
        zip.file(name, (await zip.file(name)!.async('string')).replace('<ofd:Content>', '<ofd:Template TemplateID="70"/><ofd:Content>'));
      }
      return zip.generateAsync({ type: 'uint8array' });
    };
    // The page's own rules and its template's together past MAX_RULES: that page is read without tables, the next not.
    const a = await readOfdPages(await withTemplate(2, MAX_RULES - 10, 11));
    expect(a.pages.map((p) => p.rules?.length)).toEqual([undefined, MAX_RULES - 10]);
    expect(a.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('on page 1:')]);
    // 20,000 rules a page: 50 pages read them (a million), the later ones not, and the diagnostic names those.
    const b = await readOfdPages(await withTemplate(53, MAX_RULES));
    expect(b.pages.map((p) => p.rules?.length ?? 0)).toEqual([...Array.from({ length: 50 }, () => MAX_RULES), 0, 0, 0]);
    expect(b.diagnostics).toEqual([{ code: 'XUNSHI_OFD_TABLES_SKIPPED', message: expect.stringContaining('on pages 51–53:') }]);
  });

  it('stops reading a path of millions of commands at the page\'s budget, and a page of a million empty paths too', async () => {
    // A million commands that draw no rule (moves): read up to MAX_PATH_COMMANDS, then the page gives up its rules.
    const moves = `<ofd:PathObject ID="7" Boundary="0 0 10 10"><ofd:AbbreviatedData>${'M 1 1 '.repeat(1_000_000)}</ofd:AbbreviatedData></ofd:PathObject>`;
    expect(moves.length).toBeLessThan(MAX_PATH_DATA_CHARS);
    const a = await readOfdPages(await ofdOfPages([{ width: W, height: H, items }], [moves]));
    expect(a.pages[0]!.rules).toBeUndefined();
    expect(a.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_OFD_TABLES_SKIPPED']);
    // Path data longer than MAX_PATH_DATA_CHARS is not kept: the page gives up its rules before reading it.
    const spaces = `<ofd:PathObject ID="7" Boundary="0 0 10 10"><ofd:AbbreviatedData>M 0 0 L 10 0${' '.repeat(MAX_PATH_DATA_CHARS)}</ofd:AbbreviatedData></ofd:PathObject>`;
    expect((await readOfdPages(await ofdOfPages([{ width: W, height: H, items }], [spaces]))).pages[0]!.rules).toBeUndefined();
    // Each PathObject counts: more of them than MAX_PATH_COMMANDS, empty, and the page is read without tables.
    const empty = '<ofd:PathObject ID="8" Boundary="0 0 1 1"/>'.repeat(MAX_PATH_COMMANDS + 1);
    expect((await readOfdPages(await ofdOfPages([{ width: W, height: H, items }], [empty]))).pages[0]!.rules).toBeUndefined();
    // Just under the budget, the rule drawn is read.
    const under = `<ofd:PathObject ID="7" Boundary="0 0 10 10"><ofd:AbbreviatedData>${'M 1 1 '.repeat(MAX_PATH_COMMANDS - 3)}M 0 0 L 10 0</ofd:AbbreviatedData></ofd:PathObject>`;
    expect((await readOfdPages(await ofdOfPages([{ width: W, height: H, items }], [under]))).pages[0]!.rules).toHaveLength(1);
  });
});

const chromium = findChromium();
const pdfReady = chromium !== undefined && hasCjkFont();

describe('OFD ruled tables against a PDF printed by Chromium', () => {
  it.skipIf(!pdfReady)('an OFD of the PDF\'s runs and rules reads the same rows: a ledger over pages, rows set without space between them, a merged cell', async () => {
    const problems = ['干部选拔任用工作不规范，干部档案管理混乱', '违规发放津贴补贴', '落实中央八项规定精神不到位，公务接待超标准', '基层党组织建设薄弱，“三会一课”制度落实不严格', '意识形态工作责任制落实不到位'];
    const measures = ['开展专项审核，建立档案审核制度', '全部清退，追究相关责任人责任', '修订公务接待管理办法，严格执行接待标准并定期公开', '制定组织生活计划，逐月检查', '召开专题会议研究部署'];
    const rows: string[][] = [];
    for (let k = 0; k < 30; k++) rows.push([String(k + 1), problems[k % 5]!, measures[(k + 2) % 5]!, `${['县财政局', '县人社局', '县教育局'][k % 3]}`]);
    const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const body = rows.map((r, i) => `<tr>${r.map((c, j) => (i === 5 && j === 3 ? '' : `<td${i === 4 && j === 3 ? ' rowspan="2"' : ''}>${esc(c)}</td>`)).join('')}</tr>`).join('');
    // No vertical padding and the line height of the text: a row's last line and the next row's first are as far apart
    // as two lines of one cell.
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:A4;margin:20mm} body{font-family:'WenQuanYi Micro Hei';font-size:12pt} p{margin:0} table{border-collapse:collapse;font-size:10.5pt;line-height:1.4} td,th{border:0.75pt solid #000;padding:0 3pt;vertical-align:top} td:nth-child(2),td:nth-child(3){width:14em}</style></head><body><p>二、整改落实情况台账</p><table><thead><tr><th>序号</th><th>问题</th><th>整改措施</th><th>责任单位</th></tr></thead><tbody>${body}<tr><td colspan="4">以上问题整改情况每月通报一次。</td></tr></tbody></table></body></html>`;
    const pdfBytes = printPdf(chromium!, html);
    const pages = await pdfPages(pdfBytes);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.every((p) => p.rules.length > 0)).toBe(true);
    const pdf = rowsOf(await extractPdf(pdfBytes));
    // The table's rows, as the PDF reader reads them: the title, the header once, 30 rows (the merged cell once, in
    // row 5), the closing row across the table (a line of it, not a row).
    expect(pdf).toEqual([['body:二、整改落实情况台账'], ['序号', '问题', '整改措施', '责任单位'], ...rows.map((r, i) => (i === 5 ? r.slice(0, 3) : r)), ['body:以上问题整改情况每月通报一次。']]);
    const ofdBytes = await ofdOfPages(
      pages.map((p) => ({ width: p.width, height: p.height, items: p.items })),
      pages.map((p) => ofdRules(p.rules, 'line', p.height)),
    );
    expect(rowsOf(await extractOfd(ofdBytes))).toEqual(pdf);
  });
});
