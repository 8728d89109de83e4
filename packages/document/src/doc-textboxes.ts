/**
 * Where a Word 97 document's text boxes stand in its text. Word keeps the text of every text box of the main document
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

/** One text box of the main document: its range of the textbox story, and the body cp its shape is anchored at. */
export interface DocTextBox {
  from: number;
  to: number;
  anchor: number;
}

/** FibRgFcLcb97's fields are 8 bytes each (fc, lcb) from offset 154 of the FIB; these are their indexes. */
const PLC_SPA_MOM = 40;
const PLCFTXBX_TXT = 56;
const FSPA_SIZE = 26;
const FTXBXS_SIZE = 22;

/** The fc and lcb of FibRgFcLcb97 field `index`, or undefined where the FIB is too short to hold it. */
function fibField(word: Buffer, index: number): { fc: number; lcb: number } | undefined {
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

/**
 * The main document's text boxes whose shape is anchored in the body (`bodyLength` cps) and whose text lies within the
 * textbox story (`storyLength` cps), in the order of the textbox story; empty where the tables are missing or damaged.
 */
export function docTextBoxes(word: Buffer, table: Buffer, bodyLength: number, storyLength: number): DocTextBox[] {
  if (storyLength === 0) return [];
  const shapes = plc(table, fibField(word, PLC_SPA_MOM), FSPA_SIZE);
  const boxes = plc(table, fibField(word, PLCFTXBX_TXT), FTXBXS_SIZE);
  if (!shapes || !boxes) return [];
  const anchorOf = new Map<number, number>();
  for (let i = 0; i < shapes.n; i++) {
    const cp = shapes.cps[i]!;
    const spid = table.readInt32LE(shapes.data + i * FSPA_SIZE);
    if (cp < bodyLength && !anchorOf.has(spid)) anchorOf.set(spid, cp);
  }
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
