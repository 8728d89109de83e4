/**
 * The pictures of an RTF document's body, in the order they stand in it, for the OCR of a document that has no text
 * but pictures (pages scanned and pasted into Word, then saved as RTF, as Word and WPS do when asked, and sites serve
 * it as `.doc`). RTF 1.9: a picture is a `\pict` group whose own text is the picture's bytes in hexadecimal (or, after
 * `\binN`, N raw bytes), its format named by a control word (`\pngblip`, `\jpegblip`, `\emfblip`, `\wmetafile`,
 * `\dibitmap`, …). Word writes each picture twice: a `{\*\shppict{\pict …}}` of the picture as it is and a
 * `{\nonshppict{\pict …}}` fallback (a WMF) for older readers; the fallback is skipped, as are the pictures of headers,
 * footers, footnotes, comments and other destinations that are not the body. One linear pass over the bytes, which
 * tracks groups only: it never decodes text.
 */
import type { DocPicture } from './doc-pictures.js';
import { bmpOfDib } from './doc-pictures.js';
import { hexDigitValue } from './hex-digit.js';

/** Groups whose pictures are not the body's. */
const NOT_BODY = new Set([
  'nonshppict', 'header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl', 'footerr', 'footerf', 'footnote',
  'annotation', 'atnid', 'atnauthor', 'listpicture', 'fonttbl', 'stylesheet', 'info', 'object', 'objdata', 'result',
  'xmlnstbl', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'do', 'template', 'bkmkstart',
  // A shape's result: what a reader that does not draw shapes shows instead of it (the same picture again, or a WMF).
  'shprslt',
]);

/** A byte buffer that grows as a picture's bytes are read. */
class Bytes {
  private buf = new Uint8Array(4096);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  take(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** What each format word names. */
const BLIP_KIND: Readonly<Record<string, string>> = {
  pngblip: 'PNG', jpegblip: 'JPEG', emfblip: 'EMF', wmetafile: 'WMF', macpict: 'PICT', pmmetafile: 'OS/2 metafile',
  dibitmap: 'DIB', wbitmap: 'DDB',
};

/** The body's pictures of an RTF file: the bytes of a PNG, JPEG or DIB (as BMP), else the kind only. */
export function rtfPictures(b: Uint8Array): DocPicture[] {
  const out: DocPicture[] = [];
  // Each open group: its first control word, whether it is (inside) a group whose pictures are not the body's.
  const stack: { first: string | undefined; excluded: boolean }[] = [];
  // The open picture: its group's depth, its kind and its bytes so far (hex digits in pairs, or raw after \bin).
  let pict: { depth: number; kind: string | undefined; bytes: Bytes; half: number } | undefined;
  const n = b.length;
  let i = 0;
  // Each step moves on by at least one byte.
  while (i < n) {
    const c = b[i]!;
    if (c === 0x7b) {
      const outer = stack[stack.length - 1];
      stack.push({ first: undefined, excluded: outer?.excluded ?? false });
      i++;
      continue;
    }
    if (c === 0x7d) {
      if (pict && stack.length === pict.depth) {
        const kind = pict.kind ?? 'unknown';
        const file = pict.bytes.take();
        out.push(kind === 'PNG' || kind === 'JPEG' ? { kind, bytes: file } : kind === 'DIB' ? { kind, bytes: bmpOfDib(file) } : { kind });
        pict = undefined;
      }
      stack.pop();
      i++;
      continue;
    }
    if (c === 0x5c) {
      let q = i + 1;
      while (q < n && ((b[q]! >= 0x61 && b[q]! <= 0x7a) || (b[q]! >= 0x41 && b[q]! <= 0x5a))) q++;
      if (q === i + 1) {
        // A control symbol (\*, \\, \{, \'hh …): two bytes (\'hh four), no picture data.
        i += b[i + 1] === 0x27 ? 4 : 2;
        continue;
      }
      // A control word has at most 32 letters (the RTF specification); a longer run is junk, and spreading it whole as
      // arguments overflowed the stack (a million letters: XUNSHI_INTERNAL). Only its first letters are kept.
      const word = String.fromCharCode(...b.subarray(i + 1, Math.min(q, i + 1 + 64)));
      let r = q;
      const from = r;
      if (b[r] === 0x2d) r++;
      while (r < n && b[r]! >= 0x30 && b[r]! <= 0x39 && r - from < 11) r++;
      const param = r > from ? Number(String.fromCharCode(...b.subarray(from, r))) : undefined;
      if (b[r] === 0x20) r++;
      i = r;
      const top = stack[stack.length - 1];
      if (top && top.first === undefined) {
        top.first = word;
        if (NOT_BODY.has(word)) top.excluded = true;
      }
      if (word === 'bin') {
        const count = Math.max(0, Math.min(n - i, param ?? 0));
        if (pict && stack.length === pict.depth) for (let k = 0; k < count; k++) pict.bytes.push(b[i + k]!);
        i += count;
        continue;
      }
      if (word === 'pict' && top && !top.excluded && !pict) pict = { depth: stack.length, kind: undefined, bytes: new Bytes(), half: -1 };
      else if (pict && stack.length === pict.depth && BLIP_KIND[word] !== undefined) pict.kind ??= BLIP_KIND[word];
      continue;
    }
    // The picture's own text: hexadecimal digits, two a byte (white space between them ignored).
    if (pict && stack.length === pict.depth) {
      const v = hexDigitValue(c);
      if (v >= 0) {
        if (pict.half < 0) pict.half = v;
        else {
          pict.bytes.push(pict.half * 16 + v);
          pict.half = -1;
        }
      }
    }
    i++;
  }
  return out;
}
