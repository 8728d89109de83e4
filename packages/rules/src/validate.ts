/** Phase 2 of loading: check each file against its JSON Schema (ajv), reporting every problem with its position. */
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Node as YamlNode } from 'yaml';
import type { ErrorIssue } from '@xunshi/types';
import { getYaml, type SourceFile, type YamlFile } from './read.js';
import { categoryModelSchema, functionModelSchema, lexiconLineSchema, listFileSchema, ruleFileSchema, scoringSchema, taxonomySchema, unitTypesSchema } from './schema.js';

let validators: Record<YamlRole | 'functionModel' | 'categoryModel' | 'lexiconLine', ValidateFunction> | undefined;

/** The compiled schema validators, built on first use. */
function getValidators(): NonNullable<typeof validators> {
  if (validators) return validators;
  // Loaded on first use: a ruleset found in the compiled-ruleset cache validates nothing.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: false });
  validators = {
    ruleFile: ajv.compile(ruleFileSchema),
    taxonomy: ajv.compile(taxonomySchema),
    scoring: ajv.compile(scoringSchema),
    functionModel: ajv.compile(functionModelSchema),
    categoryModel: ajv.compile(categoryModelSchema),
    lists: ajv.compile(listFileSchema),
    unitTypes: ajv.compile(unitTypesSchema),
    lexiconLine: ajv.compile(lexiconLineSchema),
  };
  return validators;
}

/** The paths of the numbers in `data` that are not finite (YAML's .inf, -.inf, .nan), in document order. */
function nonFiniteNumbers(data: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof data === 'number' && !Number.isFinite(data)) out.push(path);
  else if (Array.isArray(data)) data.forEach((x, i) => nonFiniteNumbers(x, [...path, i], out));
  else if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) nonFiniteNumbers(v, [...path, k], out);
  return out;
}

/** Which schema a YAML file of a rules folder answers to. */
export type YamlRole = 'ruleFile' | 'lists' | 'taxonomy' | 'scoring' | 'unitTypes';

/** Validate a parsed YAML file; returns its data when valid, otherwise records every problem and returns undefined. */
export function validateYaml<T>(file: YamlFile, role: YamlRole, issues: ErrorIssue[]): T | undefined {
  const validate = getValidators()[role];
  // YAML's .inf and .nan are numbers to JSON Schema (ajv's minimum and integer checks let Infinity through): no value of
  // any rules file is meant to be one.
  const infinite = nonFiniteNumbers(file.data);
  for (const path of infinite) {
    const value = path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], file.data) as number;
    issues.push({ file: file.file, ...positionOf(file, path), message: `/${path.join('/')} must be a finite number, got ${Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'}` });
  }
  if (validate(file.data) && infinite.length === 0) return file.data as T;
  const said = new Set(infinite.map((p) => p.join('/')));
  for (const e of validate.errors ?? []) {
    const issue = describeSchemaError(e);
    // A value already named as not finite (a .nan is also under its minimum) is named once.
    if (issue && !said.has(issue.path.join('/'))) issues.push({ file: file.file, ...positionOf(file, issue.path, issue.atKey), message: issue.message });
  }
  return undefined;
}

/**
 * Validate the fields of one lexicon line (`word freq tag` or a lone `word`, split on white space). Returns the problem and the index
 * of the field it is in, or undefined when the line is valid.
 */
export function validateLexiconLine(fields: string[]): { field: number; message: string } | undefined {
  const validate = getValidators().lexiconLine;
  if (validate(fields as unknown)) return undefined;
  const e = validate.errors![0]!;
  if (e.keyword === 'maxItems') return { field: 3, message: `lexicon line must be "word freq tag" (or a lone word), got ${fields.length} fields` };
  const field = Number(e.instancePath.split('/')[1] ?? 0);
  const what = field === 1 ? 'the frequency must be a whole number' : `field ${field + 1} ${e.message ?? 'is invalid'}`;
  return { field, message: `lexicon line must be "word freq tag" (or a lone word): ${what}, got "${fields[field] ?? ''}"` };
}

function describeSchemaError(e: ErrorObject): { path: (string | number)[]; atKey: boolean; message: string } | undefined {
  // propertyNames repeats what the pattern error under it says (with the name): that one is told.
  if (e.keyword === 'anyOf' || e.keyword === 'if' || e.keyword === 'propertyNames') return undefined;
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    return { path: [...path, key], atKey: true, message: `unknown key "${key}"` };
  }
  if (e.keyword === 'pattern' && e.propertyName !== undefined) {
    // A name of a map that its pattern refuses (a list named Bad_Name): the message names it, at the key.
    return { path: [...path, e.propertyName], atKey: true, message: `name "${e.propertyName}" must be lower-case letters and digits in words joined by "-" (${(e.params as { pattern: string }).pattern})` };
  }
  let message: string;
  if (e.keyword === 'required') message = `missing key "${(e.params as { missingProperty: string }).missingProperty}"`;
  else if (e.keyword === 'enum') message = `${e.instancePath || 'value'} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  else if (e.keyword === 'const') message = `${e.instancePath || 'value'} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  else if (e.keyword === 'uniqueItems') message = `${e.instancePath} lists the same value twice`;
  // (ajv gives the pattern in params; `schema` only with its verbose option, so the check on it never held.)
  else if (e.keyword === 'pattern' && (e.params as { pattern?: string }).pattern === '^\\S(.*\\S)?$') message = `${e.instancePath} must not be or start or end with white space`;
  else if (e.keyword === 'pattern' && (e.params as { pattern?: string }).pattern === '^[^@]') message = `${e.instancePath}: a list cannot use another list (@name); write its terms, or use both lists in the rule`;
  else message = `${e.instancePath || 'value'} ${e.message ?? 'is invalid'}`;
  return { path, atKey: false, message };
}

/** Line and column (1-based) of the node at `path` (or of its key); a missing node points at its nearest parent. */
export function positionOf(p: YamlFile, path: (string | number)[], atKey = false): { line: number; column: number } {
  const { isMap, isSeq } = getYaml();
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

/** Line and column (1-based) of a UTF-16 offset of `text`. */
function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * Where a JSON value at `path` is written: each key of the path is looked for (as `"key"`) after the previous one,
 * which finds it in the machine-written files this serves; a missing key points at its nearest parent.
 */
function jsonPositionOf(text: string, path: (string | number)[]): { line: number; column: number } {
  let at = 0;
  for (const key of path) {
    if (typeof key === 'number') continue;
    const i = text.indexOf(JSON.stringify(key), at);
    if (i < 0) break;
    at = i;
  }
  return lineColumnAt(text, at);
}

/**
 * Parse and validate the fitted function model (`function-model.json`): a syntax error and every schema problem are
 * recorded with their line and column; returns the data when valid.
 */
export function validateFunctionModelFile<T>(file: SourceFile, issues: ErrorIssue[], role: 'functionModel' | 'categoryModel' = 'functionModel'): T | undefined {
  let data: unknown;
  // A BOM is fine in every file of a rules folder (the README says so; YAML reads past it): JSON.parse does not.
  const bom = file.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    data = JSON.parse(bom ? file.text.slice(1) : file.text);
  } catch (e) {
    const message = (e as Error).message;
    const offset = bom + Number(/position (\d+)/.exec(message)?.[1] ?? 0);
    issues.push({ file: file.file, ...lineColumnAt(file.text, offset), message: `JSON: ${message}` });
    return undefined;
  }
  const validate = getValidators()[role];
  if (validate(data)) return data as T;
  for (const e of validate.errors ?? []) {
    const issue = describeSchemaError(e);
    if (issue) issues.push({ file: file.file, ...jsonPositionOf(file.text, issue.path), message: issue.message });
  }
  return undefined;
}
