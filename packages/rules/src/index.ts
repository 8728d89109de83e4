export * from './automaton.js';
export * from './schema.js';
export * from './load.js';
export * from './kinds/index.js';
export { hashCompiledCode, makeFolderSync } from './cache.js';
