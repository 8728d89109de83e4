// The whole reader, with the Markdown and HTML parsers loaded on import so that the synchronous readers take every
// text format. `@xunshi/document/lean` (lean.ts) is the same API without them: its users await loadParsers(format).
import { registerParsers } from './parsers.js';
import * as parsers from './parsers-load.js';

registerParsers(parsers);

export * from './lean.js';
