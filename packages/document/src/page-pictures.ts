/**
 * The pictures a web page shows in its content, for the OCR of a page whose report is scans (a county's notice posted
 * as photographs of its pages, saved as a web archive): each `<img>`'s `src`, in document order, found in the page
 * itself (a `data:` URI) or in the web archive that holds it (the part whose `Content-Location` is the address, as
 * written or resolved against the page's own location, or whose `Content-ID` a `cid:` names), or, for a page read from
 * a file ("save as: webpage, complete": `NAME.html` beside `NAME_files/`), the file a relative `src` names under the
 * page's folder (`resources`, which the caller bounds). A picture shown twice is read once; one the page links to
 * outside the archive or its folder is not fetched (xunshi reads nothing from the network).
 */
import type { PictureSource } from './image-read.js';

/** The bytes of a `data:image/…` URI (base64 or percent-encoded), undefined for any other `src`. */
export function dataUriBytes(src: string): Uint8Array | undefined {
  const m = /^data:image\/[a-z0-9.+-]+((?:;[^,;]*)*?)(;base64)?,/i.exec(src);
  if (!m) return undefined;
  const body = src.slice(m[0].length);
  if (m[2]) return new Uint8Array(Buffer.from(body, 'base64'));
  try {
    return new Uint8Array(Buffer.from(decodeURIComponent(body), 'latin1'));
  } catch {
    return undefined;
  }
}

/** A web archive's images by location and `cid:`, and the page's own location. */
export interface PageArchive {
  images: ReadonlyMap<string, () => Uint8Array | undefined>;
  location?: string;
}

/** Most pictures of one page read (a page of scans has a picture a page; a gallery of thousands is no report). */
export const MAX_PAGE_PICTURES = 200;

/**
 * The path under the page's folder that a relative `src` names (percent-decoding undone, query and fragment dropped),
 * or undefined for an address, an absolute path or one that climbs out of the folder (`../`).
 */
export function localPicturePath(src: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('/') || src.startsWith('\\')) return undefined;
  let path = src.replace(/[?#].*$/s, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not percent-encoded: as written.
  }
  const parts: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

/**
 * The pictures of a page's `<img>` sources that can be read: `data:` URIs, the archive's parts they name, and the
 * files under the page's folder that `resources` reads (undefined: none). At most {@link MAX_PAGE_PICTURES}.
 */
export function pagePictures(srcs: readonly string[], archive?: PageArchive, resources?: (path: string) => Uint8Array | undefined): PictureSource[] {
  const seen = new Set<string>();
  const out: PictureSource[] = [];
  for (const raw of srcs) {
    const src = raw.trim();
    if (/^data:/i.test(src)) {
      if (seen.has(src) || out.length >= MAX_PAGE_PICTURES) continue;
      seen.add(src);
      const bytes = dataUriBytes(src);
      if (bytes) out.push(() => Promise.resolve(bytes));
      continue;
    }
    if (out.length >= MAX_PAGE_PICTURES) break;
    if (!archive) {
      const local = resources ? localPicturePath(src) : undefined;
      if (local === undefined || seen.has(local)) continue;
      seen.add(local);
      out.push(() => Promise.resolve(resources!(local) ?? 'damaged'));
      continue;
    }
    const candidates = [src];
    try {
      if (archive.location) candidates.push(new URL(src, archive.location).href);
      candidates.push(new URL(src).href);
    } catch {
      // Not an address: only the source as written can name a part.
    }
    const key = candidates.find((c) => archive.images.has(c));
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    const read = archive.images.get(key)!;
    out.push(() => Promise.resolve(read() ?? 'damaged'));
  }
  return out;
}
