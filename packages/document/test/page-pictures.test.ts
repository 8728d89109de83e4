// Web pages whose report is scans (a county's notice posted as photographs of its pages): the pictures a page's content
// shows, found in a web archive (by address, resolved against the page's, or by cid:) or in data: URIs, read by OCR
// with `ocr` after the page's own short text, as a Word document of pasted scans is; without it the page is named as
// one of pictures. The chrome's pictures (a logo in the page header, icons in the nav) are never taken.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { readDocument, readDocumentAsync } from '../src/index.js';
import { extractWebPage } from '../src/read-document.js';
import { dataUriBytes, localPicturePath, MAX_PAGE_PICTURES, pagePictures } from '../src/page-pictures.js';
import { parseExtracted } from '../src/parse-document.js';
import { makeMhtml } from './support/fixtures.js';
import { blankPng } from './support/ofd-scan-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';
import { charAccuracy, scanPageHtml, screenshot } from './support/scan-fixtures.js';
import { findChromium, hasCjkFont } from './support/fixtures.js';
import { readFileSync } from 'node:fs';

const SITE = 'https://www.example.gov.cn/jjjc/202305/t20230506_1.html';
const TITLE = '县委第一巡察组关于巡察某镇党委的反馈情况（图片）';
/** A county site's article page: chrome (header with a logo, nav, footer), a title, a date line, and the scans. */
function scanPage(imgs: readonly string[], extra = ''): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${TITLE}</title></head><body>
<header><img src="/images/logo.png" alt="某县纪委监委"><nav><a href="/">首页</a> <a href="/jjjc/">纪检监察</a></nav></header>
<div class="article"><h1>${TITLE}</h1><p class="info">发布时间：2023-05-06 来源：县纪委监委</p>
${imgs.map((src) => `<p style="text-align:center"><img src="${src}" width="600"></p>`).join('\n')}${extra}
</div><footer>主办：某县纪委监委 地址：某县人民路1号</footer></body></html>`;
}

describe('the pictures of a page', () => {
  it('reads data: URIs (base64 and percent-encoded) and nothing else on its own', () => {
    const png = blankPng(8, 8);
    expect(dataUriBytes(`data:image/png;base64,${Buffer.from(png).toString('base64')}`)).toEqual(png);
    expect(dataUriBytes('data:image/svg+xml;charset=utf-8,%3Csvg%3E')).toEqual(new Uint8Array(Buffer.from('<svg>')));
    expect(dataUriBytes('data:text/plain;base64,AAAA')).toBeUndefined();
    expect(pagePictures(['https://example.org/a.png', 'a.png', `data:image/png;base64,${Buffer.from(png).toString('base64')}`])).toHaveLength(1);
  });

  it('takes a relative src as a path under the page\'s folder, never an address, an absolute path or one that climbs out', async () => {
    expect(localPicturePath('notice_files/W0201.jpg')).toBe('notice_files/W0201.jpg');
    expect(localPicturePath('./notice_files/%E6%89%AB%E6%8F%8F1.jpg?v=2#x')).toBe('notice_files/扫描1.jpg');
    expect(localPicturePath('notice_files\\p1.png')).toBe('notice_files/p1.png');
    for (const bad of ['../secret.png', 'a/../../b.png', '/etc/passwd', 'file:///etc/passwd', 'https://example.org/a.png', 'C:\\a.png', '', '.']) expect([bad, localPicturePath(bad)]).toEqual([bad, undefined]);
    const read: string[] = [];
    const got = pagePictures(['notice_files/p1.png', './notice_files/p1.png', '../x.png', 'https://example.org/y.png', 'notice_files/p2.png'], undefined, (path) => {
      read.push(path);
      return path.endsWith('p1.png') ? blankPng(10, 10) : undefined;
    });
    expect(await Promise.all(got.map((p) => p()))).toEqual([blankPng(10, 10), 'damaged']);
    expect(read).toEqual(['notice_files/p1.png', 'notice_files/p2.png']);
    // A page of thousands of pictures is read up to the bound.
    expect(pagePictures(Array.from({ length: 1000 }, (_, i) => `p${i}.png`), undefined, () => undefined)).toHaveLength(MAX_PAGE_PICTURES);
  });

  it('finds an archive\'s parts by the address as written, resolved against the page\'s, or by cid:, each once', async () => {
    const a = blankPng(10, 10);
    const b = blankPng(12, 12);
    const c = blankPng(14, 14);
    const images = new Map<string, () => Uint8Array | undefined>([
      ['https://www.example.gov.cn/jjjc/202305/W1.png', () => a],
      ['https://www.example.gov.cn/u/W2.png', () => b],
      ['cid:image003.png@01D9', () => c],
      ['https://www.example.gov.cn/u/bad.png', () => undefined],
    ]);
    const got = pagePictures(['W1.png', '/u/W2.png', 'https://www.example.gov.cn/u/W2.png', 'cid:image003.png@01D9', 'https://elsewhere.cn/x.png', '/u/bad.png'], { images, location: SITE });
    expect(await Promise.all(got.map((p) => p()))).toEqual([a, b, c, 'damaged']);
  });
});

describe('a web archive of a notice posted as scans, read by OCR (stand-in engine)', () => {
  const archive = (imgs: readonly { src: string; bytes: Uint8Array; location: string }[], extra = ''): Uint8Array =>
    makeMhtml(
      { type: 'text/html', body: scanPage(imgs.map((i) => i.src), extra), location: SITE },
      { parts: [{ type: 'image/png', body: blankPng(120, 40), encoding: 'base64', location: 'https://www.example.gov.cn/images/logo.png' }, ...imgs.map((i) => ({ type: 'image/png', body: i.bytes, encoding: 'base64' as const, location: i.location }))] },
    );
  const pages = [
    { src: 'W020230506_1.png', bytes: blankPng(1200, 1700), location: 'https://www.example.gov.cn/jjjc/202305/W020230506_1.png' },
    { src: '/uploads/W020230506_2.png', bytes: blankPng(1200, 1700), location: 'https://www.example.gov.cn/uploads/W020230506_2.png' },
  ];

  it('without ocr: its title and date line with a diagnostic naming the pictures and --ocr; the synchronous reader the same', async () => {
    const doc = await readDocumentAsync(archive(pages), { path: 'notice.mhtml' });
    expect(doc.units.map((u) => u.text)).toEqual([TITLE, '发布时间：2023-05-06 来源：县纪委监委']);
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_PICTURES_NOT_READ', message: expect.stringMatching(/^the web archive has \d+ characters of text and 2 picture\(s\) the size of a page \(pages scanned into it\?\): with --ocr/) });
    expect(readDocument(archive(pages), { path: 'notice.mhtml' }).units.map((u) => u.text)).toEqual([TITLE, '发布时间：2023-05-06 来源：县纪委监委']);
  });

  it('with ocr: the page\'s text, then each scan a page, in order; the logo in the page header not read', async () => {
    const engine = new FakeEngine(['巡察', '反馈', '问题。'], { x0: 100, y0: 800, x1: 1100, y1: 850 });
    const doc = parseExtracted((await extractWebPage(archive(pages), 'mhtml', { path: 'notice.mhtml', ocr: true, ocrEngine: engine })).doc, { format: 'mhtml' });
    expect(engine.images).toHaveLength(2);
    expect(doc.units.map((u) => [u.text, u.page])).toEqual([
      [TITLE, 1],
      ['发布时间：2023-05-06 来源：县纪委监委', 1],
      ['巡察反馈问题。', 1],
      ['巡察反馈问题。', 2],
    ]);
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_MHTML_OCR', message: '2 page(s) of a web archive (its pictures) read by OCR (tesseract.js, chi_sim): pages 1–2; mean word confidence 80%' });
  });

  it('a page of pictures and no text is INPUT_NO_TEXT without ocr (naming the way, synchronous or not); a page with a report of its own never has its pictures read', async () => {
    const bare = makeMhtml({ type: 'text/html', body: `<html><body><p><img src="${pages[0]!.src}"></p></body></html>`, location: SITE }, { parts: [{ type: 'image/png', body: pages[0]!.bytes, encoding: 'base64', location: pages[0]!.location }] });
    let e = await errorOf(readDocumentAsync(bare, { path: 'bare.mhtml' }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INPUT_NO_TEXT, 'the web archive has no text but 1 picture(s) (pages scanned into it?): read it by OCR with --ocr (library: the option ocr: true), or use the original document']);
    expect(() => readDocument(bare, { path: 'bare.mhtml' })).toThrow(/^the web archive has no text but 1 picture\(s\) \(a report shown as scans\?\): read it by OCR with readDocumentAsync\(\) \/ analyzeAsync\(\) and the option ocr: true \(CLI: --ocr\)$/);
    const report = '<p>' + '县委第一巡察组对某镇党委开展了常规巡察，发现存在落实全面从严治党主体责任不到位等问题。'.repeat(12) + '</p>';
    const engine = new FakeEngine();
    const { doc } = await extractWebPage(archive(pages, report), 'mhtml', { path: 'report.mhtml', ocr: true, ocrEngine: engine });
    expect(engine.images).toEqual([]);
    expect(doc.diagnostics.map((d) => d.code)).not.toContain('XUNSHI_MHTML_OCR');
    // A page whose picture is in the page itself (a data: URI).
    e = await errorOf(readDocumentAsync(new TextEncoder().encode(`<html><body><p><img src="data:image/png;base64,${Buffer.from(blankPng(1200, 1700)).toString('base64')}"></p></body></html>`), { path: 'inline.html' }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INPUT_NO_TEXT, 'the page has no text but 1 picture(s) (pages scanned into it?): read it by OCR with --ocr (library: the option ocr: true), or use the original document']);
  });
});

const chromium = findChromium();
const scanReady = chromium !== undefined && hasCjkFont();
if (!scanReady) console.warn(`skipped: the OCR test of a web archive of scans needs headless Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei); found chromium=${chromium ?? 'none'}`);

describe.skipIf(!scanReady)('a web archive of a notice posted as scans, read by tesseract.js', () => {
  it('reads the title, then both scanned pages close to the source text', async () => {
    const text = readFileSync(new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url), 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const half = Math.ceil(paragraphs.length / 2);
    const shots = [paragraphs.slice(0, half), paragraphs.slice(half)].map((ps) => screenshot(chromium!, scanPageHtml(ps), 2, 'jpeg'));
    const bytes = makeMhtml(
      { type: 'text/html', body: scanPage(['p1.jpg', 'p2.jpg']), location: SITE },
      { parts: shots.map((b, i) => ({ type: 'image/jpeg', body: b, encoding: 'base64' as const, location: `https://www.example.gov.cn/jjjc/202305/p${i + 1}.jpg` })) },
    );
    const doc = await readDocumentAsync(bytes, { path: 'notice.mhtml', ocr: true });
    const read = doc.text.slice(doc.text.indexOf('来源：县纪委监委') + '来源：县纪委监委'.length);
    const accuracy = charAccuracy(text, read);
    console.log(`rectification-06 as two JPEG scans in a web archive: character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(doc.units[0]!.text).toBe(TITLE);
  }, 180_000);
});
