// The OCR engine's failures, with tesseract.js replaced: a clear XUNSHI_INTERNAL naming what failed, not a bare
// exception from the worker.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';

const image = { width: 2, height: 2, pixels: new Uint8Array(4).fill(255), box: [0, 0, 1, 1] as [number, number, number, number] };

describe('the OCR engine when tesseract.js fails', () => {
  afterEach(() => {
    vi.doUnmock('tesseract.js');
    vi.resetModules();
  });
  it('says OCR could not start when the worker does not', async () => {
    vi.doMock('tesseract.js', () => ({ createWorker: () => Promise.reject(new Error('no model')) }));
    const { OcrEngine } = await import('../src/pdf-ocr.js');
    const engine = new OcrEngine();
    await expect(engine.recognize(image)).rejects.toMatchObject({ code: ERROR_CODES.INTERNAL, message: expect.stringMatching(/^OCR could not start .*: no model$/) });
    await engine.close();
  });
  it('says which image OCR failed on, and ends the worker it started', async () => {
    const terminate = vi.fn(async () => {});
    vi.doMock('tesseract.js', () => ({ createWorker: async () => ({ recognize: () => Promise.reject(new Error('bad image')), terminate }) }));
    const { OcrEngine } = await import('../src/pdf-ocr.js');
    const engine = new OcrEngine();
    await expect(engine.recognize(image)).rejects.toMatchObject({ code: ERROR_CODES.INTERNAL, message: 'OCR failed on a 2 × 2 image: bad image' });
    await engine.close();
    expect(terminate).toHaveBeenCalledTimes(1);
  });
});
