/**
 * Word 97 binaries with automatic numbering, for the .doc reader's tests: {@link makeWordBinary}'s document with, added
 * to its streams, the list tables ([MS-DOC] PlfLst with its LVLs, PlfLfo with its LFOData), a style sheet (STSH) and the
 * paragraph property pages (PapxFkp) that give each paragraph its style and list (sprmPIlfo, sprmPIlvl).
 */
import CFB from 'cfb';
import { makeWordBinary } from './fixtures.js';

/** A list level: `text` with `%1`–`%9` for the levels' numbers (written as 0x00–0x08), `nfc` a number format code. */
export interface WordListLevel {
  text: string;
  nfc?: number;
  start?: number;
  /** ixchFollow: 0 tab (Word's default), 1 space, 2 nothing. */
  follow?: number;
  legal?: boolean;
  /** fNoRestart with ilvlRestartLim. */
  restartLimit?: number;
  hidden?: boolean;
  /** The paragraph style linked to the level (LSTF.rgistdPara). */
  style?: number;
}

export interface WordList {
  lsid: number;
  /** One level makes a simple list (fSimpleList); otherwise the nine are written, missing ones as `%n.` decimal. */
  levels: WordListLevel[];
  simple?: boolean;
}

/** An LFO: the list it numbers with, and its level overrides (a start-at value, or a whole level). */
export interface WordListOverride {
  lsid: number;
  levels?: { ilvl: number; startAt?: number; level?: WordListLevel }[];
}

/** A paragraph style: istd, its base, and the numbering in its paragraph UPX. */
export interface WordStyle {
  istd: number;
  base?: number;
  ilfo?: number;
  ilvl?: number;
}

export interface WordParagraph {
  text: string;
  ilfo?: number;
  ilvl?: number;
  istd?: number;
}

export interface NumberedWordOptions {
  lists: WordList[];
  overrides: WordListOverride[];
  styles?: WordStyle[];
  /**
   * Store the text of the first `n` blocks (paragraphs of Latin-1 text) in a compressed piece (8-bit, fCompressed) at
   * the end of the WordDocument stream, the rest in a UTF-16 piece: two pieces, as Word's fast save leaves them.
   */
  compressedBlocks?: number;
  /** Change the streams before they are written: where each table starts in the table stream is given. */
  mutate?: (streams: { word: Buffer; table: Buffer; plfLst: number; plfLfo: number; stsh: number; btePapx: number }) => void;
}

/** NFC codes of the formats a report uses. */
export const NFC = { decimal: 0, upperRoman: 1, lowerLetter: 4, bullet: 23, decimalEnclosedParen: 27, decimalEnclosedCircleChinese: 28, ideographTraditional: 30, chineseCounting: 37, none: 0xff } as const;

function lvl(level: WordListLevel): Buffer {
  const lvlf = Buffer.alloc(28);
  lvlf.writeInt32LE(level.start ?? 1, 0);
  lvlf[4] = level.nfc ?? 0;
  lvlf[5] = (level.legal ? 0x04 : 0) | (level.restartLimit !== undefined ? 0x08 : 0);
  lvlf[15] = level.follow ?? 0;
  const chpx = level.hidden ? Buffer.from([0x3c, 0x08, 0x01]) : Buffer.alloc(0);
  lvlf[24] = chpx.length;
  lvlf[25] = 0;
  lvlf[26] = level.restartLimit ?? 0;
  const units: number[] = [];
  for (let i = 0; i < level.text.length; i++) {
    const m = /^%([1-9])/.exec(level.text.slice(i));
    if (m) {
      units.push(Number(m[1]) - 1);
      i++;
    } else units.push(level.text.charCodeAt(i));
  }
  const xst = Buffer.alloc(2 + units.length * 2);
  xst.writeUInt16LE(units.length, 0);
  units.forEach((u, i) => xst.writeUInt16LE(u, 2 + i * 2));
  return Buffer.concat([lvlf, chpx, xst]);
}

/** sprmPIlfo and sprmPIlvl as a grpprl. */
function numberingSprms(ilfo: number | undefined, ilvl: number | undefined): Buffer {
  const parts: Buffer[] = [];
  if (ilfo !== undefined) {
    const b = Buffer.alloc(4);
    b.writeUInt16LE(0x460b, 0);
    b.writeInt16LE(ilfo, 2);
    parts.push(b);
  }
  if (ilvl !== undefined) parts.push(Buffer.from([0x0a, 0x26, ilvl]));
  return Buffer.concat(parts);
}

/** A paragraph, or a table of cells (each cell one paragraph, which can be numbered: a 序号 column). */
export type WordNumberedBlock = string | WordParagraph | { table: (string | WordParagraph)[][] };

/** A Word 97 document of paragraphs numbered by Word (see the module's comment). */
export function makeNumberedWordBinary(blocks: readonly WordNumberedBlock[], options: NumberedWordOptions): Uint8Array {
  const para = (p: string | WordParagraph): WordParagraph => (typeof p === 'string' ? { text: p } : p);
  const base = CFB.read(
    Buffer.from(makeWordBinary(blocks.map((b) => (typeof b === 'object' && 'table' in b ? { table: b.table.map((r) => r.map((c) => para(c).text)) } : para(b).text)))),
    { type: 'buffer' },
  );
  const wordEntry = CFB.find(base, '/WordDocument')!;
  const tableEntry = CFB.find(base, '/1Table')!;
  const baseWord = Buffer.from(wordEntry.content as Uint8Array);
  const baseTable = Buffer.from(tableEntry.content as Uint8Array);
  const TEXT_FC = 0x400;
  // The compressed piece: its characters (cp 0 up to `split`) one byte each from `COMPRESSED_FC`.
  const prefix = blocks.slice(0, options.compressedBlocks ?? 0).map((b) => `${para(b as string | WordParagraph).text}\r`).join('');
  const split = prefix.length;
  const COMPRESSED_FC = baseWord.length;
  const fcOf = (c: number): number => (c < split ? COMPRESSED_FC + c : TEXT_FC + c * 2);

  // Paragraph property pages: one run a paragraph (up to its \r), a cell (up to its \x07, sprmPFInTable) and a row's
  // end mark (sprmPFInTable, sprmPFTtp), as makeWordBinary lays them out; ten runs a page.
  const runs: { from: number; to: number; grpprl: Buffer }[] = [];
  let cp = 0;
  const add = (p: WordParagraph | undefined, chars: number, table: number[]): void => {
    const istd = Buffer.alloc(2);
    istd.writeUInt16LE(p?.istd ?? 0, 0);
    runs.push({ from: fcOf(cp), to: cp + chars === split ? COMPRESSED_FC + split : fcOf(cp + chars), grpprl: Buffer.concat([istd, numberingSprms(p?.ilfo, p?.ilvl), Buffer.from(table)]) });
    cp += chars;
  };
  for (const b of blocks) {
    if (typeof b === 'object' && 'table' in b) {
      for (const row of b.table) {
        for (const c of row) add(para(c), para(c).text.length + 1, [0x16, 0x24, 0x01]);
        add(undefined, 1, [0x16, 0x24, 0x01, 0x17, 0x24, 0x01]);
      }
    } else add(para(b), para(b).text.length + 1, []);
  }
  const compressed = Buffer.alloc(split === 0 ? 0 : Math.ceil(split / 512) * 512);
  if (split > 0) {
    if (!/^[\x00-\xff]*$/.test(prefix)) throw new Error('a compressed piece holds Latin-1 text only');
    Buffer.from(prefix, 'latin1').copy(compressed);
  }
  const firstPage = (baseWord.length + compressed.length) / 512;
  const pages: Buffer[] = [];
  // A page's runs are contiguous in the file (each ends where the next begins): in file order, a new page at a gap.
  runs.sort((a, b) => a.from - b.from);
  const chunks: (typeof runs)[] = [];
  for (const r of runs) {
    const last = chunks[chunks.length - 1];
    if (last && last.length < 10 && last[last.length - 1]!.to === r.from) last.push(r);
    else chunks.push([r]);
  }
  for (const chunk of chunks) {
    const fkp = Buffer.alloc(512);
    chunk.forEach((r, j) => fkp.writeUInt32LE(r.from, j * 4));
    fkp.writeUInt32LE(chunk[chunk.length - 1]!.to, chunk.length * 4);
    let at = (chunk.length + 1) * 4 + chunk.length * 13;
    at += at % 2;
    chunk.forEach((r, j) => {
      // PapxInFkp: cb 0, cb' (the grpprl and istd padded to even), then GrpPrlAndIstd.
      const len = r.grpprl.length + (r.grpprl.length % 2);
      fkp[(chunk.length + 1) * 4 + j * 13] = at / 2;
      fkp[at] = 0;
      fkp[at + 1] = len / 2;
      r.grpprl.copy(fkp, at + 2);
      at += 2 + len;
    });
    if (at > 511) throw new Error('property page overflow');
    fkp[511] = chunk.length;
    pages.push(fkp);
  }
  const word = Buffer.concat([baseWord, compressed, ...pages]);
  const btePapx = Buffer.alloc((pages.length + 1) * 4 + pages.length * 4);
  pages.forEach((p, i) => {
    btePapx.writeUInt32LE(p.readUInt32LE(0), i * 4);
    btePapx.writeUInt32LE(firstPage + i, (pages.length + 1) * 4 + i * 4);
  });
  btePapx.writeUInt32LE(runs[runs.length - 1]!.to, pages.length * 4);

  // The style sheet: STSHI (cstd, cbSTDBaseInFile 10), then each style (LPStd) up to the highest istd.
  const styles = options.styles ?? [];
  const cstd = Math.max(15, ...styles.map((s) => s.istd + 1));
  const stshi = Buffer.alloc(18);
  stshi.writeUInt16LE(cstd, 0);
  stshi.writeUInt16LE(10, 2);
  const stds: Buffer[] = [];
  for (let istd = 0; istd < cstd; istd++) {
    const s = styles.find((x) => x.istd === istd) ?? (istd === 0 ? { istd: 0 } : undefined);
    if (!s) {
      stds.push(Buffer.from([0, 0]));
      continue;
    }
    const stdf = Buffer.alloc(10);
    stdf.writeUInt16LE(istd === 0 ? 0 : 0x0ffe, 0);
    stdf.writeUInt16LE(1 | ((s.base ?? 0x0fff) << 4), 2); // stk 1 (paragraph), istdBase
    stdf.writeUInt16LE(2 | (istd << 4), 4); // cupx 2, istdNext
    const name = Buffer.alloc(2 + 2 * 2 + 2);
    name.writeUInt16LE(2, 0);
    name.write(`S${istd % 10}`, 2, 'utf16le');
    const sprms = numberingSprms(s.ilfo, s.ilvl);
    const papx = Buffer.alloc(2 + 2 + sprms.length + ((2 + sprms.length) % 2));
    papx.writeUInt16LE(2 + sprms.length, 0);
    papx.writeUInt16LE(istd, 2);
    sprms.copy(papx, 4);
    const chpx = Buffer.from([0, 0]);
    const std = Buffer.concat([stdf, name, papx, chpx]);
    const lp = Buffer.alloc(2);
    lp.writeUInt16LE(std.length, 0);
    stds.push(lp, std);
  }
  const cbStshi = Buffer.alloc(2);
  cbStshi.writeUInt16LE(stshi.length, 0);
  const stsh = Buffer.concat([cbStshi, stshi, ...stds]);

  // PlfLst: cLst, the LSTFs; then the LVLs.
  const plfLst = Buffer.alloc(2 + options.lists.length * 28);
  plfLst.writeInt16LE(options.lists.length, 0);
  const lvls: Buffer[] = [];
  options.lists.forEach((list, i) => {
    const at = 2 + i * 28;
    plfLst.writeInt32LE(list.lsid, at);
    const simple = list.simple ?? false;
    for (let l = 0; l < 9; l++) plfLst.writeUInt16LE(list.levels[l]?.style ?? 0x0fff, at + 8 + l * 2);
    plfLst[at + 26] = simple ? 0x01 : 0;
    for (let l = 0; l < (simple ? 1 : 9); l++) lvls.push(lvl(list.levels[l] ?? { text: `%${l + 1}.` }));
  });
  // PlfLfo: lfoMac, the LFOs, then one LFOData each (cp, LFOLVLs).
  const lfos = Buffer.alloc(4 + options.overrides.length * 16);
  lfos.writeInt32LE(options.overrides.length, 0);
  const lfoData: Buffer[] = [];
  options.overrides.forEach((o, i) => {
    lfos.writeInt32LE(o.lsid, 4 + i * 16);
    const levels = o.levels ?? [];
    lfos[4 + i * 16 + 12] = levels.length;
    lfoData.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    for (const l of levels) {
      const b = Buffer.alloc(8);
      b.writeInt32LE(l.startAt ?? 0, 0);
      b.writeUInt32LE(l.ilvl | (l.startAt !== undefined ? 0x10 : 0) | (l.level ? 0x20 : 0), 4);
      lfoData.push(b);
      if (l.level) lfoData.push(lvl(l.level));
    }
  });
  const plfLfo = Buffer.concat([lfos, ...lfoData]);

  const at = { btePapx: baseTable.length, stsh: 0, plfLst: 0, plfLfo: 0 };
  at.stsh = at.btePapx + btePapx.length;
  at.plfLst = at.stsh + stsh.length;
  at.plfLfo = at.plfLst + plfLst.length + lvls.reduce((n, b) => n + b.length, 0);
  let table = Buffer.concat([baseTable, btePapx, stsh, plfLst, ...lvls, plfLfo]);
  word.writeUInt32LE(at.btePapx, 0x102);
  word.writeUInt32LE(btePapx.length, 0x106);
  word.writeUInt32LE(at.stsh, 0xa2);
  word.writeUInt32LE(stsh.length, 0xa6);
  word.writeUInt32LE(at.plfLst, 0x2e2);
  word.writeUInt32LE(plfLst.length, 0x2e6);
  word.writeUInt32LE(at.plfLfo, 0x2ea);
  word.writeUInt32LE(plfLfo.length, 0x2ee);
  if (split > 0) {
    // A new CLX at the table's end: two Pcds, the first with fCompressed (bit 30) and its fc doubled.
    const total = baseTable.readUInt32LE(9);
    const clx = Buffer.alloc(1 + 4 + 3 * 4 + 2 * 8);
    clx[0] = 0x02;
    clx.writeUInt32LE(3 * 4 + 2 * 8, 1);
    clx.writeUInt32LE(0, 5);
    clx.writeUInt32LE(split, 9);
    clx.writeUInt32LE(total, 13);
    clx.writeUInt32LE(((COMPRESSED_FC * 2) | 0x40000000) >>> 0, 17 + 2);
    clx.writeUInt32LE(TEXT_FC + split * 2, 17 + 8 + 2);
    word.writeUInt32LE(table.length, 0x1a2);
    word.writeUInt32LE(clx.length, 0x1a6);
    table = Buffer.concat([table, clx]);
  }
  options.mutate?.({ word, table, ...at });

  const doc = CFB.utils.cfb_new();
  CFB.utils.cfb_add(doc, '/WordDocument', word);
  CFB.utils.cfb_add(doc, '/1Table', table);
  return new Uint8Array(CFB.write(doc, { type: 'buffer' }) as Buffer);
}
