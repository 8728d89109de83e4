import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ErrorEntry, Report, SourceFormat } from '@xunshi/types';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { checkAnalyzerOptions, checkLimitOptions, createAnalyzer, type AnalyzerOptions } from './analyzer.js';
import { DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT_SECONDS } from './limits.js';
import { runBatch } from './batch.js';
import { expandInputs, joinImageFolders } from './inputs.js';
import type { BatchSink } from './output.js';
import type { TaskSettings } from './task.js';

/** Options of {@link analyzeFiles}. */
export interface AnalyzeFilesOptions extends AnalyzerOptions {
  /** Worker threads (default: available parallelism); with 1 the calling thread analyses. */
  jobs?: number;
  encoding?: 'auto' | 'utf-8' | 'gb18030' | 'big5';
  /** Read every input as this format (default: each input's magic bytes and extension decide). */
  formatIn?: SourceFormat;
  /** Folder that relative inputs are resolved against (default: the process's working folder). */
  cwd?: string;
  /**
   * Aborting stops dispatching, lets the documents in flight finish for a moment and terminates the workers; the
   * promise then resolves with `aborted: true` (inputs not reached get no result).
   */
  signal?: AbortSignal;
  /** Largest input in bytes (default 20 MiB); a larger file is an `XUNSHI_INPUT_TOO_LARGE` entry, never read. */
  maxSize?: number;
  /**
   * Time budget of each input in seconds (default 120; 0 for none), grown by 30 s for each page read by OCR (at most
   * ten times itself): past it the input is an `XUNSHI_INPUT_TIMEOUT` entry, and a worker thread that does not give up
   * by itself is terminated and replaced.
   */
  timeout?: number;
  /** Read PDF and OFD pages that have no text (scans), and image files, by OCR (see `AnalyzeOptions.ocr`); folders' images are taken only with it. */
  ocr?: boolean;
  /**
   * With `ocr`: the images of each folder (or folder of a zip archive) are the pages of one report, named by the folder
   * (`photos/`), in the order of the numbers in their names (IMG_2 before IMG_10); its `source.pageFiles` names the file
   * of each page. The time budget is the report's.
   */
  joinImages?: boolean;
}

/** What {@link analyzeFiles} resolves with: inputs analysed and failed, and whether the signal cut the batch short. */
export interface AnalyzeFilesResult {
  analysed: number;
  failed: number;
  /** True when `signal` stopped the batch before every input had its result. */
  aborted: boolean;
}

/** One input's outcome: its Report, or the error entry that says why it was not analysed. */
export type FileResult = { path: string; report: Report } | { path: string; error: ErrorEntry };

/**
 * Analyse files, folders (recursively) and glob patterns with a pool of worker threads and call `onResult` once per
 * input, in input order, as soon as its turn comes; nothing holds all reports at once. Rule files are validated before
 * any input is read (a bad ruleset rejects with `XUNSHI_RULE_INVALID`); a bad input never stops the others.
 */
export async function analyzeFiles(inputs: readonly string[], onResult: (result: FileResult) => void, options: AnalyzeFilesOptions = {}): Promise<AnalyzeFilesResult> {
  const usage = (message: string): XunshiError => new XunshiError(ERROR_CODES.USAGE, message);
  if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string')) throw usage('analyzeFiles(inputs, onResult): inputs must be an array of paths (strings)');
  if (typeof onResult !== 'function') throw usage('analyzeFiles(inputs, onResult): onResult must be a function');
  checkAnalyzerOptions('analyzeFiles', options);
  for (const key of ['cwd', 'encoding', 'formatIn'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') throw usage(`analyzeFiles: options.${key} must be a string`);
  }
  if (options.ocr !== undefined && typeof options.ocr !== 'boolean') throw usage('analyzeFiles: options.ocr must be a boolean');
  if (options.joinImages !== undefined && typeof options.joinImages !== 'boolean') throw usage('analyzeFiles: options.joinImages must be a boolean');
  if (options.joinImages && !options.ocr) throw usage('analyzeFiles: options.joinImages reads images as the pages of a report by OCR: set options.ocr too');
  if (options.jobs !== undefined && (!Number.isInteger(options.jobs) || options.jobs < 1)) throw usage(`analyzeFiles: options.jobs must be a positive integer, got ${JSON.stringify(options.jobs)}`);
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw usage('analyzeFiles: options.signal must be an AbortSignal');
  checkLimitOptions('analyzeFiles', options as Record<string, unknown>);
  const analyzerOptions: AnalyzerOptions = {};
  if (options.rules !== undefined) analyzerOptions.rules = (Array.isArray(options.rules) ? options.rules : [options.rules]).map((r) => resolve(options.cwd ?? '.', r));
  if (options.extendRules) analyzerOptions.extendRules = true;
  const analyzer = createAnalyzer(analyzerOptions);
  const walked = await expandInputs(inputs, { ...(options.cwd ? { cwd: options.cwd } : {}), ...(options.formatIn ? { anyExtension: true } : {}), ...(options.ocr ? { images: true } : {}) });
  const expanded = options.joinImages ? { ...walked, inputs: joinImageFolders(walked.inputs) } : walked;
  const settings: TaskSettings = {
    analyzer: analyzerOptions,
    format: 'summary',
    per: 'passage',
    encoding: options.encoding ?? 'auto',
    ...(options.formatIn ? { formatIn: options.formatIn } : {}),
    subcategoryIds: analyzer.ruleset.taxonomy.categories.flatMap((c) => c.subcategories.map((s) => s.id)),
    maxSize: options.maxSize ?? DEFAULT_MAX_SIZE,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    ...(options.ocr ? { ocr: true } : {}),
  };
  const sink: BatchSink = {
    writeReport: (index, _output, report) => {
      if (report) onResult({ path: expanded.inputs[index]!.path, report });
    },
    writeError: (entry) => onResult({ path: entry.path, error: entry }),
    finish: () => {},
    abort: () => {},
    interrupt: () => {},
  };
  const result = await runBatch({
    inputs: expanded.inputs,
    settings,
    jobs: options.jobs ?? availableParallelism(),
    analyzer,
    sink,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { analysed: result.analysed, failed: result.failed, aborted: result.aborted };
}
