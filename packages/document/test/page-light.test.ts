// Uneven light evened out before OCR (page-light.ts): a synthetic page of text-like lines under a shadow and a
// gradient gets white paper and keeps dark strokes; an evenly lit page, a tiny one and one of too little paper are left
// as they are; no pixel ever gets darker.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evenLight } from '../src/page-light.js';
import type { GreyImage } from '../src/pdf-ocr.js';

/** A page of lines of dashes (ink 20 on paper 245), 900 × 1200, lit by `light(x, y)` (1 full, 0 dark). */
function litPage(light: (x: number, y: number) => number): GreyImage {
  const width = 900;
  const height = 1200;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inLine = (y - 60) % 40 < 14 && y > 60 && x > 60 && x < width - 60 && Math.floor(x / 13) % 4 !== 3;
      pixels[y * width + x] = Math.round((inLine ? 20 : 245) * light(x, y));
    }
  }
  return { width, height, pixels, box: [0, 0, width, height] };
}

/** Mean grey of the paper and of the ink of `img` in the box [x0, x1) × [y0, y1), by the even page's pixels. */
function means(img: GreyImage, even: GreyImage, x0: number, y0: number, x1: number, y1: number): { paper: number; ink: number } {
  let paper = 0;
  let p = 0;
  let ink = 0;
  let k = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * img.width + x;
      if (even.pixels[i]! > 128) {
        paper += img.pixels[i]!;
        p++;
      } else {
        ink += img.pixels[i]!;
        k++;
      }
    }
  }
  return { paper: paper / p, ink: ink / k };
}

describe('evening out the light on a page', () => {
  const even = litPage(() => 1);

  it('leaves an evenly lit page exactly as it is (the same image)', () => {
    expect(evenLight(even)).toBe(even);
  });

  it('makes the paper under a shadow and at the dim end of a gradient white again, its strokes still dark', () => {
    for (const light of [(x: number, y: number) => (x > 500 && y > 400 ? 0.45 : 1), (x: number) => 1 - 0.6 * (x / 900)]) {
      const page = litPage(light);
      const before = means(page, even, 600, 800, 840, 1100);
      expect(before.paper).toBeLessThan(150);
      const after = means(evenLight(page), even, 600, 800, 840, 1100);
      expect(after.paper).toBeGreaterThan(235);
      expect(after.ink).toBeLessThan(70);
      // The lit part stays as it was lit.
      expect(means(evenLight(page), even, 80, 80, 300, 300).paper).toBeGreaterThan(235);
    }
  });

  it('takes a tile of ink (a black bar, a photograph) for no paper and leaves a page of too little paper alone', () => {
    const page = litPage((x, y) => (x > 500 && y > 400 ? 0.5 : 1));
    // A black bar across the top: its tiles give no paper estimate, the rest is evened out around it.
    for (let y = 0; y < 130; y++) page.pixels.fill(0, y * page.width, (y + 1) * page.width);
    const out = evenLight(page);
    expect(out.pixels[10 * page.width + 10]).toBe(0);
    expect(means(out, even, 600, 800, 840, 1100).paper).toBeGreaterThan(235);
    const dark: GreyImage = { width: 400, height: 400, pixels: new Uint8Array(160_000).fill(30), box: [0, 0, 400, 400] };
    expect(evenLight(dark)).toBe(dark);
    const tiny: GreyImage = { width: 60, height: 60, pixels: new Uint8Array(3600).fill(100), box: [0, 0, 60, 60] };
    expect(evenLight(tiny)).toBe(tiny);
  });

  it('never makes a pixel darker, and keeps the size and box of any image (property)', () => {
    let evened = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (w, h, seed) => {
        let s = seed;
        // Paper and ink at random, under light that dims from left to right (so that most images are evened out).
        const pixels = new Uint8Array(w * h).map((_, i) => (((s = (s * 1103515245 + 12345) >>> 0) >> 16) % (i % 7 === 0 ? 256 : 64) + (i % 7 === 0 ? 0 : 160)) * (1 - 0.6 * ((i % w) / w)));
        const img: GreyImage = { width: w, height: h, pixels, box: [0, 0, w, h] };
        const out = evenLight(img);
        if (out !== img) evened++;
        expect([out.width, out.height, out.box]).toEqual([w, h, img.box]);
        for (let i = 0; i < pixels.length; i++) if (out.pixels[i]! < pixels[i]!) throw new Error(`pixel ${i} darker: ${pixels[i]} → ${out.pixels[i]}`);
      }),
      { numRuns: 60, seed: 20261207 },
    );
    expect(evened).toBeGreaterThan(20);
  });
});
