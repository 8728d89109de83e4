/**
 * Word's automatic numbering in a Word 97–2003 binary (.doc, [MS-DOC]) made text, as {@link withNumberText} does for a
 * .docx. The numbers (一、 （一） 1. （1）) are not in the text stream: Word computes them from the list tables. They are
 * read here into the .docx reader's {@link NumberingDefinitions} (an LSTF is an abstract numbering, an LFO a `w:num`, a
 * paragraph style a style) and counted by its {@link NumberingCounter}, so that both formats number alike.
 *
 * - `fcPlfLst`: the lists (LSTF: `lsid`, the style of each level, one level or nine), followed by their levels (LVL:
 *   LVLF with `iStartAt`, `nfc`, `fLegal`, `fNoRestart`/`ilvlRestartLim`, `ixchFollow`; the level's paragraph and
 *   character sprms; the level text, whose characters 0x00–0x08 stand for the levels' numbers).
 * - `fcPlfLfo`: the list overrides (LFO: the list's `lsid`; LFOLVL: a start-at override, or a whole level).
 * - `fcStshf`: the style sheet; a paragraph style's paragraph UPX can number it (`sprmPIlfo`, `sprmPIlvl`), inherited
 *   through `istdBase`.
 * - `fcPlcfBtePapx`: the paragraph property pages (PapxFkp), which give each paragraph (by the file offset of its
 *   paragraph mark) its style `istd` and sprms: `sprmPIlfo` (0x460B), `sprmPIlvl` (0x260A), `sprmPFInTable`, `sprmPFTtp`,
 *   and a row end mark's `sprmTDefTable` (0xD608), whose cell edges the reader places a row's cells by ({@link rowEdgesOf}).
 *
 * Every offset and length is checked against its stream, every count is bounded by the bytes it needs, and a damaged
 * table throws {@link DocNumberingDamaged}, which the reader turns into a diagnostic: the numbers are left out, the text
 * is read all the same.
 */
import { NumberingCounter, type AbstractNum, type Level, type Num, type NumberingDefinitions, type Style } from './docx-numbering.js';

/** A damaged list table, style sheet or property page: what is wrong, for the diagnostic. */
export class DocNumberingDamaged extends Error {}

const LEVELS = 9;
/** Start values are clamped to Word's range (its dialog goes to 32767). */
const MAX_START = 32767;
/** Longest level text kept (Word's dialog takes far fewer characters). */
const MAX_LVL_TEXT = 64;
/** No style (`istd` 0x0FFF). */
const NO_STYLE = 0x0fff;
/** Most list overrides read: an ilfo is at most 0x07FE in Word ([MS-DOC] sprmPIlfo); a table claiming far more is damaged. */
const MAX_LFOS = 0x7fff;
/** Most paragraph runs in one property page ([MS-DOC] 2.9.175: `crun` MUST be at most 0x1D). */
const MAX_FKP_RUNS = 0x1d;

/** `nfc` ([MS-DOC] 2.2.1.3 MSONFC) as the `w:numFmt` names of {@link formatNumber}; 0xFF is none, others decimal. */
const NFC = [
  'decimal', 'upperRoman', 'lowerRoman', 'upperLetter', 'lowerLetter', 'ordinal', 'cardinalText', 'ordinalText', 'hex', 'chicago',
  'ideographDigital', 'japaneseCounting', 'aiueo', 'iroha', 'decimalFullWidth', 'decimalHalfWidth', 'japaneseLegal', 'japaneseDigitalTenThousand', 'decimalEnclosedCircle', 'decimalFullWidth2',
  'aiueoFullWidth', 'irohaFullWidth', 'decimalZero', 'bullet', 'ganada', 'chosung', 'decimalEnclosedFullstop', 'decimalEnclosedParen', 'decimalEnclosedCircleChinese', 'ideographEnclosedCircle',
  'ideographTraditional', 'ideographZodiac', 'ideographZodiacTraditional', 'taiwaneseCounting', 'ideographLegalTraditional', 'taiwaneseCountingThousand', 'taiwaneseDigital', 'chineseCounting', 'chineseLegalSimplified', 'chineseCountingThousand',
];

/** `ixchFollow`: what follows the number. */
const FOLLOW = ['tab', 'space', 'nothing'];

const SPRM_P_ILFO = 0x460b;
const SPRM_P_ILVL = 0x260a;
const SPRM_P_F_IN_TABLE = 0x2416;
const SPRM_P_F_TTP = 0x2417;
const SPRM_C_F_VANISH = 0x083c;
const SPRM_T_DEF_TABLE = 0xd608;
const SPRM_P_CHG_TABS = 0xc615;
/**
 * sprmPHugePapx (0x6646, and 0x6645 as Word 97 wrote it): the paragraph's properties are too long for its property page
 * and stand in the Data stream at the operand's offset, as a PrcData (`cbGrpprl`, then the grpprl). Word, and
 * LibreOffice, write a table row's end mark so when the row's definition is long (many cells, each with its borders).
 */
const SPRM_P_HUGE_PAPX = 0x6646;
const SPRM_P_HUGE_PAPX_97 = 0x6645;
/** Longest grpprl a PrcData holds ([MS-DOC] 2.8.26: `cbGrpprl` MUST be at most 0x3FA2). */
const MAX_HUGE_GRPPRL = 0x3fa2;

/** What a paragraph's PAPX says about its numbering. */
export interface DocParagraphProps {
  istd: number;
  ilfo?: number;
  ilvl?: number;
  inTable: boolean;
  rowEnd: boolean;
  /** A row end mark's cell edges (twips, `rgdxaCenter` of `sprmTDefTable`): one more than the row's cells. */
  edges?: number[];
}

/** A run of paragraphs' file offsets `[from, to)` with their properties, from a property page. */
export interface PapxRun {
  from: number;
  to: number;
  props: DocParagraphProps;
}

/** A text piece: characters `[startCp, endCp)` at file offset `fc`, 1 or 2 bytes each. */
export interface DocPiece {
  startCp: number;
  endCp: number;
  fc: number;
  bpc: number;
}

function need(buf: Buffer, at: number, n: number, what: string): void {
  if (!Number.isSafeInteger(at) || at < 0 || n < 0 || at + n > buf.length) throw new DocNumberingDamaged(`${what} lies past the end of its stream`);
}

/**
 * Each sprm of a grpprl `[from, to)`, with its operand's range ([MS-DOC] 2.2.5.1: the operand's size from `spra`).
 * Every step moves on at least two bytes; a sprm whose operand runs past `to` ends the list.
 */
export function eachSprm(buf: Buffer, from: number, to: number, fn: (sprm: number, at: number, end: number) => void): void {
  let p = from;
  while (p + 2 <= to) {
    const sprm = buf.readUInt16LE(p);
    p += 2;
    let size: number;
    switch (sprm >>> 13) {
      case 0:
      case 1:
        size = 1;
        break;
      case 2:
      case 4:
      case 5:
        size = 2;
        break;
      case 3:
        size = 4;
        break;
      case 7:
        size = 3;
        break;
      default: {
        if (sprm === SPRM_T_DEF_TABLE) {
          if (p + 2 > to) return;
          size = 2 + Math.max(0, buf.readUInt16LE(p) - 1);
        } else {
          if (p + 1 > to) return;
          const cb = buf[p]!;
          // sprmPChgTabs with cb 255 has a longer form; nothing numbering needs follows it in practice.
          if (sprm === SPRM_P_CHG_TABS && cb === 255) return;
          size = 1 + cb;
        }
      }
    }
    if (p + size > to) return;
    fn(sprm, p, p + size);
    p += size;
  }
}

/** Most cells of a table row in Word ([MS-DOC] 2.9.328 TDefTableOperand: `NumberOfColumns` MUST be at most 63). */
const MAX_ROW_CELLS = 63;

/**
 * Paragraph sprms that number: `sprmPIlfo`, `sprmPIlvl` (and table marks, and a row's cell edges: `sprmTDefTable`'s
 * operand is its size, the number of cells, then the cells' edges, `rgdxaCenter`, one more than the cells).
 */
function readParagraphSprms(buf: Buffer, from: number, to: number, into: { ilfo?: number; ilvl?: number; inTable?: boolean; rowEnd?: boolean; edges?: number[] }): void {
  eachSprm(buf, from, to, (sprm, at, end) => {
    if (sprm === SPRM_P_ILFO) into.ilfo = buf.readInt16LE(at);
    else if (sprm === SPRM_P_ILVL) into.ilvl = buf[at]!;
    else if (sprm === SPRM_P_F_IN_TABLE) into.inTable = buf[at] !== 0;
    else if (sprm === SPRM_P_F_TTP) into.rowEnd = buf[at] !== 0;
    else if (sprm === SPRM_T_DEF_TABLE && at + 3 <= end) {
      const cells = buf[at + 2]!;
      if (cells >= 1 && cells <= MAX_ROW_CELLS && at + 3 + 2 * (cells + 1) <= end) {
        into.edges = [];
        for (let k = 0; k <= cells; k++) into.edges.push(buf.readInt16LE(at + 3 + 2 * k));
      }
    }
  });
}

/** A level's numbering and level from `ilfo` and `ilvl` as {@link NumberingCounter} takes them. */
function numPr(ilfo: number | undefined, ilvl: number | undefined): { numId?: string; ilvl?: number } | undefined {
  if (ilfo === undefined && ilvl === undefined) return undefined;
  const out: { numId?: string; ilvl?: number } = {};
  // 0 is no list; negative values (0xF801: numbering removed) number nothing either.
  if (ilfo !== undefined) out.numId = ilfo > 0 ? String(ilfo) : '0';
  if (ilvl !== undefined) out.ilvl = ilvl < LEVELS ? ilvl : -1;
  return out;
}

/** One LVL at `at`: the level and where the next begins. */
function readLvl(table: Buffer, at: number): { level: Level; next: number } {
  need(table, at, 28, 'a list level (LVLF)');
  const iStartAt = table.readInt32LE(at);
  const nfc = table[at + 4]!;
  const flags = table[at + 5]!;
  const ixchFollow = table[at + 15]!;
  const cbGrpprlChpx = table[at + 24]!;
  const cbGrpprlPapx = table[at + 25]!;
  const ilvlRestartLim = table[at + 26]!;
  let p = at + 28 + cbGrpprlPapx;
  need(table, p, cbGrpprlChpx, "a list level's character properties");
  let hidden = false;
  eachSprm(table, p, p + cbGrpprlChpx, (sprm, op) => {
    // sprmCFVanish: 1 on, 0x81 the style's opposite (taken as on), 0 and 0x80 off.
    if (sprm === SPRM_C_F_VANISH) hidden = (table[op]! & 1) === 1;
  });
  p += cbGrpprlChpx;
  need(table, p, 2, "a list level's number text");
  const cch = table.readUInt16LE(p);
  p += 2;
  need(table, p, cch * 2, "a list level's number text");
  let text = '';
  for (let i = 0; i < cch && text.length < MAX_LVL_TEXT; i++) {
    const c = table.readUInt16LE(p + i * 2);
    // 0x00–0x08: the number of level 1–9; other control characters are no text.
    if (c < LEVELS) text += `%${c + 1}`;
    else if (c >= 0x20) text += String.fromCharCode(c);
  }
  p += cch * 2;
  const level: Level = {
    start: Math.min(MAX_START, Math.max(0, iStartAt)),
    fmt: nfc === 0xff ? 'none' : (NFC[nfc] ?? 'decimal'),
    text,
    suff: FOLLOW[ixchFollow] ?? 'tab',
  };
  if (flags & 0x04) level.isLgl = true;
  // fNoRestart: the level restarts only after levels above ilvlRestartLim (0: never), as w:lvlRestart says.
  if (flags & 0x08) level.restart = ilvlRestartLim;
  if (hidden) level.hidden = true;
  return { level, next: p };
}

/** The list tables (PlfLst and its LVLs, PlfLfo) as abstract numberings and nums. */
function readLists(word: Buffer, table: Buffer, defs: NumberingDefinitions): void {
  const fcLst = word.readUInt32LE(0x2e2);
  const lcbLst = word.readUInt32LE(0x2e6);
  const fcLfo = word.readUInt32LE(0x2ea);
  const lcbLfo = word.readUInt32LE(0x2ee);
  need(table, fcLst, lcbLst, 'the list table (PlfLst)');
  if (lcbLst < 2) throw new DocNumberingDamaged('the list table (PlfLst) is cut short');
  const cLst = table.readInt16LE(fcLst);
  if (cLst < 0 || 2 + cLst * 28 > lcbLst) throw new DocNumberingDamaged(`the list table names ${cLst} lists but holds ${Math.floor((lcbLst - 2) / 28)}`);
  // The LVLs follow the PlfLst (lcbPlfLst does not count them): one for a simple list, nine for the others.
  let p = fcLst + lcbLst;
  const lists: { lsid: number; styles: number[]; simple: boolean }[] = [];
  for (let i = 0; i < cLst; i++) {
    const at = fcLst + 2 + i * 28;
    const styles: number[] = [];
    for (let l = 0; l < LEVELS; l++) styles.push(table.readUInt16LE(at + 8 + l * 2));
    lists.push({ lsid: table.readInt32LE(at), styles, simple: (table[at + 26]! & 0x01) !== 0 });
  }
  for (const list of lists) {
    const abs: AbstractNum = { levels: new Array<Level | undefined>(LEVELS) };
    for (let l = 0; l < (list.simple ? 1 : LEVELS); l++) {
      const r = readLvl(table, p);
      p = r.next;
      if (list.styles[l] !== NO_STYLE) r.level.pStyle = String(list.styles[l]);
      abs.levels[l] = r.level;
    }
    const id = String(list.lsid);
    if (!defs.abstracts.has(id)) defs.abstracts.set(id, abs);
  }

  need(table, fcLfo, lcbLfo, 'the list override table (PlfLfo)');
  if (lcbLfo < 4) throw new DocNumberingDamaged('the list override table (PlfLfo) is cut short');
  const end = fcLfo + lcbLfo;
  const lfoMac = table.readInt32LE(fcLfo);
  if (lfoMac < 0 || 4 + lfoMac * 16 > lcbLfo) throw new DocNumberingDamaged(`the list override table names ${lfoMac} overrides but holds ${Math.floor((lcbLfo - 4) / 16)}`);
  if (lfoMac > MAX_LFOS) throw new DocNumberingDamaged(`the list override table holds ${lfoMac} overrides, more than Word numbers with (${MAX_LFOS})`);
  // Then one LFOData per LFO: a cp, then its LFOLVLs (8 bytes, then an LVL when fFormatting).
  let q = fcLfo + 4 + lfoMac * 16;
  for (let i = 0; i < lfoMac; i++) {
    const at = fcLfo + 4 + i * 16;
    const lsid = table.readInt32LE(at);
    const clfolvl = table[at + 12]!;
    const num: Num = { abstractId: String(lsid), overrides: new Array(LEVELS) };
    if (clfolvl > 0) {
      if (q + 4 > end) throw new DocNumberingDamaged('the list overrides (LFOData) are cut short');
      q += 4;
      for (let k = 0; k < clfolvl; k++) {
        if (q + 8 > end) throw new DocNumberingDamaged('the list overrides (LFOLVL) are cut short');
        const iStartAt = table.readInt32LE(q);
        const flags = table.readUInt32LE(q + 4);
        q += 8;
        const ilvl = flags & 0x0f;
        const fStartAt = (flags & 0x10) !== 0;
        const fFormatting = (flags & 0x20) !== 0;
        const override: { start?: number; level?: Level } = {};
        if (fFormatting) {
          const r = readLvl(table, q);
          if (r.next > end) throw new DocNumberingDamaged('a list override level (LVL) is cut short');
          q = r.next;
          override.level = r.level;
          if (fStartAt) override.start = r.level.start ?? 0;
        } else if (fStartAt) override.start = Math.min(MAX_START, Math.max(0, iStartAt));
        if (ilvl < LEVELS && num.overrides[ilvl] === undefined && (fFormatting || fStartAt)) num.overrides[ilvl] = override;
      }
    } else if (q + 4 <= end) q += 4;
    defs.nums.set(String(i + 1), num);
  }
}

/** The paragraph styles of the style sheet (STSH): each one's base and its numbering. */
function readStyles(word: Buffer, table: Buffer, defs: NumberingDefinitions): void {
  const fc = word.readUInt32LE(0xa2);
  const lcb = word.readUInt32LE(0xa6);
  if (lcb === 0) return;
  need(table, fc, lcb, 'the style sheet (STSH)');
  const end = fc + lcb;
  if (lcb < 6) throw new DocNumberingDamaged('the style sheet is cut short');
  const cbStshi = table.readUInt16LE(fc);
  if (cbStshi < 4 || fc + 2 + cbStshi > end) throw new DocNumberingDamaged('the style sheet header (STSHI) is cut short');
  const cstd = table.readUInt16LE(fc + 2);
  const cbStdBase = table.readUInt16LE(fc + 4);
  if (cbStdBase < 10) throw new DocNumberingDamaged(`the style sheet's styles have a ${cbStdBase}-byte base`);
  let p = fc + 2 + cbStshi;
  // Each style takes at least its 2-byte size: the loop ends at the sheet's end whatever cstd says.
  for (let istd = 0; istd < cstd && p + 2 <= end; istd++) {
    const cbStd = table.readUInt16LE(p);
    const std = p + 2;
    p = std + cbStd;
    if (cbStd === 0) continue;
    if (p > end) throw new DocNumberingDamaged(`style ${istd} runs past the end of the style sheet`);
    if (cbStd < cbStdBase + 2) continue;
    const stk = table.readUInt16LE(std + 2) & 0x000f;
    const istdBase = table.readUInt16LE(std + 2) >>> 4;
    const cupx = table.readUInt16LE(std + 4) & 0x000f;
    if (stk !== 1 || cupx < 1) continue;
    // The name (Xstz: cch, the characters, a 0), then the UPXs, the paragraph one first: cbUpx, istd, grpprl.
    const name = std + cbStdBase;
    const cch = table.readUInt16LE(name);
    const upx = name + 2 + cch * 2 + 2;
    if (upx + 2 > p) continue;
    const cbUpx = table.readUInt16LE(upx);
    if (upx + 2 + cbUpx > p) throw new DocNumberingDamaged(`style ${istd}'s paragraph properties run past the style`);
    const style: Style = {};
    if (istdBase !== NO_STYLE) style.basedOn = String(istdBase);
    const props: { ilfo?: number; ilvl?: number } = {};
    if (cbUpx > 2) readParagraphSprms(table, upx + 4, upx + 2 + cbUpx, props);
    const own = numPr(props.ilfo, props.ilvl);
    if (own?.numId !== undefined) style.numId = own.numId;
    if (own?.ilvl !== undefined) style.ilvl = own.ilvl;
    defs.styles.set(String(istd), style);
  }
}

/** The Data stream offset a grpprl's sprmPHugePapx names, if it has one. */
function hugePapxOffset(buf: Buffer, from: number, to: number): number | undefined {
  let offset: number | undefined;
  eachSprm(buf, from, to, (sprm, at, end) => {
    if ((sprm === SPRM_P_HUGE_PAPX || sprm === SPRM_P_HUGE_PAPX_97) && at + 4 <= end) offset = buf.readUInt32LE(at);
  });
  return offset;
}

/**
 * The paragraph runs of the property pages named by the bin table (PlcBtePapx), in file order; a paragraph whose
 * properties stand in the Data stream (sprmPHugePapx) gets them from `data`.
 */
export function readPapxRuns(word: Buffer, table: Buffer, data?: Buffer): PapxRun[] {
  const fc = word.readUInt32LE(0x102);
  const lcb = word.readUInt32LE(0x106);
  if (lcb === 0) return [];
  need(table, fc, lcb, 'the paragraph property table (PlcBtePapx)');
  if (lcb < 4 || (lcb - 4) % 8 !== 0) throw new DocNumberingDamaged('the paragraph property table has a bad size');
  const n = (lcb - 4) / 8;
  const runs: PapxRun[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) {
    const pn = table.readUInt32LE(fc + (n + 1) * 4 + i * 4) & 0x3fffff;
    // A page named twice is read once: n is bounded by the stream's pages (checked with the piece table), so is this.
    if (seen.has(pn)) continue;
    seen.add(pn);
    const page = pn * 512;
    need(word, page, 512, `paragraph property page ${pn}`);
    const crun = word[page + 511]!;
    if (crun > MAX_FKP_RUNS) throw new DocNumberingDamaged(`paragraph property page ${pn} claims ${crun} runs`);
    for (let j = 0; j < crun; j++) {
      const from = word.readUInt32LE(page + j * 4);
      const to = word.readUInt32LE(page + (j + 1) * 4);
      const bOffset = word[page + (crun + 1) * 4 + j * 13]!;
      const props: DocParagraphProps = { istd: 0, inTable: false, rowEnd: false };
      if (bOffset !== 0) {
        const at = page + bOffset * 2;
        const cb = word[at]!;
        const start = cb !== 0 ? at + 1 : at + 2;
        const len = cb !== 0 ? 2 * cb - 1 : 2 * word[at + 1]!;
        if (start + len > page + 511) throw new DocNumberingDamaged(`paragraph property page ${pn} has properties past its end`);
        if (len >= 2) {
          props.istd = word.readUInt16LE(start);
          readParagraphSprms(word, start + 2, start + len, props);
          // Long properties the Data stream does not hold (it is missing or cut short) are not read: the paragraph keeps
          // what its page says, and the numbers of the others are not lost for it.
          const huge = hugePapxOffset(word, start + 2, start + len);
          if (huge !== undefined && data && huge + 2 <= data.length) {
            const cb = data.readUInt16LE(huge);
            if (cb <= MAX_HUGE_GRPPRL && huge + 2 + cb <= data.length) readParagraphSprms(data, huge + 2, huge + 2 + cb, props);
          }
        }
      }
      if (to > from) runs.push({ from, to, props });
    }
  }
  return runs.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** The last index `i` of sorted `keys` with `keys[i] <= x`, or -1. */
function lastAtMost<T>(items: readonly T[], x: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (key(items[mid]!) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** What numbers a .doc's paragraphs: the definitions and the paragraph property runs. */
export interface DocNumbering {
  defs: NumberingDefinitions;
  runs: PapxRun[];
}

/**
 * Read the list tables, style sheet and paragraph property pages. Undefined when the document has no lists (nothing is
 * numbered); throws {@link DocNumberingDamaged} when a table it needs is damaged.
 */
export function readDocNumbering(word: Buffer, table: Buffer, data?: Buffer): DocNumbering | undefined {
  // FibRgFcLcb97 (93 pairs from 0x9A) holds fcPlfLst/fcPlfLfo as its pairs 73 and 74.
  if (word.length < 0x2f2 || word.readUInt16LE(0x98) < 75) return undefined;
  if (word.readUInt32LE(0x2e6) === 0 || word.readUInt32LE(0x2ee) === 0) return undefined;
  const defs: NumberingDefinitions = { abstracts: new Map(), nums: new Map(), styles: new Map(), numberingStyles: new Map() };
  readLists(word, table, defs);
  if (defs.nums.size === 0) return undefined;
  readStyles(word, table, defs);
  return { defs, runs: readPapxRuns(word, table, data) };
}

/** The properties of the paragraph whose mark is at `cp` (its piece's file offset, then the run holding it). */
function paragraphProps(pieces: readonly DocPiece[], runs: readonly PapxRun[]): (cp: number) => DocParagraphProps | undefined {
  return (cp) => {
    const i = lastAtMost(pieces, cp, (p) => p.startCp);
    const piece = i < 0 ? undefined : pieces[i]!;
    if (!piece || cp >= piece.endCp) return undefined;
    const fc = piece.fc + (cp - piece.startCp) * piece.bpc;
    const j = lastAtMost(runs, fc, (r) => r.from);
    const run = j < 0 ? undefined : runs[j]!;
    return run && fc < run.to ? run.props : undefined;
  };
}

/**
 * The cell edges of each row end mark of a story as word-extractor gives it (a `\n`, one character per cp from
 * `cpStart`), in order: its row's `sprmTDefTable` edges, or undefined where the mark's properties give none.
 */
export function rowEdgesOf(story: string, cpStart: number, pieces: readonly DocPiece[], runs: readonly PapxRun[]): (number[] | undefined)[] {
  const propsOf = paragraphProps(pieces, runs);
  const out: (number[] | undefined)[] = [];
  for (let at = story.indexOf('\n'); at >= 0; at = story.indexOf('\n', at + 1)) {
    const props = propsOf(cpStart + at);
    out.push(props?.rowEnd ? props.edges : undefined);
  }
  return out;
}

/**
 * A story (one character per cp from `cpStart`) with every table row's end mark written `\n`, as word-extractor writes
 * those whose properties stand in their property page. One whose properties stand in the Data stream (sprmPHugePapx: a
 * row of many cells, each with its borders) it leaves a cell's `\x07`, which would read the whole table as one row.
 */
export function withRowEnds(story: string, cpStart: number, pieces: readonly DocPiece[], runs: readonly PapxRun[]): string {
  const propsOf = paragraphProps(pieces, runs);
  let out = '';
  let copied = 0;
  for (let at = story.indexOf('\x07'); at >= 0; at = story.indexOf('\x07', at + 1)) {
    if (!propsOf(cpStart + at)?.rowEnd) continue;
    out += `${story.slice(copied, at)}\n`;
    copied = at + 1;
  }
  return copied === 0 ? story : out + story.slice(copied);
}

/** Paragraph marks of a story as word-extractor leaves it: `\r`, a cell's `\x07`, a row end written as `\n`. */
const MARK = /[\r\x07\n]/g;

/**
 * A story (its characters as word-extractor gives them, one per cp from `cpStart`) with the number Word shows written
 * at the start of each numbered paragraph, with fresh counters. A numbered paragraph without text is counted but given
 * no number, except in a table cell (a 序号 column numbered by Word); a row's end mark is no paragraph. `hasText` says
 * whether a stretch of the story shows text (the reader's own cleaning decides).
 */
export function withDocNumberText(story: string, cpStart: number, pieces: readonly DocPiece[], numbering: DocNumbering, hasText: (s: string) => boolean): string {
  const counter = new NumberingCounter(numbering.defs);
  const propsOf = paragraphProps(pieces, numbering.runs);
  let out = '';
  let copied = 0;
  let changed = false;
  let start = 0;
  MARK.lastIndex = 0;
  for (let m = MARK.exec(story); m; m = MARK.exec(story)) {
    const mark = m.index;
    const paragraphStart = start;
    start = mark + 1;
    if (m[0] === '\n') continue;
    const props = propsOf(cpStart + mark);
    if (!props || props.rowEnd) continue;
    const number = counter.next(numPr(props.ilfo, props.ilvl), String(props.istd));
    if (!number) continue;
    // After a page or section break that opens the paragraph: the number begins its text.
    let at = paragraphStart;
    while (at < mark && (story[at] === '\x0c' || story[at] === '\x0e')) at++;
    const inCell = props.inTable || m[0] === '\x07';
    if (!inCell && !hasText(story.slice(at, mark))) continue;
    out += story.slice(copied, at) + number;
    copied = at;
    changed = true;
  }
  return changed ? out + story.slice(copied) : story;
}
