/** Phase 3 of loading: turn validated data into compiled values, with the checks a schema cannot make. */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import type { CategoryId, ErrorIssue, FunctionId, Lexicon, RootCauseId, UnitType, UnitTypeList } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import { COMMON_RULE_KEYS } from './schema.js';
import { RULE_KIND_MODULES } from './kinds/index.js';
import type { CompiledRule, RuleExample, RuleKind, RuleTarget, Taxonomy } from './model.js';
import type { SourceFile, YamlFile } from './read.js';
import { positionOf, validateLexiconLine } from './validate.js';

/** Rule id prefix from a file path: `categories/conduct/formalism.yaml` → `conduct.formalism`. */
export function getRuleIdPrefix(dir: string, file: string): string {
  const parts = relative(dir, file).replace(/\.ya?ml$/, '').split(sep);
  if (parts.length > 1) parts.shift();
  return parts.join('.');
}

/**
 * Check a taxonomy against the closed label sets of the output contract (`CATEGORY_IDS`, `ROOT_CAUSE_IDS`,
 * `FUNCTION_IDS` of @xunshi/types): a label the report cannot carry is an error, never silently dropped. A subcategory
 * id starts with its category's id and a dot.
 */
export function checkTaxonomy(file: YamlFile, taxonomy: Taxonomy, issues: ErrorIssue[]): void {
  const check = (list: { id: string }[], key: string, known: readonly string[], what: string): void => {
    list.forEach((label, i) => {
      if (!known.includes(label.id)) {
        issues.push({ file: file.file, ...positionOf(file, [key, i, 'id']), message: `unknown ${what} "${label.id}": the output knows only ${known.join(', ')}` });
      } else if (list.findIndex((l) => l.id === label.id) < i) {
        issues.push({ file: file.file, ...positionOf(file, [key, i, 'id']), message: `${what} "${label.id}" is listed twice` });
      }
    });
  };
  check(taxonomy.functions, 'functions', FUNCTION_IDS, 'function');
  check(taxonomy.rootCauses, 'rootCauses', ROOT_CAUSE_IDS, 'root cause');
  check(taxonomy.categories, 'categories', CATEGORY_IDS, 'category');
  const subcategories = new Set<string>();
  taxonomy.categories.forEach((c, i) => {
    c.subcategories.forEach((s, j) => {
      if (!s.id.startsWith(c.id + '.') || s.id.length === c.id.length + 1) {
        issues.push({ file: file.file, ...positionOf(file, ['categories', i, 'subcategories', j, 'id']), message: `subcategory "${s.id}" must be "${c.id}." followed by its own name` });
      } else if (subcategories.has(s.id)) {
        issues.push({ file: file.file, ...positionOf(file, ['categories', i, 'subcategories', j, 'id']), message: `subcategory "${s.id}" is listed twice` });
      }
      subcategories.add(s.id);
    });
  });
}

/** The ids of a taxonomy, for checking the labels rules name. */
export interface LabelIds {
  categories: Set<string>;
  subcategories: Set<string>;
  rootCauses: Set<string>;
  functions: Set<string>;
}

export function getLabelIds(taxonomy: Taxonomy): LabelIds {
  return {
    categories: new Set(taxonomy.categories.map((c) => c.id)),
    subcategories: new Set(taxonomy.categories.flatMap((c) => c.subcategories.map((s) => s.id))),
    rootCauses: new Set(taxonomy.rootCauses.map((r) => r.id)),
    functions: new Set(taxonomy.functions.map((f) => f.id)),
  };
}

interface RuleFileData {
  defaults?: Record<string, unknown>;
  rules: Record<string, unknown>[];
}

/**
 * Compile the rules of one validated rule file. `labels` is undefined when the taxonomy is invalid (then labels are not
 * checked: every one would be reported as unknown, and the taxonomy's own errors say enough).
 */
export function compileRuleFile(file: YamlFile, data: RuleFileData, labels: LabelIds | undefined, issues: ErrorIssue[], lists: TermLists = new Map()): CompiledRule[] {
  const prefix = getRuleIdPrefix(file.dir, file.file);
  const defaults = data.defaults ?? {};
  // A default no rule of the file can take (columnHeader over terms rules) does nothing: said at the default.
  for (const key of Object.keys(defaults)) {
    if (COMMON_RULE_KEYS.includes(key)) continue;
    const kinds = [...new Set(data.rules.map((r) => r.kind as RuleKind))].filter((k) => RULE_KIND_MODULES[k] !== undefined);
    if (kinds.length > 0 && !kinds.some((k) => key in RULE_KIND_MODULES[k].keys)) {
      const takers = Object.values(RULE_KIND_MODULES).filter((m) => key in m.keys).map((m) => m.kind);
      issues.push({ file: file.file, ...positionOf(file, ['defaults', key], true), message: `default "${key}" applies to no rule of this file (${kinds.join(', ')}); it is a key of ${takers.join(', ')} rules` });
    }
  }
  // A bad default (a misspelt defaults.category) is named once, at the default, not at every rule that takes it.
  const seen = new Set<string>();
  const once: ErrorIssue[] = [];
  const rules = data.rules.map((raw, idx) => compileRule(file, prefix, idx, raw, defaults, labels, once, lists));
  for (const issue of once) {
    const key = `${issue.line}:${issue.column}:${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return rules;
}

/** Named term lists (`lists/*.yaml`), by name; a later folder's list replaces an earlier one of the same name. */
export type TermLists = Map<string, string[]>;

/**
 * Merge the validated list files of every folder, in load order. A name that two files of one folder (`folder`: its
 * place in the load order) both define is an error, as a rule id twice in a folder is: neither silently wins.
 */
export function compileTermLists(files: { file: YamlFile; data: { lists: Record<string, string[]> }; folder?: number }[], issues: ErrorIssue[] = []): TermLists {
  const out: TermLists = new Map();
  const from = new Map<string, { file: YamlFile; folder: number | undefined }>();
  for (const { file, data, folder } of files) {
    for (const [name, terms] of Object.entries(data.lists)) {
      const prev = from.get(name);
      if (prev && prev.folder === folder) {
        const first = positionOf(prev.file, ['lists', name], true);
        issues.push({ file: file.file, ...positionOf(file, ['lists', name], true), message: `list "@${name}" is also defined at ${prev.file.file}:${first.line}` });
      }
      out.set(name, terms);
      from.set(name, { file, folder });
    }
  }
  return out;
}

/**
 * Characters a term may be split by in the text: quotation marks (“三资”管理 still matches 三资管理) and the matching
 * copy's filler U+2060, which stands where a pinyin gloss was (統(tǒng)一 matches 统一).
 */
export const QUOTE_MARKS = '“”‘’「」『』"\'\u2060';

/** Keys that hold term lists, where `@name` stands for a named list. */
const TERM_KEYS = ['terms', 'first', 'then', 'concepts', 'predicates'] as const;

/** Replace every `@name` entry of the rule's term lists by the named list's terms (unknown names are reported). */
function expandTermLists(r: Record<string, unknown>, lists: TermLists, report: (key: string, message: string) => void): void {
  for (const key of TERM_KEYS) {
    const value = r[key];
    if (!Array.isArray(value) || !value.some((t) => typeof t === 'string' && t.startsWith('@'))) continue;
    r[key] = value.flatMap((t: string) => {
      if (!t.startsWith('@')) return [t];
      const list = lists.get(t.slice(1));
      if (!list) report(key, `unknown term list "${t}"${lists.size ? ` (lists: ${[...lists.keys()].map((n) => '@' + n).join(', ')})` : ' (no lists/*.yaml in the rules folder(s))'}`);
      return list ?? [];
    });
  }
}

function compileRule(
  file: YamlFile,
  prefix: string,
  idx: number,
  raw: Record<string, unknown>,
  defaults: Record<string, unknown>,
  labels: LabelIds | undefined,
  issues: ErrorIssue[],
  lists: TermLists,
): CompiledRule {
  const r = { ...defaults, ...raw } as Record<string, unknown> & { id: string; kind: RuleKind };
  const id = `${prefix}.${r.id}`;
  const report = (key: string | undefined, message: string): void => {
    // A value the rule has from the file's defaults is placed at the default.
    const path = key === undefined ? ['rules', idx] : key in raw || !(key in defaults) ? ['rules', idx, key] : ['defaults', key];
    issues.push({ file: file.file, ...positionOf(file, path), message });
  };
  expandTermLists(r, lists, report);
  for (const key of TERM_KEYS) {
    const value = r[key];
    if (!Array.isArray(value)) continue;
    for (const t of value) {
      // The automaton steps over these characters in the text, so a term of them alone stands for nothing.
      if (typeof t === 'string' && t.length > 0 && [...t].every((ch) => QUOTE_MARKS.includes(ch))) report(key, `term "${t}" is quotation marks alone, which matching steps over: it can never match`);
    }
  }
  const kind = RULE_KIND_MODULES[r.kind];
  const target = labels ? resolveTarget(r, labels, report) : {};
  if (kind.labelled && !('category' in r) && !('rootCause' in r) && !('function' in r)) {
    report(undefined, `rule "${id}" of kind ${r.kind} needs a category, rootCause or function`);
  }
  for (const key of kind.required) if (r[key] === undefined) report(undefined, `rule "${id}" of kind ${r.kind} needs "${key}"`);
  for (const key of Object.keys(raw)) {
    if (!COMMON_RULE_KEYS.includes(key) && !(key in kind.keys)) report(key, `"${key}" does not apply to rules of kind ${r.kind}`);
  }
  const pos = positionOf(file, ['rules', idx]);
  const ex = r.examples as { match: (string | RuleExample)[]; noMatch: (string | RuleExample)[] };
  // Each example keeps its own place in the file, where `rules test` points a failure of it (not at the rule's line).
  const norm = (kind: 'match' | 'noMatch') => (e: string | RuleExample, i: number): RuleExample => {
    const at = positionOf(file, ['rules', idx, 'examples', kind, i]);
    return { ...(typeof e === 'string' ? { text: e } : e), line: at.line, column: at.column };
  };
  ex.noMatch.forEach((e, i) => {
    if (typeof e !== 'string' && e.spans !== undefined) {
      issues.push({ file: file.file, ...positionOf(file, ['rules', idx, 'examples', 'noMatch', i, 'spans'], true), message: 'spans apply to match examples only: a noMatch example has no span to find' });
    }
  });
  if (raw.noMatchWithoutTerm !== undefined && r.kind !== 'terms' && r.kind !== 'near') report('noMatchWithoutTerm', `"noMatchWithoutTerm" does not apply to rules of kind ${r.kind} (only terms and near rules must hold a term in their noMatch examples)`);
  const compiled: CompiledRule = {
    id,
    kind: r.kind,
    file: file.file,
    line: pos.line,
    column: pos.column,
    target,
    weight: typeof r.weight === 'number' ? r.weight : 1,
    measureWeight: typeof r.measureWeight === 'number' ? r.measureWeight : typeof r.weight === 'number' ? r.weight : 1,
    boundary: r.boundary === 'none' || r.boundary === 'start' ? r.boundary : 'token',
    terms: (r.terms as string[] | undefined) ?? [],
    first: (r.first as string[] | undefined) ?? [],
    then: (r.then as string[] | undefined) ?? [],
    within: typeof r.within === 'number' ? r.within : 0,
    ordered: r.ordered !== false,
    absent: r.absent === true,
    columnHeader: r.columnHeader === true,
    window: typeof r.window === 'number' ? r.window : 4,
    scope: (r.scope as CompiledRule['scope'] | undefined) ?? ['function', 'category', 'rootCause'],
    targets: (r.targets as string[] | undefined) ?? [],
    examples: { match: ex.match.map(norm('match')), noMatch: ex.noMatch.map(norm('noMatch')) },
  };
  if (typeof r.description === 'string') compiled.description = r.description;
  if (typeof r.noMatchWithoutTerm === 'string') compiled.noMatchWithoutTerm = r.noMatchWithoutTerm;
  kind.compile?.({ id, rule: r, report }, compiled);
  return compiled;
}

function resolveTarget(r: Record<string, unknown>, labels: LabelIds, report: (key: string, message: string) => void): RuleTarget {
  const target: RuleTarget = {};
  if (typeof r.category === 'string') {
    if (labels.subcategories.has(r.category)) target.category = { id: r.category.split('.')[0] as CategoryId, subcategory: r.category };
    else if (labels.categories.has(r.category)) target.category = { id: r.category as CategoryId, subcategory: null };
    else report('category', `unknown category or subcategory "${r.category}"`);
  }
  if (typeof r.rootCause === 'string') {
    if (labels.rootCauses.has(r.rootCause)) target.rootCause = r.rootCause as RootCauseId;
    else report('rootCause', `unknown root cause "${r.rootCause}"`);
  }
  if (typeof r.function === 'string') {
    if (labels.functions.has(r.function)) target.function = r.function as FunctionId;
    else report('function', `unknown function "${r.function}"`);
  }
  return target;
}

/** Rules of later folders replace rules with the same id; a duplicate id within one folder is an error. */
export function mergeRules(batches: { dir: string; rules: CompiledRule[] }[], issues: ErrorIssue[]): Map<string, CompiledRule> {
  const byId = new Map<string, CompiledRule>();
  // The folder (its place in `batches`) each id was last set by: a folder whose path starts like another's
  // (`rules` and `rules-old`) is still another folder.
  const batchOf = new Map<string, number>();
  batches.forEach(({ rules }, b) => {
    for (const rule of rules) {
      const prev = byId.get(rule.id);
      if (prev && batchOf.get(rule.id) === b) {
        issues.push({ file: rule.file, line: rule.line, column: rule.column, message: `duplicate rule id "${rule.id}" (first at ${prev.file}:${prev.line})` });
      }
      byId.set(rule.id, rule);
      batchOf.set(rule.id, b);
    }
  });
  return byId;
}

/** Every `targets` prefix of an exclusion rule must name at least one rule. */
export function checkTargets(byId: Map<string, CompiledRule>, issues: ErrorIssue[]): void {
  const ids = [...byId.keys()];
  for (const rule of byId.values()) {
    for (const t of rule.targets) {
      if (!ids.some((id) => id === t || id.startsWith(t + '.'))) {
        issues.push({ file: rule.file, line: rule.line, column: rule.column, message: `rule "${rule.id}" targets "${t}", which matches no rule id` });
      }
    }
  }
}

/**
 * Check and collect the lexicon files of every folder, in order (nodejieba loads them in that order; a later entry
 * for the same word wins). Each non-empty line not starting with `#` is `word freq tag`, or a lone `word`.
 *
 * nodejieba reads the files themselves (by path), not these entries, and reads less than a reader of text would: it
 * splits the paths it is given on `|` and `;`, a line on single spaces only, and takes a line of two fields as a word
 * and a tag. So what it would read otherwise is refused here, rather than loaded as other words than the file shows.
 */
export function compileLexicon(files: SourceFile[], issues: ErrorIssue[]): Lexicon {
  if (files.length === 0) return { files: [], entries: [], hash: 'none', size: 0 };
  const hash = createHash('sha256');
  const entries: Lexicon['entries'] = [];
  for (const f of files) {
    hash.update(f.rel).update('\0').update(f.text).update('\0');
    if (/[|;]/.test(f.file)) {
      issues.push({ file: f.file, message: 'the path of a lexicon file may not hold "|" or ";": nodejieba takes them as separators between dictionary files (and aborts on the pieces); rename the folder' });
    }
    f.text.split('\n').forEach((text, idx) => {
      const cr = text.endsWith('\r');
      const raw = cr ? text.slice(0, -1) : text;
      const line = raw.trim();
      if (!line || line.startsWith('#')) return;
      const fields = line.split(/\s+/);
      const problem: { field: number; column?: number; message: string } | undefined = validateLexiconLine(fields) ?? segmenterProblem(raw, fields, cr);
      if (problem) {
        issues.push({ file: f.file, line: idx + 1, column: problem.column ?? fieldColumn(raw, problem.field), message: problem.message });
        return;
      }
      const entry: Lexicon['entries'][number] = { word: fields[0]! };
      if (fields[1] !== undefined) entry.freq = Number(fields[1]);
      if (fields[2] !== undefined) entry.tag = fields[2];
      entries.push(entry);
    });
  }
  return { files: files.map((f) => f.file), entries, hash: hash.digest('hex'), size: entries.length };
}

/**
 * What nodejieba would read otherwise in a lexicon line that is valid as text (see {@link compileLexicon}): white
 * space other than one space between fields (a tab, two spaces, a space at either end, a byte-order mark), `word freq`
 * without a tag, and a Windows line end after a lone word (it splits lines on LF only: the CR would end the word).
 */
function segmenterProblem(raw: string, fields: string[], cr: boolean): { field: number; column?: number; message: string } | undefined {
  if (raw.startsWith('\ufeff')) return { field: 0, column: 1, message: 'lexicon file starts with a byte-order mark, which the segmenter reads as part of the first word: save it as UTF-8 without BOM' };
  const spacing = /^\s|\s$|[^\S ]| {2}/.exec(raw);
  if (spacing) {
    return { field: 0, column: spacing.index + 1, message: 'lexicon fields must be separated by exactly one space: the segmenter splits on single spaces only, so a tab, a second space or a space at either end becomes part of a word' };
  }
  if (fields.length === 2) {
    return { field: 1, message: `lexicon line must be "word freq tag" (or a lone word): the segmenter reads "word freq" as a word and a tag and ignores the frequency; write e.g. "${fields[0]} ${fields[1]} n"` };
  }
  if (cr && fields.length === 1) {
    return { field: 0, column: raw.length + 1, message: 'a Windows line end (CR) after a lone word becomes part of the word for the segmenter: save the file with LF line ends, or give the word a frequency and a tag' };
  }
  return undefined;
}

/** 1-based column where white-space-separated field `n` of `line` starts (the end of the line past the last field). */
function fieldColumn(line: string, n: number): number {
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(line)) !== null) {
    if (i++ === n) return m.index + 1;
  }
  return line.length + 1;
}

interface UnitTypesData {
  determiners: string[];
  notWithin?: string[];
  types: (UnitType & { boundTerms?: string[]; description?: string })[];
}

/**
 * Merge the validated unit-type lists of every folder: a type with the id of an earlier one replaces it, new ids are
 * added, determiners and `notWithin` words are the union. An id twice in one file, or a term that two types list, is an error.
 */
export function compileUnitTypes(lists: { file: YamlFile; data: UnitTypesData }[], issues: ErrorIssue[]): UnitTypeList {
  const types = new Map<string, UnitType>();
  const owner = new Map<string, string>();
  const determiners: string[] = [];
  const notWithin: string[] = [];
  for (const { file, data } of lists) {
    for (const d of data.determiners) if (!determiners.includes(d)) determiners.push(d);
    for (const w of data.notWithin ?? []) if (!notWithin.includes(w)) notWithin.push(w);
    const seen = new Set<string>();
    data.types.forEach((t, i) => {
      if (seen.has(t.id)) {
        issues.push({ file: file.file, ...positionOf(file, ['types', i, 'id']), message: `duplicate unit type id "${t.id}"` });
        return;
      }
      seen.add(t.id);
      const replaced = types.get(t.id);
      if (replaced) for (const term of [...replaced.terms, ...replaced.boundTerms]) owner.delete(term);
      const type: UnitType = { id: t.id, label: { zh: t.label.zh, en: t.label.en }, terms: t.terms, boundTerms: t.boundTerms ?? [] };
      for (const [key, list] of [['terms', type.terms], ['boundTerms', type.boundTerms]] as const) {
        list.forEach((term, j) => {
          const other = owner.get(term);
          if (other !== undefined) {
            issues.push({ file: file.file, ...positionOf(file, ['types', i, key, j]), message: `term "${term}" of unit type "${t.id}" is already listed under "${other}"` });
          } else owner.set(term, t.id);
        });
      }
      types.set(t.id, type);
    });
  }
  return { file: lists.at(-1)?.file.file ?? '', determiners, notWithin, types: [...types.values()] };
}
