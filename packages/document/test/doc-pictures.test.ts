// A Word 97–2003 document of pictures only (pages scanned and pasted into Word): its inline pictures found through the
// character property pages and the Data stream's PICFs, in document order, and read by OCR (stand-in engine); the
// pictures of a document with text never read; damaged tables and records give fewer pictures, never an error.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import CFB from 'cfb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { readDocumentAsync } from '../src/index.js';
import { extractDoc } from '../src/doc-read.js';
import { extractDocx } from '../src/docx-read.js';
import { loadParsers } from '../src/parsers.js';
import { docFloatingPictures, docInlinePictures } from '../src/doc-pictures.js';
import { makeWordBinary } from './support/fixtures.js';
import { saveAs, SOFFICE } from './support/libreoffice.js';
import { asymmetricPicture, jpegOf, picturesDocx, pngOf, storedFor } from './support/image-fixtures.js';
import { blankPng } from './support/ofd-scan-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';

/** The streams of a compound file. */
function streams(doc: Uint8Array): Record<string, Buffer> {
  const f = CFB.read(Buffer.from(doc), { type: 'buffer' });
  const out: Record<string, Buffer> = {};
  for (const name of ['WordDocument', '1Table', 'Data']) {
    const e = CFB.find(f, name);
    if (e) out[name] = Buffer.from(e.content as Uint8Array);
  }
  return out;
}

describe('the inline pictures of a .doc', () => {
  it('finds each picture character\'s file in document order, PNG and JPEG as stored, an EMF by its kind', () => {
    const png = pngOf(asymmetricPicture());
    const jpeg = jpegOf(asymmetricPicture());
    const doc = makeWordBinary(['\x01', '\x01', '\x01'], { pictures: [png, undefined, jpeg] });
    const s = streams(doc);
    const body = '\x01\r\x01\r\x01\r';
    const pictures = docInlinePictures(s.WordDocument!, s['1Table']!, s.Data, [{ startCp: 0, endCp: body.length, fc: 0x400, bpc: 2 }], body);
    expect(pictures.map((p) => p.kind)).toEqual(['PNG', 'EMF', 'JPEG']);
    expect(pictures[0]!.bytes).toEqual(png);
    expect(pictures[2]!.bytes).toEqual(jpeg);
    // No Data stream, or a body whose characters there are no pictures: none.
    expect(docInlinePictures(s.WordDocument!, s['1Table']!, undefined, [{ startCp: 0, endCp: body.length, fc: 0x400, bpc: 2 }], body)).toEqual([]);
    expect(docInlinePictures(s.WordDocument!, s['1Table']!, s.Data, [{ startCp: 0, endCp: body.length, fc: 0x400, bpc: 2 }], 'a\rb\rc\r')).toEqual([]);
  });

  it('never throws on damaged pages, tables or records, and finds no more pictures than the body has (property)', () => {
    const doc = makeWordBinary(['\x01', '\x01'], { pictures: [pngOf(asymmetricPicture()), jpegOf(asymmetricPicture())] });
    const s = streams(doc);
    const body = '\x01\r\x01\r';
    fc.assert(
      fc.property(fc.constantFrom('WordDocument', '1Table', 'Data'), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }), (name, edits) => {
        const copy = { ...s, [name]: Buffer.from(s[name]!) };
        for (const [at, v] of edits) copy[name]![at % copy[name]!.length] = v;
        const got = docInlinePictures(copy.WordDocument!, copy['1Table']!, copy.Data, [{ startCp: 0, endCp: body.length, fc: 0x400, bpc: 2 }], body);
        expect(got.length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

describe('a .doc of pictures only, read by OCR', () => {
  const line = { x0: 100, y0: 800, x1: 1100, y1: 850 };

  it('without ocr is INPUT_NO_TEXT naming the pictures and --ocr; with more text than a title its pictures are never read, with a title they follow it', async () => {
    const doc = makeWordBinary(['\x01', '\x01'], { pictures: [blankPng(1200, 1700), blankPng(1200, 1700)] });
    const e = await errorOf(readDocumentAsync(doc, { path: 'scan.doc' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toBe('the Word document (.doc) has no text but 2 picture(s) (pages scanned into it?): read it by OCR with --ocr (library: the option ocr: true), or use the original document');
    const engine = new FakeEngine(['巡视'], line);
    const report = '县委巡察组反馈意见指出，部分党员干部理想信念淡化，落实全面从严治党主体责任不到位。'.repeat(5);
    const withText = await extractDoc(makeWordBinary([report, '\x01'], { pictures: [blankPng(1200, 1700)] }), { ocr: true, ocrEngine: engine });
    expect(withText.text.trim()).toBe(report);
    expect(engine.images).toEqual([]);
    const titled = await extractDoc(makeWordBinary(['县委巡察组反馈意见', '\x01'], { pictures: [blankPng(1200, 1700)] }), { ocr: true, ocrEngine: engine });
    expect(titled.text.split('\n').filter((l) => l.trim() !== '')).toEqual(['县委巡察组反馈意见', '巡视']);
    expect(titled.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_DOC_OCR']);
    // A document with neither text nor pictures is empty, as before.
    const empty = await errorOf(readDocumentAsync(makeWordBinary(['']), { path: 'empty.doc' }));
    expect(empty.code).toBe(ERROR_CODES.INPUT_EMPTY);
  });

  it('reads each picture as a page in order, upright by its EXIF orientation, naming those it cannot read', async () => {
    const engine = new FakeEngine(['巡视', '整改'], line);
    const upright = asymmetricPicture();
    const doc = await extractDoc(makeWordBinary(['\x01', '\x01', '\x01'], { pictures: [blankPng(1200, 1700), undefined, jpegOf(storedFor(upright, 6), 6)] }), { path: 'scan.doc', ocr: true, ocrEngine: engine });
    expect(engine.images.map((im) => [im.width, im.height])).toEqual([
      [1200, 1700],
      [48, 80],
    ]);
    expect(doc.pages).toHaveLength(2);
    expect(doc.diagnostics).toContainEqual({
      code: 'XUNSHI_DOC_OCR',
      message: '2 page(s) of a Word document (.doc) (its pictures) read by OCR (tesseract.js, chi_sim): pages 1–2; mean word confidence 80%; not read: of a format xunshi does not decode (EMF): picture 2',
    });
  });

  it('a damaged picture record is named, and a document whose pictures give no text is INPUT_NO_TEXT', async () => {
    const e = await errorOf(extractDoc(makeWordBinary(['\x01'], { pictures: [blankPng(64, 64)] }), { ocr: true, ocrEngine: new FakeEngine([]) }));
    expect(e).toBeInstanceOf(XunshiError);
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toBe('the Word document (.doc) has no text but 1 picture(s), in which OCR found no text');
  });
});

if (!SOFFICE) console.warn('skipped: the floating pictures of a .doc are made by LibreOffice (apt-get install libreoffice-writer-nogui)');

describe.skipIf(!SOFFICE)('the floating pictures of a .doc (a picture dragged into place or set to wrap), as LibreOffice and Word write them', () => {
  it('finds each shape\'s picture through the drawing\'s BStore, in the order of their anchors, and reads them by OCR as the .docx of them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-doc-float-'));
    try {
      const pages = [blankPng(600, 800), jpegOf(storedFor(asymmetricPicture(), 1)), blankPng(700, 900)];
      writeFileSync(join(dir, 'float.docx'), await picturesDocx(pages, [], { floating: true }));
      writeFileSync(join(dir, 'title.docx'), await picturesDocx([pages[0]!], ['县委巡察组反馈意见（扫描件）'], { floating: true }));
      saveAs(dir, 'doc', ['float.docx', 'title.docx']);
      const doc = new Uint8Array(readFileSync(join(dir, 'float.doc')));
      // No picture character: all three are shapes.
      const cfb = CFB.read(Buffer.from(doc), { type: 'buffer' });
      const stream = (name: string): Buffer => Buffer.from(CFB.find(cfb, name)!.content as Uint8Array);
      const word = stream('WordDocument');
      const table = stream((word.readUInt16LE(0x0a) & 0x200) !== 0 ? '1Table' : '0Table');
      expect(docFloatingPictures(word, table, 1000).map((p) => [p.picture.kind, p.picture.bytes?.length])).toEqual([
        ['PNG', pages[0]!.length],
        ['JPEG', pages[1]!.length],
        ['PNG', pages[2]!.length],
      ]);
      const engine = new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 });
      const read = await extractDoc(doc, { path: 'float.doc', ocr: true, ocrEngine: engine });
      expect(engine.images.map((g) => [g.width, g.height])).toEqual([
        [600, 800],
        [48, 80],
        [700, 900],
      ]);
      expect(read.diagnostics.find((d) => d.code === 'XUNSHI_DOC_OCR')?.message).toMatch(/^3 page\(s\) of a Word document \(\.doc\) \(its pictures\) read by OCR/);
      // Under a typed title: the title, then the page-sized picture.
      const titled = await extractDoc(new Uint8Array(readFileSync(join(dir, 'title.doc'))), { path: 'title.doc', ocr: true, ocrEngine: new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 }) });
      expect(titled.text.split('\n').filter((l) => l.trim() !== '')).toEqual(['县委巡察组反馈意见（扫描件）', '巡察整改。']);
      // And the .docx they were saved from reads the same pictures (mammoth reads anchored pictures too).
      const engine2 = new FakeEngine(['巡察', '整改。'], { x0: 50, y0: 300, x1: 550, y1: 340 });
      await loadParsers('docx');
      await extractDocx(new Uint8Array(readFileSync(join(dir, 'float.docx'))), { path: 'float.docx', ocr: true, ocrEngine: engine2 });
      expect(engine2.images.map((g) => [g.width, g.height])).toEqual(engine.images.map((g) => [g.width, g.height]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
