import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { SourceEncoding } from '@xunshi/types';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { codePageDecoder } from './code-pages.js';
import { hexDigitValue } from './hex-digit.js';
import { CONTENTS_TITLE } from './text-structure.js';
import { drawnFieldText } from './word-markup.js';

/**
 * RTF (Rich Text Format 1.9.1), as Word and WPS save it and as some sites serve a "`.doc`": read into an
 * {@link ExtractedDocument} by a one-pass interpreter of the token stream. Body paragraphs are body lines (a paragraph
 * with `\outlinelevelN`, which Word writes for its heading styles, is a heading of level N + 1); `\line` breaks are lines
 * of one block; table rows (`\cell` … `\row`) are rows of cells; footnotes are footnote lines after the body. The list
 * text Word writes before an automatically numbered paragraph (`\listtext`, `\pntext`) is kept, so 一、 reads as typed.
 * Fields keep their result (`\fldrslt`), not their code, and a table of contents (a `TOC` field) is left out whole, with
 * its title (目录) where that is the paragraph right above it; a text box's paragraphs (`\shptxt`) and WordArt's text (the
 * `gtextUNICODE` property) are read after the paragraph or into the cell holding the shape, a table in a cell
 * (`\nestcell`) as text of that cell;
 * headers, footers, pictures, objects, shapes' drawing data, comments, bookmarks, index entries and every ignorable
 * destination (`{\*\…}`) are left out, and so are text deleted in tracked changes (`\deleted`) and hidden text (`\v`).
 *
 * Text bytes (`\'hh` and raw 8-bit bytes) are decoded in the code page of the current font's `\fcharset` (134
 * GB2312, 136 Big5, …), else of `\ansicpg`; GB2312/GBK are decoded as GB18030. `\uN` characters are taken as they are,
 * with the `\ucN` fallback characters after them skipped. No npm package fits: `rtf-stream-parser` de-encapsulates only
 * the RTF Outlook wraps around mail bodies, and `rtf-parser` has no tables, fields or double-byte code pages.
 */
export interface RtfOptions {
  path?: string;
}

/** An RTF document's text, with the encoding its code page (`\ansicpg`) names: GB18030 for 936, Big5 for 950, else UTF-8. */
export interface RtfDocument extends ExtractedDocument {
  encoding: SourceEncoding;
}

/** Groups nested deeper than this are no document (Word nests a few dozen); the rest of the file is read flat. */
const MAX_DEPTH = 4096;

/** Destinations whose content is no text of the report. */
const SKIPPED = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'listtable', 'listoverridetable', 'revtbl', 'rsidtbl', 'generator',
  'xmlnstbl', 'pict', 'objdata', 'objclass', 'objname', 'header', 'headerl', 'headerr', 'headerf', 'footer', 'footerl',
  'footerr', 'footerf', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'mmathPr', 'pgdsctbl',
  'private', 'filetbl', 'bkmkstart', 'bkmkend', 'xe', 'tc', 'txe', 'rxe', 'pn', 'annotation', 'atnid', 'atnauthor',
  'atrfstart', 'atrfend', 'atndate', 'shprslt', 'nonshppict', 'template', 'userprops', 'docvar', 'fchars',
  'lchars', 'pnseclvl', 'listpicture', 'wgrffmtfilter', 'mhtmltag', 'htmltag', 'ftnsep', 'ftnsepc', 'ftncn', 'aftnsep',
  'aftnsepc', 'aftncn', 'nonesttables', 'blipuid', 'panose', 'falt', 'fname', 'passwordhash', 'protusertbl', 'oldcprops', 'oldpprops',
  'oldtprops', 'oldsprops', 'defchp', 'defpap', 'title', 'subject', 'author', 'operator', 'keywords', 'comment', 'doccomm',
]);

/** `\fcharset` → Windows code page. */
const CHARSET_CODEPAGE: Readonly<Record<number, number>> = {
  0: 1252, 128: 932, 129: 949, 130: 1361, 134: 936, 136: 950, 161: 1253, 162: 1254, 163: 1258, 177: 1255, 178: 1256,
  186: 1257, 204: 1251, 222: 874, 238: 1250,
};


/** A list text that is a number (一、 （一） 1. ① 甲 Ⅱ a)), not a bullet. */
const LIST_NUMBER = /[0-9A-Za-z０-９一二三四五六七八九十〇零百千甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥①-⒇Ⅰ-Ⅻⅰ-ⅻ]/;

const SYMBOLS: Readonly<Record<string, string>> = {
  emdash: '—', endash: '–', bullet: '•', lquote: '‘', rquote: '’', ldblquote: '“', rdblquote: '”', emspace: ' ',
  enspace: ' ', qmspace: ' ', zwj: '', zwnj: '', ltrmark: '', rtlmark: '',
};

/** Most cell edges (`\cellx`) of a row definition kept: Word allows 63 cells a row. */
const MAX_ROW_CELLS = 1000;

interface State {
  /** Text of this group is not the report's (a skipped destination, a field code). */
  skip: boolean;
  /** What a group collects other than body text. */
  dest: 'body' | 'footnote' | 'fldinst' | 'fonttbl' | 'listtext' | 'textbox' | 'propname';
  uc: number;
  /** Code page of the current font. */
  codepage: number | undefined;
  intbl: boolean;
  outline: number | undefined;
  /** The field of this group (an index into `fields`), when inside one. */
  field: number;
  /** Text Word does not show: deleted in tracked changes (`\deleted`, bit 1) or hidden (`\v`, bit 2). */
  unseen: number;
  /** Inside a shape (`\shpinst`) of the body, whose text box's text (`\shptxt`) is read. */
  shape: boolean;
}

interface Cursor {
  /** The paragraph or cell text so far. */
  text: string;
  /** Lines of the paragraph so far (`\line`). */
  lines: string[];
}

/** Read an RTF document. Throws `INPUT_CORRUPT` when the bytes do not start with `{\rtf`. */
export function extractRtf(bytes: Uint8Array, options: RtfOptions = {}): RtfDocument {
  const loc = options.path === undefined ? {} : { file: options.path };
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) p = 3;
  while (p < buf.length && (buf[p] === 0x20 || buf[p] === 0x0d || buf[p] === 0x0a || buf[p] === 0x09)) p++;
  if (buf.toString('latin1', p, p + 5) !== '{\\rtf') {
    throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the file is not an RTF document: it does not start with {\\rtf', loc);
  }

  const out = new ExtractedTextBuilder(options.path);
  const footnotes: string[] = [];
  const fonts = new Map<number, number>();
  let ansiCodepage = 1252;
  let defaultFont: number | undefined;
  let state: State = { skip: false, dest: 'body', uc: 1, codepage: undefined, intbl: false, outline: undefined, field: -1, unseen: 0, shape: false };
  const stack: State[] = [];
  // Fields: their instruction text and whether their result is left out (a table of contents).
  const fields: Array<{ instruction: string; dropped: boolean }> = [];
  let fontNumber: number | undefined;
  let fontCharset: number | undefined;
  let pendingBytes: number[] = [];
  let pendingCodepage = 1252;
  // A double-byte code page's lead byte is pending and its trail byte not yet read: WordPad and Outlook write a trail
  // byte in the ASCII range (0x40–0x7E) as the character itself (`\'b3\\`, `\'e9F`), not as `\'hh`.
  let awaitingTrail = false;
  let skipChars = 0;
  let block = 0;
  const para: Cursor = { text: '', lines: [] };
  let cells: string[] = [];
  // The row definition in force (`\trowd` starts one, rows after it keep it): its left edge and its cells' right
  // edges (\cellx), in twips.
  let rowLeft = 0;
  let rowEdges: number[] = [];
  let footnote = '';
  // A text box's paragraphs (\shptxt), and those of the boxes read whose paragraph (or cell) has not ended yet: they
  // come after it, where the other readers put a text box.
  const box: Cursor = { text: '', lines: [] };
  let boxLines: string[] = [];
  // The name of the shape property being read (\sn), to find WordArt's text (gtextUNICODE).
  let propName = '';
  let listText = '';
  let depthCapped = false;
  let unbalanced = 0;

  /**
   * A font's code page by its charset. Charset 0 (ANSI) and 1 (default) mean the document's own code page: Word and
   * WPS give Latin fonts charset 0 and still write a Chinese document's double-byte text under them (`\loch\f0`).
   */
  const setFont = (font: number, charset: number): void => {
    if (charset === 0 || charset === 1) fonts.delete(font);
    else fonts.set(font, CHARSET_CODEPAGE[charset] ?? ansiCodepage);
  };
  const codepageNow = (): number => state.codepage ?? (defaultFont !== undefined ? fonts.get(defaultFont) : undefined) ?? ansiCodepage;
  const decoders = new Map<number, { decode(input: Uint8Array): string }>();
  const decode = (bytesIn: number[], codepage: number): string => {
    let d = decoders.get(codepage);
    if (d === undefined) {
      d = codePageDecoder(codepage);
      decoders.set(codepage, d);
    }
    return d.decode(new Uint8Array(bytesIn));
  };
  /** Where decoded text goes in the current destination. */
  const emit = (s: string): void => {
    if (s === '' || state.skip) return;
    if (state.unseen !== 0 && state.dest !== 'fldinst') return;
    switch (state.dest) {
      case 'body':
        if (state.field >= 0 && fields[state.field]!.dropped) return;
        para.text += s;
        return;
      case 'footnote':
        footnote += s;
        return;
      case 'textbox':
        box.text += s;
        return;
      case 'propname':
        propName += s;
        return;
      case 'fldinst':
        if (state.field >= 0) fields[state.field]!.instruction += s;
        return;
      case 'listtext':
        listText += s;
        return;
      case 'fonttbl':
        return;
    }
  };
  const flushBytes = (): void => {
    if (pendingBytes.length === 0) return;
    const text = decode(pendingBytes, pendingCodepage);
    pendingBytes = [];
    awaitingTrail = false;
    emit(text);
  };
  const pushByte = (b: number): void => {
    const cp = codepageNow();
    if (pendingBytes.length > 0 && cp !== pendingCodepage) flushBytes();
    pendingCodepage = cp;
    pendingBytes.push(b);
    awaitingTrail = !awaitingTrail && isLeadByte(cp, b);
  };
  /** True when `b`, a literal character, is the trail byte of a pending double-byte character. */
  const takesTrail = (b: number): boolean => awaitingTrail && b >= 0x40 && b <= 0x7e && codepageNow() === pendingCodepage;
  const text = (s: string): void => {
    flushBytes();
    emit(s);
  };
  /** The text boxes read since the last paragraph end, as paragraphs; none are left pending. */
  const takeBoxes = (): string[] => {
    const lines = boxLines;
    boxLines = [];
    return lines;
  };
  /** Body lines, each a block of its own. */
  const addBodyLines = (lines: readonly string[]): void => {
    for (const line of lines) if (out.add(line, 'body', block)) block++;
  };
  /** End of a paragraph (`\par`, `\sect`, `\page`): a body line, a cell paragraph, a footnote or text box paragraph. */
  const endParagraph = (): void => {
    flushBytes();
    if (state.skip) return;
    if (state.dest === 'footnote') {
      footnote += '\n';
      return;
    }
    if (state.dest === 'textbox') {
      box.lines.push(box.text);
      box.text = '';
      return;
    }
    if (state.dest !== 'body') return;
    if (state.intbl) {
      para.text += ['', ...takeBoxes()].join('\n') + '\n';
      return;
    }
    const lines = [...para.lines, para.text];
    const kind = state.outline !== undefined && state.outline <= 5 ? 'heading' : 'body';
    let added = false;
    for (const line of lines) added = out.add(line, kind, block, kind === 'heading' ? state.outline! + 1 : undefined) || added;
    if (added) block++;
    para.text = '';
    para.lines = [];
    addBodyLines(takeBoxes());
  };
  const endCell = (): void => {
    flushBytes();
    if (!state.skip && state.dest === 'textbox') return endParagraph();
    if (state.skip || state.dest !== 'body') return;
    const boxed = takeBoxes();
    if (boxed.length > 0) para.text += ['', ...boxed].join('\n');
    cells.push([...para.lines, para.text].join('\n').replace(/\n+$/, ''));
    para.text = '';
    para.lines = [];
  };
  const endRow = (): void => {
    flushBytes();
    if (state.skip || state.dest !== 'body') return;
    // Text after the last \cell of a row (rare) is one more cell.
    if ([...para.lines, para.text].join('').trim() !== '') endCell();
    // The cells' edges when the row definition has one right edge for each cell, left to right.
    const edges = [rowLeft, ...rowEdges];
    const fits = rowEdges.length === cells.length && edges.every((x, i) => i === 0 || x > edges[i - 1]!);
    if (out.addRow(cells, block, fits ? { edges } : undefined)) block++;
    addBodyLines(takeBoxes());
    cells = [];
    para.text = '';
    para.lines = [];
  };

  const n = buf.length;
  while (p < n) {
    const c = buf[p]!;
    if (c === 0x7b) {
      // {
      flushBytes();
      if (stack.length >= MAX_DEPTH) {
        depthCapped = true;
        p++;
        continue;
      }
      stack.push(state);
      state = { ...state };
      skipChars = 0;
      p++;
      continue;
    }
    if (c === 0x7d) {
      // }
      flushBytes();
      const closing = state;
      if (stack.length === 0) {
        p++;
        continue;
      }
      state = stack.pop()!;
      skipChars = 0;
      if (closing.dest === 'fonttbl' && fontNumber !== undefined && fontCharset !== undefined) {
        setFont(fontNumber, fontCharset);
      }
      if (closing.dest === 'footnote' && state.dest !== 'footnote') {
        footnotes.push(footnote);
        footnote = '';
      }
      if (closing.dest === 'textbox' && state.dest !== 'textbox') {
        // A text box ends: its paragraphs wait for the end of the paragraph or cell that holds it.
        boxLines.push(...box.lines, box.text);
        box.lines = [];
        box.text = '';
      }
      if (closing.dest === 'listtext' && state.dest !== 'listtext') {
        // The number Word shows: kept before the paragraph's text, without the tab that follows it.
        // A bullet (a symbol font's character) gives no text, as a docx's bullets do not.
        const number = listText.trim();
        if (!state.skip && state.dest === 'body' && LIST_NUMBER.test(number)) para.text += number;
        listText = '';
      }
      if (closing.dest === 'fldinst' && state.dest !== 'fldinst' && closing.field >= 0) {
        const f = fields[closing.field]!;
        // A field whose code Word draws, its result empty or missing: a phonetic guide's characters, a MACROBUTTON's
        // text (see word-markup.ts).
        const base = drawnFieldText(f.instruction);
        if (base !== undefined) emit(base);
        if (/^\s*TOC\b/i.test(f.instruction)) {
          f.dropped = true;
          // Its title (目录), a paragraph of its own above it, goes with it.
          out.dropLastLineIf((line) => CONTENTS_TITLE.test(line.trim()));
        }
      }
      p++;
      continue;
    }
    if (c === 0x5c) {
      // \ control word or symbol
      const next = buf[p + 1];
      if (next === undefined) break;
      const isLetter = (b: number | undefined): boolean => b !== undefined && ((b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a));
      if (!isLetter(next)) {
        p += 2;
        if (next === 0x27) {
          // \'hh
          const hi = hexDigitValue(buf[p]);
          const lo = hexDigitValue(buf[p + 1]);
          p += 2;
          if (hi < 0 || lo < 0) continue;
          if (skipChars > 0) {
            skipChars--;
            continue;
          }
          pushByte(hi * 16 + lo);
          continue;
        }
        if (skipChars > 0) {
          skipChars--;
          continue;
        }
        if ((next === 0x5c || next === 0x7b || next === 0x7d) && takesTrail(next)) {
          pushByte(next);
          continue;
        }
        switch (next) {
          case 0x5c:
            text('\\');
            break;
          case 0x7b:
            text('{');
            break;
          case 0x7d:
            text('}');
            break;
          case 0x7e:
            text('\u00a0');
            break;
          case 0x5f:
            text('\u2011');
            break;
          case 0x2d:
            // An optional hyphen shows only at a line end.
            break;
          case 0x2a:
            // \* : an ignorable destination, unless it is one read below.
            state.skip = state.skip || !isReadStarred(buf, p);
            break;
          case 0x0a:
          case 0x0d:
            endParagraph();
            break;
          case 0x09:
            text(' ');
            break;
          default:
            break;
        }
        continue;
      }
      let q = p + 1;
      while (q < n && isLetter(buf[q])) q++;
      const word = buf.toString('latin1', p + 1, q);
      let param: number | undefined;
      let r = q;
      if (buf[r] === 0x2d || (buf[r]! >= 0x30 && buf[r]! <= 0x39)) {
        let s = r + (buf[r] === 0x2d ? 1 : 0);
        const digitsFrom = s;
        while (s < n && buf[s]! >= 0x30 && buf[s]! <= 0x39 && s - digitsFrom < 10) s++;
        if (s > digitsFrom) {
          param = Number(buf.toString('latin1', r, s));
          r = s;
        }
      }
      // A space after a control word is part of it.
      if (buf[r] === 0x20) r++;
      p = r;
      if (word === 'bin') {
        // \binN: N bytes of binary data follow.
        flushBytes();
        p = Math.min(n, p + Math.max(0, param ?? 0));
        continue;
      }
      if (word === 'u' && param !== undefined) {
        const code = param < 0 ? param + 65536 : param;
        if (skipChars > 0) skipChars = 0;
        flushBytes();
        emit(String.fromCharCode(code));
        skipChars = state.uc;
        continue;
      }
      if (skipChars > 0) skipChars = 0;
      control(word, param);
      continue;
    }
    if (c === 0x0d || c === 0x0a) {
      p++;
      continue;
    }
    if (skipChars > 0) {
      skipChars--;
      p++;
      continue;
    }
    if (state.dest === 'fonttbl') {
      // A font entry ends with `;` (its name is not read).
      if (c === 0x3b && fontNumber !== undefined && fontCharset !== undefined) setFont(fontNumber, fontCharset);
      p++;
      continue;
    }
    if (c === 0x09) {
      text(' ');
      p++;
      continue;
    }
    if (takesTrail(c)) {
      pushByte(c);
      p++;
      continue;
    }
    // A run of plain ASCII text is emitted at once; 8-bit bytes go through the code page.
    if (c < 0x80) {
      let q = p + 1;
      while (q < n) {
        const b = buf[q]!;
        if (b === 0x5c || b === 0x7b || b === 0x7d || b === 0x0d || b === 0x0a || b === 0x09 || b >= 0x80) break;
        q++;
      }
      text(buf.toString('latin1', p, q));
      p = q;
      continue;
    }
    pushByte(c);
    p++;
  }
  flushBytes();
  unbalanced = stack.length;
  // What the last paragraph holds without a closing \par.
  if (para.text.trim() !== '' || para.lines.length > 0) {
    if (cells.length > 0) endRow();
    else endParagraph();
  } else if (cells.length > 0) endRow();
  addBodyLines(takeBoxes());
  for (const f of footnotes) for (const line of f.split('\n')) out.addFootnote(line, block++);
  const doc = out.finish();
  if (depthCapped) doc.diagnostics.push({ code: 'XUNSHI_RTF_TOO_DEEP', message: `groups nested deeper than ${MAX_DEPTH} levels were read flat` });
  if (unbalanced > 0) doc.diagnostics.push({ code: 'XUNSHI_RTF_UNBALANCED', message: `the RTF ends with ${unbalanced} group(s) unclosed: the file may be cut short` });
  const encoding: SourceEncoding = ansiCodepage === 936 || ansiCodepage === 54936 ? 'gb18030' : ansiCodepage === 950 ? 'big5' : 'utf-8';
  return { ...doc, encoding };

  function control(word: string, param: number | undefined): void {
    switch (word) {
      case 'par':
      case 'sect':
      case 'page':
        endParagraph();
        return;
      case 'line':
        flushBytes();
        if (!state.skip && state.dest === 'body') {
          para.lines.push(para.text);
          para.text = '';
        } else if (state.dest === 'footnote') footnote += '\n';
        else if (!state.skip && state.dest === 'textbox') endParagraph();
        return;
      case 'tab':
        text(state.dest === 'listtext' ? '' : ' ');
        return;
      case 'cell':
        endCell();
        return;
      case 'row':
        endRow();
        return;
      case 'nestcell':
      case 'nestrow':
        // A table in a cell (责任人 and 时限 under 责任) is text of that cell, its cells apart, as the .doc, .docx and
        // .odt of it are read. (Word writes \nestrow inside the starred \nesttableprops, which is skipped.)
        flushBytes();
        if (!state.skip && (state.dest === 'body' || state.dest === 'textbox')) (state.dest === 'body' ? para : box).text += ' ';
        return;
      case 'trowd':
        if (!state.skip && state.dest === 'body') {
          rowLeft = 0;
          rowEdges = [];
        }
        return;
      case 'trleft':
        if (!state.skip && state.dest === 'body') rowLeft = param ?? 0;
        return;
      case 'cellx':
        // Word allows 63 cells a row: more are not kept (a crafted file's endless \cellx).
        if (!state.skip && state.dest === 'body' && rowEdges.length < MAX_ROW_CELLS) rowEdges.push(param ?? 0);
        return;
      case 'intbl':
        state.intbl = true;
        return;
      case 'plain':
        flushBytes();
        state.codepage = undefined;
        state.unseen = 0;
        return;
      case 'deleted':
      case 'v': {
        flushBytes();
        const bit = word === 'deleted' ? 1 : 2;
        state.unseen = param === 0 ? state.unseen & ~bit : state.unseen | bit;
        return;
      }
      case 'pard':
        state.intbl = false;
        state.outline = undefined;
        return;
      case 'outlinelevel':
        state.outline = param;
        return;
      case 'uc':
        state.uc = Math.max(0, Math.min(param ?? 1, 16));
        return;
      case 'ansicpg':
        if (param !== undefined && param > 0) ansiCodepage = param;
        return;
      case 'deff':
        defaultFont = param;
        return;
      case 'f':
        if (state.dest === 'fonttbl') {
          fontNumber = param;
          fontCharset = undefined;
        } else if (param !== undefined) {
          flushBytes();
          // A font of charset 0 or 1 (none in `fonts`) is in the document's code page, not the default font's.
          state.codepage = fonts.get(param) ?? ansiCodepage;
        }
        return;
      case 'fcharset':
        if (state.dest === 'fonttbl') fontCharset = param;
        return;
      case 'cpg':
        if (state.dest === 'fonttbl' && fontNumber !== undefined && param !== undefined && param > 0) fonts.set(fontNumber, param);
        return;
      case 'fonttbl':
        state.dest = 'fonttbl';
        return;
      case 'footnote':
        flushBytes();
        state.dest = 'footnote';
        return;
      case 'field':
        fields.push({ instruction: '', dropped: state.field >= 0 && fields[state.field]!.dropped });
        state.field = fields.length - 1;
        return;
      case 'fldinst':
        state.dest = 'fldinst';
        return;
      case 'fldrslt':
        return;
      case 'shpinst':
        // A shape: only its text box's text (\shptxt) is read, where the shape stands in the body's text.
        // (A shape of a group, \shpgrp, is read as the group is.)
        state.shape = state.shape || (!state.skip && state.dest === 'body');
        state.skip = true;
        return;
      case 'sp':
        propName = '';
        return;
      case 'sn':
        if (state.shape) {
          flushBytes();
          state.skip = false;
          state.dest = 'propname';
          propName = '';
        }
        return;
      case 'sv':
      case 'shptxt':
        // A text box's text, or WordArt's (the value of its gtextUNICODE property, which LibreOffice also writes for a
        // shape holding text).
        if (state.shape && (word === 'shptxt' || propName.trim() === 'gtextUNICODE')) {
          flushBytes();
          state.skip = false;
          state.dest = 'textbox';
          state.intbl = false;
          state.outline = undefined;
          box.text = '';
          box.lines = [];
        }
        return;
      case 'listtext':
      case 'pntext':
        flushBytes();
        state.dest = 'listtext';
        listText = '';
        return;
      default:
        if (SKIPPED.has(word)) {
          state.skip = true;
          return;
        }
        if (Object.hasOwn(SYMBOLS, word)) text(SYMBOLS[word]!);
    }
  }
}

/** True when `b` starts a two-byte character in the double-byte code page `codepage`. */
function isLeadByte(codepage: number, b: number): boolean {
  switch (codepage) {
    case 932:
      return (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
    case 936:
    case 949:
    case 950:
    case 1361:
      return b >= 0x81 && b <= 0xfe;
    default:
      return false;
  }
}

/** Ignorable destinations (`{\*\name`) whose text is read: a field code (to find a TOC), a list text, a footnote (LibreOffice stars it). */
function isReadStarred(buf: Buffer, at: number): boolean {
  let q = at;
  while (buf[q] === 0x20 || buf[q] === 0x0d || buf[q] === 0x0a) q++;
  if (buf[q] !== 0x5c) return false;
  const word = /^[a-zA-Z]+/.exec(buf.toString('latin1', q + 1, q + 24))?.[0];
  return word === 'fldinst' || word === 'listtext' || word === 'pntext' || word === 'footnote' || word === 'shpinst';
}
