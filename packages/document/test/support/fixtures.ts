/**
 * Test fixtures built in code: Word documents (JSZip + minimal WordprocessingML), GB18030 bytes, hand-written PDFs
 * (no text layer, encrypted) and PDFs printed by headless Chromium when it is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import CFB from 'cfb';
import JSZip from 'jszip';

/**
 * One paragraph of a test docx: its text, an optional style id (`Heading1`, …), optional footnote text and optional
 * automatic numbering (`<w:numPr>`: a list of numbering.xml and, when given, a level; `numId` 0 takes it out of a list).
 */
export interface DocxParagraph {
  text: string;
  style?: string;
  footnote?: string;
  numbering?: { numId: number; ilvl?: number };
}

/** Options of {@link makeDocx}. */
export interface DocxOptions {
  /** The name each heading style has (default `heading N`). */
  styleName?: (n: number) => string;
  /** The content of word/numbering.xml (`w:abstractNum` and `w:num` elements): written, with its relationship, when given. */
  numbering?: string;
  /** A `<w:numPr>` on heading style `HeadingN` (by N): the style's paragraphs are numbered by that list. */
  headingNumbering?: Record<number, { numId: number; ilvl?: number }>;
}

const numPr = (n: { numId: number; ilvl?: number }): string => `<w:numPr>${n.ilvl === undefined ? '' : `<w:ilvl w:val="${n.ilvl}"/>`}<w:numId w:val="${n.numId}"/></w:numPr>`;

/** A test docx body: paragraphs and tables (rows of cell texts), in order. */
export type DocxBlock = DocxParagraph | { table: string[][] };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** Assemble a .docx with JSZip: styles.xml defines Heading1–6 (named `heading N`, as Word stores them), footnotes.xml and numbering.xml when needed. */
export async function makeDocx(blocks: readonly DocxBlock[], options: DocxOptions = {}): Promise<Uint8Array> {
  const footnotes: string[] = [];
  const body = blocks
    .map((b) => {
      if ('table' in b) {
        const rows = b.table.map((r) => `<w:tr>${r.map((c) => `<w:tc><w:p><w:r><w:t xml:space="preserve">${esc(c)}</w:t></w:r></w:p></w:tc>`).join('')}</w:tr>`).join('');
        return `<w:tbl>${rows}</w:tbl>`;
      }
      const props = (b.style ? `<w:pStyle w:val="${b.style}"/>` : '') + (b.numbering ? numPr(b.numbering) : '');
      const style = props ? `<w:pPr>${props}</w:pPr>` : '';
      let note = '';
      if (b.footnote !== undefined) {
        footnotes.push(b.footnote);
        note = `<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="${footnotes.length}"/></w:r>`;
      }
      return `<w:p>${style}<w:r><w:t xml:space="preserve">${esc(b.text)}</w:t></w:r>${note}</w:p>`;
    })
    .join('');
  const name = options.styleName ?? ((n: number) => `heading ${n}`);
  const styles = [1, 2, 3, 4, 5, 6]
    .map((n) => {
      const linked = options.headingNumbering?.[n];
      return `<w:style w:type="paragraph" w:styleId="Heading${n}"><w:name w:val="${name(n)}"/>${linked ? `<w:pPr>${numPr(linked)}</w:pPr>` : ''}</w:style>`;
    })
    .join('');
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  const rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'];
  if (footnotes.length) {
    rels.push('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>');
    const notes = footnotes.map((t, i) => `<w:footnote w:id="${i + 1}"><w:p><w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r></w:p></w:footnote>`).join('');
    zip.file('word/footnotes.xml', `<?xml version="1.0" encoding="UTF-8"?><w:footnotes ${W}><w:footnote w:type="separator" w:id="-1"><w:p/></w:footnote>${notes}</w:footnotes>`);
  }
  if (options.numbering !== undefined) {
    rels.push('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>');
    zip.file('word/numbering.xml', `<?xml version="1.0" encoding="UTF-8"?><w:numbering ${W}>${options.numbering}</w:numbering>`);
  }
  zip.file('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`);
  zip.file('word/styles.xml', `<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${styles}</w:styles>`);
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A zip whose one entry is `size` zero bytes, deflated (a few KB for megabytes): a small zip bomb. */
export async function makeZeroZip(name: string, size: number): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(name, new Uint8Array(size));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

let gbTable: Map<string, number[]> | undefined;
/** Encode text as GB18030 (ASCII and the two-byte GBK range, which covers the reports' characters); throws on others. */
export function encodeGb18030(text: string): Uint8Array {
  if (!gbTable) {
    gbTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length >= 1 && ch !== '\ufffd' && !gbTable.has(ch)) gbTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const b = gbTable.get(ch);
      if (!b) throw new Error(`no two-byte GB18030 code for ${ch}`);
      out.push(...b);
    }
  }
  return new Uint8Array(out);
}

/** A PDF written by hand: objects in order, xref table computed. `extraTrailer` goes into the trailer dictionary. */
export function makeRawPdf(objects: readonly string[], extraTrailer = ''): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extraTrailer}>>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** A one-page PDF that only draws a rectangle: a page without a text layer, like a scan. */
export function makeImageOnlyPdf(pages = 1): Uint8Array {
  const kids = Array.from({ length: pages }, (_, i) => `${3 + i * 2} 0 R`).join(' ');
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count ${pages} >>`];
  for (let i = 0; i < pages; i++) {
    const stream = '0 0 0 rg 50 50 200 300 re f';
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${4 + i * 2} 0 R >>`);
    objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`);
  }
  return makeRawPdf(objs);
}

/** A PDF encrypted with the standard security handler and a user password that is not empty. */
export function makeEncryptedPdf(): Uint8Array {
  const hex = (n: number): string => Array.from({ length: n }, (_, i) => ((i * 37 + 11) & 0xff).toString(16).padStart(2, '0')).join('');
  return makeRawPdf(
    ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', `<< /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -4 >>`],
    `/Encrypt 4 0 R /ID [<${hex(16)}> <${hex(16)}>] `,
  );
}

/** Path of headless Chromium, or undefined when it is not installed (tests that need it skip and say so). */
export function findChromium(): string | undefined {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return undefined;
}

/** True when a CJK font is installed, without which Chromium prints Chinese as empty boxes. */
export function hasCjkFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

/** Print an HTML page to PDF with headless Chromium; `headerFooter` keeps Chromium's running date/title/URL/page-number lines. */
export function printPdf(chromium: string, html: string, options: { headerFooter?: boolean } = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-pdf-'));
  try {
    writeFileSync(join(dir, 'page.html'), html);
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, `--print-to-pdf=${join(dir, 'out.pdf')}`];
    if (!options.headerFooter) args.push('--no-pdf-header-footer');
    execFileSync(chromium, [...args, `file://${join(dir, 'page.html')}`], { stdio: 'ignore', timeout: 60_000 });
    return new Uint8Array(readFileSync(join(dir, 'out.pdf')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page with each paragraph in a `<p>` (WenQuanYi font, no margins between paragraphs, 2-character first-line indent). */
export function pageOf(paragraphs: readonly string[], title = 'xunshi'): string {
  const body = paragraphs.map((p) => `<p>${esc(p)}</p>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} p{margin:0;text-indent:2em}</style></head><body>\n${body}\n</body></html>`;
}

/**
 * A .docx from hand-written WordprocessingML: `body` goes into `<w:body>`, `parts` are further zip entries
 * (word/footnotes.xml, word/styles.xml, …) and `rels` relationships of the document part (`<Relationship …/>`).
 */
export async function makeDocxXml(body: string, options: { parts?: Record<string, string | Uint8Array>; rels?: string[] } = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>');
  zip.file('word/_rels/document.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${(options.rels ?? []).join('')}</Relationships>`);
  for (const [name, xml] of Object.entries(options.parts ?? {})) zip.file(name, xml);
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** The namespaces of a WordprocessingML part, for parts passed to {@link makeDocxXml}. */
export const WORD_NS = W;

/** An OfficeArt record ([MS-ODRAW] 2.1.1): version and instance, type, the body's length, the body. */
function officeArtRecord(verInst: number, type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16LE(verInst, 0);
  head.writeUInt16LE(type, 2);
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** One block of a test .doc: a paragraph (`\x0b` for a line break, Word's field marks `\x13 \x14 \x15` as they are) or a table. */
export type WordBinaryBlock = string | { table: string[][]; edges?: (number[] | undefined)[] };

/** Options of {@link makeWordBinary}. */
export interface WordBinaryOptions {
  footnotes?: string[];
  endnotes?: string[];
  /** FibBase flags (default 0x1200: fExtChar, and fWhichTblStm: the table stream is 1Table); 0x0100 is fEncrypted. */
  flags?: number;
  /** FibBase nFib (default 0x00C1, Word 97). */
  nFib?: number;
  /** Leave out the table stream. */
  noTable?: boolean;
  /**
   * The picture files of the body's `\x01` characters, in order, each written as Word writes an inline picture: a run of
   * its own in a character property page (sprmCFSpec, sprmCPicLocation) naming a PICF in the Data stream, whose FBSE
   * holds the file in a BLIP (PNG or TIFF by its signature, else JPEG); `undefined` for an EMF picture.
   */
  pictures?: (Uint8Array | undefined)[];
  /** Streams added beside WordDocument (or instead of it, with `noWordDocument`). */
  streams?: Record<string, Uint8Array>;
  noWordDocument?: boolean;
  /**
   * Write each row end mark's properties into a Data stream, named by sprmPHugePapx (0x6646) in its property page, as
   * Word and LibreOffice write a long row's (many cells, each with its borders); `'no-data'` leaves the stream out.
   */
  hugeRows?: boolean | 'no-data';
  /**
   * Text boxes of the main document: each one's text (paragraphs ended by `\r` between them), in the textbox story,
   * its shape anchored at the body's `\x08` of the same rank (PlcSpaMom, spid 1025 on; PlcftxbxTxt, each FTXBXS's lid
   * the spid), as Word and LibreOffice write them. `boxLids` gives other lids (a shape the PlcSpaMom does not name).
   */
  textBoxes?: string[];
  boxLids?: number[];
  /** Write the two tables of text boxes with a size no such table has (a damaged file). */
  damagedBoxTables?: boolean;
  /**
   * WordArt shapes, anchored at the body's `\x08`s after the text boxes' ones: each one's text in its shape's
   * gtextUNICODE property, in the drawing records (DggInfo) of the table stream, as Word writes WordArt.
   */
  wordArt?: string[];
  /** Cut the drawing records short by 4 bytes (a damaged file). */
  cutDrawing?: boolean;
}

/**
 * A minimal Word 97 binary document ([MS-DOC]) in an OLE compound file written by SheetJS's cfb: a WordDocument stream
 * with a FIB (FibBase, FibRgW97, FibRgLw97 with ccpText/ccpFtn/ccpEdn, FibRgFcLcb97 with fcClx and fcPlcfBtePapx), the
 * text as one UTF-16 piece (fCompressed = 0) at 0x400, and a 1Table stream with the CLX (one Pcd) and, for tables, the
 * paragraph property pages (PapxFkp) that mark each row's end mark with sprmPFTtp, as Word writes them (or, with
 * `hugeRows`, a Data stream that holds them, named by sprmPHugePapx). Paragraphs end
 * with `\r`, table cells with `\x07`, a row with a second `\x07` (its end mark); notes are stories after the body.
 */
export function makeWordBinary(blocks: readonly WordBinaryBlock[], options: WordBinaryOptions = {}): Uint8Array {
  let body = '';
  const rowEnds: number[] = [];
  // Each row's cell edges (sprmTDefTable's rgdxaCenter, twips), where the block gives them.
  const rowEdges: (number[] | undefined)[] = [];
  for (const b of blocks) {
    if (typeof b === 'string') body += `${b}\r`;
    else {
      b.table.forEach((row, r) => {
        body += row.map((c) => `${c}\x07`).join('');
        rowEnds.push(body.length);
        rowEdges.push(b.edges?.[r]);
        body += '\x07';
      });
    }
  }
  if (body === '' || !body.endsWith('\r')) body += '\r';
  const story = (notes: string[] | undefined): string => (notes ?? []).map((n) => `\x02 ${n}\r`).join('');
  const ftn = story(options.footnotes);
  const edn = story(options.endnotes);
  // The textbox story: each box's paragraphs, then the dummy box's paragraph mark.
  const boxes = options.textBoxes ?? [];
  const txbx = boxes.length > 0 ? `${boxes.map((b) => `${b}\r`).join('')}\r` : '';
  // When a story follows the body, the text ends with one more paragraph mark.
  const text = body + ftn + edn + txbx + (ftn || edn || txbx ? '\r' : '');
  const TEXT_FC = 0x400;
  const textBytes = Buffer.from(text, 'utf16le');
  const textEnd = TEXT_FC + textBytes.length;

  // Paragraph property pages: runs of paragraphs, a row end mark's run with sprmPFTtp (0x2417) = 1.
  const runs: { from: number; to: number; ttp: boolean; edges?: number[] }[] = [];
  let prev = TEXT_FC;
  rowEnds.forEach((cp, r) => {
    const fc = TEXT_FC + cp * 2;
    if (fc > prev) runs.push({ from: prev, to: fc, ttp: false });
    runs.push({ from: fc, to: fc + 2, ttp: true, ...(rowEdges[r] ? { edges: rowEdges[r] } : {}) });
    prev = fc + 2;
  });
  if (textEnd > prev) runs.push({ from: prev, to: textEnd, ttp: false });
  const pages: Buffer[] = [];
  // The Data stream of long properties: PrcData (cbGrpprl, the grpprl) for each row end mark written there.
  const data: Buffer[] = [];
  let dataLength = 0;
  if (rowEnds.length > 0) {
    // Rows with edges or long properties need a PapxInFkp each: fewer runs a page leave room for them.
    const perPage = rowEdges.some((e) => e) || options.hugeRows ? 8 : 20;
    for (let i = 0; i < runs.length; i += perPage) {
      const chunk = runs.slice(i, i + perPage);
      const fkp = Buffer.alloc(512);
      chunk.forEach((r, j) => fkp.writeUInt32LE(r.from, j * 4));
      fkp.writeUInt32LE(chunk[chunk.length - 1]!.to, chunk.length * 4);
      // PapxInFkp: cb = 0, cb' = 1, istd 0 (a plain paragraph) at 480; cb = 3, istd 0, sprmPFTtp 1 at 488.
      Buffer.from([0x00, 0x01, 0x00, 0x00]).copy(fkp, 480);
      Buffer.from([0x03, 0x00, 0x00, 0x17, 0x24, 0x01]).copy(fkp, 488);
      // A row with edges: istd 0, sprmPFTtp 1, then sprmTDefTable (0xD608: its size + 1, the cells, rgdxaCenter), padded
      // to an odd length (cb counts words), placed below 480.
      let free = 480;
      chunk.forEach((r, j) => {
        let at = r.ttp ? 488 : 480;
        if (r.edges || (r.ttp && options.hugeRows)) {
          let def = Buffer.alloc(0);
          if (r.edges) {
            def = Buffer.alloc(3 + 2 * r.edges.length);
            def.writeUInt16LE(2 + 2 * r.edges.length, 0);
            def[2] = r.edges.length - 1;
            r.edges.forEach((x, k) => def.writeInt16LE(x, 3 + 2 * k));
          }
          let grpprl = Buffer.concat([Buffer.from([0x00, 0x00, 0x17, 0x24, 0x01]), r.edges ? Buffer.from([0x08, 0xd6]) : Buffer.alloc(0), def]);
          if (options.hugeRows) {
            // istd 0, then sprmPHugePapx with the PrcData's offset; the properties themselves in the Data stream.
            const props = grpprl.subarray(2);
            const prc = Buffer.alloc(2 + props.length);
            prc.writeUInt16LE(props.length, 0);
            props.copy(prc, 2);
            grpprl = Buffer.from([0x00, 0x00, 0x46, 0x66, 0, 0, 0, 0]);
            grpprl.writeUInt32LE(dataLength, 4);
            data.push(prc);
            dataLength += prc.length;
          }
          const padded = grpprl.length % 2 === 1 ? grpprl : Buffer.concat([grpprl, Buffer.from([0])]);
          free -= padded.length + 1;
          free -= free % 2;
          fkp[free] = (padded.length + 1) / 2;
          padded.copy(fkp, free + 1);
          at = free;
        }
        fkp[(chunk.length + 1) * 4 + j * 13] = at / 2;
      });
      fkp[511] = chunk.length;
      pages.push(fkp);
    }
  }
  const firstPage = Math.ceil(textEnd / 512);
  // Inline pictures: a character property page (ChpxFkp) of runs alternating text and picture characters, and the
  // Data stream's PICFs (after the long paragraph properties, if any).
  const hugeData = options.hugeRows === true ? Buffer.concat(data) : Buffer.alloc(0);
  const picData: Buffer[] = [];
  const chpxPage = Buffer.alloc(512);
  let hasChpx = false;
  if (options.pictures) {
    const cps = [...body].flatMap((ch, i) => (ch === '\x01' ? [i] : []));
    const bounds: { from: number; to: number; location?: number }[] = [];
    let at = TEXT_FC;
    let offset = hugeData.length;
    cps.forEach((cp, k) => {
      const fc = TEXT_FC + cp * 2;
      if (fc > at) bounds.push({ from: at, to: fc });
      const file = options.pictures![k];
      const png = file !== undefined && file[0] === 0x89;
      const tiff = file !== undefined && (file[0] === 0x49 || file[0] === 0x4d);
      const blipBody = Buffer.concat([Buffer.alloc(17), Buffer.from(file ?? new Uint8Array([1, 0, 0, 0]))]);
      const blip = file === undefined ? officeArtRecord(0x3d4 << 4, 0xf01a, blipBody) : tiff ? officeArtRecord(0x6e4 << 4, 0xf029, blipBody) : png ? officeArtRecord(0x6e0 << 4, 0xf01e, blipBody) : officeArtRecord(0x46a << 4, 0xf01d, blipBody);
      const fbse = officeArtRecord(0x2, 0xf007, Buffer.concat([Buffer.alloc(36), blip]));
      const picf = Buffer.alloc(0x44);
      const inline = Buffer.concat([officeArtRecord(0xf, 0xf004, Buffer.alloc(0)), fbse]);
      picf.writeUInt32LE(0x44 + inline.length, 0);
      picf.writeUInt16LE(0x44, 4);
      picf.writeUInt16LE(0x64, 6);
      picData.push(picf, inline);
      bounds.push({ from: fc, to: fc + 2, location: offset });
      offset += picf.length + inline.length;
      at = fc + 2;
    });
    if (textEnd > at) bounds.push({ from: at, to: textEnd });
    let free = 511 - ((bounds.length + 1) * 4 + bounds.length);
    bounds.forEach((b, j) => {
      chpxPage.writeUInt32LE(b.from, j * 4);
      if (b.location === undefined) return;
      // Chpx: cb, then sprmCFSpec 1 and sprmCPicLocation.
      const grpprl = Buffer.from([0x55, 0x08, 0x01, 0x03, 0x6a, 0, 0, 0, 0]);
      grpprl.writeUInt32LE(b.location, 5);
      free -= grpprl.length + 1;
      free -= free % 2;
      chpxPage[free] = grpprl.length;
      grpprl.copy(chpxPage, free + 1);
      chpxPage[(bounds.length + 1) * 4 + j] = free / 2;
    });
    chpxPage.writeUInt32LE(textEnd, bounds.length * 4);
    chpxPage[511] = bounds.length;
    hasChpx = bounds.length > 0;
  }
  const chpxPn = firstPage + pages.length;
  const word = Buffer.alloc(Math.max(4096, (firstPage + pages.length + (hasChpx ? 1 : 0)) * 512));
  pages.forEach((p, i) => p.copy(word, (firstPage + i) * 512));
  if (hasChpx) chpxPage.copy(word, chpxPn * 512);
  textBytes.copy(word, TEXT_FC);

  // The table stream: the CLX (a Pcdt with one piece), then the PlcBtePapx.
  const clx = Buffer.alloc(1 + 4 + 8 + 8);
  clx[0] = 0x02;
  clx.writeUInt32LE(16, 1);
  clx.writeUInt32LE(0, 5);
  clx.writeUInt32LE(text.length, 9);
  clx.writeUInt32LE(TEXT_FC, 15); // Pcd: 2 bytes of flags, the fc (fCompressed clear: UTF-16), prm
  const plcBtePapx = Buffer.alloc(pages.length === 0 ? 0 : (pages.length + 1) * 4 + pages.length * 4);
  pages.forEach((p, i) => {
    plcBtePapx.writeUInt32LE(p.readUInt32LE(0), i * 4);
    plcBtePapx.writeUInt32LE(firstPage + i, (pages.length + 1) * 4 + i * 4);
  });
  if (pages.length > 0) plcBtePapx.writeUInt32LE(textEnd, pages.length * 4);
  // Text boxes: PlcSpaMom (the anchors' cps, then a 26-byte FSPA each, spid first) and PlcftxbxTxt (the boxes' cps in
  // the textbox story, then a 22-byte FTXBXS each, lid at 14; the last, a dummy, with lid 0).
  let boxTables = Buffer.alloc(0);
  const boxFib: [number, number, number][] = [];
  const arts = options.wordArt ?? [];
  if (boxes.length > 0 || arts.length > 0) {
    const anchors = [...body].flatMap((ch, i) => (ch === '\x08' ? [i] : []));
    const spa = Buffer.alloc(4 * (anchors.length + 1) + 26 * anchors.length);
    anchors.forEach((cp, i) => {
      spa.writeUInt32LE(cp, 4 * i);
      spa.writeUInt32LE(1025 + i, 4 * (anchors.length + 1) + 26 * i);
    });
    spa.writeUInt32LE(body.length, 4 * anchors.length);
    const n = boxes.length + 1;
    const plc = Buffer.alloc(boxes.length > 0 ? 4 * (n + 1) + 22 * n : 0);
    let cp = 0;
    boxes.forEach((b, i) => {
      plc.writeUInt32LE(cp, 4 * i);
      cp += b.length + 1;
      const at = 4 * (n + 1) + 22 * i;
      plc.writeUInt32LE(1, at);
      plc.writeInt32LE(options.boxLids?.[i] ?? 1025 + i, at + 14);
    });
    if (plc.length > 0) {
      plc.writeUInt32LE(cp, 4 * boxes.length);
      plc.writeUInt32LE(cp + 1, 4 * n);
    }
    // The drawing records: an empty OfficeArtDggContainer, then the main document's drawing (0) whose group holds one
    // OfficeArtSpContainer a WordArt: its FSP (spid) and FOPT with gtextUNICODE (0x00C0, complex: its UTF-16 text).
    const shapes = arts.map((text, j) => {
      const fsp = Buffer.alloc(8);
      fsp.writeUInt32LE(1025 + boxes.length + j, 0);
      const data = Buffer.from(`${text}\0`, 'utf16le');
      const prop = Buffer.alloc(6);
      prop.writeUInt16LE(0x00c0 | 0x8000, 0);
      prop.writeUInt32LE(data.length, 2);
      return officeArtRecord(0xf, 0xf004, Buffer.concat([officeArtRecord(0x2 | (136 << 4), 0xf00a, fsp), officeArtRecord(0x3 | (1 << 4), 0xf00b, Buffer.concat([prop, data]))]));
    });
    const drawing = arts.length > 0 ? Buffer.concat([officeArtRecord(0xf, 0xf000, Buffer.alloc(0)), Buffer.from([0]), officeArtRecord(0xf, 0xf002, officeArtRecord(0xf, 0xf003, Buffer.concat(shapes)))]) : Buffer.alloc(0);
    const dgg = options.cutDrawing ? drawing.subarray(0, drawing.length - 4) : drawing;
    const extra = options.damagedBoxTables ? 2 : 0;
    const base = clx.length + plcBtePapx.length;
    boxFib.push([0x1da, base, spa.length + extra]);
    if (plc.length > 0) boxFib.push([0x25a, base + spa.length + extra, plc.length]);
    if (dgg.length > 0) boxFib.push([0x22a, base + spa.length + extra + plc.length, dgg.length]);
    boxTables = Buffer.concat([spa, Buffer.alloc(extra), plc, dgg]);
  }
  // PlcBteChpx: the text's bounds and the one character property page.
  const plcBteChpx = hasChpx ? Buffer.alloc(12) : Buffer.alloc(0);
  if (hasChpx) {
    plcBteChpx.writeUInt32LE(TEXT_FC, 0);
    plcBteChpx.writeUInt32LE(textEnd, 4);
    plcBteChpx.writeUInt32LE(chpxPn, 8);
  }
  const table = Buffer.concat([clx, plcBtePapx, boxTables, plcBteChpx]);

  // The FIB.
  word.writeUInt16LE(0xa5ec, 0); // wIdent
  word.writeUInt16LE(options.nFib ?? 0x00c1, 2);
  word.writeUInt16LE(options.flags ?? 0x1200, 0x0a); // fExtChar (MUST be 1) | fWhichTblStm
  word.writeUInt16LE(0x00bf, 0x0c); // nFibBack
  word.writeUInt32LE(TEXT_FC, 0x18); // fcMin and fcMac of Word 6/95 FIBs, which Word 97 still writes (catdoc reads them)
  word.writeUInt32LE(textEnd, 0x1c);
  word.writeUInt16LE(14, 0x20); // csw, then FibRgW97
  word.writeUInt16LE(22, 0x3e); // cslw, then FibRgLw97
  word.writeUInt32LE(textEnd, 0x40); // cbMac
  word.writeUInt32LE(body.length, 0x4c); // ccpText
  word.writeUInt32LE(ftn.length, 0x50); // ccpFtn
  word.writeUInt32LE(edn.length, 0x60); // ccpEdn
  word.writeUInt32LE(txbx.length, 0x64); // ccpTxbx
  for (const [at, fc, lcb] of boxFib) {
    word.writeUInt32LE(fc, at);
    word.writeUInt32LE(lcb, at + 4);
  }
  word.writeUInt16LE(0x5d, 0x98); // cbRgFcLcb, then FibRgFcLcb97
  if (hasChpx) {
    word.writeUInt32LE(table.length - plcBteChpx.length, 0xfa); // fcPlcfBteChpx
    word.writeUInt32LE(plcBteChpx.length, 0xfe); // lcbPlcfBteChpx
  }
  word.writeUInt32LE(clx.length, 0x102); // fcPlcfBtePapx
  word.writeUInt32LE(plcBtePapx.length, 0x106); // lcbPlcfBtePapx
  word.writeUInt32LE(0, 0x1a2); // fcClx
  word.writeUInt32LE(clx.length, 0x1a6); // lcbClx

  const doc = CFB.utils.cfb_new();
  if (!options.noWordDocument) CFB.utils.cfb_add(doc, '/WordDocument', word);
  if (!options.noTable) CFB.utils.cfb_add(doc, (options.flags ?? 0x1200) & 0x0200 ? '/1Table' : '/0Table', table);
  if (options.hugeRows === true || picData.length > 0) CFB.utils.cfb_add(doc, '/Data', Buffer.concat([hugeData, ...picData]));
  for (const [name, bytes] of Object.entries(options.streams ?? {})) CFB.utils.cfb_add(doc, `/${name}`, Buffer.from(bytes));
  return new Uint8Array(CFB.write(doc, { type: 'buffer' }) as Buffer);
}

/** Quoted-printable (RFC 2045 §6.7) as mail and browsers write it: line breaks kept as CRLF, lines soft-broken at 76. */
export function encodeQuotedPrintable(bytes: Uint8Array): string {
  let out = '';
  let line = '';
  const push = (piece: string): void => {
    if (line.length + piece.length > 75) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += piece;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x0d && bytes[i + 1] === 0x0a) continue;
    if (b === 0x0a) {
      // White space at the end of a line is encoded, or transports would strip it.
      const last = line.charCodeAt(line.length - 1);
      if (last === 0x20 || last === 0x09) line = `${line.slice(0, -1)}=${last.toString(16).toUpperCase().padStart(2, '0')}`;
      out += `${line}\r\n`;
      line = '';
      continue;
    }
    push(b >= 0x21 && b <= 0x7e && b !== 0x3d ? String.fromCharCode(b) : b === 0x20 ? ' ' : `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
  }
  if (line.endsWith(' ')) line = `${line.slice(0, -1)}=20`;
  return out + line;
}

/** One part of a web archive written by {@link makeMhtml}. */
export interface MhtmlPart {
  type: string;
  body: Uint8Array | string;
  encoding?: 'quoted-printable' | 'base64' | '8bit';
  location?: string;
  id?: string;
}

/**
 * A web archive (MHTML) as browsers and Word write one: `style: 'blink'` as Chromium/Edge save a page (no charset on
 * the page part, quoted-printable, a `Snapshot-Content-Location`), `style: 'word'` as Word saves a single-file web page
 * (a GB2312 preamble note, `charset="gb2312"` on the part). `parts` follow the page (images, frames).
 */
export function makeMhtml(page: MhtmlPart, options: { style?: 'blink' | 'word'; parts?: MhtmlPart[]; start?: string; lineBreak?: '\r\n' | '\n' } = {}): Uint8Array {
  const style = options.style ?? 'blink';
  const boundary = style === 'blink' ? '----MultipartBoundary--xunshiTestBoundary----' : '----=_NextPart_01DA0000.12345678';
  const chunks: Uint8Array[] = [];
  const add = (s: string | Uint8Array): void => {
    chunks.push(typeof s === 'string' ? new TextEncoder().encode(s) : s);
  };
  const start = options.start === undefined ? '' : `;\r\n\tstart="<${options.start}>"`;
  if (style === 'blink') {
    add(`From: <Saved by Blink>\r\nSnapshot-Content-Location: ${page.location ?? 'https://www.example.gov.cn/a.html'}\r\nSubject: =?utf-8?Q?=E5=B7=A1=E8=A7=86?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="${boundary}"${start}\r\n\r\n\r\n`);
  } else {
    add(`MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="${boundary}"${start}\r\n\r\n`);
    add(encodeGb18030('此文档为“单个文件网页”，也称为“Web 档案”文件。\r\n\r\n'));
  }
  for (const part of [page, ...(options.parts ?? [])]) {
    const body = typeof part.body === 'string' ? new TextEncoder().encode(part.body) : part.body;
    const encoding = part.encoding ?? 'quoted-printable';
    add(`--${boundary}\r\nContent-Type: ${part.type}\r\n`);
    if (part.id !== undefined) add(`Content-ID: <${part.id}>\r\n`);
    add(`Content-Transfer-Encoding: ${encoding}\r\n`);
    if (part.location !== undefined) add(`Content-Location: ${part.location}\r\n`);
    add('\r\n');
    if (encoding === 'quoted-printable') add(encodeQuotedPrintable(body));
    else if (encoding === 'base64') add((Buffer.from(body).toString('base64').match(/.{1,76}/g) ?? []).join('\r\n'));
    else add(body);
    add('\r\n');
  }
  add(`--${boundary}--\r\n`);
  const all = Buffer.concat(chunks);
  return options.lineBreak === '\n' ? new Uint8Array(Buffer.from(all.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')) : new Uint8Array(all);
}

/** Options of {@link makeRtf}. */
export interface RtfFixtureOptions {
  /**
   * `word`: as Word saves a Chinese document (`\ansicpg936`, GB2312 bytes as `\'hh` under `\loch\f0\hich\af0\dbch\f13`,
   * a font table, style sheet, info, header and footer); `wps`: every non-ASCII character as `\uN` with a `?` fallback
   * (`\uc1`) in an `\ansicpg1252` document, as WPS and converters write it.
   */
  style?: 'word' | 'wps';
  /** Heading paragraphs (style `HeadingN`) carry `\outlinelevel{N-1}`, as Word writes heading styles. */
  outline?: boolean;
}

/** A test RTF document of paragraphs and tables, written as Word or WPS would (a hand-made writer, no library). */
export function makeRtf(blocks: readonly DocxBlock[], options: RtfFixtureOptions = {}): Uint8Array {
  const style = options.style ?? 'word';
  const run = (text: string): string => {
    let out = '';
    for (const ch of text) {
      const c = ch.codePointAt(0)!;
      if (ch === '\\' || ch === '{' || ch === '}') out += `\\${ch}`;
      else if (c < 0x80) out += ch;
      else if (style === 'word') out += [...encodeGb18030(ch)].map((b) => `\\'${b.toString(16)}`).join('');
      else for (const unit of ch.split('')) out += `\\u${unit.charCodeAt(0) > 32767 ? unit.charCodeAt(0) - 65536 : unit.charCodeAt(0)}?`;
    }
    return style === 'word' ? `{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\loch\\af0\\hich\\af0\\dbch\\f13\\insrsid1 ${out}}` : `{${out}}`;
  };
  const body = blocks
    .map((b) => {
      if ('table' in b) {
        return b.table
          .map((r) => `\\trowd\\trgaph108${r.map((_, i) => `\\cellx${(i + 1) * 2000}`).join('')}\r\n\\pard\\plain \\intbl ${r.map((c) => `${run(c)}\\cell `).join('')}\\row\r\n`)
          .join('');
      }
      const level = b.style?.startsWith('Heading') ? Number(b.style.slice(7)) : undefined;
      const para = `\\pard\\plain \\s${level ?? 0}\\ql${options.outline && level !== undefined ? `\\outlinelevel${level - 1}` : ''} ${run(b.text)}`;
      const note = b.footnote === undefined ? '' : `{\\super\\chftn}{\\footnote \\pard\\plain {\\super\\chftn} ${run(b.footnote)}}`;
      return `${para}${note}\\par\r\n`;
    })
    .join('');
  const head =
    style === 'word'
      ? `{\\rtf1\\adeflang1025\\ansi\\ansicpg936\\uc2\\adeff0\\deff0\\stshfdbch13\\stshfloch0\\deflang1033\\deflangfe2052{\\fonttbl{\\f0\\froman\\fcharset0\\fprq2{\\*\\panose 02020603050405020304}Times New Roman;}{\\f13\\fbidi \\fnil\\fcharset134\\fprq2{\\*\\panose 02010600030101010101}\\'cb\\'ce\\'cc\\'e5{\\*\\falt SimSun};}}\r\n{\\colortbl;\\red0\\green0\\blue0;}{\\stylesheet{\\ql \\snext0 Normal;}{\\s1\\ql \\outlinelevel0 \\sbasedon0 \\snext0 heading 1;}}\r\n{\\info{\\title ${run('巡视报告')}}{\\author xunshi}}{\\*\\generator Microsoft Word 11.0.0000;}\r\n{\\header \\pard\\plain ${run('页眉：内部资料')}\\par}{\\footer \\pard\\plain {\\field{\\*\\fldinst PAGE}{\\fldrslt 1}}\\par}\r\n`
      : `{\\rtf1\\ansi\\ansicpg1252\\uc1\\deff0{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}}{\\*\\generator WPS Office;}\r\n`;
  return new TextEncoder().encode(`${head}${body}}`);
}

/** A cell of a test workbook: text (a shared string, or inline with `inline`), a number, a date (serial with a date style) or a boolean. */
export type XlsxCell = string | number | boolean | null | { date: number; format?: 'builtin' | 'custom' | 'time' | 'elapsed' } | { inline: string } | { error: string } | { iso: string };
/** One sheet of {@link makeXlsx}: rows of cells from column A (null leaves a cell empty), hidden or not. */
export interface XlsxSheet {
  name: string;
  rows: XlsxCell[][];
  hidden?: boolean;
  /** Write each cell's `r` reference (Excel does; some generators leave it out). */
  refs?: boolean;
  /** Merged ranges (`B2:C2`), written after the rows as Excel does. */
  merges?: string[];
}

const colName = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : colName(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/**
 * An Excel workbook written by hand with JSZip: shared strings with a phonetic guide on one of them, a style sheet with
 * a built-in date format (14), a custom one (`yyyy"年"m"月"d"日"`) and a time format (`h:mm`), sheets in the order
 * given (hidden ones marked so), relationships with a relative and an absolute target, `date1904` when asked.
 */
export async function makeXlsx(sheets: readonly XlsxSheet[], options: { date1904?: boolean; prefix?: boolean } = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  const p = options.prefix ? 'x:' : '';
  const ns = options.prefix ? 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"' : 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
  const strings: string[] = [];
  const sst = new Map<string, number>();
  const shared = (s: string): number => {
    if (!sst.has(s)) {
      sst.set(s, strings.length);
      strings.push(s);
    }
    return sst.get(s)!;
  };
  const sheetXml = (sheet: XlsxSheet): string => {
    const rows = sheet.rows
      .map((row, r) => {
        const cells = row
          .map((c, i) => {
            if (c === null) return '';
            const ref = sheet.refs === false ? '' : ` r="${colName(i)}${r + 1}"`;
            if (typeof c === 'string') return `<${p}c${ref} t="s"><${p}v>${shared(c)}</${p}v></${p}c>`;
            if (typeof c === 'number') return `<${p}c${ref}><${p}v>${c}</${p}v></${p}c>`;
            if (typeof c === 'boolean') return `<${p}c${ref} t="b"><${p}v>${c ? 1 : 0}</${p}v></${p}c>`;
            if ('inline' in c) return `<${p}c${ref} t="inlineStr"><${p}is><${p}t>${esc(c.inline)}</${p}t></${p}is></${p}c>`;
            if ('error' in c) return `<${p}c${ref} t="e"><${p}v>${esc(c.error)}</${p}v></${p}c>`;
            if ('iso' in c) return `<${p}c${ref} t="d"><${p}v>${esc(c.iso)}</${p}v></${p}c>`;
            const style = c.format === 'custom' ? 2 : c.format === 'time' ? 3 : c.format === 'elapsed' ? 4 : 1;
            return `<${p}c${ref} s="${style}"><${p}v>${c.date}</${p}v></${p}c>`;
          })
          .join('');
        return `<${p}row r="${r + 1}">${cells}</${p}row>`;
      })
      .join('');
    const merges = sheet.merges?.length ? `<${p}mergeCells count="${sheet.merges.length}">${sheet.merges.map((m) => `<${p}mergeCell ref="${m}"/>`).join('')}</${p}mergeCells>` : '';
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${ns}><${p}sheetData>${rows}</${p}sheetData>${merges}</${p}worksheet>`;
  };
  sheets.forEach((s, i) => zip.file(`xl/worksheets/sheet${i + 1}.xml`, sheetXml(s)));
  const si = strings.map((s, i) => (i === 0 ? `<${p}si><${p}r><${p}t xml:space="preserve">${esc(s)}</${p}t></${p}r><${p}rPh sb="0" eb="1"><${p}t>xún</${p}t></${p}rPh></${p}si>` : `<${p}si><${p}t xml:space="preserve">${esc(s)}</${p}t></${p}si>`));
  zip.file('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}sst ${ns} count="${strings.length}" uniqueCount="${strings.length}">${si.join('')}</${p}sst>`);
  zip.file(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}styleSheet ${ns}><${p}numFmts count="3"><${p}numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><${p}numFmt numFmtId="177" formatCode="h:mm"/><${p}numFmt numFmtId="178" formatCode="[h]:mm"/></${p}numFmts><${p}cellXfs count="5"><${p}xf numFmtId="0"/><${p}xf numFmtId="14"/><${p}xf numFmtId="176"/><${p}xf numFmtId="177"/><${p}xf numFmtId="178"/></${p}cellXfs></${p}styleSheet>`,
  );
  const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  zip.file(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}workbook ${ns} xmlns:r="${R}">${options.date1904 ? `<${p}workbookPr date1904="1"/>` : ''}<${p}sheets>${sheets.map((s, i) => `<${p}sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"${s.hidden ? ' state="hidden"' : ''}/>`).join('')}</${p}sheets></${p}workbook>`,
  );
  zip.file(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${R}/worksheet" Target="${i % 2 ? `/xl/worksheets/sheet${i + 1}.xml` : `worksheets/sheet${i + 1}.xml`}"/>`).join('')}</Relationships>`,
  );
  zip.file('[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>');
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** One paragraph of a test OFD: body text (first line indented two characters) or the title (larger, centred). */
export type OfdParagraph = string | { text: string; title?: boolean };

/** Options of {@link makeOfd}. */
export interface MakeOfdOptions {
  /** Text of a template page drawn at the top of every page (a running header), with a rule under it. */
  header?: string;
  /** `- N -` at the foot of each page (default true). */
  pageNumbers?: boolean;
  /** Set in two columns (the title across both). */
  columns?: 1 | 2;
  /** Every n-th text object is drawn through a CTM that halves it (coordinates and size written doubled). */
  ctmEvery?: number;
  /** Paths written from the package root (`/Doc_0/…`) instead of relative ones. */
  absolutePaths?: boolean;
  /** Parts to replace (a string) or leave out (null), by entry name, after the package is laid out. */
  parts?: Record<string, string | null>;
}

const OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
/** 三号 (16 pt) body text and 二号 (22 pt) title, in millimetres, on an A4 page with 公文 margins. */
const OFD_BODY = 5.644;
const OFD_TITLE = 7.761;
const OFD_LEFT = 26;
const OFD_EMS = 28;
const OFD_TOP = 37;
const OFD_PITCH = 10.2;
const OFD_LINES = 22;

const isWideChar = (ch: string): boolean => /[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef\ufe30-\ufe4f]/.test(ch);
/** Closing punctuation, which a typesetter lets hang past the margin rather than start a line with. */
const CLOSING = /^[，。、；：！？）》”’」』】,.;:!?)]$/;

interface OfdLine {
  text: string;
  x: number;
  /** Baseline from the top of the page. */
  y: number;
  size: number;
}

/** Break a paragraph into lines of at most `ems` (CJK one em, others half), words of Latin letters and digits never broken. */
function breakLines(text: string, ems: number, indent: number): string[] {
  // A space is never at a break (the reader, as for a PDF, cannot tell it from the wrap): it binds its neighbours.
  const tokens = text.match(/(?:[A-Za-z0-9.%]+|\S)(?:\s+(?:[A-Za-z0-9.%]+|\S))*|\s+/gu) ?? [];
  const lines: string[] = [];
  let line = '';
  let used = indent;
  for (const t of tokens) {
    const w = [...t].reduce((n, ch) => n + (isWideChar(ch) ? 1 : 0.5), 0);
    // One closing mark may hang past the margin; a second one starts the next line.
    if (used + w > ems + 1e-9 && line !== '' && !(CLOSING.test(t) && used <= ems + 1e-9)) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += t;
    used += w;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** `g N v` for runs of equal deltas, as producers write them. */
function deltaList(ds: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ds.length; ) {
    let j = i;
    while (j < ds.length && ds[j] === ds[i]) j++;
    const v = +ds[i]!.toFixed(3);
    out.push(j - i >= 2 ? `g ${j - i} ${v}` : `${v}`);
    i = j;
  }
  return out.join(' ');
}

/**
 * An OFD package (GB/T 33190) of a report typeset like a 公文: A4 pages, each line of each paragraph cut into text
 * objects of a few characters, each object's characters into TextCodes of two to five glyphs placed by `DeltaX` (with
 * the `g` shorthand), relative to the object's Boundary. Each page also draws an image object and a path object, and,
 * with `header`, uses a template page that draws the header on it.
 */
export async function makeOfd(paragraphs: readonly OfdParagraph[], options: MakeOfdOptions = {}): Promise<Uint8Array> {
  const columns = options.columns ?? 1;
  const colEms = columns === 2 ? (OFD_EMS - 2) / 2 : OFD_EMS;
  const pages: OfdLine[][] = [[]];
  let row = 0;
  let col = 0;
  // Rows at the top of the page taken by text across the columns (the title): the second column starts below them.
  let topRows = 0;
  const place = (text: string, size: number, centred: boolean, indent: number, across: boolean): void => {
    if (row >= OFD_LINES) {
      if (columns === 2 && col === 0) {
        col = 1;
        row = topRows;
      } else {
        pages.push([]);
        col = 0;
        row = topRows = 0;
      }
    }
    const ems = across ? OFD_EMS : colEms;
    const left = OFD_LEFT + (across ? 0 : col * (colEms + 2) * OFD_BODY);
    const width = [...text].reduce((n, ch) => n + (isWideChar(ch) ? size : size / 2), 0);
    const x = centred ? left + (ems * OFD_BODY - width) / 2 : left + indent * size;
    pages[pages.length - 1]!.push({ text, x, y: OFD_TOP + size + row * OFD_PITCH, size });
    row++;
    if (across && col === 0) topRows = row;
  };
  for (const p of paragraphs) {
    const text = typeof p === 'string' ? p.trim() : p.text.trim();
    if (text === '') continue;
    if (typeof p !== 'string' && p.title) {
      // A title that wraps is cut into lines of even length, as a 公文's title is set.
      const chars = [...text];
      const n = Math.ceil(chars.length / Math.floor((OFD_EMS * OFD_BODY) / OFD_TITLE));
      const per = Math.ceil(chars.length / n);
      for (let i = 0; i < chars.length; i += per) place(chars.slice(i, i + per).join(''), OFD_TITLE, true, 0, true);
      if (columns === 2) topRows = ++row;
      continue;
    }
    breakLines(text, colEms, 2).forEach((l, i) => place(l, OFD_BODY, false, i === 0 ? 2 : 0, false));
  }
  let id = 1;
  const textObjects = (line: OfdLine, n: number): string => {
    const chars = [...line.text];
    const xs: number[] = [];
    let x = line.x;
    for (const ch of chars) {
      xs.push(x);
      x += isWideChar(ch) ? line.size : line.size / 2;
    }
    const out: string[] = [];
    for (let start = 0, k = 0; start < chars.length; k++) {
      const count = Math.min(chars.length - start, 6 + ((n + k) % 4));
      const bx = xs[start]!;
      const end = start + count < chars.length ? xs[start + count]! : x;
      const scaled = options.ctmEvery !== undefined && (n + k) % options.ctmEvery === 0;
      const s = scaled ? 2 : 1;
      const codes: string[] = [];
      for (let c = start, m = 0; c < start + count; m++) {
        const len = Math.min(start + count - c, 2 + ((n + m) % 4));
        const ds = xs.slice(c + 1, c + len).map((v, i) => (v - xs[c + i]!) * s);
        const dx = ds.length > 0 ? ` DeltaX="${deltaList(ds)}"` : '';
        codes.push(`<ofd:TextCode X="${+((xs[c]! - bx) * s).toFixed(3)}" Y="${+(line.size * s).toFixed(3)}"${dx}>${esc(chars.slice(c, c + len).join(''))}</ofd:TextCode>`);
        c += len;
      }
      const ctm = scaled ? ' CTM="0.5 0 0 0.5 0 0"' : '';
      out.push(`<ofd:TextObject ID="${id++}" Boundary="${+bx.toFixed(3)} ${+(line.y - line.size).toFixed(3)} ${+(end - bx).toFixed(3)} ${+(line.size * 1.25).toFixed(3)}" Font="3" Size="${+(line.size * s).toFixed(3)}"${ctm}><ofd:FillColor Value="0 0 0"/>${codes.join('')}</ofd:TextObject>`);
      start += count;
    }
    return out.join('');
  };
  const root = options.absolutePaths ? '/Doc_0/' : '';
  const zip = new JSZip();
  const files = new Map<string, string>();
  const header = options.header;
  pages.forEach((lines, p) => {
    const objs = lines.map((l, i) => textObjects(l, i)).join('');
    const deco = `<ofd:ImageObject ID="${id++}" Boundary="150 250 30 30" ResourceID="90" CTM="30 0 0 30 0 0"/><ofd:PathObject ID="${id++}" Boundary="${OFD_LEFT} 30 158 1" LineWidth="0.5"><ofd:AbbreviatedData>M 0 0 L 158 0</ofd:AbbreviatedData></ofd:PathObject>`;
    const num = options.pageNumbers === false ? '' : textObjects({ text: `- ${p + 1} -`, x: 100, y: 280, size: 4.939 }, 0);
    const tpl = header !== undefined ? '<ofd:Template TemplateID="80" ZOrder="Background"/>' : '';
    files.set(`Doc_0/Pages/Page_${p}/Content.xml`, `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${OFD_NS}>${tpl}<ofd:Content><ofd:Layer ID="${id++}" Type="Body">${deco}<ofd:PageBlock ID="${id++}">${objs}</ofd:PageBlock>${num}</ofd:Layer></ofd:Content></ofd:Page>`);
  });
  if (header !== undefined) {
    const line = textObjects({ text: header, x: OFD_LEFT, y: 22, size: 4.233 }, 1);
    files.set('Doc_0/Tpls/Tpl_0/Content.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${OFD_NS}><ofd:Content><ofd:Layer ID="${id++}">${line}<ofd:PathObject ID="${id++}" Boundary="${OFD_LEFT} 25 158 1"><ofd:AbbreviatedData>M 0 0 L 158 0</ofd:AbbreviatedData></ofd:PathObject></ofd:Layer></ofd:Content></ofd:Page>`);
  }
  const tplDecl = header !== undefined ? `<ofd:TemplatePage ID="80" BaseLoc="${root}Tpls/Tpl_0/Content.xml"/>` : '';
  const pageDecl = pages.map((_, p) => `<ofd:Page ID="${100 + p}" BaseLoc="${root}Pages/Page_${p}/Content.xml"/>`).join('');
  files.set(
    'Doc_0/Document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${OFD_NS}><ofd:CommonData><ofd:MaxUnitID>${id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>${tplDecl}</ofd:CommonData><ofd:Pages>${pageDecl}</ofd:Pages></ofd:Document>`,
  );
  files.set('Doc_0/PublicRes.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${OFD_NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" FontName="仿宋_GB2312" FamilyName="仿宋_GB2312"/></ofd:Fonts></ofd:Res>`);
  files.set('Doc_0/DocumentRes.xml', `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${OFD_NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="90" Type="Image"><ofd:MediaFile>image_90.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`);
  files.set(
    'OFD.xml',
    `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>0c5d5e1f</ofd:DocID><ofd:Title>xunshi</ofd:Title><ofd:Creator>xunshi tests</ofd:Creator></ofd:DocInfo><ofd:DocRoot>${options.absolutePaths ? '/' : ''}Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
  );
  for (const [name, content] of Object.entries(options.parts ?? {})) {
    if (content === null) files.delete(name);
    else files.set(name, content);
  }
  for (const [name, content] of files) zip.file(name, content);
  zip.file('Doc_0/Res/image_90.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** A zip of the given entries (an OFD package written by hand, for the error cases). */
export async function makeZip(entries: Record<string, string | Uint8Array>): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(entries)) zip.file(name, content);
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
