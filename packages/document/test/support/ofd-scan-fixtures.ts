// Scanned OFDs made at test time: each page one ImageObject drawing a MultiMedia file (a Chromium screenshot, or a
// PNG written here), placed by its Boundary and CTM, as scanners' OFD writers store them; a page may be typeset text
// instead (a mixed document), and a template page may draw on every page.
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { makeZip } from './fixtures.js';
import { ADAM7 } from '../../src/ofd-images.js';

const OFD_NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One page of a scanned OFD: an image (its file's bytes, the file's extension, its Boundary and CTM), or lines of text. */
export type ScanOfdPage =
  | { image: Uint8Array; ext?: string; boundary?: string; ctm?: string | null; pageRes?: boolean; /** ImageObjects drawing it (default 1), all alike. */ times?: number }
  | { text: readonly string[] };

/** Options of {@link makeScanOfd}. */
export interface ScanOfdOptions {
  /** A template page drawn on every page: its text (a running header at the top). */
  templateText?: string;
}

/** Lines of typeset text, 16 pt (5.644 mm), one TextObject a line, one em a character (DeltaX). */
function textObjects(lines: readonly string[], firstId: number): string {
  return lines
    .map((line, i) => {
      const chars = [...line];
      const y = 40 + i * 10;
      const dx = chars.length > 1 ? ` DeltaX="g ${chars.length - 1} 5.644"` : '';
      return `<ofd:TextObject ID="${firstId + i}" Boundary="26 ${y} 160 8" Font="3" Size="5.644"><ofd:TextCode X="0" Y="5.644"${dx}>${esc(line)}</ofd:TextCode></ofd:TextObject>`;
    })
    .join('');
}

/**
 * An A4 OFD whose pages are scans (one image each, by default stretched over the page: `Boundary="0 0 210 297"`,
 * `CTM="210 0 0 297 0 0"`) or typeset text. The images are MultiMedia resources of DocumentRes.xml (or of the page's
 * own PageRes with `pageRes`), files under `Doc_0/Res/`.
 */
export async function makeScanOfd(pages: readonly ScanOfdPage[], options: ScanOfdOptions = {}): Promise<Uint8Array> {
  const entries: Record<string, string | Uint8Array> = {};
  const media: string[] = [];
  let id = 1000;
  pages.forEach((page, p) => {
    const tpl = options.templateText !== undefined ? '<ofd:Template TemplateID="80"/>' : '';
    let body: string;
    let res = '';
    if ('text' in page) body = textObjects(page.text, id);
    else {
      const resId = 500 + p;
      const file = `scan_${p}.${page.ext ?? 'png'}`;
      const decl = `<ofd:MultiMedia ID="${resId}" Type="Image" Format="${(page.ext ?? 'png').toUpperCase()}"><ofd:MediaFile>${file}</ofd:MediaFile></ofd:MultiMedia>`;
      entries[`Doc_0/Res/${file}`] = page.image;
      if (page.pageRes) {
        entries[`Doc_0/Pages/Page_${p}/PageRes.xml`] = `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${OFD_NS} BaseLoc="../../Res"><ofd:MultiMedias>${decl}</ofd:MultiMedias></ofd:Res>`;
        res = '<ofd:PageRes>PageRes.xml</ofd:PageRes>';
      } else media.push(decl);
      const ctm = page.ctm === null ? '' : ` CTM="${page.ctm ?? '210 0 0 297 0 0'}"`;
      body = Array.from({ length: page.times ?? 1 }, (_, k) => `<ofd:ImageObject ID="${id + k * 10_000}" Boundary="${page.boundary ?? '0 0 210 297'}" ResourceID="${resId}"${ctm}/>`).join('');
    }
    id += 100;
    entries[`Doc_0/Pages/Page_${p}/Content.xml`] = `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${OFD_NS}>${tpl}${res}<ofd:Content><ofd:Layer ID="${id++}" Type="Body">${body}</ofd:Layer></ofd:Content></ofd:Page>`;
  });
  if (options.templateText !== undefined) {
    entries['Doc_0/Tpls/Tpl_0/Content.xml'] = `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${OFD_NS}><ofd:Content><ofd:Layer ID="${id++}">${textObjects([options.templateText], id).replace('Boundary="26 40 ', 'Boundary="26 12 ')}</ofd:Layer></ofd:Content></ofd:Page>`;
    id += 10;
  }
  const tplDecl = options.templateText !== undefined ? '<ofd:TemplatePage ID="80" BaseLoc="Tpls/Tpl_0/Content.xml"/>' : '';
  const pageDecl = pages.map((_, p) => `<ofd:Page ID="${100 + p}" BaseLoc="Pages/Page_${p}/Content.xml"/>`).join('');
  entries['Doc_0/Document.xml'] = `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${OFD_NS}><ofd:CommonData><ofd:MaxUnitID>${id}</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>${tplDecl}</ofd:CommonData><ofd:Pages>${pageDecl}</ofd:Pages></ofd:Document>`;
  entries['Doc_0/PublicRes.xml'] = `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${OFD_NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>`;
  entries['Doc_0/DocumentRes.xml'] = `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${OFD_NS} BaseLoc="Res"><ofd:MultiMedias>${media.join('')}</ofd:MultiMedias></ofd:Res>`;
  entries['OFD.xml'] = `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${OFD_NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>5ca7</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`;
  return makeZip(entries);
}

/**
 * A PNG stored turned a quarter clockwise (the page's top on the right): drawn on an A4 page through
 * `CTM="0 -297 210 0 0 297"` it shows upright again.
 */
export function turnedPng(png: Uint8Array): Uint8Array {
  const src = PNG.sync.read(Buffer.from(png));
  const out = new PNG({ width: src.height, height: src.width });
  for (let r = 0; r < src.height; r++) {
    for (let c = 0; c < src.width; c++) {
      // Upright (c, r) goes to stored (H − 1 − r, c).
      const from = (r * src.width + c) * 4;
      const to = (c * out.width + (src.height - 1 - r)) * 4;
      src.data.copy(out.data, to, from, from + 4);
    }
  }
  return new Uint8Array(PNG.sync.write(out));
}

/** CTM of {@link turnedPng}'s image on an A4 page: its columns run up the page, its rows from left to right. */
export const TURNED_CTM = '0 -297 210 0 0 297';

/** A white 8-bit grey PNG of `width` × `height` (Flate: a few bytes a million pixels), written without a codec. */
export function blankPng(width: number, height: number): Uint8Array {
  const row = Buffer.alloc(width + 1, 255);
  row[0] = 0;
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) row.copy(raw, y * (width + 1));
  return pngOf(width, height, deflateSync(raw, { level: 9 }));
}

/** A PNG whose header says `width` × `height` but that holds no pixels: its size is read, it must never be decoded. */
export function headerOnlyPng(width: number, height: number): Uint8Array {
  return pngOf(width, height, deflateSync(Buffer.alloc(0)));
}

/**
 * An interlaced (Adam7) 8-bit grey PNG of `width` × `height`, every pixel `grey`; with `extra`, that many zero bytes
 * more in its image data than the header allows (a decompression bomb: a few bytes a megabyte, compressed).
 */
export function interlacedPng(width: number, height: number, grey: number, extra = 0): Uint8Array {
  const rows: Buffer[] = [];
  for (const [x0, y0, dx, dy] of ADAM7) {
    const w = Math.ceil((width - x0!) / dx!);
    const h = Math.ceil((height - y0!) / dy!);
    if (w <= 0 || h <= 0) continue;
    for (let y = 0; y < h; y++) rows.push(Buffer.concat([Buffer.from([0]), Buffer.alloc(w, grey)]));
  }
  return pngOf(width, height, deflateSync(Buffer.concat([...rows, Buffer.alloc(extra)]), { level: 9 }), 1);
}

function pngOf(width: number, height: number, idat: Buffer, interlace = 0): Uint8Array {
  const chunk = (type: string, data: Buffer): Buffer => {
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc32(td));
    return Buffer.concat([head, td, tail]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bits a sample
  ihdr[9] = 0; // grey
  ihdr[12] = interlace; // 1: Adam7
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]));
}

/**
 * A grey progressive JPEG of `width` × `height` (at most 65535 a side) with `scans` AC scans that hold nothing but
 * end-of-band runs (about 45 bytes a scan at 7000 × 7000): each costs a decoder a walk over every block. The image
 * decodes to mid-grey.
 */
export function manyScanJpeg(width: number, height: number, scans: number): Uint8Array {
  const out = [0xff, 0xd8, 0xff, 0xdb, 0, 67, 0, ...Array<number>(64).fill(1)];
  out.push(0xff, 0xc2, 0, 11, 8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0);
  // One AC code, "0": end-of-band run r = 14, with 14 one bits: 32,767 blocks.
  out.push(0xff, 0xc4, 0, 20, 0x10, 1, ...Array<number>(15).fill(0), 0xe0);
  const runs = Math.ceil((Math.ceil(width / 8) * Math.ceil(height / 8)) / 32767) + 1;
  let bits = ('0' + '1'.repeat(14)).repeat(runs);
  while (bits.length % 8) bits += '1';
  const data: number[] = [];
  for (let i = 0; i < bits.length; i += 8) {
    const v = parseInt(bits.slice(i, i + 8), 2);
    data.push(v);
    if (v === 0xff) data.push(0); // stuffed
  }
  for (let s = 0; s < scans; s++) out.push(0xff, 0xda, 0, 8, 1, 1, 0x00, 1, 63, 0x00, ...data);
  out.push(0xff, 0xd9);
  return new Uint8Array(out);
}

/** The first bytes of a JBIG2 file (its ID string and a header): a format OCR does not read. */
export const JBIG2_FILE = new Uint8Array([0x97, 0x4a, 0x42, 0x32, 0x0d, 0x0a, 0x1a, 0x0a, 0x01, 0x00, 0x00, 0x00, 0x01]);
