// The Markdown and HTML parsers, statically imported: `@xunshi/document` registers them on import, and `loadParsers`
// imports this module when a lean reader meets a format that needs them.
import type { Root as HastRoot } from 'hast';
import type { FormatParsers } from './parsers.js';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import rehypeParse from 'rehype-parse';

export const markdown: FormatParsers['markdown'] = () => unified().use(remarkParse) as unknown as ReturnType<FormatParsers['markdown']>;

export const html = (text: string, fragment: boolean): HastRoot => unified().use(rehypeParse, { fragment }).parse(text) as HastRoot;
