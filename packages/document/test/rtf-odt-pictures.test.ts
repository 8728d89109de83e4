// Word documents of pasted scans saved as RTF or OpenDocument text (as Word, WPS and LibreOffice save them when asked):
// the body's pictures found in order (RTF: `\pict` groups, Word's `\nonshppict` fallback and headers' pictures left
// out; ODT: each frame's raster `draw:image`, a flat file's binary data too) and read by OCR with `ocr` after a short
// title, as a .docx's are; without it, named. Checked on RTF written here, and on what LibreOffice saves of a .docx.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { readDocument, readDocumentAsync } from '../src/index.js';
import { extractOdtAsync, extractRtfAsync } from '../src/read-document.js';
import { rtfPictures } from '../src/rtf-pictures.js';
import { asymmetricPicture, jpegOf, picturesDocx } from './support/image-fixtures.js';
import { saveAs, SOFFICE } from './support/libreoffice.js';
import { blankPng } from './support/ofd-scan-fixtures.js';
import { makeFodt, makeOdt } from './support/odt-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';

const hex = (b: Uint8Array): string => (Buffer.from(b).toString('hex').match(/.{1,128}/g) ?? []).join('\r\n');
const PNG = blankPng(600, 800);
const JPEG = jpegOf(asymmetricPicture());

/** An RTF as Word writes pasted pictures: each twice (the picture, and a WMF fallback for older readers), a header logo. */
function wordRtf(body: string): Uint8Array {
  return new TextEncoder().encode(
    `{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}{\\*\\generator Microsoft Word;}` +
      `{\\header \\pard\\plain {\\*\\shppict{\\pict{\\*\\picprop}\\picw100\\pich100\\pngblip ${hex(blankPng(40, 40))}}}\\par}` +
      `${body}}`,
  );
}
const wordPicture = (b: Uint8Array, blip: string): string =>
  `\\pard\\plain {\\*\\shppict{\\pict{\\*\\picprop{\\sp{\\sn wzDescription}{\\sv scan}}}\\picscalex100\\picw600\\pich800{\\*\\blipuid 0123456789abcdef0123456789abcdef}\\${blip}\r\n${hex(b)}}}{\\nonshppict{\\pict\\picw600\\pich800\\wmetafile8 0100090000}}\\par`;

describe('the pictures of an RTF body', () => {
  it('finds Word\'s pictures once each, in order, and not the header\'s; names a metafile; reads \\bin data and a DIB', () => {
    const dib = new Uint8Array(40 + 4 * 4);
    const dv = new DataView(dib.buffer);
    dv.setUint32(0, 40, true);
    dv.setInt32(4, 2, true);
    dv.setInt32(8, 2, true);
    dv.setUint16(12, 1, true);
    dv.setUint16(14, 24, true);
    const binary = new TextEncoder().encode('\\pard {\\pict\\jpegblip\\bin' + JPEG.length + ' ');
    const rtf = wordRtf(wordPicture(PNG, 'pngblip') + wordPicture(JPEG, 'jpegblip') + '{\\pict\\emfblip 01000000}' + `{\\pict\\dibitmap0 ${hex(dib)}}`);
    const withBin = new Uint8Array([...rtf.subarray(0, rtf.length - 1), ...binary, ...JPEG, ...new TextEncoder().encode('}\\par}')]);
    const pictures = rtfPictures(withBin);
    expect(pictures.map((p) => p.kind)).toEqual(['PNG', 'JPEG', 'EMF', 'DIB', 'JPEG']);
    expect(pictures[0]!.bytes).toEqual(PNG);
    expect(pictures[1]!.bytes).toEqual(JPEG);
    expect(pictures[2]!.bytes).toBeUndefined();
    expect(Buffer.from(pictures[3]!.bytes!.subarray(0, 2)).toString('latin1')).toBe('BM');
    expect(pictures[4]!.bytes).toEqual(JPEG);
  });

  it('never fails on any bytes, nor finds more pictures than \\pict words (property)', () => {
    const base = wordRtf(wordPicture(PNG, 'pngblip'));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([at, v, cut]) => {
        const c = base.slice(0, Math.max(1, base.length - (cut % base.length)));
        c[at % c.length] = v;
        return c;
      })), (b) => {
        const words = (Buffer.from(b).toString('latin1').match(/\\pict/g) ?? []).length;
        expect(rtfPictures(b).length).toBeLessThanOrEqual(words);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

describe('RTF and ODT documents of pasted scans, read by OCR (stand-in engine)', () => {
  it('an RTF of pictures only: INPUT_NO_TEXT without ocr (synchronous and not); with it, a page a picture', async () => {
    // (Pages of two sizes: on pages alike, a line that ends where every line ends runs on as a wrapped paragraph.)
    const rtf = wordRtf(wordPicture(PNG, 'pngblip') + wordPicture(blankPng(700, 900), 'pngblip'));
    const e = await errorOf(readDocumentAsync(rtf, { path: 'scan.rtf' }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INPUT_NO_TEXT, 'the RTF document has no text but 2 picture(s) (pages scanned into it?): read it by OCR with --ocr (library: the option ocr: true), or use the original document']);
    expect(() => readDocument(rtf, { path: 'scan.rtf' })).toThrow(/^the RTF document has no text but 2 picture\(s\) \(a report shown as scans\?\): read it by OCR with readDocumentAsync\(\)/);
    const engine = new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 });
    const doc = await extractRtfAsync(rtf, { path: 'scan.rtf', ocr: true, ocrEngine: engine });
    expect(engine.images).toHaveLength(2);
    expect(doc.text.split('\n').filter((l) => l.trim() !== '')).toEqual(['巡察整改。', '巡察整改。']);
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_RTF_OCR', message: '2 page(s) of a RTF document (its pictures) read by OCR (tesseract.js, chi_sim): pages 1–2; mean word confidence 80%' });
    // A document with a report of its own: its pictures are never read.
    const report = wordRtf(`\\pard 县委巡察组反馈的问题已整改到位，${'整改措施落实情况良好，'.repeat(30)}\\par` + wordPicture(PNG, 'pngblip'));
    const engine2 = new FakeEngine();
    await extractRtfAsync(report, { ocr: true, ocrEngine: engine2 });
    expect(engine2.images).toEqual([]);
  });

  it('an ODT (and a flat .fodt) of a title above pasted scans: the title, then the pictures; without ocr the title and a diagnostic', async () => {
    const frame = (href: string): string => `<text:p><draw:frame draw:name="图片" text:anchor-type="as-char" svg:width="15cm" svg:height="20cm"><draw:image xlink:href="${href}" xlink:type="simple"/><draw:image xlink:href="Pictures/fallback.svg"/></draw:frame></text:p>`;
    const odt = await makeOdt(`<text:p>凤鸣街道巡察整改报告（扫描件）</text:p>${frame('Pictures/p1.png')}${frame('Pictures/p2.jpg')}${frame('Pictures/missing.png')}`, { parts: { 'Pictures/p1.png': PNG, 'Pictures/p2.jpg': JPEG, 'Pictures/fallback.svg': new TextEncoder().encode('<svg/>') } });
    const plain = await readDocumentAsync(odt, { path: 'scan.odt' });
    expect(plain.text.trim()).toBe('凤鸣街道巡察整改报告（扫描件）');
    expect(plain.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_PICTURES_NOT_READ']);
    const engine = new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 });
    const doc = await extractOdtAsync(odt, { path: 'scan.odt', ocr: true, ocrEngine: engine });
    // The 48 × 80 JPEG is no page (under 400 pixels a side); the missing file is named as damaged.
    expect(engine.images).toHaveLength(1);
    expect(doc.text.split('\n').filter((l) => l.trim() !== '')).toEqual(['凤鸣街道巡察整改报告（扫描件）', '巡察整改。']);
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_ODT_OCR')?.message).toMatch(/^1 page\(s\) of a OpenDocument text \(its pictures\) read by OCR .*; not read: smaller than a page \(under 400 pixels a side\): picture 2; that could not be found \(damaged\): picture 3$/);
    const fodt = makeFodt(`<text:p><draw:frame><draw:image><office:binary-data>${Buffer.from(PNG).toString('base64')}</office:binary-data></draw:image></draw:frame></text:p>`);
    const engine2 = new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 });
    const flat = await extractOdtAsync(fodt, { path: 'scan.fodt', ocr: true, ocrEngine: engine2 });
    expect(flat.text.trim()).toBe('巡察整改。');
  });
});

if (!SOFFICE) console.warn('skipped: the RTF and ODT pictures of LibreOffice need soffice (apt-get install libreoffice-writer-nogui)');

describe.skipIf(!SOFFICE)('what LibreOffice saves of a .docx of pasted scans, as RTF and ODT', () => {
  it('gives the same pictures, in order, read as the .docx\'s are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-lo-pictures-'));
    try {
      writeFileSync(join(dir, 'scan.docx'), await picturesDocx([PNG, blankPng(700, 900)]));
      for (const to of ['rtf', 'odt']) saveAs(dir, to, ['scan.docx']);
      const rtf = new Uint8Array(readFileSync(join(dir, 'scan.rtf')));
      expect(rtfPictures(rtf).map((p) => p.kind)).toEqual(['PNG', 'PNG']);
      for (const [name, read] of [
        ['scan.rtf', (o: object) => extractRtfAsync(rtf, o)],
        ['scan.odt', (o: object) => extractOdtAsync(new Uint8Array(readFileSync(join(dir, 'scan.odt'))), o)],
      ] as const) {
        const engine = new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 });
        const doc = await read({ path: name, ocr: true, ocrEngine: engine });
        expect([name, engine.images.map((g) => [g.width, g.height])]).toEqual([name, [[600, 800], [700, 900]]]);
        expect(doc.text.split('\n').filter((l) => l.trim() !== '')).toEqual(['巡察整改。', '巡察整改。']);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
