import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEnumeration } from '../packages/document/src/index.js';
import { ERROR_CODES, REPORT_SCHEMA, analyzeFiles, createAnalyzer, type Report } from 'xunshi';
import { runMain } from './support/run-main.js';
import { findChromium, hasCjkFont, makeDocx, makeImageOnlyPdf, makeMhtml, makeOfd, makeRtf, makeWordBinary, makeXlsx, encodeGb18030, printPdf } from '../packages/document/test/support/fixtures.js';
import { makeXls } from '../packages/document/test/support/xls-fixtures.js';
import { ofdOfPdf } from '../packages/document/test/support/layout-pages.js';
import { listStyle, makeFodt, makeOdt, odfText, odtBody } from '../packages/document/test/support/odt-fixtures.js';
import { outline } from './support/outline.js';
import { REPO_DIR } from './support/shared.js';

/** The project's own sample reports (never third-party text). */
const SAMPLES = ['tuning/feedback-02.txt', 'tuning/rectification-01.txt', 'tuning/analysis-01.txt', 'held-out/feedback-h01.txt'];
const chromium = findChromium();
const pdfReady = chromium !== undefined && hasCjkFont();
if (!pdfReady) console.warn(`skipped: the PDF variants need headless Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei); found chromium=${chromium ?? 'none'}`);

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');


/** The same report as Markdown (`#` headings or none, a blank line between paragraphs), HTML (h1–h6 and p) and docx (heading styles). */
function variants(text: string): { md: string; plainMd: string; richMd: string; html: string; blocks: Parameters<typeof makeDocx>[0]; plainHtml: string; twoColumnHtml: string; docParagraphs: string[]; ofdParagraphs: Parameters<typeof makeOfd>[0] } {
  const lines = outline(text);
  const md = lines.map((l) => (l.level ? `${'#'.repeat(l.level)} ${l.line.trim()}` : l.line)).join('\n\n') + '\n';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>sample</title></head><body><nav>首页 &gt; 巡视工作</nav>${lines.map((l) => (l.level ? `<h${l.level}>${esc(l.line)}</h${l.level}>` : `<p>${esc(l.line)}</p>`)).join('\n')}<footer>版权所有</footer></body></html>`;
  const blocks = lines.map((l) => (l.level ? { text: l.line.trim(), style: `Heading${l.level}` } : { text: l.line }));
  const plainHtml = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei';font-size:12pt} p{margin:0;text-indent:2em}</style></head><body>${lines.map((l) => `<p>${esc(l.line.trim())}</p>`).join('\n')}</body></html>`;
  // The same printed in two columns (CSS columns, 14 pt so that a report runs onto a second page), the title set
  // centred across both columns above them, as a journal prints an analytic article.
  const twoColumnHtml = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei';font-size:14pt;column-count:2;column-gap:2em} p{margin:0;text-indent:2em} h1{column-span:all;text-align:center;font-size:18pt;font-weight:normal;margin:0 0 1em}</style></head><body>${lines.map((l, i) => (i === 0 ? `<h1>${esc(l.line.trim())}</h1>` : `<p>${esc(l.line.trim())}</p>`)).join('\n')}</body></html>`;
  // What a converter writes for typed numbering (一、 typed, not a heading style): paragraphs only, no `#`.
  const plainMd = lines.map((l) => l.line).join('\n\n') + '\n';
  // The same with inline markup in the middle of words: bold, a link, an inline tag, an escape.
  const marks = [(w: string) => `**${w}**`, (w: string) => `[${w}](https://example.cn/a.html)`, (w: string) => `<span class="x">${w}</span>`, (w: string) => `*${w}*`];
  const richMd = lines
    .map((l, i) => {
      const t = l.line;
      const lead = t.length - t.trimStart().length;
      if (t.length - lead < 8 || /[*_[\]<>`\\]/.test(t)) return t;
      const a = lead + 3;
      return t.slice(0, a) + marks[i % marks.length]!(t.slice(a, a + 3)) + t.slice(a + 3);
    })
    .join('\n\n') + '\n';
  // A Word 97 binary (.doc) of typed paragraphs: it has no styles, so the outline comes from the typed numbering.
  const docParagraphs = lines.map((l) => l.line);
  // An OFD typeset like a 公文: the title larger and centred, each paragraph indented two characters and wrapped.
  const ofdParagraphs = lines.map((l, i) => (i === 0 ? { text: l.line, title: true } : l.line));
  return { md, plainMd, richMd, html, blocks, plainHtml, twoColumnHtml, docParagraphs, ofdParagraphs };
}

/** The levels of a 公文's multilevel list in Word: the marker each writes, its format and its level text. */
const LIST_LEVELS = [
  { marker: /^[一二三四五六七八九十]+、$/, fmt: 'chineseCounting', text: '%1、' },
  { marker: /^（[一二三四五六七八九十]+）$/, fmt: 'chineseCounting', text: '（%2）' },
  { marker: /^[0-9]+\.$/, fmt: 'decimal', text: '%3.' },
  { marker: /^（[0-9]+）$/, fmt: 'decimal', text: '（%4）' },
];

/**
 * The same report with Word's automatic numbering: each line that starts with 一、 （一） 1. or （1） becomes a paragraph
 * of one multilevel list without its typed number. `linked`: heading lines take the number from their heading style
 * (Heading 1–4 linked to the list's levels, as Word's multilevel list dialog writes them), other headings take numId 0;
 * otherwise every numbered line has its own `w:numPr`. Where the typed number is not the one Word would count, a new
 * `w:num` with a `w:startOverride` sets it, as Word's "Set Numbering Value" does.
 */
function autoNumbered(text: string, linked: boolean): { blocks: Parameters<typeof makeDocx>[0]; options: Parameters<typeof makeDocx>[1]; numbered: number } {
  const levels = LIST_LEVELS.map((l, i) => `<w:lvl w:ilvl="${i}"><w:start w:val="1"/><w:numFmt w:val="${l.fmt}"/>${linked ? `<w:pStyle w:val="Heading${i + 1}"/>` : ''}<w:lvlText w:val="${l.text}"/><w:lvlJc w:val="left"/></w:lvl>`).join('');
  const nums = ['<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'];
  let numId = 1;
  let numbered = 0;
  const counters: (number | undefined)[] = [];
  const blocks = outline(text).map((l) => {
    const line = l.line.trim();
    const e = detectEnumeration(line);
    const level = e ? LIST_LEVELS.findIndex((d) => d.marker.test(e.marker)) : -1;
    const heading = l.level ? { style: `Heading${l.level}` } : {};
    if (!e || level < 0) return linked && l.level ? { text: line, ...heading, numbering: { numId: 0 } } : l.level ? { text: line, ...heading } : { text: l.line };
    numbered++;
    const counted = (counters[level] ?? 0) + 1;
    counters[level] = e.ordinal;
    counters.length = level + 1;
    let own = false;
    if (counted !== e.ordinal) {
      nums.push(`<w:num w:numId="${++numId}"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="${level}"><w:startOverride w:val="${e.ordinal}"/></w:lvlOverride></w:num>`);
      own = true;
    }
    const rest = line.slice(e.marker.length);
    if (linked && l.level === level + 1 && !own) return { text: rest, style: `Heading${level + 1}` };
    return { text: rest, ...heading, numbering: { numId, ilvl: level } };
  });
  const options = {
    numbering: `<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="multilevel"/>${levels}</w:abstractNum>${nums.join('')}`,
    ...(linked ? { headingNumbering: { 1: { numId: 1 }, 2: { numId: 1, ilvl: 1 }, 3: { numId: 1, ilvl: 2 }, 4: { numId: 1, ilvl: 3 } } } : {}),
  };
  return { blocks, options, numbered };
}

/** The 公文 multilevel list as an OpenDocument list style: 一、 （一） 1. （1）. */
const ODT_LIST = listStyle('L1', [{ format: '一, 二, 三, ...', suffix: '、' }, { format: '一, 二, 三, ...', prefix: '（', suffix: '）' }, { format: '1', suffix: '.' }, { format: '1', prefix: '（', suffix: '）' }]);

/**
 * The same report as an OpenDocument text whose numbers come from the list style, as LibreOffice writes one: each line
 * that starts with 一、 （一） 1. or （1） becomes an item of the list at its level (a heading line a `text:h` in it), in
 * a `text:list` of its own that continues the numbering (`text:continue-numbering`, as LibreOffice writes lists
 * interrupted by paragraphs), nested in empty items down to its level; where the typed number is not the one counted,
 * the item's `text:start-value` sets it.
 */
function odtNumbered(text: string): { body: string; numbered: number } {
  let numbered = 0;
  const counters: (number | undefined)[] = [];
  const body = outline(text)
    .map((l) => {
      const line = l.line.trim();
      const e = detectEnumeration(line);
      const level = e ? LIST_LEVELS.findIndex((d) => d.marker.test(e.marker)) : -1;
      if (!e || level < 0) return odtBody([l.level ? { text: line, level: l.level } : { text: l.line }]);
      numbered++;
      const counted = (counters[level] ?? 0) + 1;
      counters[level] = e.ordinal;
      counters.length = level + 1;
      const rest = odfText(line.slice(e.marker.length));
      const para = l.level ? `<text:h text:style-name="Heading_20_${l.level}" text:outline-level="${l.level}">${rest}</text:h>` : `<text:p text:style-name="Text_20_body">${rest}</text:p>`;
      const start = counted !== e.ordinal ? ` text:start-value="${e.ordinal}"` : '';
      let inner = `<text:list-item${start}>${para}</text:list-item>`;
      for (let k = 0; k < level; k++) inner = `<text:list-item><text:list>${inner}</text:list></text:list-item>`;
      return `<text:list text:style-name="L1" text:continue-numbering="true">${inner}</text:list>`;
    })
    .join('');
  return { body, numbered };
}

/** What must not change between formats: each unit's text, function, categories and root causes. */
function labels(report: Report): string[] {
  return report.passages.map((p) => [p.text, p.function, p.categories.map((c) => c.subcategory ?? c.id).join(','), p.rootCauses.map((r) => r.id).join(',')].join(' | '));
}

function expectOffsetsHold(report: Report): void {
  const text = report.source.text;
  expect(typeof text).toBe('string');
  for (const p of report.passages) {
    expect(text!.slice(p.start, p.end)).toBe(p.text);
    for (const c of p.categories) for (const e of c.evidence) expect(text!.slice(e.start, e.end)).toBe(e.text);
    for (const f of p.facts) expect(text!.slice(f.start, f.end)).toBe(f.text);
  }
}

describe('the same report as .txt, .md, .docx, .html, .pdf and .ofd', () => {
  const analyzer = createAnalyzer();
  const validate = new Ajv({ allErrors: true, strict: false }).compile(REPORT_SCHEMA);
  for (const sample of SAMPLES) {
    it(`${sample}: same units, functions, categories and root causes`, async () => {
      const bytes = readFileSync(`${REPO_DIR}corpus/${sample}`);
      const text = new TextDecoder().decode(bytes);
      const v = variants(text);
      const txt = await analyzer.analyzeAsync(bytes, { path: 'r.txt' });
      const expected = labels(txt);
      expect(expected.length).toBeGreaterThan(10);
      const md = await analyzer.analyzeAsync(new TextEncoder().encode(v.md), { path: 'r.md' });
      const html = await analyzer.analyzeAsync(new TextEncoder().encode(v.html), { path: 'r.html' });
      const docx = await analyzer.analyzeAsync(await makeDocx(v.blocks), { path: 'r.docx' });
      expect(labels(md)).toEqual(expected);
      const plainMd = await analyzer.analyzeAsync(new TextEncoder().encode(v.plainMd), { path: 'r.md' });
      expect(labels(plainMd)).toEqual(expected);
      expect(plainMd.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
      // Inline markup inside words is read past: the same labels, every range still a slice of the Markdown file.
      const richMd = await analyzer.analyzeAsync(new TextEncoder().encode(v.richMd), { path: 'r.md' });
      const withoutText = (r: Report): string[] => labels(r).map((l) => l.slice(l.indexOf(' | ')));
      expect(withoutText(richMd)).toEqual(withoutText(txt));
      for (const p of richMd.passages) {
        expect(v.richMd.slice(p.start, p.end)).toBe(p.text);
        for (const c of p.categories) for (const e of c.evidence) expect(v.richMd.slice(e.start, e.end)).toBe(e.text);
        for (const f of p.facts) expect(v.richMd.slice(f.start, f.end)).toBe(f.text);
      }
      expect(labels(html)).toEqual(expected);
      // Saved as a web archive, by Chromium/Edge (UTF-8, quoted-printable, images after the page) and by Word (GB2312 by
      // the part's header, renamed .doc as some sites serve it): the page's units and labels.
      const image = { type: 'image/png', body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x3d, 0x0a]), encoding: 'base64' as const, location: 'https://www.example.gov.cn/logo.png' };
      const mht = await analyzer.analyzeAsync(makeMhtml({ type: 'text/html', body: v.html, location: 'https://www.example.gov.cn/a.html' }, { parts: [image] }), { path: 'r.mhtml' });
      expect(mht.source.format).toBe('mhtml');
      expect(labels(mht)).toEqual(expected);
      expect(mht.source.text).toBe(html.source.text);
      const gbPage = encodeGb18030(v.html.replace('<meta charset="utf-8">', ''));
      const wordMht = await analyzer.analyzeAsync(makeMhtml({ type: 'text/html; charset="gb2312"', body: gbPage }, { style: 'word' }), { path: 'r.doc' });
      expect(wordMht.source.format).toBe('mhtml');
      expect(wordMht.source.encoding).toBe('gb18030');
      expect(labels(wordMht)).toEqual(expected);
      expect(labels(docx)).toEqual(expected);
      // Saved as RTF by Word (GB2312 bytes, heading styles with outline levels) and by WPS (\uN characters), and an RTF
      // under a .doc name: the .txt's units, labels and heading paths.
      for (const [style, outline, path] of [['word', true, 'r.rtf'], ['wps', false, 'r.doc']] as const) {
        const rtf = await analyzer.analyzeAsync(makeRtf(v.blocks, { style, outline }), { path });
        expect(rtf.source.format).toBe('rtf');
        expect(labels(rtf)).toEqual(expected);
        expect(rtf.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
        expectOffsetsHold(rtf);
        expect(validate(JSON.parse(JSON.stringify(rtf))) ? [] : validate.errors).toEqual([]);
      }
      // Pasted into a workbook a line a row (column A), as reports are kept in a sheet: the .txt's units and labels.
      const xlsx = await analyzer.analyzeAsync(await makeXlsx([{ name: 'Sheet1', rows: v.docParagraphs.map((l) => [l]) }]), { path: 'r.xlsx' });
      expect(xlsx.source.format).toBe('xlsx');
      expect(labels(xlsx)).toEqual(expected);
      expect(xlsx.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
      expectOffsetsHold(xlsx);
      // The same as an Excel 97–2003 workbook, strings in the shared string table (and in Excel 95's byte strings).
      for (const biff5 of [false, true]) {
        const xls = await analyzer.analyzeAsync(makeXls([{ name: 'Sheet1', rows: v.docParagraphs.map((l) => [l]) }], { biff5, maxRecord: 200 }), { path: 'r.xls' });
        expect(xls.source.format).toBe('xls');
        expect(labels(xls)).toEqual(expected);
        expect(xls.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
        expectOffsetsHold(xls);
        expect(validate(JSON.parse(JSON.stringify(xls))) ? [] : validate.errors).toEqual([]);
      }
      const doc = await analyzer.analyzeAsync(makeWordBinary(v.docParagraphs), { path: 'r.doc' });
      expect(labels(doc)).toEqual(expected);
      expect(doc.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
      expect(doc.source.format).toBe('doc');
      // Word's automatic numbering, on each paragraph or through the heading styles, reads as the typed numbers.
      for (const linked of [false, true]) {
        const auto = autoNumbered(text, linked);
        if (/^\s*[一二三]、/m.test(text)) expect(auto.numbered).toBeGreaterThan(2);
        const numbered = await analyzer.analyzeAsync(await makeDocx(auto.blocks, auto.options), { path: 'n.docx' });
        expect(labels(numbered)).toEqual(expected);
        expect(numbered.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
        expect(numbered.source.text).toBe(docx.source.text);
      }
      // As an OpenDocument text (headings by outline level), flat too, and with LibreOffice's automatic numbering from
      // the list style: the .txt's units, labels and heading paths, and the docx's text.
      const odtBlocks = outline(text).map((l) => (l.level ? { text: l.line.trim(), level: l.level } : { text: l.line }));
      const odt = await analyzer.analyzeAsync(await makeOdt(odtBody(odtBlocks)), { path: 'r.odt' });
      const fodt = await analyzer.analyzeAsync(makeFodt(odtBody(odtBlocks)), { path: 'r.fodt' });
      const numberedOdt = odtNumbered(text);
      if (/^\s*[一二三]、/m.test(text)) expect(numberedOdt.numbered).toBeGreaterThan(2);
      const autoOdt = await analyzer.analyzeAsync(await makeOdt(numberedOdt.body, { automaticStyles: ODT_LIST }), { path: 'n.odt' });
      for (const r of [odt, fodt, autoOdt]) {
        expect(r.source.format).toBe('odt');
        expect(labels(r)).toEqual(expected);
        expect(r.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
        expect(r.source.text).toBe(docx.source.text);
        expectOffsetsHold(r);
        expect(validate(JSON.parse(JSON.stringify(r))) ? [] : validate.errors).toEqual([]);
      }
      for (const r of [html, mht, wordMht, docx, doc]) {
        expectOffsetsHold(r);
        expect(validate(JSON.parse(JSON.stringify(r))) ? [] : validate.errors).toEqual([]);
      }
      expect(html.source.format).toBe('html');
      expect(docx.source.format).toBe('docx');
      expect(txt.source.text).toBeUndefined();
      // OFD: text objects of a few characters, TextCodes placed by DeltaX (with its g shorthand), some through a CTM,
      // a template page's header on every page, page numbers, an image and a path on each page; laid out as a PDF.
      const ofd = await analyzer.analyzeAsync(await makeOfd(v.ofdParagraphs, { header: '青溪市巡视整改工作简报', ctmEvery: 3 }), { path: 'r.ofd' });
      expect(labels(ofd)).toEqual(expected);
      expect(ofd.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
      expect(ofd.source.format).toBe('ofd');
      expect(ofd.source.pages).toBeGreaterThanOrEqual(2);
      expect(ofd.source.text).not.toContain('青溪市巡视整改工作简报');
      expectOffsetsHold(ofd);
      expect(validate(JSON.parse(JSON.stringify(ofd))) ? [] : validate.errors).toEqual([]);
      // Set in two columns under a title across both, it is read column by column by the PDF reader's column code.
      const ofdColumns = await analyzer.analyzeAsync(await makeOfd(v.ofdParagraphs, { columns: 2, header: '青溪市巡视整改工作简报' }), { path: 'c.ofd' });
      expect(labels(ofdColumns)).toEqual(expected);
      expect(ofdColumns.passages.map((p) => p.headingPath)).toEqual(txt.passages.map((p) => p.headingPath));
      if (pdfReady) {
        const pdf = await analyzer.analyzeAsync(printPdf(chromium!, v.plainHtml), { path: 'r.pdf' });
        expect(labels(pdf)).toEqual(expected);
        expectOffsetsHold(pdf);
        expect(pdf.source.pages).toBeGreaterThanOrEqual(1);
        for (const p of pdf.passages) expect(p.page).toBeGreaterThanOrEqual(1);
        expect(validate(JSON.parse(JSON.stringify(pdf))) ? [] : validate.errors).toEqual([]);
        // Set in two columns, it is read column by column: the same units and labels, not lines across the columns.
        const columns = await analyzer.analyzeAsync(printPdf(chromium!, v.twoColumnHtml), { path: 'c.pdf' });
        expect(labels(columns)).toEqual(expected);
        expectOffsetsHold(columns);
      }
    });
  }
  it.skipIf(chromium === undefined)('a page Chromium saves as a web archive (Page.captureSnapshot) gives the page\'s units and labels', { timeout: 120_000 }, async () => {
    const v = variants(readFileSync(`${REPO_DIR}corpus/${SAMPLES[0]}`, 'utf8'));
    const { chromium: browserType } = await import('playwright-core');
    const browser = await browserType.launch({ executablePath: chromium!, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    let mhtml: string;
    try {
      const page = await browser.newPage();
      // An iframe as pages embed share bars: Chromium saves it as a second HTML part, which is not read.
      await page.setContent(v.html.replace('</body>', '<iframe srcdoc="<p>分享到微信</p>"></iframe></body>'));
      const cdp = await page.context().newCDPSession(page);
      mhtml = ((await cdp.send('Page.captureSnapshot', { format: 'mhtml' })) as { data: string }).data;
    } finally {
      await browser.close();
    }
    const html = await analyzer.analyzeAsync(new TextEncoder().encode(v.html), { path: 'r.html' });
    const saved = await analyzer.analyzeAsync(Buffer.from(mhtml, 'latin1'), { path: 'r.mhtml' });
    expect(saved.source.format).toBe('mhtml');
    expect(labels(saved)).toEqual(labels(html));
    expect(saved.diagnostics.map((d) => d.code)).toContain('XUNSHI_MHTML_FRAMES_SKIPPED');
  });
  it('the synchronous analyze() reads html but refuses docx with a usage error naming analyzeAsync', async () => {
    const html = analyzer.analyze(new TextEncoder().encode('<p>选人用人不规范。</p>'), { path: 'a.htm' });
    expect(html.passages.map((p) => p.text)).toEqual(['选人用人不规范。']);
    expect(html.source.text).toBe('选人用人不规范。');
    const docx = await makeDocx([{ text: '选人用人不规范。' }]);
    expect(() => analyzer.analyze(docx, { path: 'a.docx' })).toThrow(expect.objectContaining({ code: ERROR_CODES.USAGE, message: expect.stringMatching(/analyzeAsync/) }));
    expect((await analyzer.analyzeAsync(docx, { path: 'a.docx' })).passages.map((p) => p.text)).toEqual(['选人用人不规范。']);
  });
});

/** The project's rectification samples, whose sentences fill a 台账 (rectification ledger). */
const LEDGER_SAMPLES = ['tuning/rectification-01.txt', 'tuning/rectification-03.txt', 'held-out/rectification-h01.txt'];
const UNITS = ['县纪委监委', '县委组织部', '县财政局', '县委巡察办', '县审计局'];

/** How a ledger's table is drawn: every cell ruled, no rules at all, or a 三线表 (rules above and under the header, and below). */
type LedgerStyle = 'ruled' | 'borderless' | 'three-line';

/**
 * A 台账 built from a sample's sentences: its title and first paragraph, a numbered heading, then rows of 序号 | 问题 |
 * 整改措施 | 责任单位 | 完成时限 | 进展情况 (a sentence or two a cell, so that cells wrap onto several lines), and the
 * sample's last paragraph after the table. `merged`: one 责任单位 spans two rows and a closing row spans all columns.
 */
function ledger(text: string, merged: boolean, style: LedgerStyle = 'ruled'): { html: string; blocks: Parameters<typeof makeDocx>[0] } {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const sentences = lines.slice(2).filter((l) => detectEnumeration(l) === undefined).flatMap((l) => l.match(/[^。！？]+[。！？]/g) ?? []);
  const head = ['序号', '问题', '整改措施', '责任单位', '完成时限', '进展情况'];
  const rows: string[][] = [];
  // 24 rows: the sentences in turn (again from the first when they run out), so that the table runs over pages.
  const at = (i: number): string => sentences[i % sentences.length]!;
  for (let k = 0; k < 24; k++) rows.push([String(k + 1), at(3 * k), at(3 * k + 1), UNITS[k % UNITS.length]!, `2024年${(k % 12) + 1}月底前`, at(3 * k + 2)]);
  const cell = (tag: string, s: string, attrs = ''): string => `<${tag}${attrs}>${esc(s)}</${tag}>`;
  const body = rows
    .map((r, i) => {
      if (merged && i === 2) return `<tr>${r.map((c, j) => cell('td', c, j === 3 ? ' rowspan="2"' : '')).join('')}</tr>`;
      if (merged && i === 3) return `<tr>${r.map((c, j) => (j === 3 ? '' : cell('td', c))).join('')}</tr>`;
      return `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`;
    })
    .join('\n');
  const closing = merged ? `<tr>${cell('td', '以上问题整改情况由县委巡察办统一调度，每月通报一次。', ' colspan="6"')}</tr>` : '';
  const heading = '二、巡察反馈问题整改落实情况台账';
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei';font-size:12pt} p{margin:0;text-indent:2em} table{border-collapse:collapse;font-size:10.5pt} td,th{border:${style === 'ruled' ? '1px solid #000' : 'none'};padding:2pt 3pt;vertical-align:top;text-align:left}${style === 'three-line' ? ' thead tr{border-top:1.5pt solid #000;border-bottom:0.75pt solid #000} tbody tr:last-child{border-bottom:1.5pt solid #000}' : ''}</style></head><body>
<p>${esc(lines[0]!)}</p><p>${esc(lines[1]!)}</p><p>${esc(heading)}</p>
<table><thead><tr>${head.map((h) => cell('th', h)).join('')}</tr></thead><tbody>
${body}
${closing}</tbody></table>
<p>${esc(lines[lines.length - 1]!)}</p></body></html>`;
  const blocks = [{ text: lines[0]! }, { text: lines[1]! }, { text: heading }, { table: [head, ...rows] }, { text: lines[lines.length - 1]! }];
  return { html, blocks };
}

describe('a rectification ledger (台账) without vertical rules in .pdf, read as the HTML it was printed from', () => {
  const analyzer = createAnalyzer();
  for (const sample of LEDGER_SAMPLES) {
    it.skipIf(!pdfReady)(`${sample}: a borderless table and a 三线表 give the HTML read's units, labels and headings`, async () => {
      const text = readFileSync(`${REPO_DIR}corpus/${sample}`, 'utf8');
      for (const style of ['borderless', 'three-line'] as const) {
        const v = ledger(text, false, style);
        const html = await analyzer.analyzeAsync(new TextEncoder().encode(v.html), { path: 'l.html' });
        const pdf = await analyzer.analyzeAsync(printPdf(chromium!, v.html), { path: 'l.pdf' });
        expect(pdf.source.pages).toBeGreaterThanOrEqual(2);
        expect(labels(pdf)).toEqual(labels(html));
        expect(pdf.passages.map((p) => p.headingPath)).toEqual(html.passages.map((p) => p.headingPath));
        expectOffsetsHold(pdf);
      }
    });
  }
});

describe('a rectification ledger (台账) as a ruled table in .html, .docx, .pdf and .ofd', () => {
  const analyzer = createAnalyzer();
  for (const sample of LEDGER_SAMPLES) {
    it.skipIf(!pdfReady)(`${sample}: the PDF, and the OFD of its pages, give the table's rows and cells, with the units, labels and headings of the HTML and docx reads`, async () => {
      const text = readFileSync(`${REPO_DIR}corpus/${sample}`, 'utf8');
      for (const merged of [false, true]) {
        const v = ledger(text, merged);
        const html = await analyzer.analyzeAsync(new TextEncoder().encode(v.html), { path: 'l.html' });
        const expected = labels(html);
        expect(expected.length).toBeGreaterThan(100);
        // The table runs over pages, its header row printed again on each.
        const pdfBytes = printPdf(chromium!, v.html);
        const pdf = await analyzer.analyzeAsync(pdfBytes, { path: 'l.pdf' });
        expect(pdf.source.pages).toBeGreaterThanOrEqual(2);
        expect(labels(pdf)).toEqual(expected);
        expect(pdf.passages.map((p) => p.headingPath)).toEqual(html.passages.map((p) => p.headingPath));
        expectOffsetsHold(pdf);
        expect(pdf.passages.filter((p) => p.headingPath.includes('二、巡察反馈问题整改落实情况台账')).length).toBeGreaterThan(40);
        // The OFD of the same pages (the PDF's runs as text objects, its rules as path objects) reads as the PDF.
        const ofd = await analyzer.analyzeAsync(await ofdOfPdf(pdfBytes), { path: 'l.ofd' });
        expect(ofd.source.format).toBe('ofd');
        expect(labels(ofd)).toEqual(expected);
        expect(ofd.passages.map((p) => p.headingPath)).toEqual(html.passages.map((p) => p.headingPath));
        expectOffsetsHold(ofd);
        if (!merged) {
          const docx = await analyzer.analyzeAsync(await makeDocx(v.blocks), { path: 'l.docx' });
          expect(labels(docx)).toEqual(expected);
          expect(docx.passages.map((p) => p.headingPath)).toEqual(html.passages.map((p) => p.headingPath));
          const odt = await analyzer.analyzeAsync(await makeOdt(odtBody(v.blocks)), { path: 'l.odt' });
          expect(labels(odt)).toEqual(expected);
          expect(odt.passages.map((p) => p.headingPath)).toEqual(html.passages.map((p) => p.headingPath));
        }
      }
    });
  }
});

describe('batch and CLI with mixed formats', () => {
  let dir: string;
  const run = runMain;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xunshi-formats-'));
    const text = readFileSync(`${REPO_DIR}corpus/tuning/feedback-02.txt`, 'utf8');
    const v = variants(text);
    writeFileSync(join(dir, 'a.txt'), text);
    writeFileSync(join(dir, 'b.html'), v.html);
    writeFileSync(join(dir, 'c.docx'), await makeDocx(v.blocks));
    writeFileSync(join(dir, 'd.htm'), encodeGb18030(`<html><head><meta charset="gb2312"></head><body><p>巡视发现，该单位违规发放津贴补贴共计12.5万元。</p></body></html>`));
    writeFileSync(join(dir, 'e.doc'), await makeDocx([{ text: '整改责任落实不到位。' }]));
    writeFileSync(join(dir, 'f.pdf'), makeImageOnlyPdf());
    writeFileSync(join(dir, 'g.docx'), new Uint8Array());
    writeFileSync(join(dir, 'h.docx'), (await makeDocx([{ text: '巡视。' }])).subarray(0, 100));
    writeFileSync(join(dir, 'i.doc'), makeWordBinary(v.docParagraphs));
    writeFileSync(join(dir, 'j.wps'), makeWordBinary(['一、存在的问题', '整改责任落实不到位。']));
    writeFileSync(join(dir, 'k.doc'), makeWordBinary(['秘密'], { flags: 0x1300 }));
    writeFileSync(join(dir, 'l.ofd'), await makeOfd(v.ofdParagraphs, { header: '青溪市巡视整改工作简报' }));
    writeFileSync(join(dir, 'm.ofd'), await makeDocx([{ text: '整改责任落实不到位。' }]));
    writeFileSync(join(dir, 'n.xls'), makeXls([{ name: 'Sheet1', rows: v.docParagraphs.map((l) => [l]) }]));
    writeFileSync(join(dir, 'o.et'), makeXls([{ name: '台账', rows: [['问题', '整改措施'], ['违规发放津贴补贴18.5万元。', '全额清退。']] }]));
    const odtBlocks = outline(text).map((l) => (l.level ? { text: l.line.trim(), level: l.level } : { text: l.line }));
    writeFileSync(join(dir, 'p.odt'), await makeOdt(odtBody(odtBlocks)));
    writeFileSync(join(dir, 'q.fodt'), makeFodt(odtBody([{ text: '整改责任落实不到位。' }])));
    writeFileSync(join(dir, 'r.odt'), await makeOdt(odtBody([{ text: '秘密。' }]), { encrypted: true }));
  });
  const EXPECTED = [
    'a.txt:text',
    'b.html:html',
    'c.docx:docx',
    'd.htm:html',
    'e.doc:docx',
    `f.pdf:${ERROR_CODES.INPUT_NO_TEXT}`,
    `g.docx:${ERROR_CODES.INPUT_EMPTY}`,
    `h.docx:${ERROR_CODES.INPUT_TRUNCATED}`,
    'i.doc:doc',
    'j.wps:doc',
    `k.doc:${ERROR_CODES.INPUT_ENCRYPTED}`,
    'l.ofd:ofd',
    `m.ofd:${ERROR_CODES.INPUT_CORRUPT}`,
    'n.xls:xls',
    'o.et:xls',
    'p.odt:odt',
    'q.fodt:odt',
    `r.odt:${ERROR_CODES.INPUT_ENCRYPTED}`,
  ];
  afterAll(() => (process.env.XUNSHI_KEEP_FIXTURES ? console.log('kept', dir) : rmSync(dir, { recursive: true, force: true })));

  it('analyzeFiles reads every format and turns the broken ones into error entries, nothing else lost', async () => {
    const seen: string[] = [];
    // In-process the calling thread analyses (jobs 1); worker threads are exercised through the CLI below.
    const result = await analyzeFiles([dir], (r) => seen.push(`${r.path.slice(dir.length + 1)}:${'report' in r ? r.report.source.format : r.error.code}`), { jobs: 1 });
    expect(seen).toEqual(EXPECTED);
    expect(result).toEqual({ analysed: 12, failed: 6, aborted: false });
  });
  it('worker threads (--jobs 2) give the same results as one thread', { timeout: 240_000 }, () => {
    const run = spawnSync(process.execPath, [join(REPO_DIR, 'packages/xunshi/bin/xunshi.js'), 'analyze', dir, '--format', 'jsonl', '--jobs', '2', '--quiet'], { encoding: 'utf8', timeout: 200_000 });
    expect(run.status).toBe(1);
    const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report | { error: { path: string; code: string } });
    expect(rows.map((r) => ('error' in r ? `${r.error.path.slice(dir.length + 1)}:${r.error.code}` : `${r.source.path!.slice(dir.length + 1)}:${r.source.format}`))).toEqual(EXPECTED);
  });
  it('jsonl, json, csv and summary outputs carry the new formats', { timeout: 240_000 }, async () => {
    const jsonl = await run(['analyze', dir, '--format', 'jsonl', '--jobs', '1', '--quiet']);
    expect(jsonl.code).toBe(1);
    const rows = jsonl.out.trim().split('\n').map((l) => JSON.parse(l) as Report | { error: { code: string } });
    expect(rows).toHaveLength(EXPECTED.length);
    const docx = rows[2] as Report;
    expect(docx.source.format).toBe('docx');
    for (const p of docx.passages) expect(docx.source.text!.slice(p.start, p.end)).toBe(p.text);
    const outDir = join(dir, 'out');
    expect((await run(['analyze', dir, '--format', 'json', '--out', outDir, '--jobs', '1', '--quiet'])).code).toBe(1);
    expect(readdirSync(outDir).sort()).toEqual(['.xunshi-manifest.json', 'a.json', 'b.json', 'c.json', 'd.json', 'e.json', 'errors.jsonl', 'i.json', 'j.json', 'l.json', 'n.json', 'o.json', 'p.json', 'q.json']);
    expect(JSON.parse(readFileSync(join(outDir, 'o.json'), 'utf8')).source.format).toBe('xls');
    expect(JSON.parse(readFileSync(join(outDir, 'l.json'), 'utf8')).source.format).toBe('ofd');
    expect(JSON.parse(readFileSync(join(outDir, 'p.json'), 'utf8')).source.format).toBe('odt');
    expect(JSON.parse(readFileSync(join(outDir, 'q.json'), 'utf8')).source.format).toBe('odt');
    expect(JSON.parse(readFileSync(join(outDir, 'i.json'), 'utf8')).source.format).toBe('doc');
    expect(JSON.parse(readFileSync(join(outDir, 'd.json'), 'utf8')).source.encoding).toBe('gb18030');
    const csv = await run(['analyze', join(dir, 'c.docx'), join(dir, 'f.pdf'), '--format', 'csv', '--jobs', '1', '--quiet']);
    expect(csv.out).toContain('c.docx');
    expect(csv.out).toContain(ERROR_CODES.INPUT_NO_TEXT);
    const summary = await run(['analyze', dir, '--jobs', '1']);
    expect(summary.out).toMatch(/12/);
    expect(summary.err).toMatch(/f\.pdf: the PDF has 1 page\(s\) but no text layer.*\[XUNSHI_INPUT_NO_TEXT\]/);
    expect(summary.err).toMatch(/h\.docx: .*truncated.*\[XUNSHI_INPUT_TRUNCATED\]/);
    expect(summary.err).toMatch(/r\.odt: the OpenDocument text is password-protected.*\[XUNSHI_INPUT_ENCRYPTED\]/);
  });
  it('web archives in a folder (.mht, .mhtml, a .doc that is one) are read, in process and by worker threads alike', { timeout: 240_000 }, async () => {
    const web = mkdtempSync(join(tmpdir(), 'xunshi-mhtml-'));
    const page = '<html><body><p>一、存在的问题</p><p>选人用人不规范，违规发放津贴补贴共计18万元。</p></body></html>';
    writeFileSync(join(web, 'a.mht'), makeMhtml({ type: 'text/html; charset=gb2312', body: encodeGb18030(page) }, { style: 'word' }));
    writeFileSync(join(web, 'b.mhtml'), makeMhtml({ type: 'text/html', body: page }));
    writeFileSync(join(web, 'c.doc'), makeMhtml({ type: 'text/html', body: page }, { lineBreak: '\n' }));
    writeFileSync(join(web, 'd.mht'), makeMhtml({ type: 'image/png', body: new Uint8Array([1, 2, 3]), encoding: 'base64' }));
    const want = ['a.mht:mhtml', 'b.mhtml:mhtml', 'c.doc:mhtml', `d.mht:${ERROR_CODES.INPUT_CORRUPT}`];
    const seen: string[] = [];
    await analyzeFiles([web], (r) => seen.push(`${r.path.slice(web.length + 1)}:${'report' in r ? r.report.source.format : r.error.code}`), { jobs: 1 });
    expect(seen).toEqual(want);
    const cli = spawnSync(process.execPath, [join(REPO_DIR, 'packages/xunshi/bin/xunshi.js'), 'analyze', web, '--format', 'jsonl', '--jobs', '2', '--quiet'], { encoding: 'utf8', timeout: 200_000 });
    expect(cli.status).toBe(1);
    const rows = cli.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report | { error: { path: string; code: string } });
    expect(rows.map((r) => ('error' in r ? `${r.error.path.slice(web.length + 1)}:${r.error.code}` : `${r.source.path!.slice(web.length + 1)}:${r.source.format}`))).toEqual(want);
    for (const r of rows.slice(0, 3) as Report[]) expect(r.passages.map((p) => p.categories.map((c) => c.id))).toEqual((rows[0] as Report).passages.map((p) => p.categories.map((c) => c.id)));
    const forced = await run(['analyze', join(web, 'b.mhtml'), '--format-in', 'mhtml', '--format', 'jsonl', '--quiet']);
    expect(forced.code).toBe(0);
    expect((JSON.parse(forced.out) as Report).source.format).toBe('mhtml');
    rmSync(web, { recursive: true, force: true });
  });
  it('--format-in forces a format, whatever the extension', async () => {
    writeFileSync(join(dir, 'page.dat'), '<p>选人用人不规范。</p>');
    const r = await run(['analyze', join(dir, 'page.dat'), '--format-in', 'html', '--format', 'jsonl', '--quiet']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.source.format).toBe('html');
    expect(report.passages.map((p) => p.text)).toEqual(['选人用人不规范。']);
    // --format-in ofd reads an OFD under any name; forced on what is not a zip, it is an error entry.
    writeFileSync(join(dir, 'report.dat'), readFileSync(join(dir, 'l.ofd')));
    const o = await run(['analyze', join(dir, 'report.dat'), '--format-in', 'ofd', '--format', 'jsonl', '--quiet']);
    expect(o.code).toBe(0);
    expect((JSON.parse(o.out) as Report).source.format).toBe('ofd');
    const notOfd = await run(['analyze', join(dir, 'page.dat'), '--format-in', 'ofd', '--format', 'jsonl', '--quiet']);
    expect(notOfd.code).toBe(1);
    expect(notOfd.out).toContain(ERROR_CODES.INPUT_TRUNCATED);
    // --format-in odt reads an OpenDocument text under any name.
    writeFileSync(join(dir, 'text.dat'), readFileSync(join(dir, 'p.odt')));
    const t = await run(['analyze', join(dir, 'text.dat'), '--format-in', 'odt', '--format', 'jsonl', '--quiet']);
    expect(t.code).toBe(0);
    expect((JSON.parse(t.out) as Report).source.format).toBe('odt');
    const bad = await run(['analyze', join(dir, 'page.dat'), '--format-in', 'odp']);
    expect(bad.code).toBe(2);
  });
});
