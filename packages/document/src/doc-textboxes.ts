/**
 * Where a Word 97 document's text boxes and WordArt stand in its text (WordArt: {@link docWordArt}, below). Word keeps the text of every text box of the main document
 * in a story of its own (the textbox story, after the body, notes and comments), and each text box's shape anchored
 * at a character of the body (`\x08`). Read after the body, a 红头 set in a text box, or a boxed note beside a
 * paragraph, would come after the signature; read at its anchor, it comes where LibreOffice's and mammoth's readings of
 * the same document put it (after the paragraph that holds the anchor).
 *
 * Two tables of the table stream give the link ([MS-DOC] 2.8.25 PlcfSpa, 2.8.32 PlcftxbxTxt): PlcSpaMom, each shape's
 * anchor cp in the body with its FSPA (whose first field is the shape's id, `spid`), and PlcftxbxTxt, each text box's
 * range of the textbox story with its FTXBXS (whose `lid` is the id of the shape the text begins in; a reusable entry
 * holds no text box). A table that is missing, of a size no such table has, past its stream, or out of order gives no
 * anchors: the text boxes are then read after the body, as before.
 */

/**
 * One text box of the main document: its range of the textbox story, and the body cp its shape is anchored at; or a
 * WordArt shape's text (`text`, the range then empty).
 */
export interface DocTextBox {
  from: number;
  to: number;
  anchor: number;
  text?: string;
}

/** FibRgFcLcb97's fields are 8 bytes each (fc, lcb) from offset 154 of the FIB; these are their indexes. */
const PLC_SPA_MOM = 40;
const DGG_INFO = 50;
const PLCFTXBX_TXT = 56;
const FSPA_SIZE = 26;
const FTXBXS_SIZE = 22;

/** The fc and lcb of FibRgFcLcb97 field `index`, or undefined where the FIB is too short to hold it. */
export function fibField(word: Buffer, index: number): { fc: number; lcb: number } | undefined {
  if (word.length < 154 || word.readUInt16LE(152) <= index) return undefined;
  const at = 154 + index * 8;
  if (at + 8 > word.length) return undefined;
  return { fc: word.readUInt32LE(at), lcb: word.readUInt32LE(at + 4) };
}

/** A PLC's cps and the offset of its data, when it has the shape of one with `size`-byte data elements within `table`. */
function plc(table: Buffer, field: { fc: number; lcb: number } | undefined, size: number): { cps: number[]; data: number; n: number } | undefined {
  if (!field || field.lcb < 4 + 4 + size || (field.lcb - 4) % (4 + size) !== 0 || field.fc + field.lcb > table.length) return undefined;
  const n = (field.lcb - 4) / (4 + size);
  const cps: number[] = [];
  for (let i = 0; i <= n; i++) {
    const cp = table.readInt32LE(field.fc + i * 4);
    if (cp < 0 || (i > 0 && cp < cps[i - 1]!)) return undefined;
    cps.push(cp);
  }
  return { cps, data: field.fc + (n + 1) * 4, n };
}

/** The body cp each shape of the main document is anchored at, by its spid (PlcSpaMom), or undefined without the table. */
export function shapeAnchors(word: Buffer, table: Buffer, bodyLength: number): Map<number, number> | undefined {
  const shapes = plc(table, fibField(word, PLC_SPA_MOM), FSPA_SIZE);
  if (!shapes) return undefined;
  const anchorOf = new Map<number, number>();
  for (let i = 0; i < shapes.n; i++) {
    const cp = shapes.cps[i]!;
    const spid = table.readInt32LE(shapes.data + i * FSPA_SIZE);
    if (cp < bodyLength && !anchorOf.has(spid)) anchorOf.set(spid, cp);
  }
  return anchorOf;
}

/**
 * The main document's text boxes whose shape is anchored in the body (`bodyLength` cps) and whose text lies within the
 * textbox story (`storyLength` cps), in the order of the textbox story; empty where the tables are missing or damaged.
 */
export function docTextBoxes(word: Buffer, table: Buffer, bodyLength: number, storyLength: number): DocTextBox[] {
  if (storyLength === 0) return [];
  const anchorOf = shapeAnchors(word, table, bodyLength);
  const boxes = plc(table, fibField(word, PLCFTXBX_TXT), FTXBXS_SIZE);
  if (!anchorOf || !boxes) return [];
  const out: DocTextBox[] = [];
  for (let i = 0; i < boxes.n; i++) {
    const at = boxes.data + i * FTXBXS_SIZE;
    const reusable = (table.readUInt16LE(at + 8) & 1) !== 0;
    const lid = table.readInt32LE(at + 14);
    const anchor = anchorOf.get(lid);
    const from = boxes.cps[i]!;
    const to = boxes.cps[i + 1]!;
    if (reusable || anchor === undefined || to > storyLength) continue;
    out.push({ from, to, anchor });
  }
  return out;
}

/** OfficeArt records ([MS-ODRAW] 2.2.1): a container's version is 0xF; the records read and the property of WordArt's text. */
const CONTAINER = 0xf;
const FSP = 0xf00a;
const FOPT = 0xf00b;
const SP_CONTAINER = 0xf004;
const GTEXT_UNICODE = 0x00c0;
/** Bounds on the drawing records walked: real documents nest a few levels and hold hundreds of shapes. */
const MAX_DEPTH = 16;
const MAX_RECORDS = 200_000;

/** One shape of the main document's drawing: its spid (FSP) and its properties (FOPT: simple values, and complex data's place). */
export interface DrawingShape {
  spid: number | undefined;
  /** Simple property values by property id (`opid & 0x3fff`), with the blip flag (`0x4000`) of each in `blip`. */
  props: Map<number, number>;
  blip: Set<number>;
  /** Complex properties' data: [from, to) of the table stream, by property id. */
  complex: Map<number, [number, number]>;
}

/**
 * Each shape (OfficeArtSpContainer) of the main document's drawing, in the table stream's DggInfo ([MS-ODRAW]:
 * OfficeArtContent, the OfficeArtDggContainer then each drawing as a byte — 0 the main document's, 1 the headers' —
 * and its OfficeArtDgContainer); false where the records are missing, damaged or past the bounds (what was met before
 * is kept).
 */
export function eachMainShape(word: Buffer, table: Buffer, visit: (shape: DrawingShape) => void): boolean {
  const dgg = fibField(word, DGG_INFO);
  if (!dgg || dgg.lcb < 8 || dgg.fc + dgg.lcb > table.length) return false;
  let records = 0;
  const end = dgg.fc + dgg.lcb;
  const shape = (from: number, to: number): void => {
    const found: DrawingShape = { spid: undefined, props: new Map(), blip: new Set(), complex: new Map() };
    for (let at = from; at + 8 <= to; ) {
      const verInst = table.readUInt16LE(at);
      const type = table.readUInt16LE(at + 2);
      const len = table.readUInt32LE(at + 4);
      if (at + 8 + len > to) break;
      if (type === FSP && len >= 4) found.spid = table.readInt32LE(at + 8);
      else if (type === FOPT) {
        const count = verInst >> 4;
        let complex = at + 8 + 6 * count;
        for (let k = 0; k < count && at + 8 + 6 * k + 6 <= at + 8 + len; k++) {
          const opid = table.readUInt16LE(at + 8 + 6 * k);
          const op = table.readUInt32LE(at + 8 + 6 * k + 2);
          const id = opid & 0x3fff;
          if (opid & 0x8000) {
            if (complex + op <= at + 8 + len) found.complex.set(id, [complex, complex + op]);
            complex += op;
            continue;
          }
          found.props.set(id, op);
          if (opid & 0x4000) found.blip.add(id);
        }
      }
      at += 8 + len;
    }
    visit(found);
  };
  const walk = (from: number, to: number, depth: number): boolean => {
    for (let at = from; at + 8 <= to; ) {
      if (++records > MAX_RECORDS) return false;
      const ver = table.readUInt16LE(at) & 0xf;
      const type = table.readUInt16LE(at + 2);
      const len = table.readUInt32LE(at + 4);
      if (at + 8 + len > to) return false;
      if (type === SP_CONTAINER) shape(at + 8, at + 8 + len);
      else if (ver === CONTAINER && depth < MAX_DEPTH && !walk(at + 8, at + 8 + len, depth + 1)) return false;
      at += 8 + len;
    }
    return true;
  };
  let at = dgg.fc;
  const dggLength = table.readUInt32LE(at + 4);
  at += 8 + dggLength;
  while (at + 9 <= end) {
    const main = table[at] === 0;
    const len = table.readUInt32LE(at + 5);
    if (at + 9 + len > end) break;
    if (main && !walk(at + 9, at + 9 + len, 0)) return false;
    at += 9 + len;
  }
  return true;
}

/** The OfficeArtDggContainer's place in the table stream (the first record of DggInfo), when there is one. */
export function dggContainer(word: Buffer, table: Buffer): [number, number] | undefined {
  const dgg = fibField(word, DGG_INFO);
  if (!dgg || dgg.lcb < 8 || dgg.fc + dgg.lcb > table.length) return undefined;
  const len = table.readUInt32LE(dgg.fc + 4);
  return dgg.fc + 8 + len <= dgg.fc + dgg.lcb ? [dgg.fc + 8, dgg.fc + 8 + len] : undefined;
}

/**
 * The main document's WordArt: shapes (OfficeArtSpContainer, in the table stream's DggInfo) whose properties hold
 * `gtextUNICODE`, the text WordArt draws (a 红头 set as WordArt), with the body cp their shape is anchored at
 * (PlcSpaMom, by spid). Word keeps that text in no story, so a reader of the stories alone loses it. Empty where the
 * drawing records are missing, damaged or past the bounds.
 */
export function docWordArt(word: Buffer, table: Buffer, bodyLength: number): DocTextBox[] {
  const anchorOf = shapeAnchors(word, table, bodyLength);
  if (!anchorOf) return [];
  const out: DocTextBox[] = [];
  const whole = eachMainShape(word, table, (shape) => {
    const range = shape.complex.get(GTEXT_UNICODE);
    const text = range ? table.toString('utf16le', range[0], range[1] - ((range[1] - range[0]) % 2)).replace(/\0+$/, '') : undefined;
    const anchor = shape.spid === undefined ? undefined : anchorOf.get(shape.spid);
    if (text !== undefined && text.trim() !== '' && anchor !== undefined) out.push({ from: 0, to: 0, anchor, text });
  });
  return whole ? out : [];
}
