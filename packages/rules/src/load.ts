import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { CategoryId, FunctionId, RootCauseId } from '@xunshi/types';
import { ERROR_CODES, XunshiError, type ErrorIssue } from '@xunshi/types';
import { buildAutomaton, type Automaton } from './automaton.js';
import { functionModelSchema, ruleFileSchema, scoringSchema, taxonomySchema, type RuleKind } from './schema.js';

// User-written patterns must not be able to hang the process: V8 switches a regex to its linear-time engine when it
// backtracks excessively. That engine has no backreferences or lookarounds, which the compiler therefore rejects.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** One label of the taxonomy. */
export interface TaxonomyLabel {
  id: string;
  zh: string;
  en: string;
  description?: string;
}
/** The label set (rules/taxonomy.yaml). */
export interface Taxonomy {
  functions: TaxonomyLabel[];
  rootCauses: TaxonomyLabel[];
  categories: (TaxonomyLabel & { subcategories: TaxonomyLabel[] })[];
}
/** Scores and thresholds (rules/scoring.yaml); every number the engine uses is here. */
export interface Scoring {
  category: { threshold: number; contextKeeps: number; secondSubcategory: { ofTop: number; ofThreshold: number } };
  rootCause: { threshold: number; contextKeeps: number };
  function: { threshold: number };
  heading: { functionPrior: number; subheadingPrior: number; categoryPrior: number; decay: number; enumeratedTitleMax: number };
  document: { leadUnits: number; functionPrior: number };
  /** Topic continuity: which units continue the area of their paragraph's opening sentence or section heading. */
  topic: { functions: FunctionId[]; fromParagraph: boolean; fromHeading: boolean; scoreShare: number };
  /** How many hits of one rule count towards one label of one unit (more hits add evidence, not score). */
  perRuleCap: { function: number; category: number; rootCause: number };
}

/**
 * A fitted linear model of the function (`function-model.yaml`): per feature name (see the engine's
 * `functionFeatures`), its weight for each function. When a ruleset has one, it decides the function instead of the
 * hand-set priors of `scoring.yaml`.
 */
export interface FunctionModel {
  weights: Record<string, Partial<Record<FunctionId, number>>>;
}

/** What a rule contributes when it fires. */
export interface RuleTarget {
  category?: { id: CategoryId; subcategory: string | null };
  rootCause?: RootCauseId;
  function?: FunctionId;
}

/** An example of a rule, as written. */
export interface RuleExample {
  text: string;
  spans?: string[];
}

/** A validated, compiled rule. */
export interface CompiledRule {
  /** Stable id: the file path below its top folder, dots for slashes, then the rule's own id. */
  id: string;
  kind: RuleKind;
  file: string;
  line: number;
  column: number;
  description?: string;
  target: RuleTarget;
  weight: number;
  /** Where a hit must meet token boundaries: both ends, the start only (prefixes of longer words), or nowhere. */
  boundary: 'token' | 'start' | 'none';
  terms: string[];
  first: string[];
  then: string[];
  within: number;
  ordered: boolean;
  /** `document` rules only: the rule fires when none of its terms occurs anywhere in the document. */
  absent: boolean;
  regex?: RegExp;
  window: number;
  scope: ('function' | 'category' | 'rootCause')[];
  /** Rule-id prefixes affected by an `exclude` or `negation` rule (all rules when empty). */
  targets: string[];
  examples: { match: RuleExample[]; noMatch: RuleExample[] };
  /** `terms`/`near` rules: why their `noMatch` examples may lack a term (the rule tester otherwise rejects them). */
  noMatchWithoutTerm?: string;
}

/** Which rule owns an automaton term, and in which role. */
export interface TermOwner {
  rule: number;
  role: 'terms' | 'first' | 'then';
}

/** A loaded ruleset: taxonomy, scoring, rules and the one automaton over all their terms. */
export interface RuleSet {
  taxonomy: Taxonomy;
  scoring: Scoring;
  /** The fitted function model, when the folder has `function-model.yaml`. */
  functionModel?: FunctionModel;
  rules: CompiledRule[];
  automaton: Automaton;
  /** For each automaton term index, the rules that use it. */
  termOwners: TermOwner[][];
  /** The distinct terms, index-aligned with `termOwners`. */
  terms: string[];
  /** Folders the rules came from, in load order. */
  dirs: string[];
  /** Folder of the segmenter lexicon (`lexicon/` of the last folder that has one). */
  lexiconDirs: string[];
  /** `sha256:` over every file that was read, in order. */
  hash: string;
  /** Milliseconds spent loading and compiling. */
  compileMs: number;
}

/** Options for {@link loadRuleSet}. */
export interface LoadRuleSetOptions {
  /** Rule folders; later folders extend earlier ones, and a rule with an existing id replaces it. */
  dirs: string[];
}

/** The folder of the rules that ship with xunshi (`rules/` at the repository root). */
export function getDefaultRulesDir(): string {
  return fileURLToPath(new URL('../../../rules/', import.meta.url));
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateRuleFile = ajv.compile(ruleFileSchema);
const validateTaxonomy = ajv.compile(taxonomySchema);
const validateScoring = ajv.compile(scoringSchema);
const validateFunctionModel = ajv.compile(functionModelSchema);

interface ParsedYaml {
  file: string;
  doc: Document;
  lines: LineCounter;
  data: unknown;
}

function positionOf(p: ParsedYaml, path: (string | number)[], atKey = false): { line: number; column: number } {
  // Walk down as far as the path exists, so a missing key points at its parent.
  let node: unknown = p.doc.contents;
  for (let depth = 0; depth < path.length; depth++) {
    const key = path[depth]!;
    let next: unknown;
    const pair = isMap(node) ? node.items.find((it) => (it.key as { value?: unknown })?.value === key) : undefined;
    if (isMap(node)) next = atKey && depth === path.length - 1 ? pair?.key : (node.get(key, true) ?? pair?.key);
    else if (isSeq(node)) next = node.get(Number(key), true);
    if (next === undefined || next === null || typeof next !== 'object') break;
    node = next;
  }
  const range = (node as YamlNode | undefined)?.range;
  const pos = p.lines.linePos(range ? range[0] : 0);
  return { line: pos.line, column: pos.col };
}

function readYaml(file: string, issues: ErrorIssue[]): ParsedYaml | undefined {
  const text = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      issues.push({ file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  return { file, doc, lines, data: doc.toJS() };
}

function schemaIssues(p: ParsedYaml, errors: ErrorObject[] | null | undefined, issues: ErrorIssue[]): void {
  for (const e of errors ?? []) {
    if (e.keyword === 'anyOf' || e.keyword === 'if') continue;
    const path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
    let message: string;
    if (e.keyword === 'additionalProperties') {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      path.push(key);
      message = `unknown key "${key}"`;
      issues.push({ file: p.file, ...positionOf(p, path, true), message });
      continue;
    } else if (e.keyword === 'required') {
      message = `missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
    } else if (e.keyword === 'enum') {
      message = `${e.instancePath || 'value'} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else {
      message = `${e.instancePath || 'value'} ${e.message ?? 'is invalid'}`;
    }
    issues.push({ file: p.file, ...positionOf(p, path), message });
  }
}

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'lexicon' && name !== 'facts' && !name.startsWith('.')) walk(full);
      } else if (/\.ya?ml$/.test(name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Rule id prefix from a file path: `categories/conduct/formalism.yaml` → `conduct.formalism`. */
export function getRuleIdPrefix(dir: string, file: string): string {
  const parts = relative(dir, file).replace(/\.ya?ml$/, '').split(sep);
  if (parts.length > 1) parts.shift();
  return parts.join('.');
}

/**
 * Characters a term may be split by in the text: quotation marks (“三资”管理 still matches 三资管理) and the matching
 * copy's filler U+2060, which stands where a pinyin gloss was (統(tǒng)一 matches 统一).
 */
export const QUOTE_MARKS = '“”‘’「」『』"\'\u2060';

const UNSAFE_PATTERN = /\\[1-9]|\\k<|\(\?<?[=!]/;

/**
 * Load, validate and compile every rule file of the given folders. All problems of all files are collected and thrown
 * together as one `XUNSHI_RULE_INVALID` error whose issues carry file, line and column; nothing is returned unless the
 * whole ruleset is valid.
 */
export function loadRuleSet(options: LoadRuleSetOptions): RuleSet {
  const t0 = performance.now();
  const issues: ErrorIssue[] = [];
  const hash = createHash('sha256');
  let taxonomy: Taxonomy | undefined;
  let scoring: Scoring | undefined;
  let functionModel: FunctionModel | undefined;
  const ruleFiles: { dir: string; parsed: ParsedYaml }[] = [];
  const lexiconDirs: string[] = [];
  for (const dir of options.dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      issues.push({ file: dir, message: 'rules folder not found' });
      continue;
    }
    if (existsSync(join(dir, 'lexicon'))) lexiconDirs.push(join(dir, 'lexicon'));
    for (const file of listYamlFiles(dir)) {
      hash.update(relative(dir, file)).update('\0').update(readFileSync(file)).update('\0');
      const parsed = readYaml(file, issues);
      if (!parsed) continue;
      const rel = relative(dir, file);
      if (rel === 'taxonomy.yaml') {
        if (!validateTaxonomy(parsed.data)) schemaIssues(parsed, validateTaxonomy.errors, issues);
        else taxonomy = parsed.data as Taxonomy;
      } else if (rel === 'scoring.yaml') {
        if (!validateScoring(parsed.data)) schemaIssues(parsed, validateScoring.errors, issues);
        else scoring = parsed.data as Scoring;
      } else if (rel === 'function-model.yaml') {
        if (!validateFunctionModel(parsed.data)) schemaIssues(parsed, validateFunctionModel.errors, issues);
        else functionModel = { weights: (parsed.data as FunctionModel).weights };
      } else {
        ruleFiles.push({ dir, parsed });
      }
    }
  }
  if (!taxonomy && !issues.some((i) => i.file?.endsWith('taxonomy.yaml'))) issues.push({ file: options.dirs[0] ?? '.', message: 'no taxonomy.yaml in the rules folder(s)' });
  if (!scoring && !issues.some((i) => i.file?.endsWith('scoring.yaml'))) issues.push({ file: options.dirs[0] ?? '.', message: 'no scoring.yaml in the rules folder(s)' });

  const categoryIds = new Set(taxonomy?.categories.map((c) => c.id));
  const subcategoryIds = new Set(taxonomy?.categories.flatMap((c) => c.subcategories.map((s) => s.id)));
  const rootCauseIds = new Set(taxonomy?.rootCauses.map((r) => r.id));
  const functionIds = new Set(taxonomy?.functions.map((f) => f.id));
  const byId = new Map<string, CompiledRule>();

  for (const { dir, parsed } of ruleFiles) {
    if (!validateRuleFile(parsed.data)) {
      schemaIssues(parsed, validateRuleFile.errors, issues);
      continue;
    }
    const data = parsed.data as { defaults?: Record<string, unknown>; rules: Record<string, unknown>[] };
    const prefix = getRuleIdPrefix(dir, parsed.file);
    const defaults = data.defaults ?? {};
    data.rules.forEach((raw, idx) => {
      const at = (key?: string): { file: string; line: number; column: number } => ({ file: parsed.file, ...positionOf(parsed, key ? ['rules', idx, key] : ['rules', idx]) });
      const r = { ...defaults, ...raw } as Record<string, unknown> & { id: string; kind: RuleKind };
      const id = `${prefix}.${r.id}`;
      const target: RuleTarget = {};
      if (!taxonomy) {
        // Without a valid taxonomy every label would be reported as unknown; the taxonomy's own errors say enough.
      } else if (typeof r.category === 'string') {
        if (subcategoryIds.has(r.category)) target.category = { id: r.category.split('.')[0] as CategoryId, subcategory: r.category };
        else if (categoryIds.has(r.category)) target.category = { id: r.category as CategoryId, subcategory: null };
        else issues.push({ ...at('category'), message: `unknown category or subcategory "${r.category}"` });
      }
      if (taxonomy && typeof r.rootCause === 'string') {
        if (rootCauseIds.has(r.rootCause)) target.rootCause = r.rootCause as RootCauseId;
        else issues.push({ ...at('rootCause'), message: `unknown root cause "${r.rootCause}"` });
      }
      if (taxonomy && typeof r.function === 'string') {
        if (functionIds.has(r.function)) target.function = r.function as FunctionId;
        else issues.push({ ...at('function'), message: `unknown function "${r.function}"` });
      }
      const labelled = r.kind === 'terms' || r.kind === 'pattern' || r.kind === 'near' || r.kind === 'heading' || r.kind === 'document';
      if (labelled && !('category' in r) && !('rootCause' in r) && !('function' in r)) {
        issues.push({ ...at(), message: `rule "${id}" of kind ${r.kind} needs a category, rootCause or function` });
      }
      const need = (key: string, kinds: RuleKind[]): void => {
        const optional = r.kind === 'negation' || r.kind === 'exclude';
        if (kinds.includes(r.kind) && r[key] === undefined) issues.push({ ...at(), message: `rule "${id}" of kind ${r.kind} needs "${key}"` });
        if (!kinds.includes(r.kind) && !(optional && (key === 'terms' || key === 'pattern')) && raw[key] !== undefined) issues.push({ ...at(key), message: `"${key}" does not apply to rules of kind ${r.kind}` });
      };
      need('terms', ['terms', 'heading', 'document']);
      need('pattern', ['pattern']);
      if (r.kind === 'negation' || r.kind === 'exclude') {
        if ((r.terms === undefined) === (r.pattern === undefined)) issues.push({ ...at(), message: `rule "${id}" of kind ${r.kind} needs either "terms" or "pattern"` });
      }
      need('first', ['near']);
      need('then', ['near']);
      need('within', ['near']);
      for (const k of ['ordered']) need(k, r.kind === 'near' && raw[k] === undefined ? [] : ['near']);
      for (const k of ['window', 'scope']) if (raw[k] !== undefined && r.kind !== 'negation') issues.push({ ...at(k), message: `"${k}" does not apply to rules of kind ${r.kind}` });
      if (raw.absent !== undefined && r.kind !== 'document') issues.push({ ...at('absent'), message: `"absent" does not apply to rules of kind ${r.kind}` });
      if (raw.targets !== undefined && r.kind !== 'negation' && r.kind !== 'exclude') issues.push({ ...at('targets'), message: `"targets" does not apply to rules of kind ${r.kind}` });
      let regex: RegExp | undefined;
      if (typeof r.pattern === 'string') {
        if (UNSAFE_PATTERN.test(r.pattern)) {
          issues.push({ ...at('pattern'), message: 'backreferences and lookarounds are not allowed in patterns (they defeat the linear-time regex engine)' });
        } else if (r.pattern.length > 400) {
          issues.push({ ...at('pattern'), message: 'pattern longer than 400 characters' });
        } else {
          try {
            regex = new RegExp(r.pattern, 'g');
            if (regex.test('')) issues.push({ ...at('pattern'), message: 'pattern matches the empty string' });
            regex.lastIndex = 0;
          } catch (e) {
            issues.push({ ...at('pattern'), message: `bad pattern: ${(e as Error).message}` });
          }
        }
      }
      const ex = r.examples as { match: (string | RuleExample)[]; noMatch: (string | RuleExample)[] };
      const norm = (e: string | RuleExample): RuleExample => (typeof e === 'string' ? { text: e } : e);
      const pos = positionOf(parsed, ['rules', idx]);
      const compiled: CompiledRule = {
        id,
        kind: r.kind,
        file: parsed.file,
        line: pos.line,
        column: pos.column,
        target,
        weight: typeof r.weight === 'number' ? r.weight : 1,
        boundary: r.boundary === 'none' || r.boundary === 'start' ? r.boundary : 'token',
        terms: (r.terms as string[] | undefined) ?? [],
        first: (r.first as string[] | undefined) ?? [],
        then: (r.then as string[] | undefined) ?? [],
        within: typeof r.within === 'number' ? r.within : 0,
        ordered: r.ordered !== false,
        absent: r.absent === true,
        window: typeof r.window === 'number' ? r.window : 4,
        scope: (r.scope as CompiledRule['scope'] | undefined) ?? ['function', 'category', 'rootCause'],
        targets: (r.targets as string[] | undefined) ?? [],
        examples: { match: ex.match.map(norm), noMatch: ex.noMatch.map(norm) },
      };
      if (typeof r.description === 'string') compiled.description = r.description;
      if (regex) compiled.regex = regex;
      if (typeof r.noMatchWithoutTerm === 'string') compiled.noMatchWithoutTerm = r.noMatchWithoutTerm;
      const prev = byId.get(id);
      if (prev && prev.file.startsWith(dir)) issues.push({ ...at('id'), message: `duplicate rule id "${id}" (first at ${prev.file}:${prev.line})` });
      byId.set(id, compiled);
    });
  }
  for (const rule of byId.values()) {
    for (const t of rule.targets) {
      if (![...byId.keys()].some((id) => id === t || id.startsWith(t + '.'))) {
        issues.push({ file: rule.file, line: rule.line, column: rule.column, message: `rule "${rule.id}" targets "${t}", which matches no rule id` });
      }
    }
  }
  if (issues.length) {
    const files = new Set(issues.map((i) => i.file));
    throw new XunshiError(ERROR_CODES.RULE_INVALID, `${issues.length} problem(s) in ${files.size} rule file(s)`, { issues, ...(issues[0]?.file ? { file: issues[0].file } : {}) });
  }
  const rules = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const termIndex = new Map<string, number>();
  const terms: string[] = [];
  const termOwners: TermOwner[][] = [];
  rules.forEach((rule, ri) => {
    const add = (term: string, role: TermOwner['role']): void => {
      let ti = termIndex.get(term);
      if (ti === undefined) {
        ti = terms.length;
        termIndex.set(term, ti);
        terms.push(term);
        termOwners.push([]);
      }
      termOwners[ti]!.push({ rule: ri, role });
    };
    for (const t of rule.terms) add(t, 'terms');
    for (const t of rule.first) add(t, 'first');
    for (const t of rule.then) add(t, 'then');
  });
  return {
    taxonomy: taxonomy!,
    scoring: scoring!,
    ...(functionModel ? { functionModel } : {}),
    rules,
    automaton: buildAutomaton(terms, { transparent: QUOTE_MARKS }),
    termOwners,
    terms,
    dirs: [...options.dirs],
    lexiconDirs,
    hash: `sha256:${hash.digest('hex')}`,
    compileMs: performance.now() - t0,
  };
}
