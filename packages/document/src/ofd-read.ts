/**
 * OFD (GB/T 33190-2016), the fixed-layout format Chinese government sites publish official documents in: a zip package
 * whose `OFD.xml` names each document's `Document.xml`, which lists the pages and the template pages, each page a
 * `Content.xml` of layers of graphic objects. The text is in `TextObject`s: each `TextCode` is a string drawn from an
 * origin, glyph after glyph, moved by its `DeltaX`/`DeltaY` lists. Positions are in millimetres, y growing downwards,
 * relative to the object's `Boundary` after its optional `CTM`.
 *
 * Each page's text is turned into the positioned runs the PDF reader gets from pdf.js (points, y growing upwards,
 * baseline origin) and laid out by {@link layoutPdf}: lines, paragraphs, columns, running headers, footers and page
 * numbers are found the same way, so an OFD reads as the PDF of the same document does. A template page's text (a
 * running header, a footer) is drawn on each page that uses the template, as a viewer shows it, and is dropped by the
 * same rule as a PDF's repeated header. The rules a page draws (PathObjects: stroked straight pieces, filled thin
 * rectangles, as pdf-tables.ts takes them from a PDF's operator list) go with its text, so that a ruled table is read by
 * rows of cells as in the PDF. Composite objects, annotations, signatures and attachments are not text of the report
 * and are not read; fonts are not read (glyph widths come from the deltas, or are estimated).
 * Images are read only with `ocr`, on pages that draw no text of their own (scans): their MultiMedia files (PNG, JPEG,
 * BMP, TIFF, GIF; JBIG2 is named in `XUNSHI_OFD_IMAGE_NOT_READ`) are decoded after their header's size is checked,
 * placed by their Boundary and CTM, and read by the OCR of pdf-ocr.ts (`XUNSHI_OFD_OCR` says which pages).
 *
 * Every reference is followed at most once per page (templates are parsed once and not followed further), so a file
 * whose parts refer to each other cannot loop; the zip's decompression budget bounds the XML read, and the pages,
 * the characters drawn and the XML nesting are bounded too, and so are the path commands and path data read a page
 * part and the rules a page and a document ({@link MAX_PATH_COMMANDS}; past them the page is read without tables).
 */
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedDocument } from './extracted.js';
import { layoutPdf, type PdfPageText, type PdfTextItem } from './pdf-layout.js';
import { addPath, DRAW, MAX_DOCUMENT_RULES, MAX_RULES, type PdfRule } from './pdf-tables.js';
import { openZip, type ZipArchive } from './zip.js';
import { DECODED_FORMATS, decodeImage, imageHeader, type ImageHeader } from './ofd-images.js';
import { MAX_IMAGE_PIXELS, OcrSession, pageList, placeScanned, uprightGrey, type OcrSessionOptions } from './pdf-ocr.js';
import type { Matrix } from './pdf-operators.js';
import { folderOf, parseXmlPart, resolvePackagePath, type XmlPartHandlers } from './xml-part.js';

/** Options of {@link extractOfd}. */
export interface OfdOptions extends OcrSessionOptions {
  path?: string;
  /**
   * Read the pages that draw no text but draw images (scans) by OCR (tesseract.js, Simplified Chinese model), as for a
   * PDF; pages with text are read as always. Off by default: without it an OFD of scans is `INPUT_NO_TEXT`.
   */
  ocr?: boolean;
  /** Most pages read (default 2,000, as for a PDF): a longer document is refused as `INPUT_TOO_LARGE`. */
  maxPages?: number;
  /** Bound on the bytes the package may decompress to (default 256 MiB): guards against zip bombs. */
  maxUncompressedBytes?: number;
  /**
   * Most characters drawn in all pages, templates counted on each page they are drawn on (default 2,000,000: 2,000
   * pages of 1,000; a 公文 page holds about 600). Each may be a run of its own, so this bounds the layout's time and
   * memory: 7 µs and about 290 bytes a character when every character is a run (a crafted 7 KB file of 1,000,000).
   */
  maxChars?: number;
}

/**
 * Most path commands read from one page part (its Content.xml, or a template's), each PathObject counting one more:
 * a 台账 page draws a few hundred rules, a page whose text is drawn as outlines some tens of thousands of commands.
 * Past this, or past {@link MAX_RULES} rules, or {@link MAX_PATH_DATA_CHARS} characters of path data, the page is read
 * without looking for tables (`XUNSHI_OFD_TABLES_SKIPPED`).
 */
export const MAX_PATH_COMMANDS = 200_000;
/** Most characters of AbbreviatedData kept of one page part (forty a command). */
export const MAX_PATH_DATA_CHARS = 8_000_000;
/** Most ImageObjects kept of one page part (a scan draws one, a few strips at most; OCR reads the largest 16). */
const MAX_PAGE_IMAGES = 256;
/** Deepest element nesting read in a part (PageBlocks in PageBlocks…); real files nest a dozen levels. */
export const MAX_OFD_DEPTH = 256;
const DEFAULT_MAX_CHARS = 2_000_000;
/** Millimetres to points: the layout's thresholds (rounding of margins, sizes) are tuned on PDF points. */
const MM_TO_PT = 72 / 25.4;
/** A4, the page size when neither the page nor the document gives one. */
const DEFAULT_PAGE = { x: 0, y: 0, w: 210, h: 297 };

type Loc = { file?: string };
type Box = { x: number; y: number; w: number; h: number };
/** One drawn glyph run on a page, in millimetres, page origin at the top left, y growing downwards (the baseline). */
interface MmRun {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}

function locOf(path: string | undefined): Loc {
  return path === undefined ? {} : { file: path };
}

function corrupt(message: string, loc: Loc): XunshiError {
  return new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the OFD document is damaged: ${message}`, loc);
}

/** Numbers of an ST_Array (`"0 0 210 297"`); undefined unless it has `n` finite numbers. */
function numbers(s: string | undefined, n: number): number[] | undefined {
  if (s === undefined) return undefined;
  const parts = s.trim().split(/[\s,]+/);
  if (parts.length < n) return undefined;
  const out = parts.slice(0, n).map(Number);
  return out.every(Number.isFinite) ? out : undefined;
}

function boxOf(s: string | undefined): Box | undefined {
  const v = numbers(s, 4);
  return v && v[2]! > 0 && v[3]! > 0 ? { x: v[0]!, y: v[1]!, w: v[2]!, h: v[3]! } : undefined;
}

function numberOf(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The first `count` offsets of a DeltaX/DeltaY list. `g N v` stands for N times v; a list shorter than the text leaves
 * the rest undefined. Only the values needed are produced, so `g 4000000000 1` on a two-character code costs nothing.
 */
export function expandDeltas(s: string | undefined, count: number): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  if (s === undefined || count <= 0) return out;
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  while (out.length < count && (m = re.exec(s)) !== null) {
    if (m[0] === 'g') {
      const n = Number(re.exec(s)?.[0]);
      const v = Number(re.exec(s)?.[0]);
      if (!Number.isFinite(n) || n < 0) continue;
      const value = Number.isFinite(v) ? v : undefined;
      for (let i = 0; i < n && out.length < count; i++) out.push(value);
    } else {
      const v = Number(m[0]);
      out.push(Number.isFinite(v) ? v : undefined);
    }
  }
  return out;
}

/** The numbers each command of AbbreviatedData takes (GB/T 33190 table 36; `Z`, SVG's close, read as `C`). */
const PATH_ARGS: Readonly<Record<string, number>> = { S: 2, M: 2, L: 2, Q: 4, B: 6, A: 7, C: 0, Z: 0 };
/** One token of AbbreviatedData after white space or commas: a command letter, or a number. */
const PATH_TOKEN = /[\s,]*(?:([A-Za-z])|([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?))/y;

/**
 * The path of an AbbreviatedData string in pdf.js's path codes (see `addPath` in pdf-tables.ts), in the object's own
 * units: `S`/`M x y` start a subpath (S defines the start point), `L x y` a line, `Q x1 y1 x y` and
 * `B x1 y1 x2 y2 x y` curves, `A rx ry angle large sweep x y` an arc (a curve to its end point: no rule follows a
 * curve), `C` closes the subpath. Numbers after a command's own repeat it (`L 0 0 10 0`; after `M`, as lines), as in
 * SVG. Reading stops at anything else (an unknown command, a missing or infinite number), keeping what came before,
 * and after `budget.commands` commands, when `budget.over` is set: the cost is linear in what is read, never more.
 */
export function abbreviatedPath(s: string, budget: { commands: number; over?: boolean }): number[] {
  const out: number[] = [];
  const re = PATH_TOKEN;
  re.lastIndex = 0;
  let cmd: string | undefined;
  const args: number[] = [];
  const number = (): number | undefined => {
    const m = re.exec(s);
    if (!m || m[2] === undefined) return undefined;
    const v = Number(m[2]);
    return Number.isFinite(v) ? v : undefined;
  };
  for (;;) {
    const at = re.lastIndex;
    const m = re.exec(s);
    if (!m) break;
    if (m[1] !== undefined) {
      if (PATH_ARGS[m[1]] === undefined) break;
      cmd = m[1];
    } else {
      // A number where a command is due: the last command again (a moveto's pairs after the first are lines).
      if (cmd === undefined || PATH_ARGS[cmd] === 0) break;
      if (cmd === 'S' || cmd === 'M') cmd = 'L';
      re.lastIndex = at;
    }
    if (budget.commands <= 0) {
      budget.over = true;
      break;
    }
    const n = PATH_ARGS[cmd]!;
    args.length = 0;
    for (let i = 0; i < n; i++) {
      const v = number();
      if (v === undefined) return out;
      args.push(v);
    }
    budget.commands--;
    switch (cmd) {
      case 'S':
      case 'M':
        out.push(DRAW.moveTo, args[0]!, args[1]!);
        break;
      case 'L':
        out.push(DRAW.lineTo, args[0]!, args[1]!);
        break;
      case 'Q':
        out.push(DRAW.quadraticCurveTo, args[0]!, args[1]!, args[2]!, args[3]!);
        break;
      case 'B':
        out.push(DRAW.curveTo, args[0]!, args[1]!, args[2]!, args[3]!, args[4]!, args[5]!);
        break;
      case 'A':
        out.push(DRAW.quadraticCurveTo, args[5]!, args[6]!, args[5]!, args[6]!);
        break;
      default:
        out.push(DRAW.closePath);
    }
  }
  return out;
}

/** Wide (CJK, full-width) characters, set one em wide; others are estimated at half an em. */
function isWide(c: number): boolean {
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x303f) || c >= 0x20000;
}

/** Latin letters' widths in ems, roughly those of a proportional font, where they differ from half an em. */
const LATIN_WIDTHS: Readonly<Record<string, number>> = { i: 0.28, j: 0.28, l: 0.28, f: 0.33, t: 0.33, r: 0.38, I: 0.33, ' ': 0.28, m: 0.83, w: 0.72, M: 0.89, W: 0.94 };

/**
 * A glyph's advance when the TextCode gives none (fonts are not read): one em for Chinese, about half for Latin. What
 * matters is the gap to the next run, where the layout puts a space past a quarter of an em.
 */
function glyphWidth(ch: string, size: number): number {
  const c = ch.codePointAt(0)!;
  if (isWide(c)) return size;
  const w = LATIN_WIDTHS[ch];
  if (w !== undefined) return w * size;
  return (c >= 0x41 && c <= 0x5a ? 0.67 : 0.5) * size;
}

/** A part's text: UTF-8 as OFD requires (a BOM skipped), or the GB encoding its XML declaration names. */
function decodeXml(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 200)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1]?.toLowerCase();
  const label = declared !== undefined && /^(gb2312|gbk|gb18030|x-gbk)$/.test(declared) ? 'gb18030' : 'utf-8';
  return new TextDecoder(label).decode(bytes);
}

/** Parse one part (decoded as its declaration says), bounded in depth; errors name the part. */
function parseXml(bytes: Uint8Array, part: string, loc: Loc, handlers: XmlPartHandlers): void {
  parseXmlPart(decodeXml(bytes), handlers, {
    malformed: (message) => corrupt(`${part} is not well-formed XML (${message})`, loc),
    maxDepth: MAX_OFD_DEPTH,
    tooDeep: () => new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the OFD document nests elements more than ${MAX_OFD_DEPTH} levels deep in ${part}`, loc),
  });
}

/** The entry of a package path, matched without regard to case when the exact name is missing (producers differ). */
function entryFinder(zip: ZipArchive): (name: string) => string | undefined {
  const lower = new Map<string, string>();
  for (const e of zip.entries.keys()) if (!lower.has(e.toLowerCase())) lower.set(e.toLowerCase(), e);
  return (name) => (zip.has(name) ? name : lower.get(name.toLowerCase()));
}

/** An ImageObject: the MultiMedia resource it draws and the matrix that maps the unit square (y down) onto the page (mm). */
interface OfdImage {
  resource: string;
  /** [a, b, c, d, e, f]: unit (u, v) → page (a u + c v + e, b u + d v + f), the Boundary's origin included. */
  ctm: number[];
}

/** What one page or template Content.xml holds: its own page box, the templates it uses, its text runs, images and rules. */
interface PagePart {
  box?: Box;
  templates: string[];
  /** The page's own resource files (PageRes). */
  res: string[];
  runs: MmRun[];
  images: OfdImage[];
  chars: number;
  /**
   * The rules its PathObjects draw, in points from the top left of the page's coordinates (y down: the page box is
   * not known yet for a template); undefined when it draws more than the bounds (no table is looked for).
   */
  rules: PdfRule[] | undefined;
}

/** A Stroke or Fill flag: `true`/`false` (or 1/0), else the default. */
function flagOf(s: string | undefined, otherwise: boolean): boolean {
  const v = s?.trim();
  return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : otherwise;
}

/**
 * The text runs of a page's Content.xml. A TextObject's TextCode draws its characters from (X, Y), each next one
 * DeltaX/DeltaY further (relative to the object's Boundary origin, through its CTM); consecutive characters that
 * follow each other without a gap make one run, as a PDF's text-showing operator does. With `withRules`, also the rules
 * its PathObjects draw: each path's AbbreviatedData (relative to the Boundary origin, through the CTM, as text) stroked
 * (Stroke, true by default) or filled (Fill), read by pdf-tables.ts's `addPath` as a PDF path is; clipping paths
 * (`Clips`) and hidden paths draw nothing.
 */
function readPagePart(bytes: Uint8Array, part: string, loc: Loc, budget: { chars: number; max: number }, withRules = true): PagePart {
  const out: PagePart = { templates: [], res: [], runs: [], images: [], chars: 0, rules: withRules ? [] : undefined };
  const stack: string[] = [];
  // The PathObjects open (a stack: a file may nest one in another), each with what it draws and its matrix into points
  // (y down); the path data being read, and the bounds left.
  const paths: { stroked: boolean; filled: boolean; ctm: Matrix }[] = [];
  let pathData: string | undefined;
  const pathBudget: { commands: number; chars: number; over?: boolean } = { commands: MAX_PATH_COMMANDS, chars: MAX_PATH_DATA_CHARS };
  const tooMuch = (): void => {
    out.rules = undefined;
    pathData = undefined;
  };
  const drawPath = (data: string): void => {
    const p = paths[paths.length - 1]!;
    if (!out.rules || (!p.stroked && !p.filled)) return;
    const ops = abbreviatedPath(data, pathBudget);
    if (pathBudget.over) return tooMuch();
    addPath(out.rules, ops, p.ctm, p.stroked);
    if (out.rules.length > MAX_RULES) tooMuch();
  };
  let obj: { bx: number; by: number; ctm: number[]; size: number; hscale: number; hidden: boolean } | undefined;
  let objDepth = 0;
  // The current TextCode: its attributes and text; the pen position carries over to a TextCode without X or Y.
  let code: { x?: number; y?: number; dx?: string; dy?: string; text: string } | undefined;
  let pen = { x: 0, y: 0 };
  let boxText: string | undefined;
  let resText: string | undefined;
  const emit = (): void => {
    if (!obj || !code) return;
    const chars = Array.from(code.text.replace(/[\r\n\t]/g, ' '));
    const x0 = code.x ?? pen.x;
    const y0 = code.y ?? pen.y;
    if (chars.length === 0) {
      pen = { x: x0, y: y0 };
      return;
    }
    budget.chars += chars.length;
    out.chars += chars.length;
    if (budget.chars > budget.max) {
      throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the OFD document draws more than ${budget.max.toLocaleString('en-US')} characters (in ${part}), far more than any report`, loc);
    }
    const dxs = expandDeltas(code.dx, chars.length - 1);
    const dys = expandDeltas(code.dy, chars.length - 1);
    const size = obj.size;
    const [a, b, c, d, e, f] = obj.ctm as [number, number, number, number, number, number];
    // The size and widths on the page: scaled by the CTM along the baseline (a, b) and across it (c, d).
    const along = Math.hypot(a, b) || 1;
    const across = Math.hypot(c, d) || 1;
    let x = x0;
    let y = y0;
    let run: { str: string; x: number; y: number; end: number } | undefined;
    const flush = (): void => {
      if (!run || obj!.hidden) return;
      const px = obj!.bx + a * run.x + c * run.y + e;
      const py = obj!.by + b * run.x + d * run.y + f;
      const width = (run.end - run.x) * along;
      const s = size * across;
      if (Number.isFinite(px) && Number.isFinite(py) && Number.isFinite(width) && Number.isFinite(s) && s > 0) out.runs.push({ str: run.str, x: px, y: py, width, size: s });
    };
    // HScale narrows or widens the glyphs (长宋, 扁宋), not the size.
    const hscale = obj.hscale;
    let last = glyphWidth(chars[0]!, size) * hscale;
    let prevDx: number | undefined;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i]!;
      const w = glyphWidth(ch, size) * hscale;
      if (i > 0) {
        // A list that runs short keeps its last value, as viewers do; no value at all means the glyph's own width.
        const dx = dxs[i - 1] ?? prevDx ?? last;
        const dy = dys[i - 1] ?? 0;
        if (dxs[i - 1] !== undefined) prevDx = dx;
        x += dx;
        y += dy;
      }
      // A new run where the pen jumps: a gap of more than half an em, a step back, or a move off the baseline.
      if (run && (Math.abs(y - run.y) > 0.05 * size || x - run.end > 0.5 * size || x < run.end - 0.6 * size)) {
        flush();
        run = undefined;
      }
      if (!run) run = { str: '', x, y, end: x };
      run.str += ch;
      run.end = Math.max(run.end, x + w);
      last = w;
    }
    flush();
    pen = { x: x + last, y };
  };
  parseXml(bytes, part, loc, {
    open(name, attrs, depth) {
      const parent = stack[stack.length - 1];
      stack.push(name);
      if (name === 'PhysicalBox' && parent === 'Area' && stack.length === 3) boxText = '';
      else if (name === 'Template' && parent === 'Page' && attrs.TemplateID !== undefined) out.templates.push(attrs.TemplateID);
      else if (name === 'PageRes' && parent === 'Page') resText = '';
      else if (name === 'PathObject') {
        const boundary = numbers(attrs.Boundary, 4) ?? [0, 0, 0, 0];
        const [a, b, c, d, e, f] = (numbers(attrs.CTM, 6) ?? [1, 0, 0, 1, 0, 0]) as Matrix;
        const k = MM_TO_PT;
        const visible = attrs.Visible !== 'false' && attrs.Visible !== '0';
        paths.push({ stroked: visible && flagOf(attrs.Stroke, true), filled: visible && flagOf(attrs.Fill, false), ctm: [k * a, k * b, k * c, k * d, k * (e + boundary[0]!), k * (f + boundary[1]!)] });
        // Each path counts as a command: a page of a million empty paths is bounded too.
        if (out.rules && --pathBudget.commands < 0) tooMuch();
      } else if (name === 'AbbreviatedData' && parent === 'PathObject' && out.rules) pathData = '';
      else if (name === 'ImageObject' && attrs.ResourceID !== undefined && attrs.Visible !== 'false' && attrs.Visible !== '0') {
        // The unit square onto the Boundary: by the CTM (in the Boundary's frame), or stretched over it without one.
        const boundary = numbers(attrs.Boundary, 4) ?? [0, 0, 0, 0];
        const [a, b, c, d, e, f] = (numbers(attrs.CTM, 6) ?? [boundary[2]!, 0, 0, boundary[3]!, 0, 0]) as [number, number, number, number, number, number];
        const ctm = [a, b, c, d, e + boundary[0]!, f + boundary[1]!];
        if (ctm.every(Number.isFinite) && out.images.length < MAX_PAGE_IMAGES) out.images.push({ resource: attrs.ResourceID.trim(), ctm });
      } else if (name === 'TextObject' && !obj) {
        const boundary = numbers(attrs.Boundary, 4) ?? [0, 0, 0, 0];
        const ctm = numbers(attrs.CTM, 6) ?? [1, 0, 0, 1, 0, 0];
        const hscale = numberOf(attrs.HScale);
        obj = { bx: boundary[0]!, by: boundary[1]!, ctm, size: numberOf(attrs.Size) ?? 3.5, hscale: hscale !== undefined && hscale > 0 ? hscale : 1, hidden: attrs.Visible === 'false' || attrs.Visible === '0' };
        objDepth = depth;
        pen = { x: 0, y: 0 };
      } else if (name === 'TextCode' && obj && !code) {
        code = { text: '' };
        const x = numberOf(attrs.X);
        const y = numberOf(attrs.Y);
        if (x !== undefined) code.x = x;
        if (y !== undefined) code.y = y;
        if (attrs.DeltaX !== undefined) code.dx = attrs.DeltaX;
        if (attrs.DeltaY !== undefined) code.dy = attrs.DeltaY;
      }
    },
    text(t) {
      if (code) code.text += t;
      else if (pathData !== undefined) {
        pathBudget.chars -= t.length;
        if (pathBudget.chars < 0) tooMuch();
        else pathData += t;
      } else if (boxText !== undefined) boxText += t;
      else if (resText !== undefined) resText += t;
    },
    close(name, depth) {
      stack.pop();
      if (name === 'TextCode' && code) {
        emit();
        code = undefined;
      } else if (name === 'TextObject' && obj && depth === objDepth) obj = undefined;
      else if (name === 'AbbreviatedData' && pathData !== undefined) {
        drawPath(pathData);
        pathData = undefined;
      } else if (name === 'PathObject') paths.pop();
      else if (name === 'PhysicalBox' && boxText !== undefined) {
        const box = boxOf(boxText);
        if (box) out.box = box;
        boxText = undefined;
      } else if (name === 'PageRes' && resText !== undefined) {
        if (resText.trim() !== '') out.res.push(resText.trim());
        resText = undefined;
      }
    },
  });
  return out;
}

/**
 * A page's runs as pdf.js gives them: points, y from the bottom edge; and its rules (in points, y down from the origin
 * of the page's coordinates) turned the same way, when there are any: the page's own in place (`own`, read for this
 * page alone), its templates' (`shared`, drawn on other pages too) as new ones.
 */
function toPdfPage(box: Box, runs: readonly MmRun[], rules: { own: PdfRule[]; shared: (readonly PdfRule[])[] } | undefined): PdfPageText {
  const items: PdfTextItem[] = [];
  // Text far off the page (a crafted Boundary of 1e300) is not shown; it would only distort the layout's margins.
  const slack = Math.max(box.w, box.h);
  for (const r of runs) {
    const x = r.x - box.x;
    const y = r.y - box.y;
    if (x < -slack || x > box.w + slack || y < -slack || y > box.h + slack) continue;
    items.push({ str: r.str, x: x * MM_TO_PT, y: (box.h - y) * MM_TO_PT, width: r.width * MM_TO_PT, height: r.size * MM_TO_PT });
  }
  const width = box.w * MM_TO_PT;
  const height = box.h * MM_TO_PT;
  if (!rules || (rules.own.length === 0 && rules.shared.every((l) => l.length === 0))) return { width, height, items };
  // x - box.x and box.h - (y - box.y), in points; rules far off the page (or not finite) are left out, as text is.
  const dx = box.x * MM_TO_PT;
  const top = (box.h + box.y) * MM_TO_PT;
  const far = slack * MM_TO_PT;
  const onPage: PdfRule[] = [];
  const onThePage = (r: PdfRule): boolean => Math.min(r.x0, r.x1) >= -far && Math.max(r.x0, r.x1) <= width + far && Math.min(r.y0, r.y1) >= -far && Math.max(r.y0, r.y1) <= height + far;
  for (const r of rules.own) {
    r.x0 -= dx;
    r.x1 -= dx;
    r.y0 = top - r.y0;
    r.y1 = top - r.y1;
    if (onThePage(r)) onPage.push(r);
  }
  for (const list of rules.shared) {
    for (const r of list) {
      const t = { x0: r.x0 - dx, y0: top - r.y0, x1: r.x1 - dx, y1: top - r.y1 };
      if (onThePage(t)) onPage.push(t);
    }
  }
  return onPage.length > 0 ? { width, height, items, rules: onPage } : { width, height, items };
}

/** The MultiMedia files of a document, found by resource ID, read from the package once each. */
interface MediaReader {
  /** The image resource `id` draws (looked up in the page's own resource files, then the document's), if OCR can read it. */
  image(id: string, pageRes: readonly string[], page: number): { bytes: Uint8Array; header: ImageHeader } | undefined;
  /** Note an image of `page` that was not read, and why. */
  note(why: string, page: number): void;
  /** The diagnostic's message when images were not read. */
  notRead(): string | undefined;
}

function mediaReader(zip: ZipArchive, findEntry: (name: string) => string | undefined, docRes: readonly string[], loc: Loc): MediaReader {
  // Resource file → (MultiMedia ID → the file's package path); a resource file missing or damaged holds nothing.
  const resFiles = new Map<string, Map<string, string>>();
  const files = new Map<string, { bytes: Uint8Array; header: ImageHeader }>();
  const resOf = (path: string): Map<string, string> => {
    let ids = resFiles.get(path);
    if (ids) return ids;
    ids = new Map();
    resFiles.set(path, ids);
    const entry = findEntry(path);
    if (entry === undefined) return ids;
    let base = folderOf(path);
    let media: string | undefined;
    let file: string | undefined;
    const found = ids;
    parseXml(zip.read(entry), path, loc, {
      open(name, attrs) {
        if (name === 'Res' && attrs.BaseLoc !== undefined) {
          const folder = resolvePackagePath(folderOf(path), attrs.BaseLoc);
          base = folder === '' ? '' : `${folder}/`;
        }
        else if (name === 'MultiMedia' && attrs.ID !== undefined) media = attrs.ID.trim();
        else if (name === 'MediaFile' && media !== undefined) file = '';
      },
      text(t) {
        if (file !== undefined) file += t;
      },
      close(name) {
        if (name === 'MediaFile' && file !== undefined && media !== undefined) {
          if (!found.has(media) && file.trim() !== '') found.set(media, resolvePackagePath(base, file.trim()));
          file = undefined;
        } else if (name === 'MultiMedia') media = undefined;
      },
    });
    return ids;
  };
  // Each image not read, by page and its place among the page's notes: pages read by OCR at once note out of order, and
  // the message lists them as one page after another would.
  const notes: { why: string; page: number; k: number }[] = [];
  const perPage = new Map<number, number>();
  const note = (why: string, page: number): void => {
    const k = perPage.get(page) ?? 0;
    perPage.set(page, k + 1);
    notes.push({ why, page, k });
  };
  return {
    image(id, pageRes, page) {
      let path: string | undefined;
      for (const r of [...pageRes, ...docRes]) if ((path = resOf(r).get(id)) !== undefined) break;
      const entry = path === undefined ? undefined : findEntry(path);
      if (entry === undefined) {
        note('whose MultiMedia resource or file is missing', page);
        return undefined;
      }
      let got = files.get(entry);
      if (!got) {
        const bytes = zip.read(entry);
        got = { bytes, header: imageHeader(bytes) };
        files.set(entry, got);
      }
      const { format, width, height } = got.header;
      if (!DECODED_FORMATS.includes(format)) note(`in ${format === 'unknown' ? 'an unknown format' : format} (xunshi decodes ${DECODED_FORMATS.join(', ')})`, page);
      else if (!(width > 0 && height > 0)) note('whose header gives no size', page);
      else if (width * height > MAX_IMAGE_PIXELS) note(`of more than ${MAX_IMAGE_PIXELS / 1e6} M pixels (not decoded)`, page);
      else return got;
      return undefined;
    },
    note,
    notRead() {
      if (notes.length === 0) return undefined;
      const skipped = new Map<string, number[]>();
      for (const { why, page } of [...notes].sort((a, b) => a.page - b.page || a.k - b.k)) {
        const pages = skipped.get(why) ?? [];
        if (pages[pages.length - 1] !== page) pages.push(page);
        skipped.set(why, pages);
      }
      return `images not read by OCR: ${[...skipped].map(([why, pages]) => `${why} on ${pageList(pages)}`).join('; ')}`;
    },
  };
}

/**
 * OCR one page that draws no text: its images (and its templates'), decoded, upright as the page shows them and
 * grey, read by the document's OCR session; their lines become text items in points, y up, as the page's text is.
 */
async function ocrOfdPage(n: number, images: readonly OfdImage[], box: Box, pageRes: readonly string[], media: MediaReader, session: OcrSession): Promise<{ items: PdfTextItem[]; rules: PdfRule[] }> {
  const painted: { bytes: Uint8Array; header: ImageHeader; ctm: number[]; width: number; height: number }[] = [];
  for (const im of images) {
    const got = media.image(im.resource, pageRes, n);
    if (got) painted.push({ ...got, ctm: im.ctm, width: got.header.width, height: got.header.height });
  }
  const k = MM_TO_PT;
  return session.readPage(
    n,
    painted,
    async (im, share) => {
      const data = await decodeImage(im.bytes, im.header, MAX_IMAGE_PIXELS);
      if (!data) {
        media.note('that did not decode', n);
        return undefined;
      }
      // OFD's unit square has y down (the image's top row at v = 0), pdf.js's y up: v = 1 − v'. The matrix maps the
      // PDF unit square onto the page in points, y down, which is the device space uprightGrey takes.
      const [a, b, c, d, e, f] = im.ctm as [number, number, number, number, number, number];
      return uprightGrey(data, false, [k * a, k * b, -k * c, -k * d, k * (c + e - box.x), k * (d + f - box.y)], [1, 0, 0, 1, 0, 0], share);
    },
    box.h * k,
    (im) => ({ source: im.bytes, at: im.ctm.join(' ') }),
  );
}

/** The pages of an OFD document as the PDF layout takes them, and what the reading noticed. */
export interface OfdPages {
  pages: PdfPageText[];
  diagnostics: { code: string; message: string }[];
  /** With `ocr`: the pages read by OCR. */
  ocrPages?: number[];
}

/**
 * The pages of the first document of an OFD package as positioned text runs (points, origin at the bottom left, as
 * pdf.js gives them), each page's runs followed by those of the templates it uses. Throws as {@link extractOfd} does.
 */
export async function readOfdPages(bytes: Uint8Array, options: OfdOptions = {}): Promise<OfdPages> {
  const loc = locOf(options.path);
  const maxPages = options.maxPages ?? 2000;
  const budget = { chars: 0, max: options.maxChars ?? DEFAULT_MAX_CHARS };
  const zip = openZip(bytes, { ...(options.path !== undefined ? { path: options.path } : {}), ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}), what: 'OFD package' });
  const findEntry = entryFinder(zip);
  const read = (name: string, what: string): Uint8Array => {
    const entry = findEntry(name);
    if (entry === undefined) throw corrupt(`${what} ${name} is missing from the package`, loc);
    return zip.read(entry);
  };
  for (const name of zip.entries.keys()) {
    if (/(^|\/)encryptions\.xml$/i.test(name)) {
      throw new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the OFD document is encrypted (it has an Encryptions part); open it in an OFD reader with its key and save an unencrypted copy', loc);
    }
  }
  if (findEntry('OFD.xml') === undefined) throw corrupt('the package has no OFD.xml, the entry point of every OFD document (is it an OFD file at all?)', loc);

  // OFD.xml: the documents (DocBody), each with its DocRoot.
  const roots: (string | undefined)[] = [];
  let encrypted = false;
  {
    let inRoot = false;
    let rootText = '';
    parseXml(read('OFD.xml', 'the entry point'), 'OFD.xml', loc, {
      open(name) {
        if (name === 'DocBody') roots.push(undefined);
        else if (name === 'DocRoot' && roots.length > 0) {
          inRoot = true;
          rootText = '';
        } else if (name === 'Encryptions' || name === 'Encryption') encrypted = true;
      },
      text(t) {
        if (inRoot) rootText += t;
      },
      close(name) {
        if (name === 'DocRoot' && inRoot) {
          inRoot = false;
          if (roots[roots.length - 1] === undefined && rootText.trim() !== '') roots[roots.length - 1] = rootText.trim();
        }
      },
    });
  }
  if (encrypted) throw new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the OFD document is encrypted (OFD.xml declares Encryptions); open it in an OFD reader with its key and save an unencrypted copy', loc);
  if (roots.length === 0) throw corrupt('OFD.xml has no DocBody: the package holds no document', loc);
  const docRoot = roots[0];
  if (docRoot === undefined) throw corrupt('the first DocBody of OFD.xml has no DocRoot', loc);
  const docPath = resolvePackagePath('', docRoot);
  const docFolder = folderOf(docPath);

  // Document.xml: the page size, the template pages and the pages, in order.
  let docBox: Box | undefined;
  const templates = new Map<string, string>();
  const pageLocs: string[] = [];
  const resFiles: string[] = [];
  {
    const stack: string[] = [];
    let boxText: string | undefined;
    let resText: string | undefined;
    parseXml(read(docPath, 'the document'), docPath, loc, {
      open(name, attrs) {
        const parent = stack[stack.length - 1];
        stack.push(name);
        if (name === 'PhysicalBox' && parent === 'PageArea' && stack[stack.length - 3] === 'CommonData') boxText = '';
        else if ((name === 'DocumentRes' || name === 'PublicRes') && parent === 'CommonData') resText = '';
        else if (name === 'TemplatePage' && parent === 'CommonData') {
          if (attrs.ID !== undefined && attrs.BaseLoc !== undefined) templates.set(attrs.ID, attrs.BaseLoc);
        } else if (name === 'Page' && parent === 'Pages') {
          if (attrs.BaseLoc === undefined) throw corrupt(`page ${pageLocs.length + 1} of ${docPath} has no BaseLoc`, loc);
          pageLocs.push(attrs.BaseLoc);
          if (pageLocs.length > maxPages) throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the OFD document has more than ${maxPages} pages, more than xunshi reads`, loc);
        }
      },
      text(t) {
        if (boxText !== undefined) boxText += t;
        else if (resText !== undefined) resText += t;
      },
      close(name) {
        stack.pop();
        if (name === 'PhysicalBox' && boxText !== undefined) {
          docBox = boxOf(boxText);
          boxText = undefined;
        } else if ((name === 'DocumentRes' || name === 'PublicRes') && resText !== undefined) {
          if (resText.trim() !== '') resFiles.push(resolvePackagePath(docFolder, resText.trim()));
          resText = undefined;
        }
      },
    });
  }
  if (pageLocs.length === 0) throw corrupt(`${docPath} lists no pages`, loc);

  // Rules read over the document, as for a PDF (a page over MAX_RULES counts in full): past this, later pages' paths
  // (and templates first used there) are not read. The pages with text whose tables were not looked for, for the
  // diagnostic.
  let ruleBudget = MAX_DOCUMENT_RULES;
  const unruled: number[] = [];
  // Template pages are parsed once, on first use; they are not followed further (a template naming a template).
  const templateParts = new Map<string, PagePart>();
  const templateOf = (id: string): PagePart | undefined => {
    const seen = templateParts.get(id);
    if (seen) return seen;
    const base = templates.get(id);
    if (base === undefined) return undefined;
    const part = resolvePackagePath(docFolder, base);
    const parsed = readPagePart(read(part, `template page ${id}`), part, loc, { chars: 0, max: budget.max }, ruleBudget > 0);
    templateParts.set(id, parsed);
    return parsed;
  };
  const pages: PdfPageText[] = [];
  let missingTemplates = 0;
  const session = options.ocr ? new OcrSession(options, (max) => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the OFD document has more than ${max} pages without text objects, more than xunshi reads by OCR`, loc)) : undefined;
  const media = session ? mediaReader(zip, findEntry, resFiles, loc) : undefined;
  // The pages being read by OCR (as many at once as the session has engines), taken in page order after the loop.
  const scans: { done: Promise<{ items: PdfTextItem[]; rules: PdfRule[] }>; page: PdfPageText }[] = [];
  try {
    for (let i = 0; i < pageLocs.length; i++) {
      const part = resolvePackagePath(docFolder, pageLocs[i]!);
      const withRules = ruleBudget > 0;
      const page = readPagePart(read(part, `page ${i + 1}`), part, loc, budget, withRules);
      const runs = [...page.runs];
      const images = [...page.images];
      // The page's rules and its templates' (each list as parsed, not copied), and how many.
      let rules = page.rules ? { own: page.rules, shared: [] as PdfRule[][] } : undefined;
      let ruleCount = page.rules?.length ?? 0;
      for (const id of page.templates) {
        const t = templateOf(id);
        if (!t) {
          missingTemplates++;
          continue;
        }
        budget.chars += t.chars;
        if (budget.chars > budget.max) throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the OFD document draws more than ${budget.max.toLocaleString('en-US')} characters (templates counted on each page), far more than any report`, loc);
        for (const r of t.runs) runs.push(r);
        for (const im of t.images) images.push(im);
        // A template parsed after the budget ran out has no rules: it adds none, and neither does the page.
        if (rules && t.rules && ruleCount + t.rules.length <= MAX_RULES) {
          rules.shared.push(t.rules);
          ruleCount += t.rules.length;
        } else rules = undefined;
      }
      if (withRules) {
        ruleBudget -= rules ? ruleCount : MAX_RULES;
        if (!rules && runs.length > 0) unruled.push(i + 1);
      } else if (runs.length > 0) unruled.push(i + 1);
      const box = page.box ?? docBox ?? DEFAULT_PAGE;
      const pdfPage = toPdfPage(box, runs, rules);
      // A page that draws no text of its own but images (a scan; a template's header may still be drawn on it).
      // Read by OCR while the next pages are looked at; its text and the borders of its tables (found in its pixels,
      // scan-rules.ts) go into its place when read.
      if (session && media && page.runs.length === 0 && images.length > 0) {
        const res = page.res.map((r) => resolvePackagePath(folderOf(part), r));
        const scan = await session.schedule(() => ocrOfdPage(i + 1, images, box, res, media, session));
        scans.push({ done: scan.done, page: pdfPage });
      }
      pages.push(pdfPage);
    }
    for (const scan of scans) placeScanned(scan.page, await scan.done);
  } finally {
    await session?.close();
  }
  const diagnostics: OfdPages['diagnostics'] = [];
  const ocrSummary = session?.summary('without text objects');
  if (ocrSummary !== undefined) diagnostics.push({ code: 'XUNSHI_OFD_OCR', message: ocrSummary });
  const notRead = media?.notRead();
  if (notRead !== undefined) diagnostics.push({ code: 'XUNSHI_OFD_IMAGE_NOT_READ', message: notRead });
  if (roots.length > 1) diagnostics.push({ code: 'XUNSHI_OFD_MORE_DOCUMENTS', message: `the OFD package holds ${roots.length} documents; only the first (${docPath}) was read` });
  if (unruled.length > 0) {
    diagnostics.push({ code: 'XUNSHI_OFD_TABLES_SKIPPED', message: `ruled tables were not looked for on ${pageList(unruled)}: they draw more than ${MAX_RULES.toLocaleString('en-US')} rules or ${MAX_PATH_COMMANDS.toLocaleString('en-US')} path commands a page, or the document more than ${MAX_DOCUMENT_RULES.toLocaleString('en-US')} rules (their cells are read as lines)` });
  }
  if (missingTemplates > 0) diagnostics.push({ code: 'XUNSHI_OFD_TEMPLATE_MISSING', message: `${missingTemplates} template reference(s) name no TemplatePage of ${docPath} and were skipped` });
  return { pages, diagnostics, ...(session ? { ocrPages: session.pages } : {}) };
}

/**
 * Extract an OFD document's text: the first document of the package (a diagnostic says when there are more), its pages
 * in order, each page's text objects with its templates' laid out by {@link layoutPdf}. `INPUT_CORRUPT` names a part
 * that is missing or not well-formed; an OFD encrypted by GM/T 0099 (`Encryptions`) is `INPUT_ENCRYPTED`; pages but
 * no text objects (a scan) is `INPUT_NO_TEXT`; more pages or characters than the bounds, `INPUT_TOO_LARGE`.
 */
export async function extractOfd(bytes: Uint8Array, options: OfdOptions = {}): Promise<ExtractedDocument> {
  const { pages, diagnostics, ocrPages } = await readOfdPages(bytes, options);
  const doc = layoutPdf(pages);
  doc.diagnostics.push(...diagnostics);
  if (!/[^\s]/.test(doc.text)) {
    const notRead = diagnostics.find((d) => d.code === 'XUNSHI_OFD_IMAGE_NOT_READ');
    throw new XunshiError(
      ERROR_CODES.INPUT_NO_TEXT,
      ocrPages
        ? `the OFD document has ${pages.length} page(s), no text objects, and ${ocrPages.length === 0 ? `no image that OCR could read${notRead ? ` (${notRead.message})` : ''}` : 'OCR found no text in its images'}`
        : `the OFD document has ${pages.length} page(s) but no text objects (a scanned document?): read it by OCR with --ocr (library: the option ocr: true), or use the original .docx`,
      locOf(options.path),
    );
  }
  return doc;
}
