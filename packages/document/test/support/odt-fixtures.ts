import JSZip from 'jszip';

/**
 * OpenDocument text packages built for the tests, shaped as LibreOffice writes them: `mimetype` first and stored, a
 * manifest, styles.xml with the common styles (Title, Heading 1–6 with their default outline levels, the outline
 * style) and content.xml with automatic styles and the body.
 */

export const ODF_NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"',
].join(' ');

export const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Text as ODF writes it: runs of spaces as `text:s`, tabs as `text:tab`. */
export function odfText(s: string): string {
  return esc(s)
    .replace(/\t/g, '<text:tab/>')
    .replace(/ {2,}/g, (m) => ` <text:s text:c="${m.length - 1}"/>`);
}

/** The common styles: Standard, Text body, Title, Heading 1–6 (default outline levels), Contents 1. */
export const COMMON_STYLES = [
  '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>',
  '<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"/>',
  '<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"/>',
  '<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"/>',
  ...[1, 2, 3, 4, 5, 6].map((n) => `<style:style style:name="Heading_20_${n}" style:display-name="Heading ${n}" style:family="paragraph" style:parent-style-name="Heading" style:default-outline-level="${n}"/>`),
  '<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph"/>',
  '<style:style style:name="Hidden" style:family="text"><style:text-properties text:display="none"/></style:style>',
].join('');

/** A level of a list style: a number format (1, a, A, i, I, 一, 壹 …) with prefix and suffix, or a bullet. */
export interface OdtListLevel {
  format?: string;
  prefix?: string;
  suffix?: string;
  start?: number;
  displayLevels?: number;
  bullet?: string;
  /** LibreOffice's own `loext:num-list-format` (`%1%.`). */
  listFormat?: string;
}

/** A `text:list-style` named `name`. */
export function listStyle(name: string, levels: readonly OdtListLevel[]): string {
  const level = (l: OdtListLevel, i: number): string => {
    if (l.bullet !== undefined) return `<text:list-level-style-bullet text:level="${i + 1}" text:bullet-char="${esc(l.bullet)}"/>`;
    const attrs = [
      `text:level="${i + 1}"`,
      l.prefix !== undefined ? `style:num-prefix="${esc(l.prefix)}"` : '',
      l.suffix !== undefined ? `style:num-suffix="${esc(l.suffix)}"` : '',
      `style:num-format="${esc(l.format ?? '1')}"`,
      l.start !== undefined ? `text:start-value="${l.start}"` : '',
      l.displayLevels !== undefined ? `text:display-levels="${l.displayLevels}"` : '',
      l.listFormat !== undefined ? `loext:num-list-format="${esc(l.listFormat)}"` : '',
    ].filter(Boolean);
    return `<text:list-level-style-number ${attrs.join(' ')}/>`;
  };
  return `<text:list-style style:name="${name}">${levels.map(level).join('')}</text:list-style>`;
}

/** Options of {@link makeOdt}. */
export interface OdtOptions {
  /** More of content.xml's automatic styles (list styles, paragraph styles). */
  automaticStyles?: string;
  /** More of styles.xml's common styles (list styles, the outline style). */
  styles?: string;
  /** The mimetype entry (default that of a text); null leaves it out. */
  mimetype?: string | null;
  /** More entries, or replacements (null removes one). */
  parts?: Record<string, string | Uint8Array | null>;
  /** A manifest entry with `manifest:encryption-data`, as an encrypted package's. */
  encrypted?: boolean;
}

/** content.xml holding `body` (the inside of office:text). */
export function contentXml(body: string, automaticStyles = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ODF_NS} office:version="1.3"><office:automatic-styles>${automaticStyles}</office:automatic-styles><office:body><office:text><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>${body}</office:text></office:body></office:document-content>`;
}

/** An `.odt` package of `body` (the inside of office:text), `mimetype` stored first as the format asks. */
export async function makeOdt(body: string, options: OdtOptions = {}): Promise<Uint8Array> {
  const zip = new JSZip();
  const mimetype = options.mimetype === undefined ? ODT_MIMETYPE : options.mimetype;
  if (mimetype !== null) zip.file('mimetype', mimetype, { compression: 'STORE' });
  const encryption = options.encrypted
    ? '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/></manifest:encryption-data>'
    : '';
  const files = new Map<string, string | Uint8Array>([
    ['content.xml', contentXml(body, options.automaticStyles)],
    ['styles.xml', `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${ODF_NS} office:version="1.3"><office:styles>${COMMON_STYLES}${options.styles ?? ''}</office:styles><office:automatic-styles><style:style style:name="P1" style:family="paragraph"/></office:automatic-styles><office:master-styles><style:master-page style:name="Standard"><style:header><text:p>页眉文字</text:p></style:header></style:master-page></office:master-styles></office:document-styles>`],
    ['meta.xml', `<?xml version="1.0" encoding="UTF-8"?><office:document-meta ${ODF_NS}><office:meta><dc:title>xunshi</dc:title></office:meta></office:document-meta>`],
    [
      'META-INF/manifest.xml',
      `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="${mimetype ?? ''}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">${encryption}</manifest:file-entry><manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/></manifest:manifest>`,
    ],
  ]);
  for (const [name, content] of Object.entries(options.parts ?? {})) {
    if (content === null) files.delete(name);
    else files.set(name, content);
  }
  for (const [name, content] of files) zip.file(name, content, { compression: 'DEFLATE' });
  return zip.generateAsync({ type: 'uint8array' });
}

/** A flat OpenDocument text (`.fodt`): one XML document with the styles, the automatic styles, the master pages and the body. */
export function makeFodt(body: string, options: { automaticStyles?: string; styles?: string; mimetype?: string; masterStyles?: string } = {}): Uint8Array {
  const master = options.masterStyles ? `\n <office:master-styles>${options.masterStyles}</office:master-styles>` : '';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<office:document ${ODF_NS} office:version="1.3" office:mimetype="${options.mimetype ?? ODT_MIMETYPE}">\n <office:styles>${COMMON_STYLES}${options.styles ?? ''}</office:styles>\n <office:automatic-styles>${options.automaticStyles ?? ''}</office:automatic-styles>${master}\n <office:body>\n  <office:text>\n   ${body}\n  </office:text>\n </office:body>\n</office:document>\n`;
  return new TextEncoder().encode(xml);
}

/** A block of a report as ODF: a paragraph (a heading with `level`, the title with `title`), or a table of rows of cells. */
export type OdtBlock = { text: string; level?: number; title?: boolean } | { table: string[][] };

/** The body of `blocks`: headings `text:h` with their outline levels and Heading N styles, paragraphs `text:p`, tables. */
export function odtBody(blocks: readonly OdtBlock[]): string {
  return blocks
    .map((b) => {
      if ('table' in b) {
        const cols = Math.max(1, ...b.table.map((r) => r.length));
        const rows = b.table.map((r) => `<table:table-row>${r.map((c) => `<table:table-cell office:value-type="string"><text:p text:style-name="Standard">${odfText(c)}</text:p></table:table-cell>`).join('')}</table:table-row>`).join('');
        return `<table:table table:name="T"><table:table-column table:number-columns-repeated="${cols}"/>${rows}</table:table>`;
      }
      if (b.title) return `<text:p text:style-name="Title">${odfText(b.text)}</text:p>`;
      if (b.level) return `<text:h text:style-name="Heading_20_${b.level}" text:outline-level="${b.level}">${odfText(b.text)}</text:h>`;
      return `<text:p text:style-name="Text_20_body">${odfText(b.text)}</text:p>`;
    })
    .join('');
}
