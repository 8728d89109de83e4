import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedDocument } from './extracted.js';
import { escXml as esc, MAX_STYLE_CHAIN, NumberingCounter, type AbstractNum, type Level, type NumberingDefinitions } from './docx-numbering.js';
import { DOCX_TITLE_CLASS, extractHtml } from './html-extract.js';
import { decodeXmlPart, parseXmlPart, type XmlPartHandlers } from './xml-part.js';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, MAX_TEXT_PART_BYTES, openZip } from './zip.js';
import type { PictureSource } from './image-read.js';

/**
 * OpenDocument text (`.odt`, `.ott` templates, and the flat XML `.fodt`), as LibreOffice and WPS save it. The package is
 * opened with the bounded zip reader (zip bombs are `INPUT_TOO_LARGE`), styles.xml's common styles and content.xml
 * (or the flat file's one document) are read with saxes ({@link parseXmlPart}: no DTD, bounded depth) and written as
 * HTML of the shape the docx reader gets from mammoth, which then goes the same way: headings (`text:h` by its
 * `text:outline-level`, or a paragraph whose style has a default outline level) h1–h6, the Title style above them,
 * tables as tables (spans kept, covered cells skipped), footnotes and endnotes after the body, each story's automatic
 * list numbering written into its paragraphs as LibreOffice shows it (counted by the docx reader's
 * {@link NumberingCounter}). Comments, deleted tracked changes, hidden sections and text, indexes (a table of contents
 * repeats the headings) and frames' alt text are left out.
 */
export interface OdtOptions {
  path?: string;
  /** Bound on the bytes the package may decompress to (default 256 MiB). */
  maxUncompressedBytes?: number;
  /**
   * Filled with the body's pictures in document order (each `draw:frame`'s raster `draw:image`: a package's file, or a
   * flat file's `office:binary-data`), read when asked: for the OCR of a document of pasted scans.
   */
  pictures?: PictureSource[];
}

/** A picture's file by its name, as the raster formats the OCR decodes end. */
const RASTER = /\.(png|jpe?g|bmp|tiff?|gif)$/i;

/**
 * Handlers that collect the pictures of the body (`office:body`): one a `draw:frame`, its first raster `draw:image`
 * (an SVG picture with a PNG fallback gives the PNG), else its first; `file` reads a package's file by name.
 */
function pictureCollector(pictures: PictureSource[], file: ((name: string) => Uint8Array | undefined) | undefined): XmlPartHandlers {
  let inBody = 0;
  let frame: { hrefs: string[]; data: string[] } | undefined;
  let binary: string[] | undefined;
  const done = (): void => {
    if (!frame) return;
    const { hrefs, data } = frame;
    frame = undefined;
    const inline = data.find((d) => d.length > 0);
    if (inline !== undefined) {
      pictures.push(() => Promise.resolve(new Uint8Array(Buffer.from(inline, 'base64'))));
      return;
    }
    const href = hrefs.find((h) => RASTER.test(h)) ?? hrefs[0];
    if (href === undefined || !file) return;
    const name = href.replace(/^\.\//, '');
    pictures.push(() => Promise.resolve(file(name) ?? 'damaged'));
  };
  return {
    open: (name, a) => {
      if (name === 'body') inBody++;
      if (!inBody) return;
      if (name === 'frame') {
        done();
        frame = { hrefs: [], data: [] };
      } else if (name === 'image' && frame) {
        const href = attrOf(a, 'href');
        if (href) frame.hrefs.push(href);
      } else if (name === 'binary-data' && frame) binary = [];
    },
    close: (name) => {
      if (name === 'binary-data' && frame && binary) {
        frame.data.push(binary.join('').replace(/\s+/g, ''));
        binary = undefined;
      } else if (name === 'frame') done();
      else if (name === 'body') inBody--;
    },
    text: (t) => {
      binary?.push(t);
    },
  };
}

/** The mimetype of a text document and of its template. */
const TEXT_MIMETYPES = new Set(['application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.text-template']);
/** Other OpenDocument kinds, named in the refusal. */
const OTHER_KINDS: Readonly<Record<string, string>> = {
  spreadsheet: 'an OpenDocument spreadsheet (.ods)',
  'spreadsheet-template': 'an OpenDocument spreadsheet template (.ots)',
  presentation: 'an OpenDocument presentation (.odp)',
  'presentation-template': 'an OpenDocument presentation template (.otp)',
  graphics: 'an OpenDocument drawing (.odg)',
  'graphics-template': 'an OpenDocument drawing template (.otg)',
  formula: 'an OpenDocument formula (.odf)',
  chart: 'an OpenDocument chart (.odc)',
  database: 'an OpenDocument database (.odb)',
  'text-master': 'an OpenDocument master document (.odm)',
  'text-web': 'an HTML document template (.oth)',
};

/** What an OpenDocument mimetype names, for messages. */
export function openDocumentKind(mimetype: string): string {
  const m = /^application\/vnd\.oasis\.opendocument\.([\w-]+)$/.exec(mimetype.trim());
  if (!m) return `a package of type ${JSON.stringify(mimetype.trim().slice(0, 80))}`;
  return OTHER_KINDS[m[1]!] ?? (TEXT_MIMETYPES.has(mimetype.trim()) ? 'an OpenDocument text (.odt)' : `an OpenDocument file (${m[1]})`);
}

/** True for the mimetype of an OpenDocument text or text template. */
export function isOdtMimetype(mimetype: string): boolean {
  return TEXT_MIMETYPES.has(mimetype.trim());
}

/** Deepest element nesting read (LibreOffice writes a few dozen levels; tables in tables in lists add a few each). */
export const MAX_ODT_DEPTH = 256;
/** Most spaces one `text:s` gives (`text:c` is a count a hostile file may set to 10⁹). */
const MAX_SPACES = 256;
/** List levels counted (ODF has 10, Word 9: the tenth shows the ninth's number format). */
const LEVELS = 9;

/** Elements read past with all they hold. */
const SKIPPED = new Set([
  'annotation',
  'tracked-changes',
  'note-citation',
  'table-of-content',
  'illustration-index',
  'table-index',
  'object-index',
  'user-index',
  'alphabetical-index',
  'bibliography',
  'sequence-decls',
  'variable-decls',
  'user-field-decls',
  'dde-connection-decls',
  'forms',
  // An image's bytes (base64 in a flat file), an embedded object (a chart's or formula's own document in a flat file).
  'binary-data',
  'object',
  'object-ole',
  'table-column',
  'table-columns',
  'table-header-columns',
  'covered-table-cell',
  'ruby-text',
  'event-listeners',
  'scripts',
  'font-face-decls',
  'settings',
  'master-styles',
]);

/** Elements whose `title`/`desc` children are text fields (`text:title`, `text:description`), not captions. */
const TEXT_PARENTS = new Set(['p', 'h', 'span', 'a', 'meta', 'meta-field', 'ruby-base']);

interface OdfStyle {
  parent?: string;
  displayName?: string;
  outlineLevel?: number;
  listStyle?: string;
  /** Character formatting `text:display="none"` (hidden text). */
  hidden?: boolean;
}

/** Word's `w:numFmt` for an ODF `style:num-format` (its first character names it: 1, a, A, i, I, 一, 壹, ①…). */
function wordFormat(numFormat: string | undefined): string {
  const f = (numFormat ?? '1').trim();
  if (f === '') return 'none';
  switch (f[0]) {
    case '1':
      return 'decimal';
    case 'a':
      return 'lowerLetter';
    case 'A':
      return 'upperLetter';
    case 'i':
      return 'lowerRoman';
    case 'I':
      return 'upperRoman';
    case '一':
    case '〇':
      return f.startsWith('〇') ? 'ideographDigital' : 'chineseCounting';
    case '壹':
      return f.includes('貳') ? 'ideographLegalTraditional' : 'chineseLegalSimplified';
    case '①':
      return 'decimalEnclosedCircle';
    case '⑴':
      return 'decimalEnclosedParen';
    case '⒈':
      return 'decimalEnclosedFullstop';
    case '㈠':
      return 'ideographEnclosedCircle';
    case '甲':
      return 'ideographTraditional';
    case '子':
      return 'ideographZodiac';
    case '１':
      return 'decimalFullWidth';
    default:
      return 'decimal';
  }
}

/** Word's `w:lvlText` for an ODF level: LibreOffice's own `loext:num-list-format` (`%1%.`), else prefix, the shown levels joined by `.`, suffix. */
function levelText(level: number, a: Record<string, string>): string {
  const lo = attrOf(a, 'num-list-format');
  if (lo !== undefined) return lo.replace(/%(\d+)%/g, (m, k: string) => (Number(k) >= 1 && Number(k) <= LEVELS ? `%${k}` : m)).slice(0, 64);
  const shown = Math.max(1, Math.min(level, Number(attrOf(a, 'display-levels') ?? 1) || 1));
  const numbers: string[] = [];
  for (let k = level - shown + 1; k <= level; k++) numbers.push(`%${k}`);
  return `${attrOf(a, 'num-prefix') ?? ''}${numbers.join('.')}${attrOf(a, 'num-suffix') ?? ''}`.slice(0, 64);
}

/** An attribute by its local name (producers differ in prefixes). */
function attrOf(a: Record<string, string>, local: string): string | undefined {
  for (const k in a) if (k === local || k.endsWith(`:${local}`)) return a[k];
  return undefined;
}

/** An ODF style name as LibreOffice encodes it (`Heading_20_1`) made readable (`Heading 1`). */
function decodeStyleName(name: string): string {
  return name.replace(/_([0-9a-fA-F]{2,4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The heading a style's name makes a paragraph when it has no outline level: Title and Subtitle (English or Chinese), `Heading N` / `标题 N`. */
function namedHeading(name: string): { level: number; title?: boolean } | undefined {
  const n = decodeStyleName(name).trim();
  if (n === 'Title' || n === '标题') return { level: 1, title: true };
  if (n === 'Subtitle' || n === '副标题') return { level: 2 };
  const m = /^(?:Heading|标题)\s*([1-9])$/.exec(n);
  return m ? { level: Number(m[1]) } : undefined;
}

/** Styles and list styles of a document, from styles.xml's common styles and content.xml's automatic ones. */
class OdfStyles {
  readonly paragraph = new Map<string, OdfStyle>();
  readonly text = new Map<string, OdfStyle>();
  readonly lists = new Map<string, AbstractNum>();
  outline: AbstractNum | undefined;
  private current: { family: string; name: string; style: OdfStyle } | undefined;
  private list: { name: string; levels: (Level | undefined)[]; outline: boolean } | undefined;
  /** Depth of an office:automatic-styles of styles.xml (page headers' styles, whose names clash with content.xml's). */
  private skipAutomatic = 0;

  /** Handlers that read style definitions; `automaticToo` false for styles.xml. */
  handlers(automaticToo: boolean): Required<Pick<XmlPartHandlers, 'open' | 'close'>> {
    return {
      open: (name, a, depth) => {
        if (this.skipAutomatic) return;
        if (name === 'automatic-styles' && !automaticToo) {
          this.skipAutomatic = depth;
          return;
        }
        if (name === 'style') {
          const family = attrOf(a, 'family') ?? '';
          const styleName = attrOf(a, 'name');
          if (styleName === undefined) return;
          const style: OdfStyle = {};
          const parent = attrOf(a, 'parent-style-name');
          if (parent !== undefined) style.parent = parent;
          const display = attrOf(a, 'display-name');
          if (display !== undefined) style.displayName = display;
          const outline = attrOf(a, 'default-outline-level');
          if (outline !== undefined) style.outlineLevel = Number(outline) || 0;
          const list = attrOf(a, 'list-style-name');
          if (list !== undefined) style.listStyle = list;
          this.current = { family, name: styleName, style };
        } else if (name === 'text-properties' && this.current) {
          if (attrOf(a, 'display') === 'none') this.current.style.hidden = true;
        } else if (name === 'list-style' || name === 'outline-style') {
          this.list = { name: attrOf(a, 'name') ?? '', levels: [], outline: name === 'outline-style' };
        } else if (this.list && (name === 'list-level-style-number' || name === 'list-level-style-bullet' || name === 'list-level-style-image' || name === 'outline-level-style')) {
          const level = Number(attrOf(a, 'level') ?? 0);
          if (!Number.isInteger(level) || level < 1 || level > 10) return;
          const i = Math.min(level, LEVELS) - 1;
          if (level > LEVELS) return;
          if (name === 'list-level-style-number' || name === 'outline-level-style') {
            const start = Number(attrOf(a, 'start-value') ?? 1);
            this.list.levels[i] = { start: Number.isInteger(start) ? Math.max(0, Math.min(start, 32767)) : 1, fmt: wordFormat(attrOf(a, 'num-format')), text: levelText(level, a) };
          } else this.list.levels[i] = { fmt: 'bullet', text: '' };
        }
      },
      close: (name, depth) => {
        if (this.skipAutomatic) {
          if (depth === this.skipAutomatic) this.skipAutomatic = 0;
          return;
        }
        if (name === 'style' && this.current) {
          const map = this.current.family === 'paragraph' ? this.paragraph : this.current.family === 'text' ? this.text : undefined;
          map?.set(this.current.name, this.current.style);
          this.current = undefined;
        } else if ((name === 'list-style' || name === 'outline-style') && this.list) {
          const abs: AbstractNum = { levels: this.list.levels };
          if (this.list.outline) this.outline = abs;
          else this.lists.set(this.list.name, abs);
          this.list = undefined;
        }
      },
    };
  }

  /** What a paragraph style (and the styles it inherits from) says: its outline level, list style, heading by name. */
  resolve(styleName: string | undefined): { outlineLevel?: number; listStyle?: string; named?: { level: number; title?: boolean } } {
    const out: { outlineLevel?: number; listStyle?: string; named?: { level: number; title?: boolean } } = {};
    const seen = new Set<string>();
    let name = styleName;
    for (let steps = 0; name !== undefined && !seen.has(name) && steps < MAX_STYLE_CHAIN; steps++) {
      seen.add(name);
      const s = this.paragraph.get(name);
      out.named ??= namedHeading(name) ?? (s?.displayName !== undefined ? namedHeading(s.displayName) : undefined);
      if (!s) break;
      if (out.outlineLevel === undefined && s.outlineLevel !== undefined) out.outlineLevel = s.outlineLevel;
      if (out.listStyle === undefined && s.listStyle !== undefined) out.listStyle = s.listStyle;
      name = s.parent;
    }
    return out;
  }

  /** True when a character style (or one it inherits from) hides its text. */
  hiddenText(styleName: string | undefined): boolean {
    const seen = new Set<string>();
    let name = styleName;
    for (let steps = 0; name !== undefined && !seen.has(name) && steps < MAX_STYLE_CHAIN; steps++) {
      seen.add(name);
      const s = this.text.get(name);
      if (!s) return false;
      if (s.hidden) return true;
      name = s.parent;
    }
    return false;
  }
}

/**
 * The counting of one story (the body, the notes): each list that does not continue another starts a numbering of its
 * own (an abstract numbering in Word's terms), a list continuing another (`text:continue-numbering`, `text:continue-list`)
 * counts on in the other's, an item's `text:start-value` restarts its level there; headings count in the outline.
 */
class Story {
  readonly defs: NumberingDefinitions = { abstracts: new Map(), nums: new Map(), styles: new Map(), numberingStyles: new Map() };
  readonly counter = new NumberingCounter(this.defs);
  private next = 0;
  /** The last numbering of each list style, for `text:continue-numbering`; lists by `xml:id`, for `text:continue-list`. */
  private readonly lastOfStyle = new Map<string, Numbering>();
  private readonly byId = new Map<string, Numbering>();
  private outlineNum: string | undefined;

  constructor(private readonly styles: OdfStyles) {}

  /** A new numbering of a list style: counters of its own (an abstract list in Word's terms). */
  private fresh(abs: AbstractNum): string {
    const id = String(++this.next);
    this.defs.abstracts.set(id, abs);
    this.defs.nums.set(id, { abstractId: id, overrides: [] });
    return id;
  }

  /** The numbering a list opened at the top with `styleName` counts in. */
  open(styleName: string | undefined, a: Record<string, string>): Numbering | undefined {
    const abs = styleName === undefined ? undefined : this.styles.lists.get(styleName);
    if (!abs || styleName === undefined) return undefined;
    const continueList = attrOf(a, 'continue-list');
    let num = continueList !== undefined ? this.byId.get(continueList) : undefined;
    if (num === undefined && attrOf(a, 'continue-numbering') === 'true') num = this.lastOfStyle.get(styleName);
    num ??= { num: this.fresh(abs) };
    this.lastOfStyle.set(styleName, num);
    const id = attrOf(a, 'id');
    if (id !== undefined) this.byId.set(id, num);
    return num;
  }

  /**
   * An item restarting its level at `start`: a numbering over the same counters whose start takes effect on first use,
   * which the list (and any list continuing it later, sharing `numbering`) counts in from here.
   */
  restart(numbering: Numbering, level: number, start: number): void {
    numbering.num = this.restarted(numbering.num, Math.min(level, LEVELS - 1), start);
  }

  private restarted(num: string, level: number, start: number): string {
    const base = this.defs.nums.get(num)!;
    const id = String(++this.next);
    const overrides = [...base.overrides];
    overrides[level] = { start: Math.max(0, Math.min(start, 32767)) };
    this.defs.nums.set(id, { abstractId: base.abstractId, overrides });
    return id;
  }

  /** Count a list paragraph: the number LibreOffice shows ('' none, undefined a bullet). */
  count(num: string, level: number): string | undefined {
    return this.counter.next({ numId: num, ilvl: Math.min(level, LEVELS - 1) }, undefined);
  }

  /** Count a heading in the outline numbering. */
  heading(level: number, a: Record<string, string>): string {
    if (!this.styles.outline) return '';
    this.outlineNum ??= this.fresh(this.styles.outline);
    const ilvl = Math.min(level, LEVELS) - 1;
    let num = this.outlineNum;
    const start = attrOf(a, 'start-value');
    if (attrOf(a, 'restart-numbering') === 'true' || start !== undefined) num = this.outlineNum = this.restarted(num, ilvl, Number(start ?? this.styles.outline.levels[ilvl]?.start ?? 1) || 0);
    if (attrOf(a, 'is-list-header') === 'true') return '';
    return this.counter.next({ numId: num, ilvl }, undefined) ?? '';
  }
}

/** The numbering (`w:num` id) a list counts in: shared by its nested lists and the lists that continue it. */
interface Numbering {
  num: string;
}

/** A block being written: a paragraph or heading (its runs, and blocks met inside it such as a text box's, written after it). */
interface Block {
  tag: string;
  number: string;
  inline: string;
  after: string;
  inCell: boolean;
  /** A `text:number` in the paragraph: the number its producer wrote, used when the list style gives none. */
  cached?: string;
}

/** A list being read: its numbering (undefined without one) and the item's restart. */
interface ListFrame {
  numbering: Numbering | undefined;
  header: boolean;
  /** The current item's first paragraph has been read (it carries the number; the item's later ones none). */
  numbered: boolean;
}

/** Converts the body of an OpenDocument text to HTML as mammoth writes a docx's. */
class HtmlWriter {
  private readonly out: string[] = [''];
  private readonly blocks: Block[] = [];
  private readonly lists: ListFrame[] = [];
  private readonly notes: Array<{ kind: string; body: string }> = [];
  private readonly stories: Story[];
  private skipDepth = 0;
  private inBody = false;
  private cells = 0;
  /** Depths of the `text:span`s and sections that hide their text. */
  private hiddenDepth = 0;
  /** Per open element: its local name. */
  private readonly names: string[] = [];
  /** Per open element: what its close undoes. */
  private readonly closers: Array<(() => void) | undefined> = [];

  constructor(private readonly styles: OdfStyles) {
    this.stories = [new Story(styles)];
  }

  private get story(): Story {
    return this.stories[this.stories.length - 1]!;
  }

  /** Write block HTML where it goes: after the paragraph it sits in, or into the current output. */
  private emit(html: string): void {
    const b = this.blocks[this.blocks.length - 1];
    if (b) b.after += html;
    else this.out[this.out.length - 1] += html;
  }

  private inline(html: string): void {
    const b = this.blocks[this.blocks.length - 1];
    if (!b || this.hiddenDepth) return;
    if (this.inNumber) b.cached = (b.cached ?? '') + html;
    else b.inline += html;
  }

  /** Inside a `text:number`. */
  private inNumber = false;

  handlers(): XmlPartHandlers {
    return {
      open: (name, a, depth) => {
        if (this.skipDepth) return;
        if (name === 'text' && !this.inBody) {
          // office:text, the body (text:text is no element).
          this.inBody = true;
          this.closers[depth] = () => (this.inBody = false);
          return;
        }
        if (!this.inBody) return;
        // A frame's, shape's or table's title and description (svg:title, svg:desc, table:title), not the text:title
        // field in a paragraph, which shows the document's title.
        const caption = (name === 'title' || name === 'desc') && !TEXT_PARENTS.has(this.names[depth - 1] ?? '');
        this.names[depth] = name;
        if (SKIPPED.has(name) || caption || (name === 'section' && attrOf(a, 'display') === 'none')) {
          this.skipDepth = depth;
          return;
        }
        this.closers[depth] = this.openElement(name, a);
      },
      close: (_name, depth) => {
        if (this.skipDepth) {
          if (depth === this.skipDepth) this.skipDepth = 0;
          return;
        }
        const closer = this.closers[depth];
        if (closer) {
          this.closers[depth] = undefined;
          closer();
        }
      },
      text: (t) => {
        if (this.skipDepth || !this.inBody) return;
        this.inline(esc(t));
      },
    };
  }

  private openElement(name: string, a: Record<string, string>): (() => void) | undefined {
    switch (name) {
      case 'p':
      case 'h':
        return this.openParagraph(name, a);
      case 's': {
        const c = Number(attrOf(a, 'c') ?? 1);
        this.inline(' '.repeat(Number.isInteger(c) ? Math.max(1, Math.min(c, MAX_SPACES)) : 1));
        return undefined;
      }
      case 'tab':
        this.inline('\t');
        return undefined;
      case 'number': {
        if (this.inNumber) return undefined;
        this.inNumber = true;
        return () => void (this.inNumber = false);
      }
      case 'line-break':
        this.inline('<br>');
        return undefined;
      case 'span': {
        if (!this.styles.hiddenText(attrOf(a, 'style-name'))) return undefined;
        this.hiddenDepth++;
        return () => void this.hiddenDepth--;
      }
      case 'list': {
        const parent = this.lists[this.lists.length - 1];
        // A nested list counts in its outermost list's numbering, a level deeper.
        const numbering = parent ? parent.numbering : this.story.open(attrOf(a, 'style-name'), a);
        this.lists.push({ numbering, header: false, numbered: false });
        return () => void this.lists.pop();
      }
      case 'list-item':
      case 'list-header': {
        const frame = this.lists[this.lists.length - 1];
        if (!frame) return undefined;
        const start = attrOf(a, 'start-value');
        if (start !== undefined && frame.numbering !== undefined && name === 'list-item') {
          const n = Number(start);
          if (Number.isInteger(n)) this.story.restart(frame.numbering, this.lists.length - 1, n);
        }
        const was = { header: frame.header, numbered: frame.numbered };
        frame.header = name === 'list-header';
        frame.numbered = false;
        return () => void Object.assign(frame, was);
      }
      case 'table': {
        this.emit('<table>');
        return () => this.emit('</table>');
      }
      case 'table-row': {
        this.emit('<tr>');
        return () => this.emit('</tr>');
      }
      case 'table-cell': {
        const span = (k: string): string => {
          const n = Number(attrOf(a, k) ?? 1);
          return Number.isInteger(n) && n > 1 ? String(Math.min(n, 1000)) : '';
        };
        const colspan = span('number-columns-spanned');
        const rowspan = span('number-rows-spanned');
        this.emit(`<td${colspan ? ` colspan="${colspan}"` : ''}${rowspan ? ` rowspan="${rowspan}"` : ''}>`);
        this.cells++;
        // A table in a list item: its cells' paragraphs are no items of the list.
        const lists = this.lists.splice(0);
        return () => {
          this.cells--;
          this.lists.push(...lists);
          this.emit('</td>');
        };
      }
      case 'note': {
        const endnote = attrOf(a, 'note-class') === 'endnote';
        const n = this.notes.length + 1;
        const kind = endnote ? 'endnote' : 'footnote';
        this.inline(`<sup><a href="#${kind}-${n}" id="${kind}-ref-${n}">[${n}]</a></sup>`);
        this.notes.push({ kind, body: '' });
        this.openNotes.push(n - 1);
        return () => void this.openNotes.pop();
      }
      case 'note-body': {
        // The note's text is written after the body, in a story of its own (its lists counted apart).
        // Outside a note (a stray note-body) its text is read where it stands.
        const n = this.openNotes[this.openNotes.length - 1];
        if (n === undefined) return undefined;
        const saved = { blocks: this.blocks.splice(0), lists: this.lists.splice(0), hidden: this.hiddenDepth };
        this.hiddenDepth = 0;
        this.out.push('');
        this.stories.push(this.noteStory ??= new Story(this.styles));
        return () => {
          const body = this.out.pop()!;
          this.stories.pop();
          this.notes[n]!.body += body;
          this.blocks.push(...saved.blocks);
          this.lists.push(...saved.lists);
          this.hiddenDepth = saved.hidden;
        };
      }
      default:
        return undefined;
    }
  }

  private noteStory: Story | undefined;
  /** The notes open, innermost last (indexes into `notes`). */
  private readonly openNotes: number[] = [];

  private openParagraph(name: string, a: Record<string, string>): () => void {
    const style = this.styles.resolve(attrOf(a, 'style-name'));
    const list = this.lists[this.lists.length - 1];
    let tag = 'p';
    let number = '';
    let cls = '';
    const declared = name === 'h' ? Number(attrOf(a, 'outline-level') ?? style.outlineLevel ?? 1) : (style.outlineLevel ?? 0);
    const level = Number.isInteger(declared) && declared > 0 ? Math.min(declared, 10) : 0;
    if (level > 0) tag = level <= 6 ? `h${level}` : 'p';
    else if (style.named) {
      tag = `h${style.named.level}`;
      if (style.named.title) cls = DOCX_TITLE_CLASS;
    }
    if (list && this.blocks.length === 0) {
      // The first paragraph of an item carries its number; a header item, and the item's later paragraphs, none.
      if (list.numbering !== undefined && !list.header && !list.numbered) number = this.story.count(list.numbering.num, this.lists.length - 1) ?? '';
      list.numbered = true;
    } else if (name === 'h' && level > 0 && this.blocks.length === 0) number = this.story.heading(level, a);
    const block: Block = { tag, number, inline: '', after: '', inCell: this.cells > 0 };
    this.blocks.push(block);
    return () => {
      this.blocks.pop();
      const hasText = /[^\s]/.test(block.inline.replace(/<[^>]*>/g, ''));
      // The number the list style gives, else one the producer wrote (as text, escaped already).
      const number = block.number !== '' ? esc(block.number) : (block.cached ?? '').replace(/<[^>]*>/g, '');
      const shown = hasText || block.inCell ? number : '';
      const html = shown || block.inline ? `<${block.tag}${cls ? ` class="${cls}"` : ''}>${shown}${block.inline}</${block.tag}>` : '';
      this.emit(html + block.after);
    };
  }

  /** The HTML: the body, then the notes. */
  finish(): string {
    // Footnotes, then endnotes, as mammoth writes a docx's.
    const item = (n: { kind: string; body: string }, i: number): string => `<li id="${n.kind}-${i + 1}">${n.body}</li>`;
    const notes = ['footnote', 'endnote'].map((k) => this.notes.map((n, i) => (n.kind === k ? item(n, i) : '')).join('')).join('');
    return this.out[0]! + (notes ? `<ol>${notes}</ol>` : '');
  }
}

/** Handlers calling each of `list` in turn. */
function both(list: XmlPartHandlers[]): XmlPartHandlers {
  return {
    open: (name, a, depth) => {
      for (const h of list) h.open?.(name, a, depth);
    },
    close: (name, depth) => {
      for (const h of list) h.close?.(name, depth);
    },
    text: (t) => {
      for (const h of list) h.text?.(t);
    },
  };
}

/** The root element of a flat OpenDocument file and its `office:mimetype`, from its first 4 KiB; undefined when it is no `office:document`. */
export function flatOpenDocumentMimetype(head: string): string | undefined {
  const m = /<(?:[\w.-]+:)?document(?=[\s>/])((?:[^<>"']|"[^"<]*"|'[^'<]*')*)>/.exec(head);
  if (!m || !/xmlns(?::[\w.-]+)?\s*=\s*["']urn:oasis:names:tc:opendocument:xmlns:office:1\.0["']/.test(m[1]!)) return undefined;
  return /\s(?:[\w.-]+:)?mimetype\s*=\s*["']([^"']*)["']/.exec(m[1]!)?.[1] ?? '';
}

/**
 * Read an OpenDocument text: a package (`.odt`, `.ott`) or a flat XML file (`.fodt`). Not a text document:
 * `INPUT_UNSUPPORTED` naming what it is; encrypted: `INPUT_ENCRYPTED`; a malformed part: `INPUT_CORRUPT` naming it.
 */
export function extractOdt(bytes: Uint8Array, options: OdtOptions = {}): ExtractedDocument {
  const file = options.path;
  const loc = file === undefined ? {} : { file };
  const styles = new OdfStyles();
  const writer = new HtmlWriter(styles);
  const parse = (xml: string, part: string, handlers: XmlPartHandlers): void => {
    parseXmlPart(xml, handlers, {
      malformed: (message) => new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the OpenDocument text's ${part} is not well-formed XML: ${message}`, loc),
      maxDepth: MAX_ODT_DEPTH,
      tooDeep: () => new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the OpenDocument text's ${part} nests its elements more than ${MAX_ODT_DEPTH} levels deep; no report is written that way: save it as .txt`, loc),
    });
  };
  const decoder = new TextDecoder('utf-8');
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!isZip) {
    // A flat file: styles, automatic styles and body in one document.
    const xml = decodeXmlPart(bytes);
    const mimetype = flatOpenDocumentMimetype(xml.slice(0, 4096));
    if (mimetype === undefined) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the file is not an OpenDocument text: it is neither a zip package nor a flat XML office:document', loc);
    if (!isOdtMimetype(mimetype)) throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `this is not an OpenDocument text but ${openDocumentKind(mimetype)}; save the report as .odt, .docx, .pdf or .txt`, loc);
    parse(xml, 'flat XML document', both([styles.handlers(true), writer.handlers(), ...(options.pictures ? [pictureCollector(options.pictures, undefined)] : [])]));
  } else {
    const zip = openZip(bytes, { ...(file !== undefined ? { path: file } : {}), maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, what: 'OpenDocument text (odt zip)' });
    const read = (name: string): string | undefined => (zip.has(name) ? decodeXmlPart(zip.read(name, MAX_TEXT_PART_BYTES)) : undefined);
    const entry = zip.entries.get('mimetype');
    const mimetype = entry !== undefined && entry.uncompressedSize <= 256 && entry.compressedSize <= 512 ? decoder.decode(zip.read('mimetype')) : undefined;
    if (mimetype !== undefined && !isOdtMimetype(mimetype)) {
      throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `this is not an OpenDocument text but ${openDocumentKind(mimetype)}; save the report as .odt, .docx, .pdf or .txt`, loc);
    }
    const manifest = read('META-INF/manifest.xml');
    if (manifest !== undefined && /<(?:[\w.-]+:)?encryption-data(?=[\s>/])/.test(manifest)) {
      throw new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the OpenDocument text is password-protected (its parts are encrypted); open it in LibreOffice or WPS, remove the password and save it again', loc);
    }
    const content = read('content.xml');
    if (content === undefined) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the OpenDocument text is damaged: its package has no content.xml', loc);
    const stylesXml = read('styles.xml');
    if (stylesXml !== undefined) parse(stylesXml, 'styles.xml', styles.handlers(false));
    const picture = (name: string): Uint8Array | undefined => {
      try {
        return zip.has(name) ? zip.read(name) : undefined;
      } catch {
        // A damaged or oversized entry: a picture not read, named as damaged.
        return undefined;
      }
    };
    parse(content, 'content.xml', both([styles.handlers(true), writer.handlers(), ...(options.pictures ? [pictureCollector(options.pictures, picture)] : [])]));
  }
  return extractHtml(writer.finish(), { fragment: true, what: 'OpenDocument text', document: true, ...(file !== undefined ? { path: file } : {}) });
}
