import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { ERROR_CODES, XunshiError, type ErrorIssue } from '@xunshi/types';

/** One type of inspected unit, as listed in `rules/facts/unit-types.yaml`. */
export interface UnitType {
  /** Stable kebab-case id, e.g. `municipal-department`. */
  id: string;
  label: { zh: string; en: string };
  /** Surface terms recognised anywhere in the text. */
  terms: string[];
  /** Short, ambiguous terms (县, 村) recognised only right after a determiner or a measure word. */
  boundTerms: string[];
}

/** The validated unit-type list. */
export interface UnitTypeList {
  /** Path of the file it was read from. */
  file: string;
  /** Words that let a bound term stand (某, 该, 各 …); they become part of the fact's text. */
  determiners: string[];
  types: UnitType[];
}

/** Relative path of the unit-type list below the rules directory. */
export const UNIT_TYPES_FILE = join('facts', 'unit-types.yaml');

const TOP_KEYS = new Set(['version', 'determiners', 'types']);
const TYPE_KEYS = new Set(['id', 'label', 'terms', 'boundTerms', 'description']);
const LABEL_KEYS = new Set(['zh', 'en']);
const ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * Read and strictly validate `<rulesDir>/facts/unit-types.yaml`; every problem (syntax, unknown or missing keys,
 * duplicate ids or terms, non-string terms) is reported together in one `XunshiError` with code `RULE_INVALID` whose
 * `issues` carry file, 1-based line and column.
 */
export function loadUnitTypes(rulesDir: string): UnitTypeList {
  const file = join(rulesDir, UNIT_TYPES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new XunshiError(ERROR_CODES.RULE_INVALID, `cannot read unit-type list ${file}: ${(cause as Error).message}`, {
      file,
      issues: [{ file, message: `cannot read unit-type list: ${(cause as Error).message}` }],
      cause,
    });
  }
  return parseUnitTypes(text, file);
}

/**
 * Validate the text of a unit-type list (the YAML of `rules/facts/unit-types.yaml`); `file` is only used in messages.
 * Throws like {@link loadUnitTypes}.
 */
export function parseUnitTypes(text: string, file: string): UnitTypeList {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const issues: ErrorIssue[] = [];
  const at = (offset: number | undefined, message: string): void => {
    const pos = lineCounter.linePos(offset ?? 0);
    issues.push({ file, line: pos.line, column: pos.col, message });
  };
  const nodeAt = (node: unknown, message: string): void => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    at(range?.[0], message);
  };
  for (const err of doc.errors) at(err.pos[0], `YAML syntax error: ${err.message.split('\n')[0]}`);
  if (doc.errors.length > 0) throw buildError(file, issues);

  const result: UnitTypeList = { file, determiners: [], types: [] };
  const root = doc.contents;
  if (!isMap(root)) {
    nodeAt(root, 'the unit-type list must be a mapping with keys `version`, `determiners` and `types`');
    throw buildError(file, issues);
  }
  const rootPairs = collectPairs(root.items, TOP_KEYS, 'top level', nodeAt);
  const version = rootPairs.get('version');
  if (version === undefined) nodeAt(root, 'missing key `version` (expected 1)');
  else if (!isScalar(version.value) || version.value.value !== 1) nodeAt(version.value ?? version.key, '`version` must be 1');

  const determiners = rootPairs.get('determiners');
  if (determiners === undefined) nodeAt(root, 'missing key `determiners` (a list of strings such as 某, 该, 各)');
  else result.determiners = readStringList(determiners.value, '`determiners`', nodeAt, true);

  const typesPair = rootPairs.get('types');
  const seenIds = new Map<string, YamlNode>();
  const seenTerms = new Map<string, string>();
  if (typesPair === undefined) nodeAt(root, 'missing key `types` (a list of unit types)');
  else if (!isSeq(typesPair.value) || typesPair.value.items.length === 0) {
    nodeAt(typesPair.value ?? typesPair.key, '`types` must be a non-empty list of unit types');
  } else {
    for (const item of typesPair.value.items) {
      if (!isMap(item)) {
        nodeAt(item, 'each unit type must be a mapping with `id`, `label` and `terms`');
        continue;
      }
      const pairs = collectPairs(item.items, TYPE_KEYS, 'a unit type', nodeAt);
      const idPair = pairs.get('id');
      let id = '';
      if (idPair === undefined) nodeAt(item, 'unit type without `id`');
      else if (!isScalar(idPair.value) || typeof idPair.value.value !== 'string' || !ID_PATTERN.test(idPair.value.value)) {
        nodeAt(idPair.value ?? idPair.key, '`id` must be a kebab-case string such as `municipal-department`');
      } else {
        id = idPair.value.value;
        if (seenIds.has(id)) nodeAt(idPair.value, `duplicate unit type id \`${id}\``);
        else seenIds.set(id, idPair.value);
      }
      const where = id ? `unit type \`${id}\`` : 'unit type';
      const label = { zh: '', en: '' };
      const labelPair = pairs.get('label');
      if (labelPair === undefined) nodeAt(item, `${where} has no \`label\` (with \`zh\` and \`en\`)`);
      else if (!isMap(labelPair.value)) nodeAt(labelPair.value ?? labelPair.key, `\`label\` of ${where} must be a mapping with \`zh\` and \`en\``);
      else {
        const lp = collectPairs(labelPair.value.items, LABEL_KEYS, `the label of ${where}`, nodeAt);
        for (const lang of ['zh', 'en'] as const) {
          const p = lp.get(lang);
          if (p === undefined) nodeAt(labelPair.value, `label of ${where} has no \`${lang}\``);
          else if (!isScalar(p.value) || typeof p.value.value !== 'string' || p.value.value.trim() === '') {
            nodeAt(p.value ?? p.key, `\`label.${lang}\` of ${where} must be a non-empty string`);
          } else label[lang] = p.value.value;
        }
      }
      const descPair = pairs.get('description');
      if (descPair !== undefined && (!isScalar(descPair.value) || typeof descPair.value.value !== 'string')) {
        nodeAt(descPair.value ?? descPair.key, `\`description\` of ${where} must be a string`);
      }
      const termsPair = pairs.get('terms');
      let terms: string[] = [];
      if (termsPair === undefined) nodeAt(item, `${where} has no \`terms\``);
      else terms = readStringList(termsPair.value, `\`terms\` of ${where}`, nodeAt, true);
      const boundPair = pairs.get('boundTerms');
      const boundTerms = boundPair === undefined ? [] : readStringList(boundPair.value, `\`boundTerms\` of ${where}`, nodeAt, false);
      const termNodes = [
        ...(termsPair && isSeq(termsPair.value) ? termsPair.value.items : []),
        ...(boundPair && isSeq(boundPair.value) ? boundPair.value.items : []),
      ];
      for (const node of termNodes) {
        if (!isScalar(node) || typeof node.value !== 'string') continue;
        const owner = seenTerms.get(node.value);
        if (owner !== undefined) nodeAt(node, `term \`${node.value}\` of ${where} is already listed under \`${owner}\``);
        else seenTerms.set(node.value, id || '?');
      }
      result.types.push({ id, label, terms, boundTerms });
    }
  }
  if (issues.length > 0) throw buildError(file, issues);
  return result;
}

function buildError(file: string, issues: ErrorIssue[]): XunshiError {
  const first = issues[0];
  const summary = issues.length === 1 ? first!.message : `${issues.length} problems, the first: ${first!.message}`;
  const loc: { file: string; line?: number; column?: number } = { file };
  if (first?.line !== undefined) loc.line = first.line;
  if (first?.column !== undefined) loc.column = first.column;
  return new XunshiError(ERROR_CODES.RULE_INVALID, `invalid unit-type list: ${summary}`, { ...loc, issues });
}

function collectPairs(
  items: Pair<unknown, unknown>[],
  allowed: ReadonlySet<string>,
  where: string,
  nodeAt: (node: unknown, message: string) => void,
): Map<string, Pair<YamlNode | null, YamlNode | null>> {
  const out = new Map<string, Pair<YamlNode | null, YamlNode | null>>();
  for (const pair of items as Pair<YamlNode | null, YamlNode | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || !allowed.has(key)) {
      nodeAt(pair.key, `unknown key \`${key ?? '?'}\` in ${where} (allowed: ${[...allowed].join(', ')})`);
      continue;
    }
    out.set(key, pair);
  }
  return out;
}

function readStringList(
  node: unknown,
  what: string,
  nodeAt: (node: unknown, message: string) => void,
  nonEmpty: boolean,
): string[] {
  if (!isSeq(node)) {
    nodeAt(node, `${what} must be a list of strings`);
    return [];
  }
  if (nonEmpty && node.items.length === 0) nodeAt(node, `${what} must not be empty`);
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of node.items) {
    if (!isScalar(item) || typeof item.value !== 'string') {
      nodeAt(item, `${what} must contain only strings (quote numbers and the like)`);
    } else if (item.value.trim() === '' || item.value !== item.value.trim()) {
      nodeAt(item, `${what} contains an empty string or one with surrounding spaces`);
    } else if (seen.has(item.value)) {
      nodeAt(item, `${what} lists \`${item.value}\` twice`);
    } else {
      seen.add(item.value);
      out.push(item.value);
    }
  }
  return out;
}
