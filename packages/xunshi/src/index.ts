// The library entry: the synchronous analyze() reads Markdown and HTML too, so the document reader comes with its
// parsers (the CLI imports the analyzer without them and loads them per format).
import '@xunshi/document';
// Named, not `export *`: analyzer.ts also exports the checks analyzeFiles shares with it, which are no part of the API.
export { analyze, analyzeAsync, createAnalyzer, getLabels } from './analyzer.js';
export type { Analyzer, AnalyzerModels, AnalyzerOptions, AnalyzeOptions, CategoryCandidatesOptions, TaskAnalyzeOptions, UnitCategoryCandidate, UnitCategoryCandidates, UnitFeatures } from './analyzer.js';
export * from './files.js';
export type * from '@xunshi/types';
export { XunshiError, ERROR_CODES } from '@xunshi/types';
export { REPORT_SCHEMA } from '@xunshi/report';
export { renderDocumentHtml, renderIndexHtml, type DocumentHtmlOptions, type HtmlIndexEntry, type IndexDocument, type IndexHtmlOptions } from '@xunshi/report';
export { DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT_SECONDS } from './limits.js';
export { getBuildIdentity } from './build-identity.js';
