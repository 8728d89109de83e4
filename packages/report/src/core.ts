// Everything of the package but the HTML pages (hastscript, hast-util-to-html): what analysis and the text outputs
// need. `@xunshi/report` is this plus `html.js`.
export * from './summary.js';
export * from './fact-totals.js';
export * from './corpus.js';
export * from './render.js';
export * from './csv.js';
export * from './schema.js';
