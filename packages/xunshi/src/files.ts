import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { ErrorEntry, Report, SourceFormat } from '@xunshi/types';
import { ERROR_CODES, SOURCE_FORMATS, XunshiError } from '@xunshi/types';
import { ANALYZER_OPTION_NAMES, ENCODINGS, checkAnalyzerOptions, checkLimitOptions, createAnalyzer, type AnalyzerOptions } from './analyzer.js';
import { DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT_SECONDS } from './limits.js';
import { runBatch } from './batch.js';
import { expandInputs, joinImageFolders } from './inputs.js';
import type { BatchSink } from './output.js';
import type { TaskSettings } from './task.js';

/** Options of {@link analyzeFiles}. */
export interface AnalyzeFilesOptions extends AnalyzerOptions {
  /**
   * Worker threads (default: available parallelism). With 1, one worker analyses two or more inputs, or a lone input
   * that is not text, Markdown, HTML or CSV, so that `timeout` can stop it; the calling thread analyses a lone text
   * input, and every input when `timeout` is 0.
   */
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

/** The options {@link analyzeFiles} takes. */
const FILES_OPTION_NAMES: readonly string[] = [...ANALYZER_OPTION_NAMES, 'jobs', 'encoding', 'formatIn', 'cwd', 'signal', 'maxSize', 'timeout', 'ocr', 'joinImages'];

/** One input's outcome: its Report, or the error entry that says why it was not analysed. */
export type FileResult = { path: string; report: Report } | { path: string; error: ErrorEntry };

/**
 * Analyse files, folders (recursively) and glob patterns with a pool of worker threads and call `onResult` once per
 * input, in input order, as soon as its turn comes; nothing holds all reports at once. Rule files are validated before
 * any input is read (a bad ruleset rejects with `XUNSHI_RULE_INVALID`); a bad input never stops the others. An error
 * `onResult` throws, or a rejection of a promise it returns, stops the batch, and analyzeFiles rejects with that very
 * error; the promises it returns are awaited before analyzeFiles resolves (results do not wait for them). Option names
 * it does not take are `XUNSHI_USAGE` errors, as wrong values are.
 */
export async function analyzeFiles(inputs: readonly string[], onResult: (result: FileResult) => void | Promise<unknown>, options: AnalyzeFilesOptions = {}): Promise<AnalyzeFilesResult> {
  const usage = (message: string): XunshiError => new XunshiError(ERROR_CODES.USAGE, message);
  if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string')) throw usage('analyzeFiles(inputs, onResult): inputs must be an array of paths (strings)');
  if (typeof onResult !== 'function') throw usage('analyzeFiles(inputs, onResult): onResult must be a function');
  checkAnalyzerOptions('analyzeFiles', options, FILES_OPTION_NAMES);
  for (const key of ['cwd', 'encoding', 'formatIn'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'string') throw usage(`analyzeFiles: options.${key} must be a string`);
  }
  // Checked here, not by each input's analysis: a wrong value failed every input with a message naming analyzeAsync.
  if (options.encoding !== undefined && !(ENCODINGS as readonly string[]).includes(options.encoding)) throw usage(`analyzeFiles: options.encoding must be one of ${ENCODINGS.join(', ')}, got ${JSON.stringify(options.encoding)}`);
  if (options.formatIn !== undefined && !SOURCE_FORMATS.includes(options.formatIn)) throw usage(`analyzeFiles: options.formatIn must be one of ${SOURCE_FORMATS.join(', ')}, got ${JSON.stringify(options.formatIn)}`);
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
  // The caller's callback is the caller's code: what it throws, or a promise it returns rejects with, stops the batch
  // and is what analyzeFiles rejects with, as it was thrown (it was an XUNSHI_OUTPUT_FAILED "cannot write output", and
  // an async callback's rejection went unhandled and ended the process). Its promises are awaited before resolving.
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();
  let failure: { error: unknown } | undefined;
  const pending: Promise<unknown>[] = [];
  const fail = (error: unknown): void => {
    failure ??= { error };
    stop.abort();
  };
  const deliver = (result: FileResult): void => {
    if (failure) return;
    let returned: unknown;
    try {
      returned = onResult(result);
    } catch (e) {
      fail(e);
      return;
    }
    if (returned !== null && typeof returned === 'object' && typeof (returned as PromiseLike<unknown>).then === 'function') {
      pending.push(Promise.resolve(returned).catch(fail));
    }
  };
  const sink: BatchSink = {
    writeReport: (index, _output, report) => {
      if (report) deliver({ path: expanded.inputs[index]!.path, report });
    },
    writeError: (entry) => deliver({ path: entry.path, error: entry }),
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
    signal: stop.signal,
  }).finally(() => options.signal?.removeEventListener('abort', onAbort));
  await Promise.all(pending);
  if (failure) throw failure.error;
  return { analysed: result.analysed, failed: result.failed, aborted: result.aborted };
}
