export * from './match.js';
export * from './tag.js';
export * from './examples.js';
