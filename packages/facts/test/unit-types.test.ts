import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { loadUnitTypes } from '../src/index.js';

const RULES = join(fileURLToPath(new URL('.', import.meta.url)), '../../../rules');

function writeRules(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-facts-'));
  mkdirSync(join(dir, 'facts'));
  writeFileSync(join(dir, 'facts', 'unit-types.yaml'), yaml);
  return dir;
}

function catchError(fn: () => unknown): XunshiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof XunshiError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('loadUnitTypes', () => {
  it('loads the shipped list with the ids the issue names', () => {
    const list = loadUnitTypes(RULES);
    const ids = list.types.map((t) => t.id);
    for (const id of ['municipal-department', 'county', 'soe', 'university', 'township', 'village', 'provincial-department', 'service-center', 'community', 'hospital', 'school']) {
      expect(ids).toContain(id);
    }
    expect(list.types.find((t) => t.id === 'municipal-department')!.terms).toContain('市直单位');
    expect(list.types.find((t) => t.id === 'village')!.boundTerms).toContain('村');
    expect(list.determiners).toContain('某');
  });

  it('reports every problem together, with line and column', () => {
    const dir = writeRules(
      [
        'version: 1', //                                   1
        'determiners: [某]', //                            2
        'colour: red', //                                  3 unknown top-level key
        'types:', //                                       4
        '  - id: county', //                               5
        '    label: { zh: 县, en: county }', //            6
        '    terms: [县区, 42]', //                         7 non-string term at column 17
        '  - id: county', //                               8 duplicate id at column 9
        '    label: { zh: 县 }', //                        9 missing en
        '    terms: [县城]', //                            10
        '    extra: true', //                             11 unknown key
        '  - label: { zh: 村, en: village }', //          12 missing id
        '    terms: [县区]', //                            13 term listed twice across types
        '  - id: Bad_Id', //                              14 bad id
        '    label: { zh: x, en: y }', //                 15 missing terms
      ].join('\n'),
    );
    const err = catchError(() => loadUnitTypes(dir));
    expect(err.code).toBe(ERROR_CODES.RULE_INVALID);
    const file = join(dir, 'facts', 'unit-types.yaml');
    const by = (re: RegExp) => err.issues.find((i) => re.test(i.message));
    expect(err.issues.every((i) => i.file === file)).toBe(true);
    expect(by(/unknown key `colour`/)).toMatchObject({ line: 3, column: 1 });
    expect(by(/only strings/)).toMatchObject({ line: 7, column: 17 });
    expect(by(/duplicate unit type id `county`/)).toMatchObject({ line: 8, column: 9 });
    expect(by(/has no `en`/)).toMatchObject({ line: 9 });
    expect(by(/unknown key `extra`/)).toMatchObject({ line: 11, column: 5 });
    expect(by(/without `id`/)).toMatchObject({ line: 12 });
    expect(by(/`县区`.*already listed/)).toMatchObject({ line: 13, column: 13 });
    expect(by(/kebab-case/)).toMatchObject({ line: 14, column: 9 });
    expect(by(/has no `terms`/)).toMatchObject({ line: 14 });
    expect(err.issues.length).toBe(9);
    expect(err.message).toMatch(/9 problems/);
  });

  it('reports YAML syntax errors with their position', () => {
    const dir = writeRules('version: 1\ntypes: [\n  - id: x\n');
    const err = catchError(() => loadUnitTypes(dir));
    expect(err.code).toBe(ERROR_CODES.RULE_INVALID);
    expect(err.issues[0]!.message).toMatch(/YAML syntax error/);
    expect(err.issues[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('reports missing top-level keys and a missing file', () => {
    const err = catchError(() => loadUnitTypes(writeRules('version: 2\n')));
    expect(err.issues.map((i) => i.message)).toEqual([
      '`version` must be 1',
      'missing key `determiners` (a list of strings such as 某, 该, 各)',
      'missing key `types` (a list of unit types)',
    ]);
    const missing = catchError(() => loadUnitTypes(join(tmpdir(), 'no-such-rules-dir')));
    expect(missing.code).toBe(ERROR_CODES.RULE_INVALID);
    expect(missing.message).toMatch(/cannot read unit-type list/);
  });
});
