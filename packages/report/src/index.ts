export * from './summary.js';
export * from './fact-totals.js';
export * from './corpus.js';
export * from './render.js';
export * from './csv.js';
export * from './schema.js';
export * from './html.js';
