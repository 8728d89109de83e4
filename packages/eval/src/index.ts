export * from './analyzer.js';
export * from './score.js';
export * from './eval.js';
export * from './baseline.js';
export * from './fit.js';
export * from './suggest.js';
export * from './fit-category.js';
export * from './intervals.js';
