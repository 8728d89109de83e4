import type { Root as HastRoot } from 'hast';
import { ERROR_CODES, XunshiError, type SourceFormat } from '@xunshi/types';

/** The Markdown and HTML parsers (unified with remark-parse / rehype-parse), which only those formats need. */
export interface FormatParsers {
  /**
   * A new remark processor (`unified().use(remarkParse).use(remarkGfm)`), configured by its caller; `cjkFriendly` adds
   * remark-cjk-friendly, which lets `**` open and close next to Chinese punctuation (`**一、**总体情况`).
   */
  markdown: (options?: { cjkFriendly?: boolean }) => { data(key: string, value: unknown): unknown; parse(text: string): unknown };
  /**
   * Parse HTML (a page, or a fragment such as mammoth's output) into a hast tree, as rehype-parse does; past
   * `maxElements` elements made (the parser's own count: it re-creates unclosed formatting elements, `<b>` and `<i>`, in
   * each block after them) it throws {@link TooManyElements}.
   */
  html: (html: string, fragment: boolean, maxElements?: number) => HastRoot;
}

/** The HTML parser made more elements than it was allowed (see {@link FormatParsers.html}). */
export class TooManyElements extends Error {
  constructor(readonly limit: number) {
    super(`the HTML parser made more than ${limit} elements`);
  }
}

const loaded: Partial<FormatParsers> = {};

/** Make parsers available to the synchronous readers (`@xunshi/document` does so for both when it is imported). */
export function registerParsers(parsers: Partial<FormatParsers>): void {
  Object.assign(loaded, parsers);
}

/** The parser for `kind`; an internal error when neither `@xunshi/document` nor {@link loadParsers} loaded it. */
export function getParser<K extends keyof FormatParsers>(kind: K): FormatParsers[K] {
  const parser = loaded[kind];
  if (!parser) {
    throw new XunshiError(ERROR_CODES.INTERNAL, `the ${kind} parser is not loaded: import "@xunshi/document" (not "@xunshi/document/lean"), or await loadParsers() first`);
  }
  return parser;
}

/**
 * Load the parsers a format needs (Markdown: remark; HTML and docx: rehype), once: what `@xunshi/document/lean` users
 * (the CLI) call before reading, so that a run over `.txt` files never loads unified, micromark or parse5.
 */
export async function loadParsers(format: SourceFormat): Promise<void> {
  const need = format === 'markdown' ? 'markdown' : format === 'html' || format === 'mhtml' || format === 'docx' || format === 'odt' ? 'html' : undefined;
  if (need === undefined || loaded[need]) return;
  registerParsers(await import('./parsers-load.js'));
}
