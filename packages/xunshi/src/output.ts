import { closeSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ERROR_CODES, XunshiError, type Report } from '@xunshi/types';
import { makeFolderSync } from '@xunshi/rules';
import {
  CSV_BOM,
  addErrorToSummary,
  addReportToSummary,
  createCorpusSummary,
  renderCorpusSummary,
  renderDocumentCsvErrorRow,
  renderDocumentCsvHeader,
  renderJsonLine,
  renderPassageCsvErrorRow,
  renderPassageCsvHeader,
} from '@xunshi/report/core';
import type { HtmlIndexEntry, LabelTable } from '@xunshi/report';
import { describeFileType } from './file-type.js';
import { MANIFEST_FILE } from './folder-names.js';

/** The HTML renderer's index functions (`@xunshi/report`, loaded by the runs that write pages). */
export type IndexRenderer = Pick<typeof import('@xunshi/report'), 'renderIndexHtml' | 'pageHref'>;
import type { ErrorEntry } from '@xunshi/types';
import { STDIN_PATH, type BatchInput } from './inputs.js';
import type { TaskSettings } from './task.js';
import type { ManifestWriter, OutputStamp } from './incremental.js';

/** Where a batch's results go, one call per input in input order. */
export interface BatchSink {
  /**
   * Write one analysed input: `output` is already rendered for the format; `report` is set for the summary format;
   * `stamp` (a folder of reports) says what the manifest records, or that the report written before is kept.
   */
  writeReport(index: number, output: string, report?: Report, stamp?: OutputStamp): void;
  /** Write one input that could not be analysed (input `index`). */
  writeError(entry: ErrorEntry, index?: number): void;
  /** Complete the output (write the summary, rename temporary files into place). */
  finish(): void;
  /** The output failed: remove every temporary file; nothing half-written stays behind. */
  abort(): void;
  /**
   * The batch was interrupted (a signal, a closed pipe): what describes only finished inputs stays consistent — a folder's
   * reports are already written, so its error list and index are made final for them (a stale one of an earlier run
   * would contradict them) — and a single output file, which would be a cut-off batch, is removed as by {@link abort}.
   */
  interrupt(): void;
}

/** A text destination written piece by piece: standard output, or a file that appears only once complete. */
export interface TextTarget {
  write(text: string): void;
  /** Make the output final (rename a temporary file into place). */
  commit(): void;
  /** Drop the output (delete a temporary file). */
  discard(): void;
}

/** Name of the file that lists the failed inputs in a `--format json --out DIR` folder. */
export const ERRORS_FILE = 'errors.jsonl';

/**
 * The file an output written to `path` replaces: `path` itself when nothing or a regular file is there, the file a link
 * there points to (so the link stays a link and its target gets the output). Anything else is `XUNSHI_OUTPUT_FAILED`:
 * a FIFO or a device would be replaced by the rename (as root, `/dev/full` became a regular file), and a link to nothing
 * says nothing of where to write.
 */
export function resolveOutputFile(path: string): string {
  let stats;
  try {
    // BigInt stats: an ordinary stat of a FIFO breaks the next lazy import (nodejs/node#51142, see readRegularFile).
    stats = lstatSync(path, { bigint: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return path;
    throw new XunshiError(ERROR_CODES.OUTPUT_FAILED, `cannot write ${path}: ${(e as Error).message}`, { file: path });
  }
  if (stats.isSymbolicLink()) {
    // A link to a pipe or a terminal (/dev/stdout → /proc/self/fd/1 → pipe:[…]) has no path to follow: what it leads to
    // is told by stat, through the link.
    let target;
    try {
      target = statSync(path, { bigint: true });
    } catch {
      target = undefined;
    }
    if (target && !target.isFile() && !target.isDirectory()) return refuseNonFile(path, target);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new XunshiError(ERROR_CODES.OUTPUT_FAILED, `cannot write ${path}: it is a link to nothing (or a loop of links)`, { file: path });
    }
    return resolveOutputFile(real);
  }
  if (!stats.isFile()) return refuseNonFile(path, stats);
  return path;
}

function refuseNonFile(path: string, stats: Parameters<typeof describeFileType>[0]): never {
  throw new XunshiError(
    ERROR_CODES.OUTPUT_FAILED,
    `cannot write ${path}: it is ${describeFileType(stats)}; an output file is written whole to a temporary file and renamed into place, which needs a regular file or nothing there (write to standard output instead)`,
    { file: path },
  );
}

/**
 * Open `path` for writing through a temporary file in the same folder (so the final rename is atomic): nothing exists
 * at `path` until {@link TextTarget.commit}, and {@link TextTarget.discard} removes the temporary file. A link at `path`
 * is followed, and what is not a regular file refused ({@link resolveOutputFile}).
 */
export function openAtomicFile(requested: string): TextTarget {
  const path = resolveOutputFile(requested);
  // The name cut to 200 bytes: a page or report named after a long input (a Chinese title of 80 characters is 240
  // bytes) must not make its temporary name longer than a file name may be (255 bytes).
  const tmp = join(dirname(path), `.${cutName(basename(path), 200)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | null = openSync(tmp, 'wx');
  // A write or sync on a descriptor fails without a path (a full disk: ENOSPC); the error names the output it was for.
  const naming = <T>(step: () => T): T => {
    try {
      return step();
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err !== null && typeof err === 'object' && typeof err.code === 'string' && err.path === undefined) err.path = path;
      throw e;
    }
  };
  const close = (): void => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    write(text) {
      if (fd === null) throw new XunshiError(ERROR_CODES.INTERNAL, `output ${path} is already closed`);
      // writeFileSync on a descriptor writes at the current position and loops over short writes (a full disk
      // returns fewer bytes before it fails); a bare writeSync would drop the rest silently.
      const open = fd;
      naming(() => writeFileSync(open, text));
    },
    commit() {
      if (fd === null) return;
      const open = fd;
      naming(() => fsyncSync(open));
      naming(close);
      renameSync(tmp, path);
    },
    discard() {
      close();
      rmSync(tmp, { force: true });
    },
  };
}

/** `name` cut to at most `max` UTF-8 bytes, at a character boundary. */
function cutName(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max) break;
    out += ch;
  }
  return out;
}

/**
 * Write `text` to `path` atomically (through {@link openAtomicFile}): the whole text or nothing — on any failure, a full
 * disk included, the temporary file is removed and nothing appears at `path`.
 */
export function writeFileAtomicSync(path: string, text: string): void {
  const target = openAtomicFile(path);
  try {
    target.write(text);
    target.commit();
  } catch (e) {
    target.discard();
    throw e;
  }
}

/** A target that writes to `write` as it goes (standard output); commit and discard do nothing. */
export function createStreamTarget(write: (text: string) => void): TextTarget {
  return { write, commit() {}, discard() {} };
}

/** The error entry of a failed input, as batch outputs and the summary show it. */
export function createErrorEntry(path: string, error: { code: string; message: string; line?: number; column?: number }): ErrorEntry {
  const entry: ErrorEntry = { path, code: error.code, message: error.message };
  if (error.line !== undefined) entry.line = error.line;
  if (error.column !== undefined) entry.column = error.column;
  return entry;
}

/**
 * A sink for the streamed formats (json, jsonl, csv): a header where the format has one, then each result as it comes,
 * failed inputs as `{"error": {...}}` objects or CSV error rows in their place.
 */
export function createStreamSink(settings: Pick<TaskSettings, 'format' | 'per' | 'subcategoryIds'>, target: TextTarget): BatchSink {
  const { format, per, subcategoryIds } = settings;
  if (format === 'csv') target.write(CSV_BOM + (per === 'document' ? renderDocumentCsvHeader(subcategoryIds) : renderPassageCsvHeader()));
  return {
    writeReport(_index, output) {
      target.write(output);
    },
    writeError(entry) {
      if (format === 'csv') target.write(per === 'document' ? renderDocumentCsvErrorRow(entry, subcategoryIds) : renderPassageCsvErrorRow(entry));
      else if (format === 'json') target.write(JSON.stringify({ error: entry }, null, 2) + '\n');
      else target.write(renderJsonLine({ error: entry }));
    },
    finish: () => target.commit(),
    abort: () => target.discard(),
    interrupt: () => target.discard(),
  };
}

/**
 * A sink that keeps only the running corpus summary and writes its table at the end; with `width` (the columns of the
 * terminal it goes to) the tables are fitted into it.
 */
export function createSummarySink(labels: LabelTable, target: TextTarget, width?: number): BatchSink {
  const acc = createCorpusSummary();
  return {
    writeReport(_index, _output, report) {
      if (!report) throw new XunshiError(ERROR_CODES.INTERNAL, 'summary output needs the report of every analysed input');
      addReportToSummary(acc, report);
    },
    writeError(entry) {
      addErrorToSummary(acc, entry);
    },
    finish() {
      target.write(renderCorpusSummary(acc, labels, undefined, width));
      target.commit();
    },
    abort: () => target.discard(),
    interrupt: () => target.discard(),
  };
}

/**
 * A sink for `--format json --out DIR`: each report in `DIR/<names[index]>`, written atomically ({@link writeFileAtomicSync}),
 * and the failed inputs as JSON lines in `DIR/errors.jsonl` (always written, empty when none failed, so that a stale
 * list from an earlier run cannot mislead; on an interrupt, the list of the inputs finished by then). With `manifest`,
 * a report kept from the run before is left as it is, and the folder's manifest is written with the error list.
 */
export function createJsonFolderSink(dir: string, names: readonly (string | null)[], manifest?: ManifestWriter): BatchSink {
  makeFolderSync(dir);
  manifest?.prepare();
  const errors = openAtomicFile(join(dir, ERRORS_FILE));
  const made = new Set<string>();
  const finish = (): void => {
    errors.commit();
    manifest?.write();
  };
  return {
    writeReport(index, output, _report, stamp) {
      if (!stamp?.kept) writeNamedFile(dir, names, index, output, made);
      manifest?.record(index, stamp);
    },
    writeError(entry, index) {
      errors.write(renderJsonLine({ error: entry }));
      if (index !== undefined) manifest?.forget(index);
    },
    finish,
    abort: () => errors.discard(),
    interrupt: finish,
  };
}

function replaceExtension(path: string, ext = '.json'): string {
  const base = basename(path);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? `${path}${ext}` : `${path.slice(0, path.length - (base.length - dot))}${ext}`;
}

/**
 * Output file names (relative, `/`-separated) of `--format json --out DIR`: each input's path below the deepest folder
 * that holds all inputs, with the extension replaced by `.json` (`a.txt` → `a.json`); inputs whose names would clash
 * (`a.txt` and `a.md`) keep their extension (`a.txt.json`); standard input is `stdin.json`. Null for inputs that fail
 * before analysis.
 */
export function assignJsonOutputNames(inputs: readonly BatchInput[]): (string | null)[] {
  // The folder's manifest is the batch's own file: `.xunshi-manifest.txt` is written as `.xunshi-manifest.txt.json`.
  return assignOutputNames(inputs, '.json', [MANIFEST_FILE]);
}

/**
 * Output file names with extension `ext` (see {@link assignJsonOutputNames}); a name in `reserved` (such as the
 * batch's own `index.html`) is treated as taken, so the input keeps its extension (`index.txt` → `index.txt.html`).
 */
export function assignOutputNames(inputs: readonly BatchInput[], ext: string, reserved: readonly string[] = []): (string | null)[] {
  const files = inputs.filter((i) => !i.error && i.absolute !== null).map((i) => i.absolute!);
  const root = files.length ? findCommonFolder(files) : '';
  const full = inputs.map((i) => (i.error ? null : i.absolute === null ? STDIN_PATH : relative(root, i.absolute).split(sep).join('/')));
  // A report of a folder's images (--join-images) is named by the folder, whose name has no extension to replace.
  const names = full.map((f, i) => (f === null ? null : f === STDIN_PATH ? `stdin${ext}` : inputs[i]!.pages ? `${f}${ext}` : replaceExtension(f, ext)));
  const owners = new Map<string, number[]>();
  names.forEach((n, i) => {
    if (n !== null) owners.set(n, [...(owners.get(n) ?? []), i]);
  });
  for (const [name, idx] of owners) {
    if (idx.length < 2 && !reserved.includes(name)) continue;
    // An input whose whole name is still reserved (`index` read with --format-in) gets the extension once more: its
    // page must never be the batch's index, which is written last and would replace it.
    for (const i of idx) if (full[i] !== STDIN_PATH) names[i] = reserved.includes(`${full[i]}${ext}`) ? `${full[i]}${ext}${ext}` : `${full[i]}${ext}`;
  }
  // A name given that way may be another input's own (same.txt and same.md give same.txt.json, which same.txt.md had):
  // that input keeps its whole name too, and so on until no two share one (whole names of distinct files differ).
  for (let changed = true; changed; ) {
    changed = false;
    const taken = new Map<string, number[]>();
    names.forEach((n, i) => {
      if (n !== null) taken.set(n, [...(taken.get(n) ?? []), i]);
    });
    for (const idx of taken.values()) {
      if (idx.length < 2) continue;
      for (const i of idx) {
        const whole = `${full[i]}${ext}`;
        if (full[i] !== STDIN_PATH && names[i] !== whole && !reserved.includes(whole)) {
          names[i] = whole;
          changed = true;
        }
      }
    }
  }
  for (let i = 0; i < names.length; i++) if (names[i] !== null) names[i] = fitFileName(names[i]!, ext);
  const final = new Map<string, number>();
  names.forEach((n, i) => {
    if (n === null) return;
    if (reserved.includes(n)) throw new XunshiError(ERROR_CODES.USAGE, `input ${inputs[i]!.path} would be written to ${n}, the batch's own file`);
    const other = final.get(n);
    if (other !== undefined) {
      throw new XunshiError(ERROR_CODES.USAGE, `inputs ${inputs[other]!.path} and ${inputs[i]!.path} would both be written to ${n}`);
    }
    final.set(n, i);
  });
  return names;
}

/** Most bytes of a file name (one path segment) on the usual file systems (ext4, XFS, APFS, NTFS counts 255 UTF-16 units). */
const MAX_NAME_BYTES = 255;

/**
 * `name` (a relative path ending in `ext`) with a last segment of at most {@link MAX_NAME_BYTES} UTF-8 bytes: a longer
 * one (a report named after a long Chinese title) is cut at a character boundary and keeps its end and uniqueness with
 * `~` and 8 hex digits of the SHA-256 of the whole name: `<cut>~1a2b3c4d.html`.
 */
function fitFileName(name: string, ext: string): string {
  const slash = name.lastIndexOf('/');
  const base = name.slice(slash + 1);
  if (Buffer.byteLength(base) <= MAX_NAME_BYTES) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  const stem = base.endsWith(ext) ? base.slice(0, base.length - ext.length) : base;
  return `${name.slice(0, slash + 1)}${cutName(stem, MAX_NAME_BYTES - Buffer.byteLength(`~${hash}${ext}`))}~${hash}${ext}`;
}

function findCommonFolder(paths: readonly string[]): string {
  let parts = dirname(paths[0]!).split(sep);
  for (const p of paths.slice(1)) {
    const q = dirname(p).split(sep);
    let n = 0;
    while (n < parts.length && n < q.length && parts[n] === q[n]) n++;
    parts = parts.slice(0, n);
  }
  return parts.join(sep) || sep;
}

/** Name of the batch index in a `--format html --out DIR` folder. */
export const HTML_INDEX_FILE = 'index.html';

/**
 * A sink for `--format html --out DIR`: each document's page in `DIR/<names[index]>` (written atomically), and at the
 * end `DIR/index.html` with every document's counts and the failed inputs. Only each document's counts are kept until
 * then, never its passages. With `manifest`, a page kept from the run before is left as it is (the index lists it with
 * the counts the manifest recorded), and the folder's manifest is written with the index.
 */
export function createHtmlFolderSink(dir: string, names: readonly (string | null)[], labels: LabelTable, html: IndexRenderer, manifest?: ManifestWriter): BatchSink {
  const { renderIndexHtml, pageHref } = html;
  makeFolderSync(dir);
  manifest?.prepare();
  const entries: HtmlIndexEntry[] = [];
  const made = new Set<string>();
  const finish = (): void => {
    writeFileAtomicSync(join(dir, HTML_INDEX_FILE), renderIndexHtml(entries, { labels }));
    manifest?.write();
  };
  return {
    writeReport(index, output, report, stamp) {
      if (stamp?.kept) {
        const earlier = manifest?.previousOf(index);
        if (!earlier?.index) throw new XunshiError(ERROR_CODES.INTERNAL, `input #${index} was kept without the counts of its page`);
        entries.push({ href: pageHref(names[index]!), report: { source: { path: earlier.path }, summary: earlier.index } });
        return;
      }
      if (!report) throw new XunshiError(ERROR_CODES.INTERNAL, 'html output needs the counts of every analysed input');
      const name = writeNamedFile(dir, names, index, output, made);
      const { passages, functions, categories, subcategories, rootCauses } = report.summary;
      const summary = { passages, functions, categories, subcategories, rootCauses };
      entries.push({ href: pageHref(name), report: { source: { path: report.source.path }, summary } });
      manifest?.record(index, stamp, summary);
    },
    writeError(entry, index) {
      entries.push({ error: entry });
      if (index !== undefined) manifest?.forget(index);
    },
    finish,
    abort() {},
    // The pages of the finished inputs are written: the index lists them (and their errors), not an earlier run's.
    interrupt: finish,
  };
}

/**
 * Write input #`index`'s output to its name below `dir`, atomically, creating its folder once (`made` remembers the
 * folders made). Synchronous on purpose: a signal handler can only run between two writes, never during one.
 */
function writeNamedFile(dir: string, names: readonly (string | null)[], index: number, output: string, made: Set<string>): string {
  const name = names[index];
  if (!name) throw new XunshiError(ERROR_CODES.INTERNAL, `no output name for input #${index}`);
  const path = join(dir, name);
  const parent = dirname(path);
  if (!made.has(parent)) {
    makeFolderSync(parent);
    made.add(parent);
  }
  writeFileAtomicSync(path, output);
  return name;
}

/** Plain words for the errors a write can meet; the rest keep the system's message. */
const WRITE_ERRNO: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ENOENT: 'the output folder no longer exists',
  ENOTDIR: 'a file stands where the output needs a folder',
};

/**
 * An error met while writing output, as `XUNSHI_OUTPUT_FAILED` with a plain message (`cannot write output: no space
 * left on device (ENOSPC): PATH`). XunshiErrors pass through unchanged.
 */
export function toOutputError(e: unknown): XunshiError {
  if (e instanceof XunshiError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  // mkdir's ENOENT under a folder that exists: a file system that makes no folders there (/proc).
  const words = code === 'ENOENT' && err.syscall === 'mkdir' ? 'no folder can be made there' : code ? WRITE_ERRNO[code] : undefined;
  const what = words ? `${words} (${code})` : (err?.message ?? String(e));
  return new XunshiError(ERROR_CODES.OUTPUT_FAILED, `cannot write output: ${what}${err?.path ? `: ${err.path}` : ''}`, { cause: e });
}
