// The Markdown and HTML parsers, statically imported: `@xunshi/document` registers them on import, and `loadParsers`
// imports this module when a lean reader meets a format that needs them.
import type { Root as HastRoot } from 'hast';
import type { FormatParsers } from './parsers.js';
import { unified } from 'unified';
import type { Processor } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkCjkFriendly from 'remark-cjk-friendly';
import { fromParse5 } from 'hast-util-from-parse5';
import { defaultTreeAdapter, parse, parseFragment, type DefaultTreeAdapterMap, type ParserOptions } from 'parse5';
import { VFile } from 'vfile';
import { TooManyElements } from './parsers.js';

type Extensions = { transforms?: unknown[] } | Extensions[];

/**
 * Drop the tree transforms of the mdast extensions: remark-gfm's only one turns www./http:// text into links with a
 * regex pass over every text node that splices the parent's children per match, quadratic in the links of one
 * paragraph (1 MB of lines with links and no blank line: 6.5 s, 0.5 MB: 1.5 s). The Markdown reader only takes block
 * positions from the tree (links stay text in their units), so nothing is lost.
 */
function withoutTreeTransforms(this: Processor): void {
  const data = this.data() as Record<string, unknown>;
  const strip = (ext: Extensions): Extensions => (Array.isArray(ext) ? ext.map(strip) : { ...ext, transforms: [] });
  data.fromMarkdownExtensions = ((data.fromMarkdownExtensions ?? []) as Extensions[]).map(strip);
}

type Construct = { name?: string };
type MicromarkExtension = { text?: Record<string, Construct | Construct[]> } | MicromarkExtension[];

/**
 * Keep GFM's block constructs (tables, footnote definitions) and its task-list check, drop its other inline constructs
 * (footnote calls, strikethrough, autolink literals). The reader never uses inline nodes (it switches CommonMark's
 * off too), but a registered inline construct still cuts text into one data token per character that could start it,
 * even switched off; autolink literals register every ASCII letter and digit, and micromark merges a paragraph's data
 * tokens with a splice per line, so a long paragraph with figures on every line became quadratic (1 MB without a blank
 * line: 6.5 s, 0.5 MB 1.5 s, against 1 s and 0.5 s with CommonMark alone).
 */
function withoutGfmInline(this: Processor): void {
  const data = this.data() as Record<string, unknown>;
  const keep = (c: Construct): boolean => c.name === 'tasklistCheck';
  const strip = (ext: MicromarkExtension): MicromarkExtension => {
    if (Array.isArray(ext)) return ext.map(strip);
    if (!ext.text) return ext;
    const text: Record<string, Construct[]> = {};
    for (const [code, list] of Object.entries(ext.text)) {
      const kept = (Array.isArray(list) ? list : [list]).filter(keep);
      if (kept.length > 0) text[code] = kept;
    }
    const { insideSpan: _s, attentionMarkers: _a, ...rest } = ext as Record<string, unknown>;
    void _s;
    void _a;
    return { ...rest, text };
  };
  data.micromarkExtensions = ((data.micromarkExtensions ?? []) as MicromarkExtension[]).map(strip);
}

// GFM (tables, footnotes, task lists, strikethrough, autolink literals): what pandoc, markitdown and editors write.
export const markdown: FormatParsers['markdown'] = (options = {}) => {
  const processor = unified().use(remarkParse).use(remarkGfm).use(withoutGfmInline).use(withoutTreeTransforms);
  return (options.cjkFriendly ? processor.use(remarkCjkFriendly) : processor) as unknown as ReturnType<FormatParsers['markdown']>;
};

/**
 * HTML as rehype-parse reads it (hast-util-from-html: parse5 with source positions, scripting off, no parse errors
 * reported, then hast-util-from-parse5), with the elements parse5 makes counted. The page's start tags are bounded
 * before it is parsed, but parse5 re-creates the formatting elements left open (`<b>`, `<i>`, `<font>`: up to three of
 * each kind with the same attributes, any number of kinds) in every block that follows them: 480 unclosed `<b id=…>`
 * before 16,000 paragraphs (1.2 MB) made 7.7 million elements and ran the process out of memory after 92 s.
 */
export const html = (text: string, fragment: boolean, maxElements = Infinity): HastRoot => {
  let elements = 0;
  const treeAdapter = {
    ...defaultTreeAdapter,
    createElement(...args: Parameters<typeof defaultTreeAdapter.createElement>) {
      if (++elements > maxElements) throw new TooManyElements(maxElements);
      return defaultTreeAdapter.createElement(...args);
    },
  };
  const options: ParserOptions<DefaultTreeAdapterMap> = { sourceCodeLocationInfo: true, scriptingEnabled: false, treeAdapter };
  const tree = fragment ? parseFragment(text, options) : parse(text, options);
  return fromParse5(tree, { file: new VFile(text) }) as HastRoot;
};
