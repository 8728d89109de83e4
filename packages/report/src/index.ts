export * from './core.js';
export * from './html.js';
