/**
 * Loading a ruleset: read → validate → compile → index. Every problem of every file of every folder is collected and
 * thrown together, as one `XUNSHI_RULE_INVALID` error whose issues carry file, line and column, before any report is
 * read; nothing is returned unless the whole ruleset is valid.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorIssue } from '@xunshi/types';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { buildAutomaton } from './automaton.js';
import { QUOTE_MARKS, checkTargets, checkTaxonomy, compileLexicon, compileRuleFile, compileTermLists, compileUnitTypes, getLabelIds, mergeRules } from './compile.js';
import type { CategoryModel, CompiledRule, FunctionModel, RuleSet, Scoring, Taxonomy, TermOwner } from './model.js';
import { enableRegexSafety } from './pattern.js';
import { parseRulesFolder, readRulesTexts, type FolderFiles, type FolderTexts, type YamlFile } from './read.js';
import { getRulesCacheKey, readCachedRuleSet, writeCachedRuleSet } from './cache.js';
import { validateFunctionModelFile, validateYaml } from './validate.js';

export * from './model.js';
export { getRuleIdPrefix } from './compile.js';
export { getRulesCacheDir } from './cache.js';
export { FUNCTION_MODEL_FILE, UNIT_TYPES_FILE } from './read.js';
export { enableRegexSafety, compilePattern, MAX_PATTERN_LENGTH } from './pattern.js';

/** Options for {@link loadRuleSet}. */
export interface LoadRuleSetOptions {
  /** Rule folders; later folders extend earlier ones (see {@link getRuleDirs}). */
  dirs: string[];
}

/**
 * The folder of the rules that ship with xunshi, found from this module (never from the working directory): in the
 * packed `xunshi` package this module is bundled into `lib/` and the rules are copied beside it (`xunshi/rules/`); in
 * the repository it is `packages/rules/{src,dist}/` and the rules are `rules/` at the root.
 */
export function getDefaultRulesDir(): string {
  const packed = new URL('../rules/', import.meta.url);
  if (existsSync(new URL('taxonomy.yaml', packed))) return fileURLToPath(packed);
  return fileURLToPath(new URL('../../../rules/', import.meta.url));
}

/**
 * The one policy for several rules folders. Without `rules`, the shipped folder. With `rules` alone, those folders
 * replace the shipped one entirely: rules, taxonomy, scoring, lexicon and unit types (a folder without a lexicon or a
 * unit-type list has none). With `extend`, they are loaded after the shipped folder, and each later folder extends the
 * earlier ones: a rule or unit type with an existing id replaces it, new ones are added, lexicon files are added,
 * and a `taxonomy.yaml` or `scoring.yaml` replaces the earlier one.
 */
export function getRuleDirs(options: { rules?: string | string[]; extend?: boolean } = {}): string[] {
  const custom = options.rules === undefined ? [] : Array.isArray(options.rules) ? options.rules : [options.rules];
  if (custom.length === 0) return [getDefaultRulesDir()];
  return options.extend ? [getDefaultRulesDir(), ...custom] : [...custom];
}

export { QUOTE_MARKS } from './compile.js';

/** Load, validate and compile every file of the given rules folders (see the module comment). */
export function loadRuleSet(options: LoadRuleSetOptions): RuleSet {
  const t0 = performance.now();
  const issues: ErrorIssue[] = [];
  // Patterns are compiled (or read from the cache) below: the regex safety flag goes first.
  enableRegexSafety();
  const texts = options.dirs.map((dir) => readRulesTexts(dir, issues)).filter((f): f is FolderTexts => f !== undefined);
  const hash = hashFolders(texts);
  // The ruleset hash does not say which folder each file is in (moving a file to the next folder keeps it), but the
  // compiled ruleset names the files (rule positions, the lexicon paths nodejieba opens): the key does.
  const cacheKey = issues.length === 0 ? getRulesCacheKey(hash, options.dirs, texts.map((t) => t.all.map((f) => f.rel))) : undefined;
  const cached = cacheKey ? readCachedRuleSet(cacheKey, hash) : undefined;
  if (cached) return { ...cached, automaton: buildAutomaton(cached.terms, { transparent: QUOTE_MARKS }), compileMs: performance.now() - t0 };
  const folders = texts.map((t) => parseRulesFolder(t, issues));
  const { taxonomy, scoring } = validateTaxonomyAndScoring(folders, options.dirs[0] ?? '.', issues);
  const labels = taxonomy ? getLabelIds(taxonomy) : undefined;
  const lists = compileTermLists(
    folders.flatMap((f, folder) => f.listFiles.flatMap((file) => {
      const data = validateYaml<{ lists: Record<string, string[]> }>(file, 'lists', issues);
      if (data) return [{ file, data, folder }];
      // A list file with errors (said above) still declares its names: the rules that use them are not buried under
      // "unknown term list" errors of their own (the load fails anyway).
      const declared = (file.data as { lists?: unknown } | null)?.lists;
      if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) return [];
      return [{ file, data: { lists: Object.fromEntries(Object.keys(declared).map((name) => [name, [] as string[]])) }, folder }];
    })),
    issues,
  );
  const batches = folders.map((f) => ({
    dir: f.dir,
    rules: f.ruleFiles.flatMap((file) => {
      const data = validateYaml<Parameters<typeof compileRuleFile>[1]>(file, 'ruleFile', issues);
      return data ? compileRuleFile(file, data, labels, issues, lists) : [];
    }),
  }));
  const byId = mergeRules(batches, issues);
  checkTargets(byId, issues);
  const lexicon = compileLexicon(folders.flatMap((f) => f.lexicon), issues);
  const unitTypeLists = folders.flatMap((f) => {
    const data = f.unitTypes && validateYaml<Parameters<typeof compileUnitTypes>[0][number]['data']>(f.unitTypes, 'unitTypes', issues);
    return data ? [{ file: f.unitTypes!, data }] : [];
  });
  const unitTypes = compileUnitTypes(unitTypeLists, issues);
  const modelFile = folders.map((f) => f.functionModel).filter((x) => x !== undefined).at(-1);
  const functionModel = modelFile && validateFunctionModelFile<FunctionModel>(modelFile, issues);
  const categoryFile = folders.map((f) => f.categoryModel).filter((x) => x !== undefined).at(-1);
  const categoryModel = categoryFile && validateFunctionModelFile<CategoryModel>(categoryFile, issues, 'categoryModel');
  if (issues.length) throw ruleError(issues);
  const { automaton, ...indexed } = indexRules(byId);
  const compiled = {
    taxonomy: taxonomy!,
    scoring: scoring!,
    ...(functionModel ? { functionModel: { weights: functionModel.weights } } : {}),
    ...(categoryModel ? { categoryModel: { threshold: categoryModel.threshold, weights: categoryModel.weights } } : {}),
    ...indexed,
    dirs: [...options.dirs],
    lexicon,
    unitTypes,
    hash,
  };
  if (cacheKey) writeCachedRuleSet(cacheKey, compiled);
  return { ...compiled, automaton, compileMs: performance.now() - t0 };
}

/** The taxonomy and scoring of the last folder that has each; both are required. */
function validateTaxonomyAndScoring(folders: FolderFiles[], firstDir: string, issues: ErrorIssue[]): { taxonomy?: Taxonomy; scoring?: Scoring } {
  const last = (pick: (f: FolderFiles) => YamlFile | undefined): YamlFile | undefined => folders.map(pick).filter((x) => x !== undefined).at(-1);
  const taxonomyFile = last((f) => f.taxonomy);
  const scoringFile = last((f) => f.scoring);
  const taxonomy = taxonomyFile && validateYaml<Taxonomy>(taxonomyFile, 'taxonomy', issues);
  if (taxonomyFile && taxonomy) checkTaxonomy(taxonomyFile, taxonomy, issues);
  const scoring = scoringFile && validateYaml<Scoring>(scoringFile, 'scoring', issues);
  const unparsed = (name: string): boolean => issues.some((i) => i.file?.endsWith(name));
  // No folder found at all has been said ("rules folder not found"): its missing files go without saying.
  if (!taxonomyFile && !unparsed('taxonomy.yaml') && folders.length) issues.push({ file: firstDir, message: 'no taxonomy.yaml in the rules folder(s)' });
  if (!scoringFile && !unparsed('scoring.yaml') && folders.length) issues.push({ file: firstDir, message: 'no scoring.yaml in the rules folder(s)' });
  const out: { taxonomy?: Taxonomy; scoring?: Scoring } = {};
  if (taxonomy) out.taxonomy = taxonomy;
  if (scoring) out.scoring = scoring;
  return out;
}

/** Sort the rules by id and build the one automaton over all their terms. */
function indexRules(byId: Map<string, CompiledRule>): Pick<RuleSet, 'rules' | 'automaton' | 'termOwners' | 'terms'> {
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
  return { rules, automaton: buildAutomaton(terms, { transparent: QUOTE_MARKS }), termOwners, terms };
}

/** The ruleset hash: every file read, as its path below its folder and its text, in load order. */
function hashFolders(folders: FolderTexts[]): string {
  const hash = createHash('sha256');
  for (const f of folders) for (const file of f.all) hash.update(file.rel).update('\0').update(file.text).update('\0');
  return `sha256:${hash.digest('hex')}`;
}

function ruleError(issues: ErrorIssue[]): XunshiError {
  const files = new Set(issues.map((i) => i.file));
  return new XunshiError(ERROR_CODES.RULE_INVALID, `${issues.length} problem(s) in ${files.size} rule file(s)`, { issues, ...(issues[0]?.file ? { file: issues[0].file } : {}) });
}
