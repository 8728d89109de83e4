// Skew found by projection profiles and pages set straight before OCR (deskew.ts): synthetic pages of text-like lines
// turned by known angles, a blank page and a page of noise left alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SKEW, rotateGrey, skewAngle } from '../src/deskew.js';
import type { GreyImage } from '../src/pdf-ocr.js';

/** A page of `lines` lines of dashes (words) 14 pixels high, 40 apart, with a margin: what a page of text looks like to the profile. */
function textPage(width = 1200, height = 1600, lines = 30): GreyImage {
  const pixels = new Uint8Array(width * height).fill(255);
  for (let l = 0; l < lines; l++) {
    const top = 80 + l * 44;
    for (let y = top; y < top + 14 && y < height; y++) {
      for (let x = 100; x < width - 100; x++) if (Math.floor(x / 17) % 5 !== 4 && (x + y) % 3 !== 0) pixels[y * width + x] = 20;
    }
  }
  return { width, height, pixels, box: [0, 0, width, height] };
}

describe('skew of a page and setting it straight', () => {
  it('finds the angle a page of lines was turned by, within a tenth of a degree or two, either way', () => {
    const page = textPage();
    expect(skewAngle(page)).toBe(0);
    for (const degrees of [0.8, 2, -3.5, 5, -7.3]) {
      const turned = rotateGrey(page, degrees);
      const found = skewAngle(turned);
      expect([degrees, Math.abs(found - degrees) <= 0.2]).toEqual([degrees, true]);
      // Turned back by it, the page is straight again.
      expect(Math.abs(skewAngle(rotateGrey(turned, -found)))).toBeLessThanOrEqual(0.2);
    }
  });

  it('leaves alone a skew too small to matter, a blank page, a page of noise and a tiny image', () => {
    expect(skewAngle(rotateGrey(textPage(), 0.2))).toBe(0);
    const blank: GreyImage = { width: 800, height: 1000, pixels: new Uint8Array(800 * 1000).fill(255), box: [0, 0, 800, 1000] };
    expect(skewAngle(blank)).toBe(0);
    let seed = 7;
    const noise = new Uint8Array(800 * 1000).map(() => ((seed = (seed * 1103515245 + 12345) >>> 0) >> 16) & 255);
    expect(skewAngle({ width: 800, height: 1000, pixels: noise, box: [0, 0, 800, 1000] })).toBe(0);
    expect(skewAngle({ width: 20, height: 20, pixels: new Uint8Array(400), box: [0, 0, 20, 20] })).toBe(0);
  });

  it('turns an image at its size and over its box, white coming in at the corners; a turn by 0 changes nothing', () => {
    const page = textPage(300, 400, 5);
    expect(rotateGrey(page, 0).pixels).toEqual(page.pixels);
    const turned = rotateGrey(page, 4);
    expect([turned.width, turned.height, turned.box]).toEqual([300, 400, page.box]);
    expect(turned.pixels[0]).toBe(255);
  });

  it('never gives an angle beyond the bound, on any image (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1, max: 90 }), fc.uint8Array({ minLength: 8100, maxLength: 8100 }), (w, h, bytes) => {
        const a = skewAngle({ width: w, height: h, pixels: bytes.subarray(0, w * h), box: [0, 0, w, h] });
        expect(Math.abs(a)).toBeLessThanOrEqual(MAX_SKEW);
      }),
      { numRuns: 100, seed: 20261207 },
    );
  });
});
