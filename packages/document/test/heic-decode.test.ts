// HEIC/HEIF photographs (what iPhones save) decoded by libheif (libheif-js's WebAssembly build): the size from the
// file's `ispe` properties before anything is decoded, then the primary image; fixtures written by libheif's own
// encoder, `heif-enc` (Debian's libheif-examples, which .ci/run installs), from Chromium screenshots.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { readDocumentAsync, sniffFormat } from '../src/index.js';
import { decodeHeic, heicSize } from '../src/heic-decode.js';
import { extractImage } from '../src/image-read.js';
import { imageHeader } from '../src/ofd-images.js';
import { findChromium, hasCjkFont } from './support/fixtures.js';
import { blankPng } from './support/ofd-scan-fixtures.js';
import { pixelsOf } from './support/image-fixtures.js';
import { FakeEngine } from './support/ocr-stand-in.js';
import { charAccuracy, scanPageHtml, screenshot } from './support/scan-fixtures.js';

const HEIF_ENC = ['/usr/bin/heif-enc', '/usr/local/bin/heif-enc'].find((p) => existsSync(p));
if (!HEIF_ENC) console.warn('skipped: the HEIC tests need heif-enc to write their fixtures (apt-get install libheif-examples)');

/** A HEIC of a PNG, written by heif-enc. */
function heicOf(png: Uint8Array, quality = 90): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-heic-'));
  try {
    writeFileSync(join(dir, 'in.png'), png);
    execFileSync(HEIF_ENC!, ['-q', String(quality), '-o', join(dir, 'out.heic'), join(dir, 'in.png')], { stdio: 'ignore', timeout: 120_000 });
    return new Uint8Array(readFileSync(join(dir, 'out.heic')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!HEIF_ENC)('HEIC photographs', () => {
  it('reads the size from the ispe properties, and decodes the pixels of that size', async () => {
    const heic = heicOf(blankPng(640, 480));
    expect(heicSize(heic)).toEqual({ width: 640, height: 480 });
    expect(imageHeader(heic)).toEqual({ format: 'HEIC', width: 640, height: 480 });
    expect(sniffFormat(heic, 'IMG_0001')).toBe('image');
    expect(sniffFormat(heic, 'notes.txt')).toBe('text');
    const img = await decodeHeic(heic, 50_000_000);
    expect([img!.width, img!.height, img!.kind, img!.data!.length]).toEqual([640, 480, 3, 640 * 480 * 4]);
    // A white page stays white (within the codec's loss).
    expect(Math.min(...img!.data!.subarray(0, 4000))).toBeGreaterThan(240);
    // Not over the bound, nothing decoded.
    expect(await decodeHeic(heic, 640 * 480 - 1)).toBeUndefined();
  });

  it('gives nothing for a damaged or cut-short file, printing nothing (libheif\'s wrapper would log to standard output)', async () => {
    const heic = heicOf(blankPng(320, 240));
    const log = vi.spyOn(console, 'log');
    try {
      expect(await decodeHeic(heic.slice(0, Math.floor(heic.length / 2)), 50_000_000)).toBeUndefined();
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), async (edits) => {
          const b = heic.slice();
          for (const [at, v] of edits) b[12 + (at % (b.length - 12))] = v;
          const img = await decodeHeic(b, 1_000_000);
          if (img) expect(img.data!.length).toBe(img.width * img.height * 4);
        }),
        { numRuns: 60, seed: 20261207 },
      );
      expect(log.mock.calls).toEqual([]);
    } finally {
      log.mockRestore();
    }
  });

  it('reads a HEIC photograph as one page (stand-in engine)', async () => {
    const engine = new FakeEngine();
    const doc = await extractImage(heicOf(blankPng(600, 800)), { path: 'IMG_0001.HEIC', ocr: true, ocrEngine: engine });
    expect(doc.text.trim()).toBe('巡视整改通报');
    expect(engine.images.map((g) => [g.width, g.height])).toEqual([[600, 800]]);
  });

  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  it.skipIf(!ready)('reads a page photographed to HEIC close to its source text (tesseract.js)', async () => {
    const text = readFileSync(new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url), 'utf8');
    const png = screenshot(chromium!, scanPageHtml(text.split('\n').filter((l) => l.trim() !== '')), 2);
    const heic = heicOf(png, 80);
    const doc = await readDocumentAsync(heic, { path: 'IMG_0001.HEIC', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 as a HEIC (${heic.length} bytes, ${pixelsOf(png).width} × ${pixelsOf(png).height}): character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(0.95);
  }, 180_000);
});
