import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';

/** A rules folder with the shipped taxonomy and scoring and the given unit-type list (none when undefined). */
function rulesWithUnitTypes(yaml: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-unit-types-'));
  cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
  cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
  if (yaml !== undefined) {
    mkdirSync(join(dir, 'facts'));
    writeFileSync(join(dir, 'facts', 'unit-types.yaml'), yaml);
  }
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

describe('unit types (facts/unit-types.yaml)', () => {
  it('loads the shipped list with the ids the facts issue names', () => {
    const list = loadRuleSet({ dirs: [getDefaultRulesDir()] }).unitTypes;
    const ids = list.types.map((t) => t.id);
    for (const id of ['municipal-department', 'county', 'soe', 'university', 'township', 'village', 'provincial-department', 'service-center', 'community', 'hospital', 'school']) {
      expect(ids).toContain(id);
    }
    expect(list.types.find((t) => t.id === 'municipal-department')!.terms).toContain('市直单位');
    expect(list.types.find((t) => t.id === 'village')!.boundTerms).toContain('村');
    expect(list.determiners).toContain('某');
  });

  it('reports every problem together, with line and column', () => {
    const dir = rulesWithUnitTypes(
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
    const err = catchError(() => loadRuleSet({ dirs: [dir] }));
    expect(err.code).toBe(ERROR_CODES.RULE_INVALID);
    const file = join(dir, 'facts', 'unit-types.yaml');
    const by = (re: RegExp) => err.issues.find((i) => re.test(i.message));
    expect(err.issues.every((i) => i.file === file)).toBe(true);
    expect(by(/unknown key "colour"/)).toMatchObject({ line: 3, column: 1 });
    expect(by(/\/types\/0\/terms\/1 must be string/)).toMatchObject({ line: 7, column: 17 });
    expect(by(/unknown key "extra"/)).toMatchObject({ line: 11, column: 5 });
    expect(by(/\/types\/1\/label missing key "en"|missing key "en"/)).toMatchObject({ line: 9 });
    expect(by(/missing key "id"/)).toMatchObject({ line: 12 });
    expect(by(/\/types\/3\/id must match pattern/)).toMatchObject({ line: 14, column: 9 });
    expect(by(/missing key "terms"/)).toMatchObject({ line: 14 });
  });

  it('checks ids and terms across types once the list is valid', () => {
    const dir = rulesWithUnitTypes(
      [
        'version: 1',
        'determiners: [某]',
        'types:',
        '  - { id: county, label: { zh: 县, en: county }, terms: [县区] }',
        '  - { id: county, label: { zh: 县, en: county }, terms: [县城] }',
        '  - id: village',
        '    label: { zh: 村, en: village }',
        '    terms: [县区]',
      ].join('\n'),
    );
    const err = catchError(() => loadRuleSet({ dirs: [dir] }));
    expect(err.issues.map((i) => `${i.line}:${i.column}: ${i.message}`)).toEqual([
      '5:11: duplicate unit type id "county"',
      '8:13: term "县区" of unit type "village" is already listed under "county"',
    ]);
  });

  it('reports YAML syntax errors and a wrong version with their position', () => {
    const syntax = catchError(() => loadRuleSet({ dirs: [rulesWithUnitTypes('version: 1\ntypes: [\n  - id: x\n')] }));
    expect(syntax.issues[0]!.message).toMatch(/^YAML:/);
    expect(syntax.issues[0]!.line).toBeGreaterThanOrEqual(2);
    const version = catchError(() => loadRuleSet({ dirs: [rulesWithUnitTypes('version: 2\n')] }));
    expect(version.issues.map((i) => i.message)).toEqual(['missing key "determiners"', 'missing key "types"', '/version must be 1']);
  });

  it('gives no unit types to a folder without the list, and merges a later folder\'s types by id', () => {
    expect(loadRuleSet({ dirs: [rulesWithUnitTypes(undefined)] }).unitTypes).toEqual({ file: '', determiners: [], notWithin: [], types: [] });
    const extra = rulesWithUnitTypes('version: 1\ndeterminers: [该, 本镇]\nnotWithin: [镇政府, 省属]\ntypes:\n  - { id: county, label: { zh: 县, en: county }, terms: [县级单位] }\n  - { id: farm, label: { zh: 农场, en: farm }, terms: [国营农场] }\n');
    const merged = loadRuleSet({ dirs: [getDefaultRulesDir(), extra] }).unitTypes;
    const shipped = loadRuleSet({ dirs: [getDefaultRulesDir()] }).unitTypes;
    expect(merged.types.map((t) => t.id)).toEqual([...shipped.types.map((t) => t.id), 'farm']);
    expect(merged.types.find((t) => t.id === 'county')).toEqual({ id: 'county', label: { zh: '县', en: 'county' }, terms: ['县级单位'], boundTerms: [] });
    expect(merged.determiners).toEqual([...shipped.determiners, '本镇']);
    expect(shipped.notWithin).toContain('省属');
    expect(merged.notWithin).toEqual([...shipped.notWithin!, '镇政府']);
  });
});
