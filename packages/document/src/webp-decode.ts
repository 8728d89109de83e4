/**
 * WebP images decoded for OCR: what WeChat's and many sites' article pictures are served as (a notice posted as
 * photographs of its pages, saved from the browser or inside a saved web archive), and what a phone's or browser's
 * screenshot may be. The size comes from the file's own header first (`VP8 `, `VP8L` or `VP8X` chunk: nothing is
 * decoded over the bound), then Google's libwebp decodes it: `@jsquash/webp` (Apache-2.0), Squoosh's WebAssembly build
 * of libwebp's decoder (138 KB of wasm, no native build, nothing fetched: the module is compiled from the installed
 * file, once a thread). It defines `globalThis.ImageData` when a runtime has none (Node has none), as browsers have it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PdfImageData } from './pdf-ocr.js';

/** Whether bytes are a WebP file: a RIFF container of form type `WEBP`. */
export function isWebp(b: Uint8Array): boolean {
  return b.length >= 12 && b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50;
}

/** A WebP's size from its first chunk (lossy `VP8 `, lossless `VP8L`, extended `VP8X`'s canvas); 0 × 0 when unreadable. */
export function webpSize(b: Uint8Array): { width: number; height: number } {
  if (!isWebp(b) || b.length < 30) return { width: 0, height: 0 };
  const chunk = String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!);
  if (chunk === 'VP8 ' && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) return { width: (b[26]! | (b[27]! << 8)) & 0x3fff, height: (b[28]! | (b[29]! << 8)) & 0x3fff };
  if (chunk === 'VP8L' && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { width: (b[24]! | (b[25]! << 8) | (b[26]! << 16)) + 1, height: (b[27]! | (b[28]! << 8) | (b[29]! << 16)) + 1 };
  return { width: 0, height: 0 };
}

type WebpDecode = (buffer: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
let decoder: Promise<WebpDecode> | undefined;

/** The decoder, its WebAssembly compiled from the installed package's file once. */
function loadDecoder(): Promise<WebpDecode> {
  decoder ??= (async () => {
    const mod = (await import('@jsquash/webp/decode.js')) as unknown as { default: WebpDecode; init: (module: unknown) => Promise<void> };
    const wasm = readFileSync(createRequire(import.meta.url).resolve('@jsquash/webp/codec/dec/webp_dec.wasm'));
    // (This project's TypeScript libraries name no WebAssembly: Node's global is typed here.)
    const { WebAssembly: api } = globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } };
    await mod.init(await api.compile(wasm));
    return mod.default;
  })();
  return decoder;
}

/**
 * Decode a WebP into RGBA pixels (pdf.js's kind 3) when its header's size is within `maxPixels`; undefined when it is
 * not, or the data does not decode (damaged), or decodes to another size than its header says.
 */
export async function decodeWebp(b: Uint8Array, maxPixels: number): Promise<PdfImageData | undefined> {
  const { width, height } = webpSize(b);
  if (!(width > 0 && height > 0) || width * height > maxPixels) return undefined;
  try {
    const decode = await loadDecoder();
    // A copy of just these bytes: a Buffer's ArrayBuffer may be a shared pool larger than the file.
    const img = await decode(b.slice().buffer);
    if (img.width !== width || img.height !== height) return undefined;
    return { width, height, kind: 3, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
  } catch {
    return undefined;
  }
}
