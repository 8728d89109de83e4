import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { DocumentModel, SourceFormat } from '@xunshi/types';
import { decodeBytes } from './decode-bytes.js';
import { parseDocument } from './parse-document.js';

/** Options of {@link readDocument}. */
export interface ReadOptions {
  /** File path: gives the format by extension and appears in error messages. */
  path?: string;
  /** Overrides the format implied by the extension. */
  format?: SourceFormat;
  /** `auto` (default) detects UTF-8 or GB18030. */
  encoding?: 'utf-8' | 'gb18030' | 'auto';
}

const MARKDOWN_EXT = new Set(['.md', '.markdown', '.mdown', '.mkd']);
// Container formats need their own extractor; decoding them as text would only yield garbage.
const UNSUPPORTED_EXT = new Set(['.docx', '.doc', '.pdf', '.odt', '.rtf', '.xlsx', '.xls', '.pptx', '.ppt', '.zip', '.wps']);

/** Format implied by a path's extension: `.md`/`.markdown` → markdown, anything else (or none) → text. */
export function detectFormat(path: string | undefined): SourceFormat {
  if (path === undefined) return 'text';
  const ext = extensionOf(path);
  if (UNSUPPORTED_EXT.has(ext)) {
    throw new XunshiError(
      ERROR_CODES.INPUT_UNSUPPORTED,
      `${ext} files are not supported; convert the document to .txt or .md first`,
      { file: path },
    );
  }
  return MARKDOWN_EXT.has(ext) ? 'markdown' : 'text';
}

function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** Decode bytes and parse them: {@link decodeBytes} then {@link parseDocument}, format from the path unless given. */
export function readDocument(bytes: Uint8Array, options: ReadOptions = {}): DocumentModel {
  const format = options.format ?? detectFormat(options.path);
  const decodeOptions: { encoding?: 'utf-8' | 'gb18030' | 'auto'; path?: string } = {};
  if (options.encoding !== undefined) decodeOptions.encoding = options.encoding;
  if (options.path !== undefined) decodeOptions.path = options.path;
  const decoded = decodeBytes(bytes, decodeOptions);
  return parseDocument(decoded.text, { format, encoding: decoded.encoding, bom: decoded.bom });
}
