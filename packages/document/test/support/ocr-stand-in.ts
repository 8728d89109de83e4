import type { XunshiError } from '@xunshi/types';
import type { GreyImage, OcrRecognizer, OcrResult } from '../../src/pdf-ocr.js';

/**
 * A stand-in OCR engine: records the images it is given and reads one line of `words` from each, in `box` (by default
 * the image's top 40 pixels across its width).
 */
export class FakeEngine implements OcrRecognizer {
  images: GreyImage[] = [];
  closed = 0;
  constructor(
    private readonly words: readonly string[] = ['巡视', '整改', '通报'],
    private readonly box?: { x0: number; y0: number; x1: number; y1: number },
  ) {}
  async recognize(image: GreyImage): Promise<OcrResult> {
    this.images.push(image);
    const bbox = this.box ?? { x0: 0, y0: 0, x1: image.width, y1: Math.min(image.height, 40) };
    return { lines: [{ bbox, words: this.words.map((text) => ({ text, confidence: 80, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } })) }] };
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

/** What `p` rejects with; throws when it resolves. */
export async function errorOf(p: Promise<unknown>): Promise<XunshiError> {
  try {
    await p;
  } catch (e) {
    return e as XunshiError;
  }
  throw new Error('expected a rejection');
}
