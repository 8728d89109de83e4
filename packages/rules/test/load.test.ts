import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XunshiError } from '@xunshi/types';
import { buildAutomaton, getDefaultRulesDir, getRuleDirs, loadRuleSet } from '@xunshi/rules';
import { GOOD_RULE, expectRuleLoadError, scratchRules } from './load-error.js';

const goodRule = GOOD_RULE;

describe('loadRuleSet', () => {
  it('loads the shipped rules with one automaton over all terms', () => {
    const rs = loadRuleSet({ dirs: [getDefaultRulesDir()] });
    expect(rs.rules.length).toBeGreaterThan(40);
    expect(rs.automaton.size).toBe(rs.terms.length);
    expect(rs.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(new Set(rs.rules.map((r) => r.id)).size).toBe(rs.rules.length);
  });

  it('refuses unknown keys at every level of a rule file: defaults, examples and an example object', () => {
    const dir = scratchRules({
      'categories/conduct/formalism.yaml': goodRule.replace('rules:', 'defaults:\n  categroy: conduct.formalism\nrules:'),
      'categories/conduct/hedonism.yaml': goodRule.replace('      noMatch: [严格执行制度]', '      noMatch: [严格执行制度]\n      notes: [例子]'),
      'categories/conduct/masses.yaml': goodRule.replace('match: [存在以文件落实文件现象]', 'match: [{ text: 存在以文件落实文件现象, span: [以文件落实文件] }]'),
    });
    const err = expectRuleLoadError([dir]);
    const lines = err.issues.map((i) => `${i.file!.slice(dir.length + 1)}:${i.line}:${i.column}: ${i.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        'categories/conduct/formalism.yaml:2:3: unknown key "categroy"',
        'categories/conduct/hedonism.yaml:9:7: unknown key "notes"',
        expect.stringMatching(/^categories\/conduct\/masses\.yaml:7:\d+: unknown key "span"$/),
      ]),
    );
  });

  it('derives ids from the file path', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': goodRule });
    const rs = loadRuleSet({ dirs: [dir] });
    expect(rs.rules.map((r) => r.id)).toEqual(['conduct.formalism.paper']);
    expect(rs.rules[0]!.target.category).toEqual({ id: 'conduct', subcategory: 'conduct.formalism' });
  });

  it('reports every problem of every file together, with file, line and column', () => {
    const dir = scratchRules({
      'a.yaml': goodRule.replace('kind: terms', 'kind: terms\n    colour: red'),
      'b.yaml': goodRule.replace('conduct.formalism', 'conduct.nonsense'),
      'c.yaml': 'rules:\n  - id: x\n    kind: [unclosed\n',
      'd.yaml': goodRule.replace('kind: terms', 'kind: pattern').replace('terms: [以文件落实文件]', 'pattern: "(a)\\\\1"'),
      'e.yaml': goodRule.replace('kind: terms', 'kind: wildcard'),
    });
    const err = expectRuleLoadError([dir]);
    const byFile = (f: string) => err.issues.filter((i) => i.file?.endsWith(f));
    expect(byFile('a.yaml')[0]).toMatchObject({ line: 4, column: 5, message: 'unknown key "colour"' });
    expect(byFile('b.yaml')[0]).toMatchObject({ line: 4, message: expect.stringContaining('unknown category or subcategory "conduct.nonsense"') });
    expect(byFile('c.yaml')[0]!.message).toMatch(/^YAML:/);
    expect(byFile('c.yaml')[0]!.line).toBeGreaterThan(1);
    expect(byFile('d.yaml')[0]!.message).toContain('backreferences');
    expect(byFile('e.yaml')[0]!.message).toContain('must be one of');
  });

  it('lets a later folder replace a rule with the same id and add new ones', () => {
    const base = scratchRules({ 'categories/conduct/formalism.yaml': goodRule });
    const extra = mkdtempSync(join(tmpdir(), 'xunshi-extra-'));
    mkdirSync(join(extra, 'categories/conduct'), { recursive: true });
    writeFileSync(join(extra, 'categories/conduct/formalism.yaml'), goodRule.replace('[以文件落实文件]', '[文山会海]').replace('存在以文件落实文件现象', '文山会海'));
    const rs = loadRuleSet({ dirs: [base, extra] });
    expect(rs.rules).toHaveLength(1);
    expect(rs.rules[0]!.terms).toEqual(['文山会海']);
  });
});

describe('buildAutomaton', () => {
  it('finds every occurrence of every term, overlapping ones included', () => {
    const a = buildAutomaton(['责任', '主体责任', '体责', '任']);
    const hits = a.search('落实主体责任不到位').map((h) => `${h.start}-${h.end}:${h.term}`);
    expect(hits.sort()).toEqual(['2-6:1', '3-5:2', '4-6:0', '5-6:3'].sort());
  });
  it('steps over transparent quotation marks inside a term', () => {
    const a = buildAutomaton(['三资管理', '资管'], { transparent: '“”' });
    const hits = a.search('集体“三资”管理混乱').map((h) => `${h.start}-${h.end}:${h.term}`);
    expect(hits.sort()).toEqual(['3-8:0', '4-7:1'].sort());
  });
  it('agrees with a naive search on random text', () => {
    const terms = ['ab', 'bab', 'a', 'bb', 'abba'];
    const a = buildAutomaton(terms);
    for (let k = 0; k < 50; k++) {
      let s = '';
      for (let i = 0; i < 40; i++) s += 'ab'[(k * 7 + i * i) % 2];
      const naive: string[] = [];
      terms.forEach((t, ti) => {
        for (let i = s.indexOf(t); i >= 0; i = s.indexOf(t, i + 1)) naive.push(`${i}:${ti}`);
      });
      expect(a.search(s).map((h) => `${h.start}:${h.term}`).sort()).toEqual(naive.sort());
    }
  });
  it('agrees with a naive search for any terms and text, inside any range (property)', () => {
    const alphabet = ['责', '任', '主', '体', 'a', '\u{20000}'.slice(0, 1), '\u{20000}'.slice(1)];
    const str = (min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(str(1, 4), { minLength: 1, maxLength: 30 }), str(0, 60), fc.nat(), fc.nat(), (terms, text, x, y) => {
        const from = x % (text.length + 1);
        const to = from + (y % (text.length - from + 1));
        const got = buildAutomaton(terms).search(text, from, to);
        const naive: string[] = [];
        terms.forEach((t, ti) => {
          for (let i = text.indexOf(t, from); i >= 0 && i + t.length <= to; i = text.indexOf(t, i + 1)) naive.push(`${i}-${i + t.length}:${ti}`);
        });
        expect(got.map((h) => `${h.start}-${h.end}:${h.term}`).sort()).toEqual(naive.sort());
        // Ordered by end, then longest first.
        for (let k = 1; k < got.length; k++) expect(got[k - 1]!.end < got[k]!.end || (got[k - 1]!.end === got[k]!.end && got[k - 1]!.start <= got[k]!.start)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it('skips transparent characters inside and between terms, agreeing with a naive search of the text without them (property)', () => {
    // `search` gives the columns of `searchColumns` as objects; the oracle is a naive search over the text with the
    // transparent characters taken out, its offsets mapped back (a hit starts at its first kept character and ends
    // after its last).
    const alphabet = ['责', '任', '主', '体', 'a', '“', '”'];
    const str = (min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(str(1, 4), { minLength: 1, maxLength: 30 }), str(0, 200), fc.nat(), fc.nat(), (raw, text, x, y) => {
        const from = x % (text.length + 1);
        const to = from + (y % (text.length - from + 1));
        const terms = raw.map((t) => t.replace(/[“”]/g, '') || '责');
        const a = buildAutomaton(terms, { transparent: '“”' });
        const cols = a.searchColumns(text, from, to);
        const asObjects = Array.from({ length: cols.count }, (_, k) => ({ start: cols.starts[k], end: cols.ends[k], term: cols.terms[k] }));
        expect(asObjects).toEqual(a.search(text, from, to));
        const kept: number[] = [];
        for (let i = from; i < to; i++) if (text[i] !== '“' && text[i] !== '”') kept.push(i);
        const stripped = kept.map((i) => text[i]).join('');
        const naive: string[] = [];
        terms.forEach((t, ti) => {
          for (let i = stripped.indexOf(t); i >= 0; i = stripped.indexOf(t, i + 1)) naive.push(`${kept[i]}-${kept[i + t.length - 1]! + 1}:${ti}`);
        });
        expect(asObjects.map((h) => `${h.start}-${h.end}:${h.term}`).sort()).toEqual(naive.sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('a rules folder with one error of each kind', () => {
  // Built here, in a temporary folder: YAML syntax, an unknown rule key, a bad lexicon line, a bad unit-type key, a
  // taxonomy label the output does not know, and a bad pattern. One load reports all six, each with its position.
  function brokenRules(): string {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-broken-'));
    cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
    const files: Record<string, string> = {
      'taxonomy.yaml': [
        'functions:',
        '  - { id: problem, zh: 问题, en: Problem }',
        '  - { id: context, zh: 背景, en: Context }',
        'categories:',
        '  - id: conduct',
        '    zh: 作风建设',
        '    en: Work style',
        '    subcategories: [{ id: conduct.formalism, zh: 形式主义, en: Formalism }]',
        '  - id: economy',
        '    zh: 经济',
        '    en: Economy',
        '    subcategories: [{ id: economy.waste, zh: 浪费, en: Waste }]',
        'rootCauses:',
        '  - { id: ideology, zh: 思想, en: Ideology }',
      ].join('\n'),
      'categories/conduct/a-syntax.yaml': 'rules:\n  - id: x\n    kind: [unclosed\n',
      'categories/conduct/b-key.yaml': goodRule.replace('kind: terms', 'kind: terms\n    colour: red'),
      'categories/conduct/c-pattern.yaml': goodRule.replace('kind: terms', 'kind: pattern').replace('terms: [以文件落实文件]', 'pattern: "以文件(落实"'),
      'lexicon/domain.txt': '# word freq tag\n三重一大 3000 n\n以文件落实文件 often n\n',
      'facts/unit-types.yaml': 'version: 1\ndeterminers: [某]\ntypes:\n  - id: county\n    label: { zh: 县, en: county }\n    terms: [县区]\n    colour: red\n',
    };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it('reports every problem of every file in one run, each with file, line and column', () => {
    const dir = brokenRules();
    const err = expectRuleLoadError([dir]);
    const lines = err.issues.map((i) => `${i.file!.slice(dir.length + 1)}:${i.line}:${i.column}: ${i.message}`);
    expect(lines).toEqual([
      'categories/conduct/a-syntax.yaml:4:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'taxonomy.yaml:9:9: unknown category "economy": the output knows only political, organizational, conduct, discipline',
      'categories/conduct/b-key.yaml:4:5: unknown key "colour"',
      'categories/conduct/c-pattern.yaml:5:14: bad pattern: Invalid regular expression: /以文件(落实/g: Unterminated group',
      'lexicon/domain.txt:3:9: lexicon line must be "word freq tag" (or a lone word): the frequency must be a whole number, got "often"',
      'facts/unit-types.yaml:7:5: unknown key "colour"',
    ]);
  });
});

describe('loader policy and checks', () => {
  it('rejects a subcategory that does not belong to its category', () => {
    const dir = scratchRules({});
    const taxonomy = join(dir, 'taxonomy.yaml');
    writeFileSync(taxonomy, readFileSync(taxonomy, 'utf8').replace('id: conduct.formalism,', 'id: formalism,'));
    expect(() => loadRuleSet({ dirs: [dir] })).toThrow(XunshiError);
    try {
      loadRuleSet({ dirs: [dir] });
    } catch (e) {
      expect((e as XunshiError).issues.map((i) => i.message)).toContain('subcategory "formalism" must be "conduct." followed by its own name');
    }
  });

  it('keys of one kind do not apply to another', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': goodRule.replace('kind: terms', 'kind: terms\n    within: 3') });
    try {
      loadRuleSet({ dirs: [dir] });
      expect.unreachable();
    } catch (e) {
      expect((e as XunshiError).issues).toMatchObject([{ line: 4, column: 13, message: '"within" does not apply to rules of kind terms' }]);
    }
  });

  it('names a bad default once, at the default, and a default no rule of the file can take', () => {
    const two = ['defaults:', '  category: conduct.formalsim', '  columnHeader: true', 'rules:', '  - id: a', '    kind: terms', '    terms: [以文件落实文件]', '    examples: { match: [以文件落实文件], noMatch: [落实] }', '  - id: b', '    kind: terms', '    terms: [以会议落实会议]', '    examples: { match: [以会议落实会议], noMatch: [会议] }', ''];
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': two.join('\n') });
    try {
      loadRuleSet({ dirs: [dir] });
      expect.unreachable();
    } catch (e) {
      expect((e as XunshiError).issues.map((i) => `${i.line}:${i.column}: ${i.message}`)).toEqual([
        '3:3: default "columnHeader" applies to no rule of this file (terms); it is a key of heading rules',
        '2:13: unknown category or subcategory "conduct.formalsim"',
      ]);
    }
  });

  it('checks a key two kinds define differently by the rule\'s own kind (within: near 0–60, frame 0–30)', () => {
    const near = ['rules:', '  - id: late', '    kind: near', '    category: political.rectification', '    first: [整改]', '    then: [不到位]', '    within: 45', '    examples: { match: [整改不到位], noMatch: [整改已全部到位] }'];
    const frame = ['  - id: weak', '    kind: frame', '    rootCause: ideology', '    concepts: [纪律意识]', '    predicates: [淡薄]', '    within: 45', '    examples: { match: [纪律意识淡薄], noMatch: [要增强纪律意识] }'];
    const dir = scratchRules({ 'categories/political/zz.yaml': near.join('\n') + '\n' });
    expect(() => loadRuleSet({ dirs: [dir] })).not.toThrow();
    writeFileSync(join(dir, 'categories/political/zz.yaml'), [...near.map((l) => l.replace('within: 45', 'within: 61')), ...frame].join('\n') + '\n');
    try {
      loadRuleSet({ dirs: [dir] });
      expect.unreachable();
    } catch (e) {
      expect((e as XunshiError).issues.map((i) => `${i.line}:${i.column}: ${i.message}`)).toEqual(['7:13: /rules/0/within must be <= 60', '14:13: /rules/1/within must be <= 30']);
    }
  });

  it('getRuleDirs: --rules replaces the shipped folder, --extend-rules adds to it', () => {
    expect(getRuleDirs()).toEqual([getDefaultRulesDir()]);
    expect(getRuleDirs({ rules: 'mine' })).toEqual(['mine']);
    expect(getRuleDirs({ rules: ['a', 'b'], extend: true })).toEqual([getDefaultRulesDir(), 'a', 'b']);
  });

  it('hashes every file that shapes the output, the lexicon and unit types included', () => {
    const dir = scratchRules({ 'categories/conduct/formalism.yaml': goodRule, 'lexicon/a.txt': '以文件落实文件 3000 n\n' });
    const before = loadRuleSet({ dirs: [dir] });
    expect(before.lexicon).toMatchObject({ size: 1, entries: [{ word: '以文件落实文件', freq: 3000, tag: 'n' }] });
    writeFileSync(join(dir, 'lexicon/a.txt'), '以文件落实文件 2000 n\n');
    const lexiconChanged = loadRuleSet({ dirs: [dir] });
    expect(lexiconChanged.hash).not.toBe(before.hash);
    mkdirSync(join(dir, 'facts'));
    writeFileSync(join(dir, 'facts/unit-types.yaml'), 'version: 1\ndeterminers: [某]\ntypes:\n  - { id: farm, label: { zh: 农场, en: farm }, terms: [农场] }\n');
    const unitTypesAdded = loadRuleSet({ dirs: [dir] });
    expect(unitTypesAdded.hash).not.toBe(lexiconChanged.hash);
    expect(unitTypesAdded.unitTypes.types.map((t) => t.id)).toEqual(['farm']);
  });
});
