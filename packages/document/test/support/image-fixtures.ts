// Image files as phones, scanners and screenshots write them, for the image reader's tests: a picture stored turned
// or flipped with the EXIF orientation that shows it upright (what phones write instead of turning the pixels).
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** RGBA pixels of an upright picture. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Where stored pixel (col, row) of a picture stored `w` × `h` shows for EXIF orientation `o` (TIFF 6.0's tag 274: 1
 * as stored, 2 flipped left–right, 3 half a turn, 4 flipped top–bottom, 5 transposed, 6 a quarter turn clockwise to
 * show, 7 transversed, 8 a quarter turn anticlockwise to show).
 */
export function shownAt(o: number, col: number, row: number, w: number, h: number): [number, number] {
  switch (o) {
    case 2:
      return [w - 1 - col, row];
    case 3:
      return [w - 1 - col, h - 1 - row];
    case 4:
      return [col, h - 1 - row];
    case 5:
      return [row, col];
    case 6:
      return [h - 1 - row, col];
    case 7:
      return [h - 1 - row, w - 1 - col];
    case 8:
      return [row, w - 1 - col];
    default:
      return [col, row];
  }
}

/** The pixels to store so that orientation `o` shows `upright`. */
export function storedFor(upright: Rgba, o: number): Rgba {
  const quarter = o >= 5;
  const w = quarter ? upright.height : upright.width;
  const h = quarter ? upright.width : upright.height;
  const data = new Uint8Array(w * h * 4);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const [x, y] = shownAt(o, col, row, w, h);
      const from = (y * upright.width + x) * 4;
      data.set(upright.data.subarray(from, from + 4), (row * w + col) * 4);
    }
  }
  return { width: w, height: h, data };
}

/** An APP1 segment holding an EXIF block whose IFD0 has one entry, the orientation (little-endian TIFF). */
function exifApp1(orientation: number): Uint8Array {
  const tiff = [0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, orientation, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
  const body = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff];
  const length = body.length + 2;
  return new Uint8Array([0xff, 0xe1, length >> 8, length & 0xff, ...body]);
}

/** A JPEG of `picture` (quality 95), with an EXIF orientation when `orientation` is given (its APP1 right after SOI). */
export function jpegOf(picture: Rgba, orientation?: number): Uint8Array {
  const encoded = new Uint8Array(jpeg.encode({ width: picture.width, height: picture.height, data: Buffer.from(picture.data) }, 95).data);
  if (orientation === undefined) return encoded;
  const app1 = exifApp1(orientation);
  const out = new Uint8Array(encoded.length + app1.length);
  out.set(encoded.subarray(0, 2));
  out.set(app1, 2);
  out.set(encoded.subarray(2), 2 + app1.length);
  return out;
}

/** A PNG of `picture`. */
export function pngOf(picture: Rgba): Uint8Array {
  const png = new PNG({ width: picture.width, height: picture.height });
  Buffer.from(picture.data).copy(png.data);
  return new Uint8Array(PNG.sync.write(png));
}

/** The RGBA pixels of a PNG or a JPEG. */
export function pixelsOf(bytes: Uint8Array): Rgba {
  if (bytes[0] === 0x89) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data) };
  }
  const d = jpeg.decode(Buffer.from(bytes), { useTArray: true, formatAsRGBA: true });
  return { width: d.width, height: d.height, data: d.data };
}

/**
 * An upright picture no turn or flip of which looks like itself: blocks of greys that differ down and across (large
 * enough that JPEG keeps them), 48 × 80 pixels.
 */
export function asymmetricPicture(): Rgba {
  const width = 48;
  const height = 80;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const grey = Math.min(255, Math.floor(x / 16) * 30 + Math.floor(y / 16) * 40);
      data.set([grey, grey, grey, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

const DRAWING_NS = 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"';

/**
 * A .docx whose body is pictures only, one a paragraph, as Word writes an inline picture (`w:drawing` / `wp:inline` /
 * `pic:pic` / `a:blip r:embed`): pages scanned and pasted into Word. `text` paragraphs go before the pictures.
 * Each picture is stored under word/media/ with the extension its bytes suggest (`.png`, `.jpeg`, `.tiff`, else `.emf`);
 * with `floating`, each is a floating picture anchored to its paragraph (`wp:anchor`, wrapped top and bottom).
 */
export async function picturesDocx(pictures: readonly Uint8Array[], text: readonly string[] = [], options: { floating?: boolean } = {}): Promise<Uint8Array> {
  const { makeDocxXml } = await import('./fixtures.js');
  const ext = (b: Uint8Array): string => (b[0] === 0x89 ? 'png' : b[0] === 0xff ? 'jpeg' : b[0] === 0x49 || b[0] === 0x4d ? 'tiff' : 'emf');
  const paragraphs = text.map((t) => `<w:p><w:r><w:t xml:space="preserve">${t}</w:t></w:r></w:p>`);
  pictures.forEach((_, i) => {
    const id = `rIdPic${i + 1}`;
    paragraphs.push(
      options.floating
        ? // A floating picture (wrapped top and bottom, anchored to its paragraph), as one dragged or set to "上下型环绕".
          `<w:p><w:r><w:drawing><wp:anchor ${DRAWING_NS} distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="${i + 1}" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="5400000" cy="7600000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/><wp:docPr id="${i + 1}" name="图片 ${i + 1}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="${i + 1}" name="scan${i + 1}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="${id}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>`
        : `<w:p><w:r><w:drawing><wp:inline ${DRAWING_NS}><wp:extent cx="5400000" cy="7600000"/><wp:docPr id="${i + 1}" name="图片 ${i + 1}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="${i + 1}" name="scan${i + 1}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="${id}"/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
    );
  });
  const parts: Record<string, Uint8Array> = {};
  const rels = pictures.map((b, i) => {
    parts[`word/media/image${i + 1}.${ext(b)}`] = b;
    return `<Relationship Id="rIdPic${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image${i + 1}.${ext(b)}"/>`;
  });
  return makeDocxXml(paragraphs.join(''), { parts, rels });
}
