export * from './analyzer.js';
export * from './score.js';
export * from './eval.js';
export * from './baseline.js';
export * from './files.js';
export type * from '@xunshi/types';
export { XunshiError, ERROR_CODES, formatError } from '@xunshi/types';
export { REPORT_SCHEMA } from '@xunshi/report';
export { renderDocumentHtml, renderIndexHtml, type DocumentHtmlOptions, type HtmlIndexEntry, type IndexDocument, type IndexHtmlOptions } from '@xunshi/report';
