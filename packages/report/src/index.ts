export * from './summary.js';
export * from './corpus.js';
export * from './render.js';
