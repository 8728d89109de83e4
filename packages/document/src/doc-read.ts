import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { readCompoundFile, type CompoundFile } from './cfb-read.js';
import { docPictures } from './doc-pictures.js';
import { withPictures, type PictureSource } from './image-read.js';
import type { OcrSessionOptions } from './pdf-ocr.js';
import { readDocNumbering, readPapxRuns, rowEdgesOf, withDocNumberText, withRowEnds, type DocNumbering, type DocPiece, type PapxRun } from './doc-numbering.js';
import { docTextBoxes, docWordArt, type DocTextBox } from './doc-textboxes.js';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { drawnFieldText } from './word-markup.js';
import { CONTENTS_TITLE } from './text-structure.js';

/** Options of {@link extractDoc}. */
export interface DocOptions extends OcrSessionOptions {
  path?: string;
  /**
   * A document with no text but inline pictures (pages scanned and pasted into Word) is read by OCR, one page a
   * picture; without it such a document is `INPUT_NO_TEXT`, naming the option. One whose text is a title has its
   * page-sized pictures read after it; the pictures of a document with more text are never read (see `withPictures`).
   */
  ocr?: boolean;
}

/** The stories of a Word binary document, as word-extractor's piece table gives them (control characters kept). */
interface RawStories {
  body: string;
  footnotes: string;
  endnotes: string;
  textboxes: string;
  /** Where each story starts (its first cp). */
  starts: { body: number; footnotes: number; endnotes: number; textboxes: number };
  /** The piece table: each piece's cps and file offset. */
  pieces: DocPiece[];
}

/** The part of word-extractor's (internal) WordOleExtractor that is used: its Word 97 piece-table reading. */
interface WordOleExtractorLike {
  _pieces: { text: string; startCp: number; endCp: number; startFilePos: number; bpc: number }[];
  _boundaries: Record<string, number>;
  extractWordDocument(document: unknown, buffer: Buffer): Promise<unknown>;
}
type WordOleExtractorClass = new () => WordOleExtractorLike;

/** What a compound file that is not a Word document is, from its streams. */
function otherOffice(names: readonly string[]): string {
  if (names.includes('Workbook') || names.includes('Book')) return 'an Excel (or WPS) spreadsheet';
  if (names.includes('PowerPoint Document')) return 'a PowerPoint (or WPS) presentation';
  if (names.includes('VisioDocument')) return 'a Visio drawing';
  if (names.includes('__substg1.0_0037001F') || names.includes('__properties_version1.0')) return 'an Outlook message';
  return 'an OLE compound file without a WordDocument stream';
}

/**
 * Word's fields: `\x13 code \x14 result \x15`, nested. The code is left out, the result kept (a TOC's result too is left out: it repeats the headings; so
 * is the paragraph right above it where that is its title, 目录).
 * Linear in the text however deep the fields nest: how many open fields hide their text is counted, not looked up.
 */
export function withoutFieldCodes(s: string): string {
  if (!/[\x13\x14\x15]/.test(s)) return s;
  // Match the marks first: a begin mark without its end is left out with nothing else.
  const begins: number[] = [];
  const endOf = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x13) begins.push(i);
    else if (c === 0x15 && begins.length > 0) endOf.set(begins.pop()!, i);
  }
  let out = '';
  // Each open field: whether its code part is being read, and whether all its text is dropped (a TOC).
  const open: { code: boolean; drop: boolean; codeText: string }[] = [];
  // Open fields whose code is being read or whose text is dropped: text is kept only when there are none.
  let hiding = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    if (c === 0x13) {
      if (endOf.has(i)) {
        open.push({ code: true, drop: false, codeText: '' });
        hiding++;
      }
      continue;
    }
    if (c === 0x14 && open.length > 0) {
      const f = open[open.length - 1]!;
      if (f.code) {
        f.code = false;
        f.drop = /^\s*TOC\b/i.test(f.codeText);
        if (!f.drop) hiding--;
        // A table of contents' title (目录), a paragraph of its own right above it, goes with it.
        else if (out.endsWith('\r')) {
          const start = out.lastIndexOf('\r', out.length - 2) + 1;
          if (CONTENTS_TITLE.test(out.slice(start, out.length - 1).trim())) out = out.slice(0, start);
        }
      }
      continue;
    }
    if (c === 0x15) {
      const f = open.pop();
      if (f && (f.code || f.drop)) hiding--;
      // A field without a result whose code Word draws: a phonetic guide's characters, a MACROBUTTON's text (see word-markup.ts).
      const base = f?.code ? drawnFieldText(f.codeText) : undefined;
      if (base !== undefined && hiding === 0) out += base;
      continue;
    }
    if (open.length > 0 && open[open.length - 1]!.code) open[open.length - 1]!.codeText += ch;
    if (hiding === 0) out += ch;
  }
  return out;
}

/**
 * A story's characters as text: Word's control characters mapped (`\r` paragraph end, `\x0b` line break, `\x0c`/`\x0e`
 * page, section and column breaks end a paragraph, `\x07` ends a table cell, `\n` is the row end that word-extractor
 * writes for a row's end mark) and the rest dropped (`\x01` picture, `\x08` drawing, `\x02` note reference, `\x05`
 * comment mark, `\x1f` optional hyphen; `\x00` is text that word-extractor found deleted in tracked changes).
 */
function cleanStory(s: string): string {
  return withoutFieldCodes(s)
    .replace(/[\x0c\x0e]/g, '\r')
    .replace(/\x1e/g, '\u2011')
    .replace(/[\x00-\x06\x08\x0f-\x1d\x1f]/g, '');
}

/** Text box anchors are marked by private-use characters from U+E000 (6,400 of them at most): see extractDoc. */
const ANCHOR_MARK_BASE = 0xe000;
const ANCHOR_MARKS = 0x1900;

/**
 * Paragraphs (`\r`) with their line breaks (`\x0b`), table rows of cells (`\x07` … `\n`), in order; a row ended by a
 * row end mark has `end`, which of the story's `\n` marks it is (0 for the first), and `marks` counts them all.
 */
type Block = { kind: 'para'; lines: string[] } | { kind: 'row'; cells: string[]; end?: number };

function blocksOf(story: string): { blocks: Block[]; marks: number } {
  const blocks: Block[] = [];
  let cells: string[] | undefined;
  let current = '';
  let marks = 0;
  for (const ch of story) {
    if (ch === '\r') {
      // A paragraph inside a cell (after the row's first cell) stays in the cell.
      if (cells !== undefined) current += '\n';
      else {
        blocks.push({ kind: 'para', lines: current.split('\x0b') });
        current = '';
      }
    } else if (ch === '\x07') {
      (cells ??= []).push(current.replace(/\x0b/g, '\n'));
      current = '';
    } else if (ch === '\n') {
      const end = marks++;
      if (cells !== undefined) {
        if (current.trim() !== '') cells.push(current.replace(/\x0b/g, '\n'));
        blocks.push({ kind: 'row', cells, end });
        cells = undefined;
      } else if (current !== '') {
        blocks.push({ kind: 'para', lines: current.split('\x0b') });
      }
      current = '';
    } else current += ch;
  }
  if (cells !== undefined) {
    if (current.trim() !== '') cells.push(current);
    blocks.push({ kind: 'row', cells });
  } else if (current !== '') blocks.push({ kind: 'para', lines: current.split('\x0b') });
  return { blocks, marks };
}

/** The word-extractor class, loaded once (it is only needed for .doc input). */
let extractorClass: Promise<WordOleExtractorClass> | undefined;

function loadExtractor(): Promise<WordOleExtractorClass> {
  extractorClass ??= import('word-extractor/lib/word-ole-extractor.js').then((m: { default: unknown }) => {
    const base = m.default as WordOleExtractorClass;
    if (typeof base?.prototype?.extractWordDocument !== 'function') throw new Error('word-extractor has no WordOleExtractor.extractWordDocument');
    return base;
  });
  return extractorClass;
}

/** Read the stories with word-extractor, its streams served from the bounded compound-file reader. */
async function readStories(cfb: CompoundFile, word: Buffer, table: Buffer): Promise<RawStories> {
  const Base = await loadExtractor();
  class Extractor extends (Base as unknown as new () => WordOleExtractorLike & Record<string, unknown>) {
    stories: RawStories | undefined;
    documentStream(_doc: unknown, name: string): Promise<Buffer> {
      const stream = name === 'WordDocument' ? word : name === '0Table' || name === '1Table' ? table : cfb.stream(name);
      if (!stream) return Promise.reject(new Error(`no ${name} stream`));
      return Promise.resolve(Buffer.from(stream));
    }
    streamBuffer(stream: Buffer): Promise<Buffer> {
      return Promise.resolve(stream);
    }
    buildDocument(): RawStories {
      const all = this._pieces.map((p) => p.text).join('');
      const b = this._boundaries;
      let at = 0;
      const take = (n: number | undefined): string => {
        const count = n ?? 0;
        const s = all.slice(at, at + count);
        at += count;
        return s;
      };
      const body = take(b['ccpText']);
      const footnotes = take(b['ccpFtn']);
      take(b['ccpHdd']);
      take(b['ccpAtn']);
      const endnotes = take(b['ccpEdn']);
      const textboxes = take(b['ccpTxbx']);
      const ftn = b['ccpText'] ?? 0;
      const edn = ftn + (b['ccpFtn'] ?? 0) + (b['ccpHdd'] ?? 0) + (b['ccpAtn'] ?? 0);
      const starts = { body: 0, footnotes: ftn, endnotes: edn, textboxes: edn + (b['ccpEdn'] ?? 0) };
      const pieces = this._pieces.map((p) => ({ startCp: p.startCp, endCp: p.endCp, fc: p.startFilePos, bpc: p.bpc }));
      this.stories = { body, footnotes, endnotes, textboxes, starts, pieces };
      return this.stories;
    }
  }
  const extractor = new Extractor();
  return (await extractor.extractWordDocument(null, word)) as RawStories;
}

/** Largest piece table accepted: a piece per 2 characters of the WordDocument stream would already be absurd. */
function checkPieceTable(word: Buffer, table: Buffer): void {
  const fcClx = word.readUInt32LE(0x1a2);
  const lcbClx = word.readUInt32LE(0x1a6);
  if (lcbClx === 0 || fcClx + lcbClx > table.length) throw new Error('the piece table (CLX) is missing or past the end of the table stream');
  let pos = fcClx;
  const end = fcClx + lcbClx;
  while (pos < end && table[pos] === 1) pos += 3 + table.readUInt16LE(pos + 1);
  if (pos + 5 > end || table[pos] !== 2) throw new Error('the piece table (CLX) has no Pcdt');
  const lcb = table.readUInt32LE(pos + 1);
  const plc = pos + 5;
  if ((lcb - 4) % 12 !== 0 || lcb < 16 || plc + lcb > table.length) throw new Error('the piece table has a bad size');
  const n = (lcb - 4) / 12;
  let chars = 0;
  for (let i = 0; i < n; i++) {
    const cpA = table.readUInt32LE(plc + i * 4);
    const cpB = table.readUInt32LE(plc + (i + 1) * 4);
    if (cpB < cpA) throw new Error('the piece table is out of order');
    const raw = table.readUInt32LE(plc + (n + 1) * 4 + i * 8 + 2);
    const compressed = (raw & 0x40000000) !== 0;
    // `>>> 0`: JavaScript's `&` gives a signed result, and a crafted fc with its top bit set came out negative.
    const fc = compressed ? Math.floor(((raw & ~0x40000000) >>> 0) / 2) : raw;
    const size = (cpB - cpA) * (compressed ? 1 : 2);
    if (fc + size > word.length) throw new Error('a piece of text lies past the end of the WordDocument stream');
    chars += cpB - cpA;
  }
  if (chars > word.length) throw new Error('the piece table holds more text than the WordDocument stream');
  // word-extractor walks the character and paragraph property pages (FKPs) named by two tables: each entry is one
  // 512-byte page of the WordDocument stream, so more entries than pages can only be a crafted file.
  for (const at of [0xfa, 0x102]) {
    const fc = word.readUInt32LE(at);
    const lcb = word.readUInt32LE(at + 4);
    if (lcb === 0) continue;
    if (fc + lcb > table.length || (lcb - 4) % 8 !== 0) throw new Error('a property table lies past the end of the table stream');
    if ((lcb - 4) / 8 > word.length / 512 + 1) throw new Error('a property table names more pages than the WordDocument stream has');
  }
}

/**
 * Read a legacy binary Word document (Word 97–2003 .doc/.dot, and .wps/.wpt saved in that format) into an
 * {@link ExtractedDocument}: body paragraphs as body lines (headings come from typed numbering, as in a .txt),
 * table rows as `row` lines, footnotes and endnotes as footnote lines, text boxes and WordArt after the paragraph (or in
 * the cell) that holds their anchor (doc-textboxes.ts); headers, footers and comments are left out,
 * field codes too (a field's result is kept, a table of contents left out). The text comes from word-extractor's
 * reading of the piece table; the compound file is read by {@link readCompoundFile}, which bounds its work.
 */
export async function extractDoc(bytes: Uint8Array, options: DocOptions = {}): Promise<ExtractedDocument> {
  const loc = options.path === undefined ? {} : { file: options.path };
  const corrupt = (why: string): XunshiError =>
    new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the Word document (.doc) is damaged and cannot be read: ${why}`, loc);
  let cfb: CompoundFile;
  try {
    cfb = readCompoundFile(bytes);
  } catch (e) {
    throw corrupt((e as Error).message);
  }
  if (cfb.names.includes('EncryptedPackage') || cfb.names.includes('EncryptionInfo')) {
    throw new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the document is password-protected (an encrypted Office file); open it in Word or WPS, remove the password and save it as .docx', loc);
  }
  let word: Buffer | undefined;
  try {
    const w = cfb.stream('WordDocument');
    word = w === undefined ? undefined : Buffer.from(w.buffer, w.byteOffset, w.byteLength);
  } catch (e) {
    throw corrupt((e as Error).message);
  }
  if (word === undefined) {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `this is ${otherOffice(cfb.names)}, not a Word document; save the report as .docx, .pdf or .txt`, loc);
  }
  if (word.length < 0x1aa || word.readUInt16LE(0) !== 0xa5ec) {
    // Word 6/95 files have the same magic but a shorter FIB; anything shorter is no Word 97 file at all.
    if (word.length >= 4 && word.readUInt16LE(0) === 0xa5ec) throw corrupt('its file information block is cut short');
    throw corrupt('the WordDocument stream does not start with a Word file information block');
  }
  const nFib = word.readUInt16LE(2);
  const flags = word.readUInt16LE(0x0a);
  if (flags & 0x0100 || flags & 0x8000) {
    throw new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the Word document (.doc) is password-protected; open it in Word or WPS, remove the password and save it as .docx', loc);
  }
  if (nFib < 0xc0 && nFib !== 0) {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `this is a Word 6/95 document (file format ${nFib}), older than the Word 97–2003 format xunshi reads; save it as .docx or .txt`, loc);
  }
  const tableName = flags & 0x0200 ? '1Table' : '0Table';
  let table: Buffer;
  try {
    const t = cfb.stream(tableName);
    if (t === undefined) throw new Error(`its ${tableName} stream is missing`);
    table = Buffer.from(t.buffer, t.byteOffset, t.byteLength);
    checkPieceTable(word, table);
  } catch (e) {
    throw corrupt((e as Error).message);
  }
  let stories: RawStories;
  try {
    stories = await readStories(cfb, word, table);
  } catch (e) {
    if (e instanceof XunshiError) throw e;
    throw corrupt((e as Error).message);
  }

  const out = new ExtractedTextBuilder(options.path);
  // Properties too long for their property page (a long table row's) stand in the Data stream.
  let data: Buffer | undefined;
  try {
    const d = cfb.stream('Data');
    data = d === undefined ? undefined : Buffer.from(d.buffer, d.byteOffset, d.byteLength);
  } catch {
    data = undefined;
  }
  // Word's automatic numbering: the numbers written into the stories as if typed; a damaged table leaves them out.
  let numbering: DocNumbering | undefined;
  try {
    numbering = readDocNumbering(word, table, data);
  } catch (e) {
    // Numbering is an addition to the text: whatever stops it (a damaged table, a read past a buffer) leaves it out.
    out.diagnostics.push({ code: 'XUNSHI_DOC_NUMBERING_DAMAGED', message: `Word's automatic numbering was left out: ${(e as Error).message}` });
  }
  // The paragraph property runs also give each table row its cells' edges (sprmTDefTable), so that a cell merged
  // across columns (a section title across a ledger) is known for one; a damaged page leaves the rows without edges.
  let runs: readonly PapxRun[] | undefined = numbering?.runs;
  if (!runs) {
    try {
      runs = readPapxRuns(word, table, data);
    } catch {
      runs = undefined;
    }
  }
  // Text boxes are read after the paragraph (or table row) that holds their anchor: each anchor's `\x08` in the body
  // is written over with a private-use character naming it (one character for one, so every reading of the story by
  // its cps holds), which the blocks below give back. A body that holds such characters itself keeps its boxes after it.
  // (Both read bounded; should either fail all the same, the boxes are read after the body, WordArt not at all.)
  const orNone = (read: () => DocTextBox[]): DocTextBox[] => {
    try {
      return read();
    } catch {
      return [];
    }
  };
  const boxes = [...orNone(() => docTextBoxes(word, table, stories.body.length, stories.textboxes.length)), ...orNone(() => docWordArt(word, table, stories.body.length))];
  const anchors = [...new Set(boxes.map((b) => b.anchor))].filter((cp) => stories.body[cp] === '\x08').sort((a, b) => a - b).slice(0, ANCHOR_MARKS);
  const markOf = (k: number): string => String.fromCharCode(ANCHOR_MARK_BASE + k);
  // The characters used, U+E000 on (a symbol font's characters, which Word stores from U+F020, are far above them).
  const anchorMarks = new RegExp(`[\\ue000-\\u${(ANCHOR_MARK_BASE + Math.max(anchors.length, 1) - 1).toString(16)}]`, 'g');
  const marked = anchors.length > 0 && stories.body.search(anchorMarks) < 0;
  let body = stories.body;
  if (marked) {
    const parts: string[] = [];
    let copied = 0;
    anchors.forEach((cp, k) => {
      parts.push(body.slice(copied, cp), markOf(k));
      copied = cp + 1;
    });
    body = parts.join('') + body.slice(copied);
  }
  const placed = new Set<DocTextBox>();
  const boxesAt = new Map<number, DocTextBox[]>();
  for (const box of boxes) {
    const at = boxesAt.get(box.anchor);
    if (at) at.push(box);
    else boxesAt.set(box.anchor, [box]);
  }
  /** The boxes anchored at the marks `found` not yet read, now taken as read. */
  const takeBoxes = (found: readonly number[]): DocTextBox[] => {
    const out: DocTextBox[] = [];
    for (const k of found) {
      for (const box of boxesAt.get(anchors[k]!) ?? []) {
        if (placed.has(box)) continue;
        placed.add(box);
        out.push(box);
      }
    }
    return out;
  };
  /** A box's text as paragraphs of a cell. */
  const boxText = (box: DocTextBox): string =>
    box.text ??
    blocksOf(cleanStory(stories.textboxes.slice(box.from, box.to)))
      .blocks.flatMap((b) => (b.kind === 'row' ? b.cells : b.lines))
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .join('\n');
  const withoutMarks = (s: string, found: number[]): string =>
    s.replace(anchorMarks, (m) => {
      found.push(m.charCodeAt(0) - ANCHOR_MARK_BASE);
      return '';
    });
  const hasText = (s: string): boolean => cleanStory(marked ? s.replace(anchorMarks, '') : s).trim() !== '';
  const numbered = (story: string, start: number): string => (numbering ? withDocNumberText(story, start, stories.pieces, numbering, hasText) : story);
  let block = 0;
  const addStory = (story: string, start: number, asFootnote: boolean, anchorsIn = false): void => {
    // A row whose end mark word-extractor left a cell mark (its properties in the Data stream) ends where its mark is.
    const raw = runs ? withRowEnds(story, start, stories.pieces, runs) : story;
    const { blocks, marks } = blocksOf(cleanStory(numbered(raw, start)));
    const stored = runs && !asFootnote ? rowEdgesOf(raw, start, stories.pieces, runs) : [];
    // Each row end mark of the story read is one of the story as stored, in order (numbers and field codes hold none);
    // where the counts differ, no row gets edges.
    const edges = stored.length === marks ? stored : [];
    for (const b of blocks) {
      const found: number[] = [];
      if (anchorsIn) {
        // A box anchored in a cell is more of the cell's text, as LibreOffice and mammoth read it.
        if (b.kind === 'row') b.cells = b.cells.map((c) => [withoutMarks(c, found), ...takeBoxes(found.splice(0)).map(boxText)].filter((t) => t !== '').join('\n'));
        else b.lines = b.lines.map((l) => withoutMarks(l, found));
      }
      if (b.kind === 'row') {
        if (asFootnote) out.addFootnote(b.cells.join(' '), block);
        else {
          const e = b.end === undefined ? undefined : edges[b.end];
          out.addRow(b.cells, block, e && e.length === b.cells.length + 1 ? { edges: e } : undefined);
        }
      } else {
        for (const line of b.lines) {
          if (asFootnote) out.addFootnote(line, block);
          else out.add(line, 'body', block);
        }
      }
      block++;
      for (const box of takeBoxes(found)) {
        if (box.text === undefined) addStory(stories.textboxes.slice(box.from, box.to), stories.starts.textboxes + box.from, false);
        else if (box.text.split(/[\r\n\x0b]/).reduce((added, line) => out.add(line, 'body', block) || added, false)) block++;
      }
    }
  };
  addStory(body, stories.starts.body, false, marked);
  // The textbox story's text not read at an anchor (a box whose anchor is in a field code, shapes without an anchor in
  // the body), after the body as it stands in the story.
  let from = 0;
  for (const box of [...placed].filter((b) => b.text === undefined).sort((a, b) => a.from - b.from)) {
    if (box.from > from) addStory(stories.textboxes.slice(from, box.from), stories.starts.textboxes + from, false);
    from = Math.max(from, box.to);
  }
  addStory(stories.textboxes.slice(from), stories.starts.textboxes + from, false);
  addStory(stories.footnotes, stories.starts.footnotes, true);
  addStory(stories.endnotes, stories.starts.endnotes, true);
  const doc = out.finish();
  // A scan pasted into Word (no text but inline pictures, or a title above them) is read by OCR with `ocr`
  // (doc-pictures.ts finds the pictures, looked for only in a document whose text is no more than a title).
  const pictures = (): PictureSource[] => docPictures(word, table, data, stories.pieces, stories.body).map((p) => () => Promise.resolve(p.bytes ?? p.kind));
  return withPictures(doc, pictures, options, 'Word document (.doc)', 'XUNSHI_DOC_OCR', loc);
}
