import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportSummary, SourceFormat } from '@xunshi/types';
import { SOURCE_FORMATS } from '@xunshi/types';
import { MANIFEST_FILE } from './folder-names.js';
import { resolveOutputFile, writeFileAtomicSync } from './output.js';

export { MANIFEST_FILE };

/** Bump when the manifest's shape changes: a folder written before is then analysed again whole. */
const MANIFEST_VERSION = 1;

/** The formats whose reading `--ocr` can change (pages, pictures); a text, Markdown or spreadsheet report is read alike. */
const OCR_FORMATS: ReadonlySet<SourceFormat> = new Set(['html', 'mhtml', 'docx', 'doc', 'rtf', 'odt', 'pdf', 'ofd', 'image']);

/** What the index of `--format html` shows of a report: kept so that a page kept unchanged is still listed. */
export type IndexSummary = Pick<ReportSummary, 'passages' | 'functions' | 'categories' | 'subcategories' | 'rootCauses'>;

/** What a folder's manifest records of one report file, by the file's name below the folder. */
export interface ManifestEntry {
  /** The input's path as the report names it (`source.path`). */
  path: string;
  /** The input's digest ({@link digestBytes}, {@link PageDigest}). */
  input: string;
  /** SHA-256 of the report file's bytes as written. */
  output: string;
  /** The report's `source.format`. */
  format: SourceFormat;
  /** Whether it was read with `--ocr`. */
  ocr: boolean;
  /** `--format html`: the counts the index shows. */
  index?: IndexSummary;
}

/**
 * What a task sends back about the report it wrote, for the manifest: the input's digest, the SHA-256 of the rendered
 * output and the report's format; or that it kept the report written before (the input was not analysed again and
 * its file stays as it is).
 */
export type OutputStamp = { kept: true } | { kept?: undefined; input: string; output: string; format: SourceFormat };

/** What the batch checks (`mayKeepReport`, before any worker starts) to keep a report instead of analysing its input again. */
export interface KeepCheck {
  /** The input's digest when the report was written. */
  input: string;
  /** The report file (absolute) and the SHA-256 it had when written: a file changed or removed since is written again. */
  file: string;
  output: string;
}

/** Options that shape every report of a folder (with xunshi's build and the rules), hashed into the folder's key. */
export interface ManifestKeyParts {
  /** `getBuildIdentity()`. */
  build: string;
  rulesetHash: string;
  format: 'json' | 'html';
  encoding: string;
  formatIn?: string;
}

/** The key under which a folder's reports were written; a report is kept only under the same key. */
export function manifestKey(parts: ManifestKeyParts): string {
  return createHash('sha256').update(JSON.stringify([MANIFEST_VERSION, parts.build, parts.rulesetHash, parts.format, parts.encoding, parts.formatIn ?? null])).digest('hex');
}

/** SHA-256 (hex) of bytes or of a string's UTF-8. */
export function digestBytes(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The digest of a report read from several image files (`--join-images`): each file's name and bytes in page order,
 * or why it could not be read, so that a page added, removed, renamed, changed or newly readable changes it.
 */
export class PageDigest {
  private readonly hash = createHash('sha256');
  add(name: string, bytes: Uint8Array | undefined, error?: string): void {
    this.hash.update(`${name}\0`);
    if (bytes) this.hash.update('=').update(bytes);
    else this.hash.update(`!${error ?? ''}`);
    this.hash.update('\0');
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEntry(value: unknown): value is ManifestEntry {
  if (!isRecord(value)) return false;
  const { path, input, output, format, ocr, index } = value;
  return (
    typeof path === 'string' &&
    typeof input === 'string' &&
    typeof output === 'string' &&
    typeof format === 'string' &&
    SOURCE_FORMATS.includes(format as SourceFormat) &&
    typeof ocr === 'boolean' &&
    (index === undefined || isIndexSummary(index))
  );
}

const isCount = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isCounts = (value: unknown): boolean => isRecord(value) && Object.values(value).every(isCount);

/** Counts as the index shows them: whole numbers, never text (a manifest edited by hand must not put any in a page). */
function isIndexSummary(value: unknown): value is IndexSummary {
  return isRecord(value) && isCount(value.passages) && isCounts(value.functions) && isCounts(value.categories) && isCounts(value.subcategories) && isCounts(value.rootCauses);
}

/** What {@link readManifest} found: the entries written under the key, and why there are none when the file gave none. */
export interface ReadManifest {
  entries: Map<string, ManifestEntry>;
  /** No manifest (`missing`), one that does not read back (`unreadable`: an older xunshi's, edited by hand), or one written under another key (`other-key`: other rules, another xunshi, other options). */
  none?: 'missing' | 'unreadable' | 'other-key';
}

/** The entries of `dir`'s manifest written under `key`, or why there are none. */
export function readManifest(dir: string, key: string): ReadManifest {
  const entries = new Map<string, ManifestEntry>();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8'));
  } catch (e) {
    return { entries, none: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  if (!isRecord(data) || data.version !== MANIFEST_VERSION || typeof data.key !== 'string' || !isRecord(data.reports)) return { entries, none: 'unreadable' };
  if (data.key !== key) return { entries, none: 'other-key' };
  for (const [name, entry] of Object.entries(data.reports)) if (isEntry(entry)) entries.set(name, entry);
  return { entries };
}

/** The manifest's text: entries by name (code-unit order), so the same folder gives the same bytes. */
export function renderManifest(key: string, entries: ReadonlyMap<string, ManifestEntry>): string {
  const reports: Record<string, ManifestEntry> = {};
  for (const name of [...entries.keys()].sort()) {
    const { path, input, output, format, ocr, index } = entries.get(name)!;
    reports[name] = { path, input, output, format, ocr, ...(index ? { index } : {}) };
  }
  return `${JSON.stringify({ version: MANIFEST_VERSION, key, reports }, null, 2)}\n`;
}

/**
 * Whether the report `entry` records may be kept for `path` read with `ocr`: the same input path (the report names
 * it) and, where `--ocr` bears on the format, the same `--ocr`. The input's bytes and the file's are checked where the
 * input is read ({@link KeepCheck}).
 */
export function mayKeep(entry: ManifestEntry, path: string, ocr: boolean): boolean {
  return entry.path === path && (entry.ocr === ocr || !OCR_FORMATS.has(entry.format));
}

/** True when the file at `file` still has the SHA-256 `output` (false when it is gone or unreadable). */
export function fileUnchanged(file: string, output: string): boolean {
  try {
    return digestBytes(readFileSync(file)) === output;
  } catch {
    return false;
  }
}

/**
 * The manifest of a folder being written: the earlier run's entries under the same key, each input's replaced as the
 * run writes, keeps or fails it; {@link write} writes it atomically (at the end, and when the run is interrupted, when
 * the entries of the inputs not reached are still the earlier run's, so that a run again goes on where it stopped).
 */
export class ManifestWriter {
  private readonly entries: Map<string, ManifestEntry>;
  constructor(
    private readonly dir: string,
    private readonly key: string,
    /** The entries read before the run (see {@link readManifest}). */
    readonly previous: ReadonlyMap<string, ManifestEntry>,
    /** Each input's report file below the folder and the path its report names, by input index (null: none). */
    private readonly outputs: readonly ({ name: string; path: string } | null)[],
    private readonly ocr: boolean,
  ) {
    // An input of this run whose report the earlier run wrote under another name (x.txt was x.json; beside x.md now, it
    // is x.txt.json) has its entry under the new name only, as a full run's manifest has it.
    const nameOf = new Map(outputs.flatMap((o) => (o ? [[o.path, o.name] as const] : [])));
    this.entries = new Map([...previous].filter(([name, entry]) => !nameOf.has(entry.path) || nameOf.get(entry.path) === name));
  }

  /** The report files of the earlier run whose inputs are not this run's (sorted): left in the folder as they are. */
  othersKept(): string[] {
    const names = new Set(this.outputs.flatMap((o) => (o ? [o.name] : [])));
    const paths = new Set(this.outputs.flatMap((o) => (o ? [o.path] : [])));
    return [...this.previous].filter(([name, entry]) => !names.has(name) && !paths.has(entry.path)).map(([name]) => name).sort();
  }

  /** The earlier entry of input `index`'s report file. */
  previousOf(index: number): ManifestEntry | undefined {
    const out = this.outputs[index];
    return out ? this.previous.get(out.name) : undefined;
  }

  /**
   * Input `index`'s report was written (or kept) as `stamp` says (without a stamp it cannot be kept: standard input, a
   * web page that looked for pictures beside it); `index` for `--format html`.
   */
  record(index: number, stamp: OutputStamp | undefined, summary?: IndexSummary): void {
    const out = this.outputs[index];
    if (!out || stamp?.kept) return;
    if (stamp === undefined) this.entries.delete(out.name);
    else this.entries.set(out.name, { path: out.path, input: stamp.input, output: stamp.output, format: stamp.format, ocr: this.ocr, ...(summary ? { index: summary } : {}) });
  }

  /** Input `index` failed: its report file, if an earlier run left one, is not this run's. */
  forget(index: number): void {
    const out = this.outputs[index];
    if (out) this.entries.delete(out.name);
  }

  /**
   * Refuse, before any input is read, a manifest that could not be written at the end (a folder or a device in its
   * place): `XUNSHI_OUTPUT_FAILED`, as for the error list.
   */
  prepare(): void {
    resolveOutputFile(join(this.dir, MANIFEST_FILE));
  }

  write(): void {
    writeFileAtomicSync(join(this.dir, MANIFEST_FILE), renderManifest(this.key, this.entries));
  }
}
