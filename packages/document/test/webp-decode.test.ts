// WebP images (WeChat's and many sites' article pictures: a notice posted as photographs of its pages; a browser's
// screenshot) decoded by libwebp (@jsquash/webp's WebAssembly build): the size from the file's own header before
// anything is decoded, then the pixels; read as a page by OCR, and as the pictures of a saved article.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { readDocumentAsync, sniffFormat } from '../src/index.js';
import { extractImage } from '../src/image-read.js';
import { decodeImage, imageHeader } from '../src/ofd-images.js';
import { extractWebPage } from '../src/read-document.js';
import { decodeWebp, webpSize } from '../src/webp-decode.js';
import { findChromium, hasCjkFont, makeMhtml } from './support/fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';
import { charAccuracy, scanPageHtml, screenshot } from './support/scan-fixtures.js';

const chromium = findChromium();
const ready = chromium !== undefined && hasCjkFont();
if (!ready) console.warn(`skipped: the WebP tests need headless Chromium (its WebP screenshots) and a CJK font; found chromium=${chromium ?? 'none'}`);

/** A WebP screenshot of a page by Chromium (lossy, `VP8 ` or `VP8X`), or, `lossless`, the same in Chromium's lossless WebP of a PNG. */
const shot = (html: string, scale = 1): Uint8Array => screenshot(chromium!, html, scale, 'webp');

describe('WebP headers', () => {
  it('reads the size of lossy, lossless and extended files from their first chunk, nothing from other bytes', () => {
    const vp8 = new Uint8Array(30);
    vp8.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '));
    vp8.set([0x9d, 0x01, 0x2a, 0x58, 0x02, 0x20, 0x03], 23);
    expect(webpSize(vp8)).toEqual({ width: 600, height: 800 });
    const vp8l = new Uint8Array(30);
    vp8l.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8L'));
    // 14 bits of width − 1 (599), then 14 of height − 1 (799).
    const bits = 599 | (799 << 14);
    vp8l.set([0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff], 20);
    expect(webpSize(vp8l)).toEqual({ width: 600, height: 800 });
    const vp8x = new Uint8Array(30);
    vp8x.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8X'));
    vp8x.set([0x57, 0x02, 0x00, 0x1f, 0x03, 0x00], 24);
    expect(webpSize(vp8x)).toEqual({ width: 600, height: 800 });
    expect(imageHeader(vp8x)).toEqual({ format: 'WebP', width: 600, height: 800 });
    expect(sniffFormat(vp8x, 'picture')).toBe('image');
    expect(sniffFormat(vp8x, 'notes.txt')).toBe('text');
    expect(webpSize(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ width: 0, height: 0 });
  });

  it('never decodes over the bound its header gives, nor fails on damaged data (property)', async () => {
    const vp8x = new Uint8Array(40);
    vp8x.set(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8X'));
    vp8x.set([0xff, 0xff, 0x00, 0xff, 0xff, 0x00], 24);
    expect(await decodeWebp(vp8x, 50_000_000)).toBeUndefined();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 30, maxLength: 300 }), async (rest) => {
        const b = new Uint8Array([...new TextEncoder().encode('RIFF\0\0\0\0WEBP'), ...rest]);
        const img = await decodeWebp(b, 1_000_000);
        if (img) expect(img.data!.length).toBe(img.width * img.height * 4);
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });
});

describe.skipIf(!ready)('WebP pictures read by OCR', () => {
  it('decodes Chromium\'s WebP screenshot to the size its header gives, and reads it as one page (stand-in engine)', async () => {
    const webp = shot('<html><body style="font-size:40px">巡察整改</body></html>');
    const header = imageHeader(webp);
    expect(header).toEqual({ format: 'WebP', width: 794, height: 1123 });
    const img = await decodeImage(webp, header, 50_000_000);
    expect([img!.width, img!.height, img!.kind, img!.data!.length]).toEqual([794, 1123, 3, 794 * 1123 * 4]);
    const engine = new FakeEngine();
    const doc = await extractImage(webp, { path: 'notice.webp', ocr: true, ocrEngine: engine });
    expect(doc.text.trim()).toBe('巡视整改通报');
    const e = await errorOf(extractImage(webp.slice(0, 200), { path: 'cut.webp', ocr: true, ocrEngine: engine }));
    expect(e.code).toBe(ERROR_CODES.INPUT_CORRUPT);
  }, 60_000);

  it('reads a saved article whose notice is WebP pictures (a web archive, as WeChat serves its images), close to its source text', async () => {
    const text = readFileSync(new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url), 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const half = Math.ceil(paragraphs.length / 2);
    const pages = [paragraphs.slice(0, half), paragraphs.slice(half)].map((ps) => shot(scanPageHtml(ps), 2));
    const site = 'https://mp.weixin.qq.com/s/abc';
    const body = `<html><body><h1 id="activity-name">县委巡察组反馈意见整改情况</h1><div id="js_content">${pages.map((_, i) => `<p><img data-src="x" src="https://mmbiz.qpic.cn/p${i}/640?wx_fmt=png&amp;tp=webp"></p>`).join('')}</div></body></html>`;
    const archive = makeMhtml({ type: 'text/html', body, location: site }, { parts: pages.map((b, i) => ({ type: 'image/webp', body: b, encoding: 'base64' as const, location: `https://mmbiz.qpic.cn/p${i}/640?wx_fmt=png&tp=webp` })) });
    const doc = await readDocumentAsync(archive, { path: 'article.mhtml', ocr: true });
    const read = doc.text.slice(doc.text.indexOf('整改情况') + 4);
    const accuracy = charAccuracy(text, read);
    console.log(`rectification-06 as two WebP pictures of a saved article: character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(0.95);
    // The stand-in engine sees both, in order.
    const engine = new FakeEngine();
    await extractWebPage(archive, 'mhtml', { path: 'article.mhtml', ocr: true, ocrEngine: engine });
    expect(engine.images).toHaveLength(2);
  }, 180_000);
});
