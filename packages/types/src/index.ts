export * from './model.js';
export * from './errors.js';
export * from './resources.js';
export * from './text.js';
export * from './search.js';
