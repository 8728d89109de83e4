import { existsSync, lstatSync, readdir, readdirSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { IMAGE_EXTENSIONS, INPUT_EXTENSIONS, listZipFile, type ZipEntry } from '@xunshi/document/lean';
import { MANIFEST_FILE } from './folder-names.js';

/**
 * File extensions `xunshi analyze` reads (lower case, with the dot), those of `@xunshi/document`: text, Markdown, web
 * pages, Word and PDF, and the legacy Word names `.doc`/`.wps`/`.dot`/`.wpt` (a Word 97–2003 binary, or a docx or a saved
 * web page under that name; a Word 6/95 binary or another Office file gets an error entry that says what to convert it to).
 */
export const SUPPORTED_EXTENSIONS: readonly string[] = INPUT_EXTENSIONS;
/** Image extensions (a scanned page, a photograph): read by OCR, so taken from folders and archives only with `images` (`--ocr`); a named one (or a pattern's match) always. */
export { IMAGE_EXTENSIONS };

/** The path shown for standard input. */
export const STDIN_PATH = '-';

/** One input of a batch, in the order results are written. */
export interface BatchInput {
  /** Path as shown in reports, error entries and messages (the user's spelling), or `-` for standard input. */
  path: string;
  /** Absolute path of the file, or null for standard input. */
  absolute: string | null;
  /**
   * The file's absolute path as bytes, when a folder walk met a name that is not UTF-8 (`path` and `absolute` then show
   * its other bytes as `\xHH`, and only these bytes open it).
   */
  raw?: Uint8Array;
  /** Why this input will not be analysed (missing, unreadable folder, unsupported kind); then it is an error entry. */
  error?: XunshiError;
  /**
   * A report inside a zip archive of reports: the archive (its absolute path, or its path as bytes) and the entry. The
   * input's `path` and `absolute` are the archive's followed by `/` and the entry's name.
   */
  archive?: { file: string | Uint8Array; entry: ZipEntry };
  /**
   * A report read from several image files, one a page (`--join-images`): the images of one folder in page order.
   * The input's `path` is then the folder's, ending in `/`, and `absolute` the folder's.
   */
  pages?: BatchInput[];
}

/** Result of {@link expandInputs}. */
export interface ExpandedInputs {
  inputs: BatchInput[];
  /** Files met while walking folders that were left out because of their extension (sorted, display paths). */
  skipped: string[];
  /**
   * Entries of zip archives left out because of their kind (an archive inside an archive among them), which cannot be
   * named to get an error entry as a folder's file can (sorted, display paths).
   */
  skippedInArchives: string[];
  /** Links to folders met while walking folders, which are not followed (sorted, display paths). */
  linkedFolders: string[];
  /**
   * Folders of xunshi's own reports met while walking folders (they hold the manifest of an `--out` folder), left out:
   * their pages and index are no reports (sorted, display paths). A folder named as an input is read all the same.
   */
  outputFolders: string[];
  /** Later namings of an input already listed (same absolute path), as spelt, in the order met; each is analysed once. */
  duplicates: string[];
}

/** Options of {@link expandInputs}. */
export interface ExpandOptions {
  /** Folder that relative paths and patterns are resolved against; default `process.cwd()`. */
  cwd?: string;
  /**
   * Paths from `--files-from`, one per entry: taken literally (no patterns), and each must name a file; a name as bytes
   * (not UTF-8) is shown with `\\xHH` for those bytes and opened by them.
   */
  listed?: readonly (string | Uint8Array)[];
  /** Files named explicitly are read whatever their extension (`--format-in` forces the format). */
  anyExtension?: boolean;
  /** Take images (PNG, JPEG, …) from folders and archives too (`--ocr` reads them); a named image (or a pattern's match) is always taken. */
  images?: boolean;
  /** A folder (absolute) that folder walks do not descend into (a folder named as an input is still walked): the
   * `--out` folder, whose pages of an earlier run inside the input tree would otherwise be read as inputs (and
   * `index.html` refused as an output that is an input). */
  skipFolder?: string;
}

/** Lower-case extension of a path's last segment with its dot, or `''` when it has none. */
export function getExtension(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** True when `path` has an extension `xunshi analyze` reads (an image's only with `images`). */
export function isSupportedPath(path: string, images = false): boolean {
  const ext = getExtension(path);
  return SUPPORTED_EXTENSIONS.includes(ext) || (images && IMAGE_EXTENSIONS.includes(ext));
}

/** Extensions of the web pages a browser saves with a folder of their pictures beside them. */
const SAVED_PAGE_EXTENSIONS = ['.htm', '.html', '.xhtml', '.shtml', '.mht', '.mhtml'];

/**
 * True for the folder a browser saves a web page's pictures, scripts and styles in (`报告_files` beside `报告.html`, as
 * Chrome, Edge and Firefox name it; `报告.files` in some localised Internet Explorers): its pictures are the page's
 * logos and icons, not reports, so a folder walk with `--ocr` does not take them. `siblings`: the lower-case names in
 * the folder's own folder (a set, or anything that answers `has`).
 */
export function isPageAssetFolder(name: string, siblings: { has(name: string): boolean }): boolean {
  const m = /^(.+)(?:_files|\.files)$/i.exec(name);
  return m !== null && SAVED_PAGE_EXTENSIONS.some((ext) => siblings.has(`${m[1]!.toLowerCase()}${ext}`));
}

/** True when archive entry `name` lies in a saved web page's folder of pictures (`names`: the archive's entries, lower case). */
function inPageAssets(name: string, names: ReadonlySet<string>): boolean {
  const segments = name.split('/');
  return segments.slice(0, -1).some((folder, i) => {
    const parent = segments.slice(0, i).map((s) => `${s.toLowerCase()}/`).join('');
    return isPageAssetFolder(folder, { has: (sibling) => names.has(`${parent}${sibling}`) });
  });
}

/** True for a zip archive (`.zip`), whose reports `xunshi analyze` reads as those of a folder. */
export function isArchivePath(path: string): boolean {
  return getExtension(path) === '.zip';
}

/**
 * An archive entry's name as a relative path (`\\` as `/`, no leading `/`, no `.` segments), or undefined when it climbs
 * out of the archive (`..`): such a name is refused, never used to name an output.
 */
export function archiveMemberPath(name: string): string | undefined {
  const segments = name.replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return undefined;
  return segments.join('/');
}

/** The error entry for a file of a kind xunshi does not read: it names the file and what is supported. */
export function createUnsupportedError(path: string): XunshiError {
  const ext = getExtension(path);
  const kind = ext ? `${ext} files are` : 'files without an extension are';
  return new XunshiError(
    ERROR_CODES.INPUT_UNSUPPORTED,
    `${kind} not supported: xunshi reads text (.txt, .text), Markdown (.md, .markdown, .mdown, .mkd), web pages (.html, .htm, .xhtml, .shtml; web archives .mht, .mhtml), Word (.docx, .docm; Word 97–2003 .doc, .wps, .dot, .wpt, or a docx, RTF, web page or web archive under those names), RTF (.rtf), Excel workbooks (.xlsx, .xlsm, .et; Excel 97–2003 .xls), tables as delimited text (.csv, .tsv), OpenDocument text (.odt, .ott, .fodt), PDF (.pdf), OFD (.ofd), images by OCR with --ocr (.png, .jpg, .jpeg, .jpe, .jfif, .bmp, .tif, .tiff, .gif, .webp, .heic, .heif), and zip archives of these (.zip); convert the document first, or force a format with --format-in`,
    { file: path },
  );
}

/**
 * Split a `--files-from` list into paths: one per line (CRLF or LF), white space around each name trimmed (spaces
 * inside a name are kept), blank lines and lines starting with `#` (comments) ignored. A file whose name starts with
 * `#` or with white space is listed as `./#name`.
 */
export function parseFileList(text: string): string[];
/**
 * The same, from the list's bytes: a line that is not UTF-8 (a name of a GBK system, as `find` writes it) is kept as
 * bytes, which open the file (decoded, it named no file: U+FFFD stood in place of its bytes).
 */
export function parseFileList(bytes: Uint8Array): (string | Uint8Array)[];
export function parseFileList(list: string | Uint8Array): (string | Uint8Array)[] {
  if (typeof list === 'string') {
    return list
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0 && !line.startsWith('#'));
  }
  const bytes = Buffer.from(list.buffer, list.byteOffset, list.byteLength);
  const out: (string | Uint8Array)[] = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end > start && bytes[end - 1] === 0x0d ? end - 1 : end);
    start = end + 1;
    let text: string | undefined;
    try {
      text = utf8.decode(line);
    } catch {
      // not UTF-8: kept as bytes below
    }
    if (text !== undefined) {
      out.push(...parseFileList(text));
      continue;
    }
    // White space around the name trimmed (ASCII only: the rest is not read as text).
    let a = 0;
    let b = line.length;
    while (a < b && isAsciiSpace(line[a]!)) a++;
    while (b > a && isAsciiSpace(line[b - 1]!)) b--;
    if (line[a] !== 0x23) out.push(Uint8Array.from(line.subarray(a, b)));
  }
  return out;
}

const isAsciiSpace = (byte: number): boolean => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);

// Code-unit order, not locale order: the same on every machine and in every run.
const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function createUnreadableError(path: string, e: unknown): XunshiError {
  const err = e as NodeJS.ErrnoException;
  const reason = err?.code === 'ENOENT' ? 'no such file or folder' : err?.code === 'EACCES' ? 'permission denied' : (err?.message ?? String(e));
  return new XunshiError(ERROR_CODES.INPUT_UNREADABLE, `cannot read input: ${reason}${err?.code ? ` (${err.code})` : ''}`, { file: path });
}

/**
 * Turn command-line inputs into the ordered list of files to analyse: files as given, folders walked recursively
 * (sorted, hidden entries skipped, only supported extensions taken), glob patterns expanded with tinyglobby (sorted;
 * a folder matched is walked), `-` for standard input, then the `listed` paths; duplicates (same absolute path) keep
 * their first place.
 * Problems become inputs with an `error`, so that nothing named is silently lost.
 */
export async function expandInputs(specs: readonly string[], options: ExpandOptions = {}): Promise<ExpandedInputs> {
  const cwd = options.cwd ?? process.cwd();
  const inputs: BatchInput[] = [];
  const skipped: string[] = [];
  const skippedInArchives: string[] = [];
  const linkedFolders: string[] = [];
  const outputFolders: string[] = [];
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const add = (path: string, error?: XunshiError, raw?: Uint8Array): void => {
    const absolute = path === STDIN_PATH ? null : resolve(cwd, path);
    // A name that is not UTF-8 is shown with \xHH for its bytes, which a real name may spell too (`bad\xB1.txt`): such a
    // file is told apart by its bytes.
    const key = raw ? `\0${Buffer.from(raw).toString('hex')}` : (absolute ?? STDIN_PATH);
    if (seen.has(key)) {
      duplicates.push(path);
      return;
    }
    seen.add(key);
    if (absolute !== null && !error && isArchivePath(path)) {
      addArchive(path, absolute, raw);
      return;
    }
    const unsupported = absolute !== null && !error && !options.anyExtension && !isSupportedPath(path, true) ? createUnsupportedError(path) : undefined;
    const problem = error ?? unsupported;
    const input: BatchInput = problem ? { path, absolute, error: problem } : { path, absolute };
    if (raw && !problem) input.raw = raw;
    inputs.push(input);
  };

  // A zip archive of reports is read as a folder would be: its entries sorted by name, those xunshi reads taken (each
  // read from the archive where it is analysed), the others counted as skipped; hidden entries (`.name`, macOS's
  // `__MACOSX/` resource forks) left out without a word. An archive that cannot be listed, or holds no report, is an
  // error entry; an entry whose name climbs out of the archive (`../`) is one too.
  const addArchive = (path: string, absolute: string, raw?: Uint8Array): void => {
    let entries: ZipEntry[];
    try {
      entries = listZipFile(raw ?? absolute, path);
    } catch (e) {
      inputs.push({ path, absolute, error: e instanceof XunshiError ? e : createUnreadableError(path, e) });
      return;
    }
    // A document package saved as .zip (an OFD, a workbook, a Word document) is one report, read as what it is.
    const names = new Set(entries.map((e) => e.name.toLowerCase()));
    if (names.has('ofd.xml') || names.has('xl/workbook.xml') || names.has('word/document.xml')) {
      inputs.push(raw ? { path, absolute, raw } : { path, absolute });
      return;
    }
    const members = entries
      .filter((e) => !e.name.endsWith('/') && !e.name.endsWith('\\'))
      .map((entry) => ({ entry, name: archiveMemberPath(entry.name) }))
      .sort((a, b) => compareCodeUnits(a.name ?? a.entry.name, b.name ?? b.entry.name));
    let taken = 0;
    for (const { entry, name } of members) {
      if (entry.name.includes('\0')) {
        // No file system names a file so; the output name made from it stopped the whole batch (OUTPUT_FAILED).
        const shown = `${path}/${entry.name.replace(/\0/g, '\\0')}`;
        inputs.push({ path: shown, absolute: `${absolute}/${entry.name.replace(/\0/g, '\\0')}`, error: new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'cannot read input: the archive entry\'s name holds a NUL character, which no file name can; extract the archive and look at it first', { file: shown }) });
        taken++;
        continue;
      }
      if (name === undefined) {
        const shown = `${path}/${entry.name}`;
        inputs.push({ path: shown, absolute: `${absolute}/${entry.name}`, error: new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'cannot read input: the archive entry\'s name climbs out of the archive (..); extract the archive and look at it first', { file: shown }) });
        taken++;
        continue;
      }
      if (name === '' || name.split('/').some((s) => s.startsWith('.') || s === '__MACOSX')) continue;
      const shown = `${path}/${name}`;
      const memberAbsolute = `${absolute}/${name}`;
      if (!isSupportedPath(name, options.images && !inPageAssets(name, names))) {
        skippedInArchives.push(shown);
        continue;
      }
      if (seen.has(memberAbsolute)) {
        // The archive itself is read once (its path is checked like any input's): a second entry of the same name is
        // another file, which extracting the archive would let overwrite the first.
        inputs.push({ path: shown, absolute: memberAbsolute, error: new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'cannot read input: the archive holds another entry of this name before it (only the first is read); extract the archive and look at it first', { file: shown }) });
        taken++;
        continue;
      }
      seen.add(memberAbsolute);
      inputs.push({ path: shown, absolute: memberAbsolute, archive: { file: raw ?? absolute, entry } });
      taken++;
    }
    if (taken === 0) {
      inputs.push({ path, absolute, error: new XunshiError(ERROR_CODES.INPUT_EMPTY, `the zip archive holds no file xunshi reads (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'})`, { file: path }) });
    }
  };

  // Names are read as bytes: a name that is not UTF-8 (a folder copied from an old GBK system) read as a string comes
  // back with U+FFFD in place of its bytes, which names no file (the report was 'no such file'), and two such names
  // differing in those bytes came back the same (the second was dropped as named twice). Such a name is shown with
  // its other bytes as \xHH and opened by its bytes (`raw`, kept for the folders below it too).
  const walk = (dir: string, rawDir?: Buffer, pageAssets = false): void => {
    let entries: Dirent<Buffer>[];
    try {
      entries = readdirSync(rawDir ?? resolve(cwd, dir), { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      add(dir, createUnreadableError(dir, e));
      return;
    }
    const named = entries.map((entry) => ({ entry, name: decodeFileName(entry.name) }));
    named.sort((a, b) => compareCodeUnits(a.name, b.name) || Buffer.compare(a.entry.name, b.entry.name));
    const siblings = new Set(named.map((n) => n.name.toLowerCase()));
    for (const { entry, name } of named) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const raw = rawDir || name !== entry.name.toString('utf8') ? Buffer.concat([rawDir ?? Buffer.from(resolve(cwd, dir)), Buffer.from(sep), entry.name]) : undefined;
      // Symlinked folders are not followed: a link back up the tree would never end.
      if (entry.isDirectory()) {
        // A folder of xunshi's own reports (an --out folder of an earlier run): its pages are no reports to analyse.
        if (existsSync(raw ? Buffer.concat([raw, Buffer.from(sep + MANIFEST_FILE)]) : join(resolve(cwd, path), MANIFEST_FILE))) outputFolders.push(path);
        else if (resolve(cwd, path) !== options.skipFolder) walk(path, raw, pageAssets || isPageAssetFolder(name, siblings));
      } else if (isSupportedPath(path, options.images && !pageAssets) || isArchivePath(path)) add(path, undefined, raw);
      else if (entry.isSymbolicLink() && isLinkToFolder(raw ?? resolve(cwd, path))) linkedFolders.push(path);
      else if (entry.isFile() || entry.isSymbolicLink()) skipped.push(path);
    }
  };

  for (const spec of specs) {
    if (spec === STDIN_PATH) {
      add(STDIN_PATH);
      continue;
    }
    if (spec === '') {
      // An empty name (a blank shell variable, a blank item of a generated list) resolves to the working folder, which
      // was then walked whole: an error entry instead, as for any name that is no file.
      add(spec, new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'cannot read input: the name is empty (a blank variable or list item?); name the working folder as . to analyse it', { file: spec }));
      continue;
    }
    let stats;
    try {
      // BigInt stats, here and below: see readRegularFile (a named FIFO broke the next lazy import, nodejs/node#51142).
      stats = statSync(resolve(cwd, spec), { bigint: true });
    } catch (e) {
      // tinyglobby is loaded only for a name that is not a file: most runs name files and folders.
      const { isDynamicPattern } = await import('tinyglobby');
      if (isDynamicPattern(spec)) {
        const matches = await expandPattern(spec, cwd);
        if (matches.length === 0) add(spec, new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'no file matches this pattern', { file: spec }));
        // A folder the pattern matches is walked, as a folder named in its place would be (a quoted `reports/*` took
        // the files at the top and silently left out every subfolder); what lies below a folder already walked is
        // not taken again. Matches are sorted, so a folder comes before what lies below it.
        const walked: string[] = [];
        for (const { path: m, error } of matches) {
          const path = m.length > 1 && m.endsWith('/') ? m.slice(0, -1) : m;
          const absolute = resolve(cwd, path);
          if (walked.some((folder) => `${absolute}${sep}`.startsWith(folder))) continue;
          if (error !== undefined) {
            // The folder's own match (`path/`, sorted after it) would be walked and fail again.
            add(path, createUnreadableError(path, error));
            walked.push(absolute.endsWith(sep) ? absolute : absolute + sep);
            continue;
          }
          if (path === m) {
            add(m);
            continue;
          }
          walked.push(absolute.endsWith(sep) ? absolute : absolute + sep);
          if (absolute !== options.skipFolder) walk(path);
        }
      } else {
        add(spec, createUnreadableError(spec, e));
      }
      continue;
    }
    if (stats.isDirectory()) walk(spec);
    else add(spec);
  }

  for (const name of options.listed ?? []) {
    const path = typeof name === 'string' ? name : decodeFileName(name);
    const raw = typeof name === 'string' ? undefined : name[0] === 0x2f ? Buffer.from(name) : Buffer.concat([Buffer.from(join(resolve(cwd), '/')), name]);
    let error: XunshiError | undefined;
    try {
      if (statSync(raw ?? resolve(cwd, path), { bigint: true }).isDirectory()) {
        error = new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'cannot read input: it is a folder (a --files-from list names files)', { file: path });
      }
    } catch (e) {
      // A dangling symlink is still a named input; lstat tells it apart from a path that is simply missing.
      error = createUnreadableError(path, e);
      try {
        if (lstatSync(raw ?? resolve(cwd, path), { bigint: true }).isSymbolicLink()) error = new XunshiError(ERROR_CODES.INPUT_UNREADABLE, 'cannot read input: the symbolic link points nowhere', { file: path });
      } catch {
        // missing: keep the first error
      }
    }
    add(path, error, raw);
  }
  // A file left out of a folder walk but named in another argument is an input after all.
  const kept = skipped.filter((p) => !seen.has(resolve(cwd, p))).sort(compareCodeUnits);
  return { inputs, skipped: kept, skippedInArchives: skippedInArchives.sort(compareCodeUnits), linkedFolders: linkedFolders.sort(compareCodeUnits), outputFolders: outputFolders.sort(compareCodeUnits), duplicates };
}

// ignoreBOM: a name that begins with U+FEFF keeps it.
/** A symbolic link that points to a folder (counted apart from the files of other kinds: naming it walks it). */
function isLinkToFolder(path: string | Buffer): boolean {
  try {
    // BigInt stats: see readRegularFile (nodejs/node#51142).
    return statSync(path, { bigint: true }).isDirectory();
  } catch {
    return false;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A file name's bytes as text: UTF-8 as it is, any byte that is not part of a UTF-8 character as `\xHH` (two hex
 * digits, upper case), so that names differing only in such bytes stay different.
 */
export function decodeFileName(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    // not UTF-8 throughout: decoded character by character below
  }
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    let taken = 0;
    // A UTF-8 character is 1 to 4 bytes: take the shortest that decodes to exactly one character.
    for (let n = 1; n <= 4 && i + n <= bytes.length && !taken; n++) {
      try {
        const ch = utf8.decode(bytes.subarray(i, i + n));
        if ([...ch].length === 1) {
          out += ch;
          taken = n;
        }
      } catch {
        // not a whole character yet
      }
    }
    if (!taken) {
      out += `\\x${bytes[i]!.toString(16).toUpperCase().padStart(2, '0')}`;
      taken = 1;
    }
    i += taken;
  }
  return out;
}

/** A match of a pattern (a folder ends with `/`), or a folder the pattern's crawl could not list, with its error. */
interface PatternMatch {
  path: string;
  error?: unknown;
}

async function expandPattern(pattern: string, cwd: string): Promise<PatternMatch[]> {
  const { glob } = await import('tinyglobby');
  // Folders the crawl could not list (the crawler drops them without a word): each is an error entry, as in a walk.
  const unreadable: PatternMatch[] = [];
  const readdirListing = (path: string, options: { withFileTypes: true }, callback: ReaddirCallback): void =>
    readdirAsWalked(path, options, (error, entries) => {
      if (error && error.code !== 'ENOENT' && error.code !== 'ENOTDIR') {
        const folder = resolve(cwd, path);
        unreadable.push({ path: isAbsolute(pattern) ? folder : relative(cwd, folder) || '.', error });
      }
      callback(error, entries);
    });
  const matches = await glob(pattern, {
    cwd,
    absolute: isAbsolute(pattern),
    // Folders too (with a trailing /): they are walked.
    onlyFiles: false,
    dot: false,
    expandDirectories: false,
    followSymbolicLinks: false,
    // The adapter takes the one overload the crawler calls (with file types and a callback).
    fs: { readdir: readdirListing as unknown as typeof readdir },
  });
  return [...matches.map((path) => ({ path })), ...unreadable].sort((a, b) => compareCodeUnits(a.path, b.path));
}

type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries?: Dirent[]) => void;

/**
 * `readdir` for the pattern crawler, so that a pattern takes what a folder walk takes. Without it the crawler (with
 * symbolic links not followed) listed only regular files: a link to a report, a dangling link or a FIFO matching
 * the pattern was silently left out (`reports/*.txt` over a folder of links matched nothing), while the same folder
 * walked gave each its report or error entry. Here everything that is not a folder is listed as a file, a link after
 * the thing it points to; a link to a folder stays a link, which is not followed (a link back up the tree would never
 * end), as in a folder walk.
 */
function readdirAsWalked(path: string, options: { withFileTypes: true }, callback: ReaddirCallback): void {
  readdir(path, options, (error, entries) => {
    if (error) return callback(error, entries);
    callback(
      null,
      entries.map((entry) => {
        if (entry.isFile() || entry.isDirectory()) return entry;
        if (entry.isSymbolicLink()) {
          try {
            // BigInt stats: see readRegularFile (a plain stat of a FIFO broke the next lazy import, nodejs/node#51142).
            if (statSync(resolve(path, entry.name), { bigint: true }).isDirectory()) return entry;
          } catch {
            // dangling, or a loop of links: an input all the same, whose error entry says so
          }
        }
        return Object.assign(Object.create(entry) as Dirent, { isFile: () => true, isSymbolicLink: () => false, isDirectory: () => false });
      }),
    );
  });
}

/**
 * Compare file names as people number pages: runs of digits by their value (IMG_2 before IMG_10, scan_009 before
 * scan_010), everything else by code units, so that the order is the same on every machine; names that differ only in
 * leading zeros fall back to code-unit order.
 */
export function comparePageNames(a: string, b: string): number {
  const runs = /\d+|\D+/g;
  const x = a.match(runs) ?? [];
  const y = b.match(runs) ?? [];
  for (let i = 0; i < x.length && i < y.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (/^\d/.test(p) && /^\d/.test(q)) {
      const u = p.replace(/^0+(?=\d)/, '');
      const v = q.replace(/^0+(?=\d)/, '');
      if (u.length !== v.length) return u.length - v.length;
      if (u !== v) return u < v ? -1 : 1;
      continue;
    }
    return p < q ? -1 : 1;
  }
  return x.length !== y.length ? x.length - y.length : compareCodeUnits(a, b);
}

/**
 * `--join-images`: the image files of each folder (or folder of a zip archive) taken as the pages of one report, in
 * the order of their names' page numbers ({@link comparePageNames}), instead of one report each: a phone's photographs
 * of a notice (IMG_1.jpg … IMG_4.jpg), a scanner's file a page. The report takes the place of the folder's first image
 * and is named by the folder (`photos/`); inputs that are not images, and images with an error entry already (a
 * missing file), stay as they are.
 */
export function joinImageFolders(inputs: readonly BatchInput[]): BatchInput[] {
  const groups = new Map<string, BatchInput>();
  const out: BatchInput[] = [];
  for (const input of inputs) {
    if (input.error || input.absolute === null || input.pages || !IMAGE_EXTENSIONS.includes(getExtension(input.path))) {
      out.push(input);
      continue;
    }
    // An archive member's absolute path is the archive's followed by the entry's name: its folder is the entry's.
    const folder = input.absolute.slice(0, Math.max(input.absolute.lastIndexOf('/'), input.absolute.lastIndexOf(sep)));
    let group = groups.get(folder);
    if (!group) {
      const cut = Math.max(input.path.lastIndexOf('/'), input.path.lastIndexOf(sep));
      group = { path: cut < 0 ? `.${sep === '/' ? '/' : sep}` : input.path.slice(0, cut + 1), absolute: folder, pages: [] };
      groups.set(folder, group);
      out.push(group);
    }
    group.pages!.push(input);
  }
  for (const group of groups.values()) group.pages!.sort((a, b) => comparePageNames(pageName(a), pageName(b)));
  return out;
}

/** The name of a page's file within its report's folder (its last path segment). */
export function pageName(input: BatchInput): string {
  return input.path.slice(Math.max(input.path.lastIndexOf('/'), input.path.lastIndexOf(sep)) + 1);
}
