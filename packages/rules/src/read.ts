/** Phase 1 of loading: read every file of the rules folders (the only file I/O of the ruleset). */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { Document, LineCounter } from 'yaml';

/** The `yaml` library, loaded on first use: a ruleset found in the compiled-ruleset cache parses no YAML. */
let yamlLib: typeof import('yaml') | undefined;
export function getYaml(): typeof import('yaml') {
  return (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

/**
 * Most alias expansions a YAML file may make before it is refused as an alias bomb. The `yaml` library's default, 100,
 * refused an ordinary file of 200 rules that each reuse one anchored example list; ten levels of tenfold aliases (a
 * billion-laughs file) still pass it at the second level.
 */
export const MAX_ALIAS_COUNT = 1000;
import type { ErrorIssue } from '@xunshi/types';

/** A file of a rules folder as read: its folder, its path below the folder and its text. */
export interface SourceFile {
  dir: string;
  /** Path below the folder, with the platform's separators. */
  rel: string;
  /** Full path (what messages name). */
  file: string;
  text: string;
}

/** A parsed YAML file, with what it takes to find the line and column of any node. */
export interface YamlFile extends SourceFile {
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

/** Everything one rules folder holds. */
export interface FolderFiles {
  dir: string;
  /** `taxonomy.yaml` and `scoring.yaml`, when present and parseable. */
  taxonomy?: YamlFile;
  scoring?: YamlFile;
  /** `function-model.json`, when present (JSON: a fitted model is large, and JSON parses a hundred times faster). */
  functionModel?: SourceFile;
  /** `category-model.json`, when present (the fitted category model). */
  categoryModel?: SourceFile;
  /** Every other `*.yaml`/`*.yml` below the folder (outside `lexicon/` and `facts/`), sorted by path. */
  ruleFiles: YamlFile[];
  /** `lists/*.yaml`: named term lists that rules refer to as `@name`, sorted by path. */
  listFiles: YamlFile[];
  /** `lexicon/*.txt`, sorted by name. */
  lexicon: SourceFile[];
  /** `facts/unit-types.yaml`, when present and parseable. */
  unitTypes?: YamlFile;
  /** Every file read, in read order (what the ruleset hash covers). */
  all: SourceFile[];
}

/** Largest file a rules folder may hold (the shipped function model, the largest, is about 0.3 MB). */
export const MAX_RULE_FILE_BYTES = 32 * 1024 * 1024;

/** Name of the fitted function model in a rules folder. */
export const FUNCTION_MODEL_FILE = 'function-model.json';
export const CATEGORY_MODEL_FILE = 'category-model.json';

/** Relative path of the unit-type list below a rules folder. */
export const UNIT_TYPES_FILE = join('facts', 'unit-types.yaml');

/** The files of one rules folder as read, before any YAML is parsed. */
export interface FolderTexts {
  dir: string;
  /** Every `*.yaml`/`*.yml` below the folder (outside `lexicon/` and `facts/`), sorted by path. */
  yaml: SourceFile[];
  lexicon: SourceFile[];
  functionModel?: SourceFile;
  categoryModel?: SourceFile;
  unitTypes?: SourceFile;
  /** Every file read, in read order (what the ruleset hash covers). */
  all: SourceFile[];
}

/** Read one rules folder; YAML syntax errors and a missing folder become issues. */
export function readRulesFolder(dir: string, issues: ErrorIssue[]): FolderFiles | undefined {
  const texts = readRulesTexts(dir, issues);
  return texts && parseRulesFolder(texts, issues);
}

/** Phase 1a: read the text of every file of a rules folder (the only file I/O of the ruleset); a missing folder is an issue. */
export function readRulesTexts(dir: string, issues: ErrorIssue[]): FolderTexts | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    issues.push({ file: dir, message: 'rules folder not found' });
    return undefined;
  }
  const out: FolderTexts = { dir, yaml: [], lexicon: [], all: [] };
  const read = (file: string): SourceFile | undefined => {
    // A rules folder may come from anyone: a FIFO, a device or a huge file must not block or exhaust the loader, and a
    // link to nothing (an editor's lock file) or a file that cannot be read is a problem of that file, not a crash.
    let bytes: Buffer;
    try {
      const st = statSync(file);
      if (!st.isFile()) {
        issues.push({ file, message: 'not a regular file (a FIFO, device or socket in a rules folder is never read)' });
        return undefined;
      }
      if (st.size > MAX_RULE_FILE_BYTES) {
        issues.push({ file, message: `${st.size} bytes: a rules-folder file may have at most ${MAX_RULE_FILE_BYTES}` });
        return undefined;
      }
      bytes = readFileSync(file);
    } catch (e) {
      issues.push({ file, message: `cannot read: ${describeFsError(e)}` });
      return undefined;
    }
    const text = decodeUtf8(bytes);
    if (typeof text !== 'string') {
      issues.push({ file, ...text, message: 'not UTF-8: a rules-folder file must be saved as UTF-8 (a GB18030/GBK or Big5 file would be read as mojibake)' });
      return undefined;
    }
    const source = { dir, rel: relative(dir, file), file, text };
    out.all.push(source);
    return source;
  };
  for (const file of listYamlFiles(dir, issues)) {
    const rel = relative(dir, file);
    // taxonomy.yml and scoring.yml were read as rule files ("missing key rules"): say what name they need.
    if (rel === 'taxonomy.yml' || rel === 'scoring.yml') {
      issues.push({ file, message: `name it ${rel.replace(/\.yml$/, '.yaml')}: the file is found by that name only` });
      continue;
    }
    const source = read(file);
    if (source) out.yaml.push(source);
  }
  // facts/ holds one file of a fixed name: another (facts/unit-type.yaml) was silently not read.
  const factsDir = join(dir, 'facts');
  if (existsSync(factsDir) && statSync(factsDir).isDirectory()) {
    for (const name of readdirSync(factsDir).sort()) {
      if (name.startsWith('.') || join('facts', name) === UNIT_TYPES_FILE) continue;
      issues.push({ file: join(factsDir, name), message: `facts/ holds only unit-types.yaml: this file is not read (a misspelt name?)` });
    }
  }
  const lexiconDir = join(dir, 'lexicon');
  if (existsSync(lexiconDir)) {
    for (const name of readdirSync(lexiconDir).filter((f) => f.endsWith('.txt') && !f.startsWith('.')).sort()) {
      const source = read(join(lexiconDir, name));
      if (source) out.lexicon.push(source);
    }
  }
  const model = join(dir, FUNCTION_MODEL_FILE);
  if (existsSync(model)) out.functionModel = read(model);
  const categoryModel = join(dir, CATEGORY_MODEL_FILE);
  if (existsSync(categoryModel)) out.categoryModel = read(categoryModel);
  const unitTypes = join(dir, UNIT_TYPES_FILE);
  if (existsSync(unitTypes)) {
    const source = read(unitTypes);
    if (source) out.unitTypes = source;
  }
  return out;
}

/** Phase 1b: parse the YAML files of a folder read by {@link readRulesTexts}; syntax errors become issues. */
export function parseRulesFolder(texts: FolderTexts, issues: ErrorIssue[]): FolderFiles {
  const out: FolderFiles = { dir: texts.dir, ruleFiles: [], listFiles: [], lexicon: texts.lexicon, all: texts.all };
  for (const source of texts.yaml) {
    const parsed = parseYaml(source, issues);
    if (!parsed) continue;
    if (parsed.rel === 'taxonomy.yaml') out.taxonomy = parsed;
    else if (parsed.rel === 'scoring.yaml') out.scoring = parsed;
    else if (parsed.rel.startsWith(`lists${sep}`)) out.listFiles.push(parsed);
    else out.ruleFiles.push(parsed);
  }
  if (texts.functionModel) out.functionModel = texts.functionModel;
  if (texts.categoryModel) out.categoryModel = texts.categoryModel;
  if (texts.unitTypes) {
    const parsed = parseYaml(texts.unitTypes, issues);
    if (parsed) out.unitTypes = parsed;
  }
  return out;
}

function parseYaml(source: SourceFile, issues: ErrorIssue[]): YamlFile | undefined {
  const { LineCounter, isAlias, parseDocument, visit } = getYaml();
  const lines = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      // The library's own advice for a second document (`please use YAML.parseAllDocuments()`) is for programmers.
      const message =
        e.code === 'MULTIPLE_DOCS'
          ? 'a rules file holds one YAML document, and this "---" starts a second'
          : /call stack/i.test(e.message)
            ? 'nested too deeply to read (thousands of levels of lists or maps; a rules file nests a handful)'
            : e.message.split('\n')[0];
      issues.push({ file: source.file, line: pos.line, column: pos.col, message: `YAML: ${message}` });
    }
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    if (e instanceof RangeError) {
      // Nesting deeper than the converter's stack (thousands of levels; no rules file nests past a handful).
      issues.push({ file: source.file, line: 1, column: 1, message: 'YAML: nested too deeply to read (thousands of levels of lists or maps)' });
      return undefined;
    }
    // The `yaml` library throws (a ReferenceError) when expanding the aliases would pass maxAliasCount: an alias bomb.
    // It is the file's fault, so it is reported at the file's first alias like any other YAML problem.
    let at = 0;
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && node.range) at = node.range[0];
        return visit.BREAK;
      },
    });
    const pos = lines.linePos(at);
    const why = /alias/i.test((e as Error).message) ? `too many aliases (more than ${MAX_ALIAS_COUNT} expansions; an alias bomb?)` : (e as Error).message;
    issues.push({ file: source.file, line: pos.line, column: pos.col, message: `YAML: ${why}` });
    return undefined;
  }
  return { ...source, doc, lines, data };
}

/**
 * The YAML files below `dir`, sorted, outside `lexicon/`, `facts/` and hidden folders; hidden files (an editor's
 * `.#name.yaml` lock, a `._name.yaml` resource fork) are skipped too. A folder linked back into itself is a problem,
 * walked once.
 */
function listYamlFiles(dir: string, issues: ErrorIssue[]): string[] {
  const out: string[] = [];
  // Folders and files already read, by real path: a folder (or file) that links reach by several paths is read once,
  // where the sorted walk first meets it. Without it, a chain of folders each linking twice to the next was walked
  // once per path (2^depth: 22 levels hung the loader before any text was read), and a rule file linked twice gave
  // every one of its rules twice, under two ids.
  const visited = new Set<string>();
  const files = new Set<string>();
  const walk = (d: string, above: Set<string>): void => {
    let real: string;
    let names: string[];
    try {
      real = realpathSync(d);
      names = readdirSync(d).sort();
    } catch (e) {
      issues.push({ file: d, message: `cannot read: ${describeFsError(e)}` });
      return;
    }
    if (above.has(real)) {
      issues.push({ file: d, message: `a link back to ${real}, which holds it (the folder would be read again and again)` });
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    const inner = new Set(above).add(real);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const full = join(d, name);
      let isDir: boolean;
      try {
        isDir = statSync(full).isDirectory();
      } catch (e) {
        // A link to nothing: report it when it looks like a rule file; anything else is not read anyway.
        if (/\.ya?ml$/.test(name)) issues.push({ file: full, message: `cannot read: ${describeFsError(e)}` });
        continue;
      }
      if (isDir) {
        if (name !== 'lexicon' && name !== 'facts') walk(full, inner);
      } else if (/\.ya?ml$/i.test(name) && !/\.ya?ml$/.test(name)) {
        issues.push({ file: full, message: `write the extension in lower case (.yaml): a file named ${name} is not read` });
      } else if (/\.ya?ml$/.test(name)) {
        let realFile = full;
        try {
          realFile = realpathSync(full);
        } catch {
          // stat succeeded a moment ago: read it by its own path, and let the reader report what went wrong
        }
        if (files.has(realFile)) continue;
        files.add(realFile);
        out.push(full);
      }
    }
  };
  walk(dir, new Set());
  return out;
}

/** A file-system error as a short phrase with its code (`no such file or folder (ENOENT)`). */
function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const what: Record<string, string> = {
    ENOENT: 'no such file or folder (a link to nothing?)',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ELOOP: 'too many levels of links',
    EISDIR: 'is a folder',
    EIO: 'input/output error',
  };
  return code ? `${what[code] ?? (e as Error).message} (${code})` : (e as Error).message;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `bytes` as UTF-8 text (a BOM is kept, as YAML reads it), or the line and column of the first byte that is not UTF-8. */
function decodeUtf8(bytes: Buffer): string | { line: number; column: number } {
  try {
    return utf8.decode(bytes);
  } catch {
    // Find the first invalid sequence: the longest valid prefix, decoded, gives its line and column.
    const validPrefix = (n: number): string | undefined => {
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, n), { stream: true });
      } catch {
        return undefined;
      }
    };
    let lo = 0;
    let hi = bytes.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (validPrefix(mid) === undefined) hi = mid - 1;
      else lo = mid;
    }
    const lines = validPrefix(lo)!.split('\n');
    return { line: lines.length, column: lines.at(-1)!.length + 1 };
  }
}
