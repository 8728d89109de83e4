import { createRequire } from 'node:module';
import type * as Saxes from 'saxes';

/**
 * XML parts of zip packages (Excel workbooks, OFD documents), read with saxes: a streaming parser that never expands
 * DTD entities, never fetches external ones and never recurses, so a part of any size or shape is never held as a tree.
 */

let saxes: typeof Saxes | undefined;
/** saxes, loaded on the first part read: a run over other formats never loads it. */
function loadSaxes(): typeof Saxes {
  saxes ??= createRequire(import.meta.url)('saxes') as typeof Saxes;
  return saxes;
}

/** An element's or attribute's name without its namespace prefix (`ofd:TextCode` → `TextCode`): producers differ in prefixes. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** What {@link parseXmlPart} calls: names without prefixes, the element's depth (1 for the root). */
export interface XmlPartHandlers {
  open?(name: string, attrs: Record<string, string>, depth: number): void;
  close?(name: string, depth: number): void;
  text?(text: string): void;
}

/** How {@link parseXmlPart} fails: the error for a malformed part, and the bound on nesting with its error. */
export interface XmlPartErrors {
  malformed(message: string): Error;
  maxDepth?: number;
  tooDeep?(): Error;
}

/**
 * The text of an XML part of a package as its producer wrote it: a BOM says UTF-8 or UTF-16 (which the OOXML and
 * OpenDocument formats allow), else the XML declaration's `encoding` (a GBK, GB2312 or GB18030 part, as some Chinese
 * office systems write, is GB18030; Big5 is Big5), else UTF-8. Read always as UTF-8, a UTF-16 part was "not
 * well-formed" and a GBK one came out as replacement characters, analysed as text.
 */
export function decodeXmlPart(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  // The declaration is ASCII in every encoding it may name here.
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 200)));
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  const label = declared === undefined ? 'utf-8' : /^(?:gbk|gb2312|gb18030|cp936|x-gbk)$/.test(declared) ? 'gb18030' : /^(?:big5|big5-hkscs|x-big5)$/.test(declared) ? 'big5' : 'utf-8';
  return new TextDecoder(label).decode(bytes);
}

/**
 * Parse one XML part, calling `handlers` as it goes; throws `errors.malformed(saxes's message)` on bad XML, the message
 * beginning with the line and column of the fault (`2:11: unexpected close tag.`).
 */
export function parseXmlPart(xml: string, handlers: XmlPartHandlers, errors: XmlPartErrors): void {
  const parser = new (loadSaxes().SaxesParser)({ position: true });
  let depth = 0;
  parser.on('error', (e) => {
    throw errors.malformed(e.message);
  });
  parser.on('opentag', (tag) => {
    depth++;
    if (errors.maxDepth !== undefined && depth > errors.maxDepth) throw errors.tooDeep?.() ?? errors.malformed(`nested more than ${errors.maxDepth} levels`);
    handlers.open?.(localName(tag.name), tag.attributes as Record<string, string>, depth);
  });
  parser.on('closetag', (tag) => {
    handlers.close?.(localName(tag.name), depth);
    depth--;
  });
  if (handlers.text) {
    parser.on('text', handlers.text);
    parser.on('cdata', handlers.text);
  }
  parser.write(xml).close();
}

/**
 * Where `xml` first breaks the rules of XML, as saxes says it (`2:11: unexpected close tag.`: line, column, what), or
 * undefined when it is well-formed. For messages: a parser that gives no position (xmldom, as mammoth runs it) failed.
 */
export function firstXmlFault(xml: string): string | undefined {
  const fault = new Error('malformed');
  let message: string | undefined;
  try {
    parseXmlPart(xml, {}, {
      malformed: (m) => {
        message = m;
        return fault;
      },
    });
  } catch (e) {
    if (e !== fault) throw e;
  }
  return message;
}

/** A package path: `/` starts from the package root, anything else from `folder` (ending in `/`, or empty); `.`, `..` and backslashes resolved. */
export function resolvePackagePath(folder: string, target: string): string {
  const t = target.trim().replace(/\\/g, '/');
  const out: string[] = [];
  for (const p of (t.startsWith('/') ? t : folder + t).split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/** The folder of a package path, with its trailing `/` (`xl/workbook.xml` → `xl/`), or empty at the root. */
export function folderOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash + 1);
}
