/**
 * The inline pictures of a Word 97–2003 document's body, in the order they stand in it, for the OCR of a document
 * that has no text but pictures (pages scanned and pasted into Word). [MS-DOC]: each picture is a special character
 * (`\x01`, sprmCFSpec) whose character properties (the ChpxFkp pages of PlcBteChpx, fib pair 12) give, by
 * sprmCPicLocation, the offset in the Data stream of its PICF; after the PICF's header (and, for MM_SHAPEFILE, the
 * picture's file name) stand an OfficeArtInlineSpContainer's shape and its OfficeArtFBSE records ([MS-ODRAW]), each
 * holding the picture's BLIP (a JPEG, PNG, TIFF or DIB file, behind one or two 16-byte ids and a tag byte) or pointing to it
 * in the WordDocument stream (`foDelay`). Floating pictures (a picture dragged or set to wrap, an anchored shape) are
 * found through the drawing instead ({@link docFloatingPictures}) and put in the order of their anchors. Everything is
 * read bounded: a damaged table or record gives fewer pictures, never an error.
 */
import { eachSprm, type DocPiece } from './doc-numbering.js';
import { dggContainer, eachMainShape, shapeAnchors } from './doc-textboxes.js';

/** sprmCFSpec (the character is special: a picture, a field mark) and sprmCPicLocation (its PICF's Data offset). */
const SPRM_C_F_SPEC = 0x0855;
const SPRM_C_PIC_LOCATION = 0x6a03;
/** Most pictures read (a scan of a long report is a few hundred pages). */
export const MAX_DOC_PICTURES = 2000;
/** Most runs a character property page may have ([MS-DOC]: crun ≤ 0x65). */
const MAX_CHPX_RUNS = 0x65;

/** A picture of the body: its file's bytes when it is a format the OCR decodes (JPEG, PNG, TIFF, DIB as BMP), else its kind. */
export interface DocPicture {
  bytes?: Uint8Array;
  kind: string;
}

/** BLIP record types ([MS-ODRAW] 2.2.23): the kind each stores. */
const BLIP_KIND: Readonly<Record<number, string>> = { 0xf01a: 'EMF', 0xf01b: 'WMF', 0xf01c: 'PICT', 0xf01d: 'JPEG', 0xf01e: 'PNG', 0xf01f: 'DIB', 0xf029: 'TIFF', 0xf02a: 'JPEG' };

/** The file in a BLIP record at `at` of `buf` (its header included), or its kind when it is not one the OCR decodes. */
function blipFile(buf: Buffer, at: number): DocPicture | undefined {
  if (at < 0 || at + 8 > buf.length) return undefined;
  const inst = buf.readUInt16LE(at) >> 4;
  const type = buf.readUInt16LE(at + 2);
  const len = buf.readUInt32LE(at + 4);
  const kind = BLIP_KIND[type];
  if (kind === undefined) return undefined;
  if (kind !== 'JPEG' && kind !== 'PNG' && kind !== 'DIB' && kind !== 'TIFF') return { kind };
  // One id, or two when the instance is odd (0x46B, 0x6E1, 0x6E3, 0x7A9), then a tag byte.
  const start = at + 8 + (inst & 1 ? 32 : 16) + 1;
  const end = Math.min(buf.length, at + 8 + len);
  if (start >= end) return undefined;
  const file = new Uint8Array(buf.subarray(start, end));
  return { kind, bytes: kind === 'DIB' ? bmpOfDib(file) : file };
}

/** A BMP file of a device-independent bitmap (a BITMAPINFOHEADER, its colour table, its pixels): the 14-byte file header put in front. */
export function bmpOfDib(dib: Uint8Array): Uint8Array {
  if (dib.length < 40) return dib;
  const view = new DataView(dib.buffer, dib.byteOffset, dib.byteLength);
  const headerSize = view.getUint32(0, true);
  const bitCount = view.getUint16(14, true);
  const used = view.getUint32(32, true);
  const colours = used !== 0 ? used : bitCount <= 8 ? 1 << bitCount : 0;
  const out = new Uint8Array(14 + dib.length);
  const o = new DataView(out.buffer);
  out[0] = 0x42;
  out[1] = 0x4d;
  o.setUint32(2, out.length, true);
  o.setUint32(10, Math.min(out.length, 14 + headerSize + colours * 4), true);
  out.set(dib, 14);
  return out;
}

/** The picture a PICF at `offset` of the Data stream holds (its first BLIP). */
function pictureAt(data: Buffer, word: Buffer, offset: number): DocPicture | undefined {
  if (offset < 0 || offset + 8 > data.length) return undefined;
  const lcb = data.readUInt32LE(offset);
  const cbHeader = data.readUInt16LE(offset + 4);
  const mm = data.readUInt16LE(offset + 6);
  const end = Math.min(data.length, offset + lcb);
  let p = offset + cbHeader;
  // MM_SHAPEFILE: the picture's file name (a length byte and the name) before the records.
  if (mm === 0x66 && p < end) p += 1 + data[p]!;
  // The records: the shape (skipped), then its FBSE records; a handful at most.
  for (let records = 0; p + 8 <= end && records < 16; records++) {
    const type = data.readUInt16LE(p + 2);
    const len = data.readUInt32LE(p + 4);
    if (type === 0xf007 && len >= 36 && p + 8 + 36 <= end) {
      const fbse = p + 8;
      const cbName = data[fbse + 33]!;
      const embedded = fbse + 36 + cbName;
      if (len > 36 + cbName) return blipFile(data, embedded);
      // The BLIP kept in the WordDocument stream.
      return blipFile(word, data.readUInt32LE(fbse + 28));
    }
    if (len > end - p - 8) break;
    p += 8 + len;
  }
  return undefined;
}

/** The cp of file offset `fc`, through the piece table sorted by file offset; undefined when no piece holds it. */
function cpOf(byFc: readonly DocPiece[], fc: number): number | undefined {
  let lo = 0;
  let hi = byFc.length - 1;
  let i = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (byFc[mid]!.fc <= fc) {
      i = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const piece = i < 0 ? undefined : byFc[i]!;
  if (!piece || fc >= piece.fc + (piece.endCp - piece.startCp) * piece.bpc) return undefined;
  return piece.startCp + Math.floor((fc - piece.fc) / piece.bpc);
}

/** Most file offsets looked up (a crafted file of many pages of picture runs stops here). */
const MAX_LOOKUPS = 1_000_000;

/**
 * The inline pictures of the body (`body`: its story as stored, a picture a `\x01`), in document order, at most
 * {@link MAX_DOC_PICTURES}; a picture stored once and shown twice is read twice, as it shows. A special character that
 * is no picture (a form field's mark, whose location names its FFData) is not taken. Empty when the tables are missing
 * or damaged.
 */
export function docInlinePictures(word: Buffer, table: Buffer, data: Buffer | undefined, pieces: readonly DocPiece[], body: string): DocPicture[] {
  return inlinePictures(word, table, data, pieces, body).map((p) => p.picture);
}

/** {@link docInlinePictures} with the body cp of each. */
function inlinePictures(word: Buffer, table: Buffer, data: Buffer | undefined, pieces: readonly DocPiece[], body: string): { cp: number; picture: DocPicture }[] {
  if (!data || word.length < 0x102) return [];
  const fc = word.readUInt32LE(0xfa);
  const lcb = word.readUInt32LE(0xfe);
  if (lcb < 12 || (lcb - 4) % 8 !== 0 || fc + lcb > table.length) return [];
  const n = (lcb - 4) / 8;
  const found: { cp: number; offset: number }[] = [];
  const seen = new Set<number>();
  const byFc = [...pieces].sort((a, b) => a.fc - b.fc);
  // A character is one picture, whatever runs (overlapping in a damaged page) name it.
  const taken = new Set<number>();
  let lookups = 0;
  for (let i = 0; i < n && found.length < MAX_DOC_PICTURES; i++) {
    const pn = table.readUInt32LE(fc + (n + 1) * 4 + i * 4) & 0x3fffff;
    if (seen.has(pn)) continue;
    seen.add(pn);
    const page = pn * 512;
    if (page + 512 > word.length) continue;
    const crun = word[page + 511]!;
    if (crun > MAX_CHPX_RUNS) continue;
    for (let j = 0; j < crun && found.length < MAX_DOC_PICTURES; j++) {
      const b = word[page + (crun + 1) * 4 + j]!;
      if (b === 0) continue;
      const at = page + b * 2;
      const cb = word[at]!;
      if (at + 1 + cb > page + 511) continue;
      let special = false;
      let location: number | undefined;
      eachSprm(word, at + 1, at + 1 + cb, (sprm, op, opEnd) => {
        if (sprm === SPRM_C_F_SPEC && op < opEnd) special = word[op] !== 0;
        if (sprm === SPRM_C_PIC_LOCATION && op + 4 <= opEnd) location = word.readUInt32LE(op);
      });
      if (!special || location === undefined) continue;
      const from = word.readUInt32LE(page + j * 4);
      const to = word.readUInt32LE(page + (j + 1) * 4);
      // Each picture character of the run (Word gives each picture a run of its own; one run of two would be the same
      // picture shown twice). A run's bytes are as many as its characters' (at most a page's worth: 512 a run).
      let last = -1;
      for (let f = from; f < to && f < from + 1024 && found.length < MAX_DOC_PICTURES && lookups < MAX_LOOKUPS; f++, lookups++) {
        const cp = cpOf(byFc, f);
        // A character of two bytes is looked up at each: taken once.
        if (cp !== undefined && cp !== last && body[cp] === '\x01' && !taken.has(cp)) {
          taken.add(cp);
          found.push({ cp, offset: location });
        }
        if (cp !== undefined) last = cp;
      }
    }
  }
  found.sort((a, b) => a.cp - b.cp);
  return found.map((f) => ({ cp: f.cp, picture: pictureAt(data, word, f.offset) ?? { kind: 'damaged' } }));
}

/** The property of a shape that names its picture: `pib`, a 1-based index into the BStore ([MS-ODRAW] 2.3.23.1). */
const PIB = 0x0104;

/** The FBSE records of the OfficeArtBStoreContainer (0xF001) of the drawing group: each picture's place, in order. */
function bstore(table: Buffer, dgg: [number, number]): number[] {
  const out: number[] = [];
  for (let at = dgg[0]; at + 8 <= dgg[1]; ) {
    const type = table.readUInt16LE(at + 2);
    const len = table.readUInt32LE(at + 4);
    if (at + 8 + len > dgg[1]) break;
    if (type === 0xf001) {
      for (let p = at + 8; p + 8 <= at + 8 + len && out.length < MAX_DOC_PICTURES; ) {
        const t = table.readUInt16LE(p + 2);
        const l = table.readUInt32LE(p + 4);
        if (p + 8 + l > at + 8 + len) break;
        // An FBSE, or a BLIP stored in the container itself (index kept either way).
        out.push(t === 0xf007 && l >= 36 ? p + 8 : -1);
        p += 8 + l;
      }
    }
    at += 8 + len;
  }
  return out;
}

/**
 * The floating pictures of the body: shapes of the main document's drawing whose `pib` names a picture of the BStore
 * (its FBSE's BLIP, stored after it or in the WordDocument stream at `foDelay`), each with the body cp its shape is
 * anchored at (PlcSpaMom). A picture dragged into place or set to wrap (上下型环绕) is such a shape, not a `\x01`.
 * At most {@link MAX_DOC_PICTURES}; empty where the tables or records are missing or damaged.
 */
export function docFloatingPictures(word: Buffer, table: Buffer, bodyLength: number): { cp: number; picture: DocPicture }[] {
  const anchorOf = shapeAnchors(word, table, bodyLength);
  const dgg = dggContainer(word, table);
  if (!anchorOf || !dgg) return [];
  const store = bstore(table, dgg);
  const out: { cp: number; picture: DocPicture }[] = [];
  eachMainShape(word, table, (shape) => {
    const pib = shape.props.get(PIB);
    const cp = shape.spid === undefined ? undefined : anchorOf.get(shape.spid);
    if (pib === undefined || !shape.blip.has(PIB) || cp === undefined || out.length >= MAX_DOC_PICTURES) return;
    const fbse = store[pib - 1];
    if (fbse === undefined || fbse < 0) {
      out.push({ cp, picture: { kind: 'damaged' } });
      return;
    }
    const len = table.readUInt32LE(fbse - 4);
    const cbName = table[fbse + 33]!;
    const picture = len > 36 + cbName ? blipFile(table, fbse + 36 + cbName) : blipFile(word, table.readUInt32LE(fbse + 28));
    out.push({ cp, picture: picture ?? { kind: 'damaged' } });
  });
  return out;
}

/**
 * The body's pictures, inline and floating, in the order of their places in the body (an inline picture's character,
 * a floating one's anchor; an inline picture first where both stand at one cp).
 */
export function docPictures(word: Buffer, table: Buffer, data: Buffer | undefined, pieces: readonly DocPiece[], body: string): DocPicture[] {
  const all = [...inlinePictures(word, table, data, pieces, body).map((p) => ({ ...p, floating: 0 })), ...docFloatingPictures(word, table, body.length).map((p) => ({ ...p, floating: 1 }))];
  return all
    .sort((a, b) => a.cp - b.cp || a.floating - b.floating)
    .slice(0, MAX_DOC_PICTURES)
    .map((p) => p.picture);
}
