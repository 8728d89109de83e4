import { readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ERROR_CODES, XunshiError, type SourceFormat } from '@xunshi/types';
import { escapeForTerminal } from '@xunshi/report/core';
import { formatError } from './format-error.js';
import { createAnalyzer, rulesOptionsOf } from './analyzer.js';
import { POOL_V8_FLAGS, runBatch } from './batch.js';
import { IMAGE_EXTENSIONS, STDIN_PATH, SUPPORTED_EXTENSIONS, expandInputs, getExtension, joinImageFolders, parseFileList, type BatchInput } from './inputs.js';
import { ERRORS_FILE, HTML_INDEX_FILE, assignJsonOutputNames, assignOutputNames, createHtmlFolderSink, createJsonFolderSink, createStreamSink, createStreamTarget, createSummarySink, openAtomicFile, resolveOutputFile, toOutputError, type BatchSink, type TextTarget } from './output.js';
import { createProgress } from './progress.js';
import { getBuildIdentity } from './build-identity.js';
import { MANIFEST_FILE, ManifestWriter, manifestKey, mayKeep, readManifest, type KeepCheck, type ReadManifest } from './incremental.js';
import type { OutputFormat, TaskSettings } from './task.js';
import { DEFAULT_MAX_SIZE, DEFAULT_TIMEOUT_SECONDS, createTooLargeError, parseSize } from './limits.js';

/** Options of `xunshi analyze` as commander parses them. */
export interface AnalyzeCliOptions {
  format: OutputFormat;
  out?: string;
  per?: 'passage' | 'document';
  /** Raw `--jobs` value; checked here so that a bad value is a usage error. */
  jobs?: string;
  filesFrom?: string;
  quiet?: boolean;
  rules?: string[];
  extendRules?: boolean;
  encoding: 'auto' | 'utf-8' | 'gb18030' | 'big5';
  /** `--format-in`: read every input as this format instead of sniffing bytes and extension. */
  formatIn?: SourceFormat;
  /** Raw `--max-size` value (bytes, or with a unit: 500K, 50M, 1G). */
  maxSize?: string;
  /** Raw `--timeout` value (seconds; 0 for none). */
  timeout?: string;
  /** `--ocr`: read PDF and OFD pages that have no text (scans) by OCR. */
  ocr?: boolean;
  /** `--join-images`: each folder's images are the pages of one report (needs `--ocr`). */
  joinImages?: boolean;
  /** `--incremental`: keep the reports of the `--out` folder whose inputs are unchanged (see incremental.ts). */
  incremental?: boolean;
}

/** What `runAnalyzeCommand` needs from the outside world (the CLI's injectable I/O). */
export interface AnalyzeIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  progressStream?: NodeJS.WritableStream & { isTTY?: boolean };
  readStdin?: () => Promise<Uint8Array>;
  /** `stdout` writes to a terminal: with no `--out`, the reports go there and no bar is drawn over them. */
  stdoutIsTerminal?: boolean;
  /** Columns of that terminal: the summary printed there is fitted into them. */
  stdoutColumns?: number;
}

/** Exit codes of an interrupted batch: 128 + the signal number, as shells report them. */
const SIGNAL_EXIT: Record<'SIGHUP' | 'SIGINT' | 'SIGTERM' | 'SIGPIPE', number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143, SIGPIPE: 141 };

function createUsageError(message: string): XunshiError {
  return new XunshiError(ERROR_CODES.USAGE, message);
}

/** Standard input, read up to `limit` bytes and one more (so that an oversized input is seen as one): never unbounded. */
async function readProcessStdin(limit = Infinity): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks);
}

function parseMaxSize(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_MAX_SIZE;
  const bytes = parseSize(raw);
  if (bytes === undefined) throw createUsageError(`--max-size expects a size in bytes, optionally with a unit (500K, 50M, 1G), got "${raw}"`);
  return bytes;
}

function parseTimeout(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_TIMEOUT_SECONDS;
  if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw createUsageError(`--timeout expects a number of seconds (0 for none), got "${raw}"`);
  return Number(raw);
}

/**
 * The warning for a `--jobs` above the machine's cores: each worker thread has its own segmenter and rules (120–175 MiB
 * a worker in `pnpm bench`), so workers beyond the cores add memory and no speed. Undefined when fine.
 */
export function jobsWarning(jobs: number, inputs: number, cores: number): string | undefined {
  const workers = Math.min(jobs, inputs);
  if (workers <= cores) return undefined;
  return `xunshi: --jobs ${jobs} starts ${workers} worker threads on a machine with ${cores} core(s); each takes its own memory, so more than ${cores} add memory, not speed\n`;
}

/** Why `--incremental` keeps no report of the folder `out`. */
function keptNone(why: 'missing' | 'unreadable' | 'other-key', out: string): string {
  if (why === 'missing') return `${out} holds no record of an earlier run (${MANIFEST_FILE})`;
  if (why === 'unreadable') return `the record of ${out}'s earlier run (${MANIFEST_FILE}) does not read back`;
  return `${out}'s reports were written by another build of xunshi, with other rules, or with another --format, --encoding or --format-in`;
}

function parseJobs(raw: string | undefined): number {
  if (raw === undefined) return availableParallelism();
  // White space around the figure is read past, as --max-size and --timeout read it (a quoted " 2" from a script).
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw createUsageError(`--jobs expects a positive whole number, got "${raw}"`);
  return Number(raw);
}

function isDirectory(path: string): boolean | undefined {
  try {
    return statSync(path, { bigint: true }).isDirectory();
  } catch {
    return undefined;
  }
}

function checkOptions(specs: readonly string[], opts: AnalyzeCliOptions): void {
  if (opts.per !== undefined && opts.format !== 'csv') throw createUsageError(`--per applies to --format csv only (format is ${opts.format})`);
  if (specs.length === 0 && opts.filesFrom === undefined) {
    throw createUsageError('no inputs: name files, folders, glob patterns, - for standard input, or use --files-from LIST');
  }
  if (specs.filter((s) => s === STDIN_PATH).length + (opts.filesFrom === STDIN_PATH ? 1 : 0) > 1) {
    throw createUsageError(
      opts.filesFrom === STDIN_PATH
        ? 'standard input (-) can be read only once: as an input or as the --files-from list, not both'
        : 'standard input (-) is named more than once: it can be read only once',
    );
  }
  if (opts.format === 'html' && opts.out === undefined) throw createUsageError('--format html writes a folder of pages: give it with --out DIR');
  if (opts.joinImages && !opts.ocr) throw createUsageError('--join-images reads images as the pages of a report by OCR: give --ocr too');
  if (opts.incremental && ((opts.format !== 'json' && opts.format !== 'html') || opts.out === undefined)) {
    throw createUsageError(`--incremental keeps the reports an --out folder already holds: give --format json or --format html with --out DIR (format is ${opts.format}${opts.out === undefined ? ', no --out' : ''})`);
  }
  if (opts.out === undefined) return;
  const out = resolve(opts.out);
  const dir = isDirectory(out);
  if (opts.format === 'json' || opts.format === 'html') {
    if (dir === false) throw createUsageError(`--format ${opts.format} --out expects a folder, but ${opts.out} is a file`);
  } else {
    if (dir === true) throw createUsageError(`--format ${opts.format} --out expects a file, but ${opts.out} is a folder`);
    if (isDirectory(dirname(out)) !== true) throw createUsageError(`cannot write ${opts.out}: folder ${dirname(opts.out)} does not exist`);
    try {
      resolveOutputFile(out);
    } catch (e) {
      throw createUsageError(`--out: ${(e as Error).message}`);
    }
  }
}

/** Device and inode of an existing file, as a key; undefined when it does not exist (or cannot be looked at). */
function fileIdentity(path: string): string | undefined {
  try {
    const stats = statSync(path, { bigint: true });
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Refuse, before anything is read, an output file that is one of the inputs: writing it would destroy that input. The
 * same file is the same path, or (when both exist) the same device and inode, so a link to an input counts too. Each
 * input and each target is looked at once (a folder of thousands of inputs and as many pages compared every target with
 * every input: 2,000 inputs spent 47 s in stat before the first was read).
 */
export function checkNoOutputIsAnInput(targets: readonly string[], inputs: readonly BatchInput[]): void {
  const byPath = new Map<string, BatchInput>();
  const byIdentity = new Map<string, BatchInput>();
  // A report of image files (--join-images): none of its files may be overwritten.
  for (const input of inputs.flatMap((i) => i.pages ?? [i])) {
    if (input.absolute === null) continue;
    // A report inside an archive: the file that must not be overwritten is the archive.
    const file = input.archive ? input.archive.file : input.absolute;
    if (typeof file !== 'string') continue;
    if (!byPath.has(file)) byPath.set(file, input);
    const id = fileIdentity(file);
    if (id !== undefined && !byIdentity.has(id)) byIdentity.set(id, input);
  }
  for (const target of targets) {
    const id = byPath.has(target) ? undefined : fileIdentity(target);
    const clash = byPath.get(target) ?? (id === undefined ? undefined : byIdentity.get(id));
    if (clash) throw createUsageError(`--out would overwrite the input ${clash.path} (output file ${target}); choose an output path that is not one of the inputs`);
  }
}

async function readFileList(path: string, io: AnalyzeIo): Promise<(string | Uint8Array)[]> {
  try {
    const bytes = path === STDIN_PATH ? await (io.readStdin ?? readProcessStdin)() : readFileSync(path);
    // A list separated by NUL characters (find -print0): no path holds one, and a line would run over several names.
    if (bytes.includes(0)) throw createUsageError(`--files-from list ${path} holds NUL characters (a find -print0 list?): it takes one path per line`);
    return parseFileList(bytes);
  } catch (e) {
    if (e instanceof XunshiError) throw e;
    throw createUsageError(`cannot read --files-from list ${path}: ${(e as Error).message}`);
  }
}

/** The extensions a folder walk takes: the documents', and with `--ocr` the images'. */
function readExtensions(ocr: boolean | undefined): string {
  // Zip archives of them are read too, and so are images with --ocr: the list names every kind a folder is searched for.
  return [...SUPPORTED_EXTENSIONS, '.zip', ...(ocr ? IMAGE_EXTENSIONS : [])].join(', ');
}

/** When images were among the files skipped: how to read them (without `--ocr`), or why they were not (with it). */
function imagesHint(ocr: boolean | undefined, skipped: readonly string[]): string {
  const images = skipped.filter((p) => IMAGE_EXTENSIONS.includes(getExtension(p))).length;
  if (images === 0) return '';
  // With --ocr, the images a walk skips are those of saved web pages (a page's `_files` folder).
  if (ocr) return `; ${images} of them are pictures of saved web pages (in a page's _files folder), not read`;
  return `; ${images} of them are images (${IMAGE_EXTENSIONS.join(', ')}): --ocr reads the PNG, JPEG, BMP, TIFF, GIF, WebP and HEIC ones`;
}

/**
 * Run `xunshi analyze`: check options, compile the rules (in this thread, before any input is read), expand the inputs,
 * analyse them in a worker pool and write the results in input order. Resolves to the exit code: 0 when every input was
 * analysed, 1 when some failed, 130/143 when interrupted; throws XunshiError USAGE or RULE_INVALID (exit 2) before
 * anything is analysed.
 */
export async function runAnalyzeCommand(specs: string[], opts: AnalyzeCliOptions, io: AnalyzeIo): Promise<number> {
  // `--out -` is standard output, as the input `-` is standard input (it wrote a file named '-'); `./-` names that file.
  if (opts.out === STDIN_PATH) {
    const { out: _stdout, ...rest } = opts;
    opts = rest;
  }
  checkOptions(specs, opts);
  const jobs = parseJobs(opts.jobs);
  const maxSize = parseMaxSize(opts.maxSize);
  const timeout = parseTimeout(opts.timeout);
  // Absolute, so that worker threads resolve the same folders whatever their working directory.
  const analyzerOptions = rulesOptionsOf(opts, true);
  const analyzer = createAnalyzer(analyzerOptions);

  const listed = opts.filesFrom === undefined ? undefined : await readFileList(opts.filesFrom, io);
  // An --out folder inside a folder given as input is not walked: its pages or reports are this command's output.
  const outFolder = (opts.format === 'html' || opts.format === 'json') && opts.out !== undefined ? { skipFolder: resolve(opts.out) } : {};
  const { inputs: expanded, skipped, skippedInArchives, linkedFolders, outputFolders, duplicates } = await expandInputs(specs, { ...(listed ? { listed } : {}), ...(opts.formatIn ? { anyExtension: true } : {}), ...(opts.ocr ? { images: true } : {}), ...outFolder });
  // With --join-images, each folder's images are one report.
  const inputs = opts.joinImages ? joinImageFolders(expanded) : expanded;
  if (inputs.length === 0) {
    throw createUsageError(`no inputs to analyse: the folders and lists given hold no ${readExtensions(opts.ocr)} files${imagesHint(opts.ocr, skipped)}`);
  }
  // A JSON document holds one report: several on standard output would be concatenated documents, not JSON.
  if (opts.format === 'json' && opts.out === undefined && inputs.length > 1) {
    throw createUsageError(`--format json prints one report; ${inputs.length} inputs need --format jsonl (one report per line) or --out DIR (one file per input)`);
  }
  if (duplicates.length && !opts.quiet) {
    const shown = escapeForTerminal(duplicates.slice(0, 5).join(', ')) + (duplicates.length > 5 ? ', …' : '');
    io.stderr(`xunshi: ${duplicates.length} input(s) named more than once were analysed once: ${shown}\n`);
  }
  if (skipped.length && !opts.quiet) {
    io.stderr(`xunshi: skipped ${skipped.length} file(s) in folders that are not ${readExtensions(opts.ocr)} or .zip archives of them (first: ${escapeForTerminal(skipped[0]!)}); name them explicitly to get error entries${imagesHint(opts.ocr, skipped)}\n`);
  }
  // An archive's entries cannot be named: the message says what to do instead.
  if (skippedInArchives.length && !opts.quiet) {
    io.stderr(`xunshi: skipped ${skippedInArchives.length} entr${skippedInArchives.length === 1 ? 'y' : 'ies'} of zip archives that are not ${readExtensions(opts.ocr)} (archives inside archives are not opened; first: ${escapeForTerminal(skippedInArchives[0]!)}); extract the archive to look at them${imagesHint(opts.ocr, skippedInArchives)}\n`);
  }
  const tooMany = opts.quiet ? undefined : jobsWarning(jobs, inputs.length, availableParallelism());
  if (tooMany) io.stderr(tooMany);
  if (outputFolders.length && !opts.quiet) {
    io.stderr(`xunshi: left out ${outputFolders.length} folder(s) of xunshi's own reports met in folders (they hold ${MANIFEST_FILE}; first: ${escapeForTerminal(outputFolders[0]!)}); name one to read its files\n`);
  }
  // Counted apart: they were called files of an unsupported kind, to be named for an error entry (named, one is walked).
  if (linkedFolders.length && !opts.quiet) {
    io.stderr(`xunshi: did not follow ${linkedFolders.length} link(s) to folders met in folders (first: ${escapeForTerminal(linkedFolders[0]!)}); name them to walk them\n`);
  }
  const names = opts.format === 'json' && opts.out !== undefined ? assignJsonOutputNames(inputs) : undefined;
  const pages = opts.format === 'html' ? assignOutputNames(inputs, '.html', [HTML_INDEX_FILE]) : undefined;
  if (opts.out !== undefined) {
    const out = resolve(opts.out);
    const targets = pages
      ? [HTML_INDEX_FILE, MANIFEST_FILE, ...pages.flatMap((p) => (p ? [p] : []))].map((name) => join(out, name))
      : names
        ? [ERRORS_FILE, MANIFEST_FILE, ...names.flatMap((n) => (n ? [n] : []))].map((name) => join(out, name))
        : [out];
    checkNoOutputIsAnInput(targets, inputs);
  }
  const stdin = inputs.some((i) => i.absolute === null) ? await (io.readStdin ?? (() => readProcessStdin(maxSize)))() : undefined;
  if (stdin && stdin.length > maxSize) {
    // Reading stopped past the limit: how large standard input is, nobody knows (it may never end).
    for (const input of inputs) {
      if (input.absolute === null && !input.error) input.error = createTooLargeError(stdin.length, maxSize, input.path, 'standard input', true);
    }
  }

  const settings: TaskSettings = {
    analyzer: analyzerOptions,
    format: opts.format,
    per: opts.per ?? 'passage',
    encoding: opts.encoding,
    ...(opts.formatIn ? { formatIn: opts.formatIn } : {}),
    subcategoryIds: analyzer.ruleset.taxonomy.categories.flatMap((c) => c.subcategories.map((s) => s.id)),
    maxSize,
    timeout,
    ...(opts.ocr ? { ocr: true } : {}),
  };
  // A folder of reports records what it holds (the manifest), so that a later run with --incremental can keep them.
  const folderNames = pages ?? names;
  let manifest: ManifestWriter | undefined;
  let keepOf: ((index: number) => KeepCheck | undefined) | undefined;
  if (folderNames) {
    settings.stamp = true;
    const dir = resolve(opts.out!);
    const key = manifestKey({ build: getBuildIdentity(), rulesetHash: analyzer.ruleset.hash, format: pages ? 'html' : 'json', encoding: opts.encoding, ...(opts.formatIn ? { formatIn: opts.formatIn } : {}) });
    const read: ReadManifest = opts.incremental ? readManifest(dir, key) : { entries: new Map() };
    const outputs = inputs.map((input, i) => (folderNames[i] && input.absolute !== null ? { name: folderNames[i]!, path: input.path } : null));
    manifest = new ManifestWriter(dir, key, read.entries, outputs, opts.ocr === true);
    if (opts.incremental) {
      if (read.none && !opts.quiet) io.stderr(`xunshi: --incremental: ${keptNone(read.none, opts.out!)}; every input is analysed\n`);
      const writer = manifest;
      keepOf = (index) => {
        const entry = writer.previousOf(index);
        if (!entry || !mayKeep(entry, inputs[index]!.path, opts.ocr === true) || (pages && !entry.index)) return undefined;
        return { input: entry.input, file: join(dir, folderNames[index]!), output: entry.output };
      };
    }
  }
  if (pages) settings.html = { labels: analyzer.labels, pages: Object.fromEntries(inputs.flatMap((input, i) => (pages[i] ? [[input.path, pages[i]]] : []))) };
  let sink: BatchSink;
  // The HTML renderer is loaded only by the runs that write pages.
  const html = pages ? await import('@xunshi/report') : undefined;
  // An --out folder that cannot be made or a temporary file that cannot be created (a read-only folder, a file in the
  // way) is an output failure like a write's (XUNSHI_OUTPUT_FAILED, exit 1), not an internal error.
  let target: TextTarget | undefined;
  try {
    if (pages) {
      sink = createHtmlFolderSink(resolve(opts.out!), pages, analyzer.labels, html!, manifest);
    } else if (names) {
      sink = createJsonFolderSink(resolve(opts.out!), names, manifest);
    } else {
      target = opts.out === undefined ? createStreamTarget(io.stdout) : openAtomicFile(resolve(opts.out));
      // The summary printed on a terminal fits its width; written to a file or a pipe it is never cut.
      const width = opts.out === undefined && io.stdoutIsTerminal === true ? io.stdoutColumns : undefined;
      sink = opts.format === 'summary' ? createSummarySink(analyzer.labels, target, width) : createStreamSink(settings, target);
    }
  } catch (e) {
    // A CSV header that could not be written leaves no temporary file.
    target?.discard();
    throw toOutputError(e);
  }

  const controller = new AbortController();
  let interruptedBy: keyof typeof SIGNAL_EXIT | undefined;
  const onSignal = (sig: keyof typeof SIGNAL_EXIT): void => {
    interruptedBy ??= sig;
    controller.abort();
  };
  const onSigint = (): void => onSignal('SIGINT');
  const onSigterm = (): void => onSignal('SIGTERM');
  // The terminal closed (an ssh session that ended): without a handler the process died at once and left its
  // temporary output file behind. Node resets an ignored SIGHUP to the default at start, so `nohup` never kept it alive.
  const onSighup = (): void => onSignal('SIGHUP');
  // A reader that goes away (`| head`) ends the batch quietly instead of crashing on EPIPE; any other failure of
  // standard output (a full disk, `> /dev/full`) ends it with a clear error instead of a stack trace.
  let stdoutFailure: XunshiError | undefined;
  const onStdoutError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') onSignal('SIGPIPE');
    else {
      stdoutFailure ??= toOutputError(e);
      controller.abort();
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  process.on('SIGHUP', onSighup);
  if (opts.out === undefined) process.stdout.on('error', onStdoutError);
  const progress = createProgress({
    total: inputs.length,
    stream: io.progressStream ?? process.stderr,
    writeLine: (line) => io.stderr(line.endsWith('\n') ? line : `${line}\n`),
    quiet: opts.quiet === true,
    outputOnTerminal: opts.out === undefined && io.stdoutIsTerminal === true,
  });
  try {
    const result = await runBatch({
      inputs,
      settings,
      jobs,
      analyzer,
      sink,
      signal: controller.signal,
      v8Flags: POOL_V8_FLAGS,
      ...(stdin ? { stdin } : {}),
      ...(keepOf ? { keepOf } : {}),
      onResult: (_input, error) => {
        if (error) progress.log(formatError(XunshiError.fromJSON(error.serialized)));
        progress.tick();
      },
    });
    progress.stop();
    if (opts.incremental && !opts.quiet) {
      io.stderr(`xunshi: --incremental: kept ${result.kept} report(s) of ${opts.out} whose inputs are unchanged, analysed ${result.analysed - result.kept}${result.failed ? `, ${result.failed} failed` : ''}\n`);
      const others = manifest?.othersKept() ?? [];
      if (others.length) io.stderr(`xunshi: --incremental: ${others.length} report(s) of ${opts.out} are of inputs not in this run (first: ${escapeForTerminal(others[0]!)}); left as they are\n`);
    }
    // A write error of standard output is emitted on a later tick: let the last writes reach the pipe and their error
    // arrive while the listener is still attached (a reader gone during the last write is a SIGPIPE as any other).
    if (opts.out === undefined) {
      await new Promise<void>((done) => (process.stdout.writableEnded ? done() : process.stdout.write('', () => done())));
      await new Promise((done) => setImmediate(done));
    }
    if (stdoutFailure) {
      io.stderr(`${formatError(stdoutFailure)}\n`);
      return 1;
    }
    if (interruptedBy === 'SIGPIPE') return SIGNAL_EXIT.SIGPIPE;
    if (result.aborted) {
      if (!opts.quiet) {
        const kept = pages || names ? `the ${result.analysed + result.failed} input(s) finished are in ${opts.out} with their ${pages ? 'index' : 'error list'} (the same command with --incremental goes on from there)` : opts.out === undefined ? 'the inputs finished so far were written' : `${opts.out} was not written`;
        io.stderr(`xunshi: interrupted by ${interruptedBy ?? 'a signal'}; ${kept}, nothing half-written is left\n`);
      }
      return SIGNAL_EXIT[interruptedBy ?? 'SIGINT'];
    }
    return result.failed > 0 ? 1 : 0;
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    process.off('SIGHUP', onSighup);
    process.stdout.off('error', onStdoutError);
    // An error of a write still in flight must not become an uncaught 'error' event (a stack trace) after this.
    if (opts.out === undefined && !process.stdout.listeners('error').includes(ignoreLateStdoutError)) process.stdout.on('error', ignoreLateStdoutError);
  }
}

/** Standard output's errors once a batch has returned its exit code (the reader went away during the last write). */
function ignoreLateStdoutError(): void {}
