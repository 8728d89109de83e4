import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { dirname, posix, resolve, sep } from 'node:path';
import { listZipFile, readDocumentAsync, readZipFileEntry, type ZipEntry } from '@xunshi/document/lean';
import { ERROR_CODES, XunshiError, type Report, type SerializedError, type SourceFormat } from '@xunshi/types';
import { renderDocumentCsvRow, renderJson, renderJsonLine, renderPassageCsvRows } from '@xunshi/report/core';
import type { LabelTable } from '@xunshi/report';
import type { Analyzer, AnalyzerOptions, TaskAnalyzeOptions } from './analyzer.js';
import { TimeBudget, createControl, createTooLargeError } from './limits.js';
import { describeFileType } from './file-type.js';
import { PageDigest, digestBytes, fileUnchanged, type KeepCheck, type OutputStamp } from './incremental.js';

/** Output formats of `xunshi analyze`. */
export type OutputFormat = 'json' | 'jsonl' | 'csv' | 'summary' | 'html';

/** How each analysis is rendered; plain data so that it can be handed to worker threads. */
export interface TaskSettings {
  /** Options every analyzer of the batch is built with (rules paths absolute). */
  analyzer: AnalyzerOptions;
  format: OutputFormat;
  /** CSV granularity: one row per passage or per document. */
  per: 'passage' | 'document';
  encoding: 'auto' | 'utf-8' | 'gb18030' | 'big5';
  /** Input format forced for every input (`--format-in`); by default each input's magic bytes and extension decide. */
  formatIn?: SourceFormat;
  /** Subcategory columns of the per-document CSV, in taxonomy order. */
  subcategoryIds: string[];
  /** `--format html`: labels of the ruleset's taxonomy, and each input path's page name below the output folder. */
  html?: { labels: LabelTable; pages: Record<string, string> };
  /** Largest input in bytes (`--max-size`); a larger file is refused from its size, before it is read. */
  maxSize: number;
  /** Time budget of one input in seconds (`--timeout`), 0 for none. */
  timeout: number;
  /** `--ocr`: read PDF and OFD pages without text by OCR. */
  ocr?: boolean;
  /** With `ocr`: pages of one document read by OCR at once (the cores the batch leaves idle, see `ocrThreadsFor`). */
  ocrThreads?: number;
  /** In a worker pool: the pool's control block (`POOL_CONTROL` in limits.ts). */
  poolControl?: Int32Array;
  /**
   * An `--out` folder of reports (`--format json` or `html`): each result carries its {@link OutputStamp} (the input's
   * digest, the output's) for the folder's manifest.
   */
  stamp?: boolean;
}

/** One input to analyse; the file is read where the task runs so that bytes do not pile up in the main thread. */
export interface AnalysisTask {
  /** Path shown in the report (`source.path`) and in error entries. */
  path: string;
  /** Absolute path to read, or null when `bytes` are given (standard input). */
  absolute: string | null;
  /** The path to open as bytes, for a name that is not UTF-8 (see `BatchInput.raw`); read instead of `absolute`. */
  raw?: Uint8Array;
  bytes?: Uint8Array;
  /** A report inside a zip archive: read from the archive (see `BatchInput.archive`). */
  archive?: { file: string | Uint8Array; entry: ZipEntry };
  /** Shared control block of the batch's watchdog (see `CONTROL` in limits.ts); one of its own when absent. */
  control?: Int32Array;
  /** A report of image files, one a page (`--join-images`): each file, in page order, read where the task runs. */
  pages?: PageFile[];
}

/** One image file of a report read from several (see `BatchInput.pages`): where to read it and its name in the report. */
export interface PageFile {
  /** The file's name within the report's folder (`source.pageFiles`, messages). */
  name: string;
  /** Path shown for the file in its own messages. */
  path: string;
  absolute: string;
  raw?: Uint8Array;
  archive?: { file: string | Uint8Array; entry: ZipEntry };
}

/** What a task sends back: the rendered output (and, for the summary format, the Report), or a serialised error. */
export type TaskResult =
  | { ok: true; output: string; report?: Report; stamp?: OutputStamp }
  | { ok: false; error: SerializedError };

/** The result of an input whose report written before is kept (see {@link mayKeepReport}). */
export const KEPT: TaskResult = Object.freeze({ ok: true, output: '', stamp: Object.freeze({ kept: true }) }) as TaskResult;

/** Read the file of a task (not standard input's bytes), from its archive or the file system, within the size limit. */
function readTaskFile(task: AnalysisTask, maxSize: number): Uint8Array {
  return task.archive ? readZipFileEntry(task.archive.file, task.archive.entry, maxSize, task.path) : readRegularFile(task.raw ?? task.absolute ?? task.path, task.path, maxSize);
}

/** Read one page file of a `--join-images` report, within the size limit. */
function readPage(p: PageFile, maxSize: number): Uint8Array {
  return p.archive ? readZipFileEntry(p.archive.file, p.archive.entry, maxSize, p.path) : readRegularFile(p.raw ?? p.absolute, p.path, maxSize);
}

/**
 * Read one page file into `digest` (the manifest's digest of a `--join-images` report: every file's name and bytes,
 * or why it cannot be read, in page order); the bytes, or the read's error, as reading alone would give them.
 */
function readPageInto(digest: PageDigest, p: PageFile, maxSize: number): Uint8Array {
  try {
    const bytes = readPage(p, maxSize);
    digest.add(p.name, bytes);
    return bytes;
  } catch (e) {
    digest.add(p.name, undefined, toInputError(e, p.path).code);
    throw e;
  }
}

/**
 * `--incremental`: whether the report written before for `task`'s input, as `keep` describes it, may be kept (not
 * analysed again, not written): the input's digest (its bytes, or its page files') and the report file are still those
 * the folder's manifest records. The batch asks this in its own thread before it starts workers, so that a run which
 * keeps every report never loads a dictionary. False whenever the input cannot be read (its analysis says why).
 */
export function mayKeepReport(task: AnalysisTask, keep: KeepCheck, maxSize: number): boolean {
  let digest: string;
  if (task.pages) {
    const pages = new PageDigest();
    for (const p of task.pages) {
      try {
        readPageInto(pages, p, maxSize);
      } catch {
        // Named in the digest.
      }
    }
    digest = pages.digest();
  } else {
    // Standard input has no report of its own to keep.
    if (task.bytes || task.absolute === null) return false;
    try {
      digest = digestBytes(readTaskFile(task, maxSize));
    } catch {
      return false;
    }
  }
  return digest === keep.input && fileUnchanged(keep.file, keep.output);
}

/** Turn anything thrown while reading or analysing `path` into a XunshiError that names the file. */
export function toInputError(e: unknown, path: string): XunshiError {
  if (e instanceof XunshiError) {
    return e.file ? e : new XunshiError(e.code, e.message, { file: path, issues: e.issues, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) });
  }
  const err = e as NodeJS.ErrnoException;
  // The worker reached its heap limit on this input (a document whose reading or analysis takes gigabytes): the input is
  // too large for xunshi, which is no bug of xunshi's to report (it read "analysis failed: Worker terminated …").
  if (err?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, 'reading and analysing it ran out of memory (its worker thread reached its heap limit and was replaced); split the document, or check that it is a report', { file: path });
  }
  if (err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
    const reason = err.code === 'EISDIR' ? 'it is a folder' : err.code === 'ENOENT' ? 'no such file (or a dangling link)' : err.code === 'EACCES' ? 'permission denied' : err.message;
    return new XunshiError(ERROR_CODES.INPUT_UNREADABLE, `cannot read input: ${reason} (${err.code})`, { file: path });
  }
  return new XunshiError(ERROR_CODES.INTERNAL, `analysis failed: ${err?.message ?? String(e)}`, { file: path });
}

/**
 * Open a regular file for reading, with its size. It is opened non-blocking (opening a FIFO for reading would otherwise
 * wait for a writer) and checked with fstat on the open descriptor, so nothing can swap the file between the check and
 * the read; a FIFO, a device (a link to /dev/zero reads without end) or a socket is refused with INPUT_NOT_REGULAR
 * before any byte is read. The caller closes the descriptor.
 */
function openRegularFile(absolute: string | Uint8Array, path: string): { fd: number; size: number } {
  // A path as bytes comes from a worker's message as a plain Uint8Array: a Buffer over the same bytes opens it.
  const name = typeof absolute === 'string' ? absolute : Buffer.from(absolute.buffer, absolute.byteOffset, absolute.byteLength);
  const fd = openSync(name, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    // BigInt stats: a plain stat of a FIFO or socket stays in the process-wide buffer that Node's realpathSync reads, and
    // the next module it resolves (a lazily imported renderer or glob library) is then not found (nodejs/node#51142).
    const stats = fstatSync(fd, { bigint: true });
    if (!stats.isFile()) {
      if (stats.isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
      throw new XunshiError(ERROR_CODES.INPUT_NOT_REGULAR, `cannot read input: it is ${describeFileType(stats)}, not a regular file; only regular files are read (use - for standard input)`, { file: path });
    }
    return { fd, size: Number(stats.size) };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** Read a regular file whole (see {@link openRegularFile}); a file over `maxSize` is refused from its size, unread. */
export function readRegularFile(absolute: string | Uint8Array, path: string, maxSize = Infinity): Buffer {
  const { fd, size } = openRegularFile(absolute, path);
  try {
    // From the size of the open file, before a byte is read: an oversized input costs nothing.
    if (size > maxSize) throw createTooLargeError(size, maxSize, path, 'the file');
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The first `bytes` bytes of a regular file (fewer when it is shorter), opened as {@link readRegularFile} opens it. */
export function readRegularFileHead(absolute: string | Uint8Array, path: string, bytes: number): Buffer {
  const { fd } = openRegularFile(absolute, path);
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The files under a web page's folder that its pictures name, read as regular files within the size limit (a path
 * that climbs out, through a link too, or a file that cannot be read gives nothing).
 */
export function pageResources(page: string, maxSize: number): (path: string) => Uint8Array | undefined {
  const folder = dirname(resolve(page));
  let realFolder: string | undefined;
  return (path) => {
    const full = resolve(folder, path);
    if (!full.startsWith(folder + sep)) return undefined;
    try {
      const real = realpathSync(full);
      realFolder ??= realpathSync(folder);
      if (!real.startsWith(realFolder + sep)) return undefined;
      return readRegularFile(real, path, maxSize);
    } catch {
      return undefined;
    }
  };
}

/**
 * The entries under a web page's folder in the zip archive that holds it (a saved page zipped with its `NAME_files/`),
 * read within the size limit; the archive is listed once, when a picture is first asked for.
 */
export function archivePageResources(archive: string | Uint8Array, page: ZipEntry, maxSize: number, display: string): (path: string) => Uint8Array | undefined {
  const folder = posix.dirname(page.name.replace(/\\/g, '/'));
  let entries: Map<string, ZipEntry> | undefined;
  return (path) => {
    try {
      entries ??= new Map(listZipFile(archive, display).map((e) => [posix.normalize(e.name.replace(/\\/g, '/')), e]));
      const entry = entries.get(posix.normalize(folder === '.' ? path : `${folder}/${path}`));
      return entry ? readZipFileEntry(archive, entry, maxSize, display) : undefined;
    } catch {
      return undefined;
    }
  };
}

/** Render one report in the batch's output format (empty for the summary format, which gets the Report itself). */
export function renderForFormat(report: Report, settings: TaskSettings): string {
  switch (settings.format) {
    case 'json':
      return renderJson(report);
    case 'jsonl':
      return renderJsonLine(report);
    case 'csv':
      return settings.per === 'document' ? renderDocumentCsvRow(report, settings.subcategoryIds) : renderPassageCsvRows(report);
    case 'summary':
      return '';
    case 'html':
      // Pages need the text between passages and the HTML renderer, loaded on demand: runAnalysisTask renders them.
      throw new XunshiError(ERROR_CODES.INTERNAL, 'html pages are rendered by runAnalysisTask');
  }
}

/**
 * Read and analyse one input with `analyzer` and render it; never rejects: every failure comes back as a serialised
 * XunshiError (INPUT_UNREADABLE for file-system errors, the readers' own codes, INTERNAL for anything else).
 * Asynchronous because Word and PDF extraction are; it runs in a worker thread (or the main thread with one job).
 */
export async function runAnalysisTask(analyzer: Analyzer, task: AnalysisTask, settings: TaskSettings): Promise<TaskResult> {
  try {
    // The budget starts now (the watchdog sees STARTED): time spent queued for a worker does not count.
    const budget = new TimeBudget(settings.timeout, task.path, task.control ?? createControl());
    if (task.pages) {
      const digest = settings.stamp ? new PageDigest() : undefined;
      // Each file read when its turn comes, within the size limit: a folder of photographs is never held whole. The
      // reader reads each file once, in order: it feeds the manifest's digest as it goes.
      const files = task.pages.map((p) => ({ name: p.name, read: () => (digest ? readPageInto(digest, p, settings.maxSize) : readPage(p, settings.maxSize)) }));
      const report = await analyzer.analyzeImageFilesAsync(files, { path: task.path, maxSize: settings.maxSize, budget, ...(settings.ocr ? { ocr: true } : {}), ...(settings.ocrThreads ? { ocrThreads: settings.ocrThreads } : {}) } as TaskAnalyzeOptions);
      budget.check();
      return await renderTaskReport(report, settings, task, report.source.text!, digest?.digest());
    }
    const bytes = task.bytes ?? readTaskFile(task, settings.maxSize);
    const options = {
      ...(task.absolute === null ? {} : { path: task.path }),
      encoding: settings.encoding,
      ...(settings.formatIn ? { format: settings.formatIn } : {}),
    };
    // A web page read from a file, or from a zip archive, may show its report as pictures in its folder (`NAME_files/`).
    const file = task.bytes || task.archive ? undefined : (task.raw ?? task.absolute ?? undefined);
    const found = task.archive ? archivePageResources(task.archive.file, task.archive.entry, settings.maxSize, task.path) : typeof file === 'string' ? pageResources(file, settings.maxSize) : undefined;
    // A page that looked for pictures beside it depends on files its digest does not cover: its report is never kept.
    let lookedBeside = false;
    const resources = found && ((path: string) => ((lookedBeside = true), found(path)));
    const analyzeOptions: TaskAnalyzeOptions = { ...options, maxSize: settings.maxSize, budget, ...(settings.ocr ? { ocr: true } : {}), ...(settings.ocrThreads ? { ocrThreads: settings.ocrThreads } : {}), ...(resources ? { resources } : {}) };
    const report = await analyzer.analyzeAsync(bytes, analyzeOptions);
    budget.check();
    // The text between passages (spaces, line breaks, Markdown markers): the report carries it for extracted formats
    // (source.text); a text or Markdown file is read again.
    // Standard input has no report file of its own to keep.
    const input = settings.stamp && task.absolute !== null && !lookedBeside ? report.source.sha256 : undefined;
    return await renderTaskReport(report, settings, task, report.source.text ?? (settings.format === 'html' ? (await readDocumentAsync(bytes, options)).text : ''), input);
  } catch (e) {
    return { ok: false, error: toInputError(e, task.path).toJSON() };
  }
}

/**
 * A task's report rendered in the batch's format (`text`: the source text, which an HTML page shows between passages),
 * stamped with `input` (the input's digest) and the output's digest when given.
 */
async function renderTaskReport(report: Report, settings: TaskSettings, task: AnalysisTask, text: string, input?: string): Promise<TaskResult> {
  const result = await renderTaskOutput(report, settings, task, text);
  if (input !== undefined && result.ok) result.stamp = { input, output: digestBytes(result.output), format: report.source.format };
  return result;
}

async function renderTaskOutput(report: Report, settings: TaskSettings, task: AnalysisTask, text: string): Promise<TaskResult> {
  if (settings.format === 'summary') return { ok: true, output: '', report };
  if (settings.format === 'html') {
    // The index needs only the counts: the page goes back rendered, the report without its passages.
    const page = settings.html?.pages[task.path];
    const indexHref = page === undefined ? undefined : `${'../'.repeat(page.split('/').length - 1)}index.html`;
    // The HTML renderer (hastscript, hast-util-to-html) is loaded by the runs that write pages only.
    const { renderOwnDocumentHtml } = await import('@xunshi/report');
    const output = renderOwnDocumentHtml(report, { text, ...(settings.html ? { labels: settings.html.labels } : {}), ...(indexHref ? { indexHref } : {}) });
    return { ok: true, output, report: { ...report, passages: [] } };
  }
  return { ok: true, output: renderForFormat(report, settings) };
}
