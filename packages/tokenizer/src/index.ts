export * from './normalize.js';
export * from './segmenter.js';
