import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { createMatchingCopy, segment } from '@xunshi/tokenizer';
import { checkRuleExample, containsRuleTerm, listRuleExamples, needsTermInNoMatch, type PrepareText } from '@xunshi/engine';
import { createAnalyzer } from 'xunshi';

// The label set of ../shared/design/taxonomy.md, which is the spec; the shipped taxonomy must match it exactly.
const TAXONOMY = {
  functions: ['problem', 'cause', 'measure', 'context'],
  rootCauses: ['ideology', 'responsibility', 'institution', 'ecology'],
  categories: {
    political: ['political.theory', 'political.implementation', 'political.ideology-work', 'political.political-life', 'political.rectification'],
    organizational: ['organizational.party-building', 'organizational.grassroots', 'organizational.cadres', 'organizational.members'],
    conduct: ['conduct.formalism', 'conduct.masses', 'conduct.hedonism'],
    discipline: ['discipline.accountability', 'discipline.enforcement', 'discipline.integrity-risk', 'discipline.corruption', 'discipline.petty-corruption'],
  },
};

const analyzer = createAnalyzer();
// The texts of rule examples are prepared as the analyzer prepares a document: matching copy, then the segmenter.
const prepare: PrepareText = (text) => {
  const { normalized } = createMatchingCopy(text);
  return { normalized, tokens: segment(normalized, [{ start: 0, end: text.length }], analyzer.lexicon) };
};

// Each example of each shipped rule is its own test case, named by rule id (`conduct.formalism.formalism noMatch #2: …`).
describe('shipped rule examples', () => {
  it.each(listRuleExamples(analyzer.ruleset).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const lines = checkRuleExample(analyzer.ruleset, c, prepare).map((f) => `${relative(getDefaultRulesDir(), f.file)}:${f.line}: ${f.message} — ${f.text}`);
    expect(lines).toEqual([]);
  });
});

describe('shipped rules', () => {
  const rs = analyzer.ruleset;

  it('the rule tester refuses a filter that is not a function with a usage error', () => {
    for (const bad of [5, 'conduct', null]) expect(() => analyzer.testRules(bad as unknown as () => boolean)).toThrow(/^testRules expects a filter function/);
    expect(analyzer.testRules((id) => id.startsWith('conduct.formalism')).examples).toBeGreaterThan(0);
  });

  it('the rule tester passes as a whole: every rule has examples, every excuse from a term in noMatch has a reason', () => {
    const result = analyzer.testRules();
    expect(result.failures.map((f) => `${relative(getDefaultRulesDir(), f.file)}:${f.line}: ${f.message}`)).toEqual([]);
    expect(result.examples).toBeGreaterThan(2 * rs.rules.length - 1);
    // Only a few rules may be excused from holding a term in their noMatch examples, each with its reason.
    expect(result.exceptions.length).toBeLessThanOrEqual(3);
    for (const e of result.exceptions) expect(e.reason.length, e.rule).toBeGreaterThan(20);
    // Every other noMatch example of a terms/near rule holds a term of its rule.
    const noMatch = rs.rules.filter(needsTermInNoMatch).flatMap((r) => r.examples.noMatch.map((e) => ({ r, e })));
    const termFree = noMatch.filter(({ r, e }) => !containsRuleTerm(rs, r, e.text, prepare));
    expect(termFree.filter(({ r }) => r.noMatchWithoutTerm === undefined).map(({ r, e }) => `${r.id}: ${e.text}`)).toEqual([]);
    expect(result.noMatchWithTerm).toBe(noMatch.length - termFree.length);
  });

  it('the rule tester names every term the matching copy writes otherwise (traditional, full-width): such a term never matches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-dead-terms-'));
    for (const f of ['taxonomy.yaml', 'scoring.yaml']) cpSync(join(getDefaultRulesDir(), f), join(dir, f));
    mkdirSync(join(dir, 'categories', 'conduct'), { recursive: true });
    const rule = ['rules:', '  - id: x', '    kind: terms', '    category: conduct.formalism', '    terms: [形式主义, 形式主義, ３个不准]', '    noMatchWithoutTerm: "a rule of this test only; the check under test is of its terms"', '    examples: { match: [反对形式主义], noMatch: [严格执行制度] }', ''];
    writeFileSync(join(dir, 'categories', 'conduct', 'formalism.yaml'), rule.join('\n'));
    const result = createAnalyzer({ rules: dir }).testRules();
    expect(result.failures.map((f) => `${f.line}: ${f.message}`)).toEqual([
      '2: rule conduct.formalism.x: term "形式主義" can never match: the text is matched in simplified characters and half-width forms, where it reads "形式主义"; write that',
      '2: rule conduct.formalism.x: term "３个不准" can never match: the text is matched in simplified characters and half-width forms, where it reads "3个不准"; write that',
    ]);
    // A term of quotation marks alone is refused when the rules load (matching steps over those characters).
    writeFileSync(join(dir, 'categories', 'conduct', 'formalism.yaml'), rule.join('\n').replace('terms: [形式主义, 形式主義, ３个不准]', 'terms: [形式主义, "“”"]'));
    let issues: { line?: number; message: string }[] = [];
    try {
      createAnalyzer({ rules: dir });
    } catch (e) {
      issues = (e as { issues: { line?: number; message: string }[] }).issues;
    }
    expect(issues.map((i) => `${i.line}: ${i.message}`)).toEqual(['5: term "“”" is quotation marks alone, which matching steps over: it can never match']);
  });

  it('the rule tester points a failing example at its own line; spans on a noMatch example and noMatchWithoutTerm on other kinds are refused at load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-example-lines-'));
    for (const f of ['taxonomy.yaml', 'scoring.yaml']) cpSync(join(getDefaultRulesDir(), f), join(dir, f));
    mkdirSync(join(dir, 'categories', 'conduct'), { recursive: true });
    const file = join(dir, 'categories', 'conduct', 'formalism.yaml');
    const rule = ['rules:', '  - id: x', '    kind: terms', '    category: conduct.formalism', '    terms: [文山会海]', '    examples:', '      match:', '        - 存在文山会海', '        - 会议太多', '      noMatch: [反对文山会海的倡议]', ''];
    writeFileSync(file, rule.join('\n'));
    const result = createAnalyzer({ rules: dir }).testRules();
    expect(result.failures.map((f) => `${f.line}:${f.column}: ${f.message}`)).toEqual([
      '9:11: rule conduct.formalism.x did not fire on its match example #2',
      '10:17: rule conduct.formalism.x fired on its noMatch example #1: "文山会海"',
    ]);
    const issuesOf = (text: string): string[] => {
      writeFileSync(file, text);
      try {
        createAnalyzer({ rules: dir });
      } catch (e) {
        return (e as { issues: { line?: number; column?: number; message: string }[] }).issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
      }
      return [];
    };
    expect(issuesOf(rule.join('\n').replace('noMatch: [反对文山会海的倡议]', 'noMatch: [{ text: 严格执行制度, spans: [制度] }]'))).toEqual(['10:33: spans apply to match examples only: a noMatch example has no span to find']);
    const pattern = rule.join('\n').replace('kind: terms', 'kind: pattern').replace('terms: [文山会海]', 'pattern: 文山会海\n    noMatchWithoutTerm: "a reason long enough to pass the schema"').replace('        - 会议太多\n', '').replace('[反对文山会海的倡议]', '[严格执行制度]');
    expect(issuesOf(pattern)).toEqual(['6:25: "noMatchWithoutTerm" does not apply to rules of kind pattern (only terms and near rules must hold a term in their noMatch examples)']);
  });

  it('looks for a rule term in a noMatch example on the matching copy (traditional and full-width text count)', () => {
    const petitions = rs.rules.find((r) => r.id === 'conduct.masses.petitions')!;
    expect(containsRuleTerm(rs, petitions, '縣信訪局', prepare)).toBe(true);
    const service = rs.rules.find((r) => r.id === 'conduct.masses.service-signals')!;
    expect(containsRuleTerm(rs, service, '撥打１２３４５熱線', prepare)).toBe(true);
    expect(containsRuleTerm(rs, service, '撥打熱線電話', prepare)).toBe(true);
    expect(containsRuleTerm(rs, service, '按期办结', prepare)).toBe(false);
  });

  it('the taxonomy has exactly the ids of taxonomy.md, each with Chinese and English labels', () => {
    expect(rs.taxonomy.functions.map((f) => f.id)).toEqual(TAXONOMY.functions);
    expect(rs.taxonomy.rootCauses.map((r) => r.id)).toEqual(TAXONOMY.rootCauses);
    expect(Object.fromEntries(rs.taxonomy.categories.map((c) => [c.id, c.subcategories.map((s) => s.id)]))).toEqual(TAXONOMY.categories);
    for (const l of [...rs.taxonomy.functions, ...rs.taxonomy.rootCauses, ...rs.taxonomy.categories, ...rs.taxonomy.categories.flatMap((c) => c.subcategories)]) {
      expect(l.zh).toMatch(/\p{Script=Han}/u);
      expect(l.en).toMatch(/^[A-Z]/);
    }
  });

  it('rule files under categories/<cat>/<sub>.yaml label only their own subcategory (or the area in area.yaml)', () => {
    const files = new Set<string>();
    for (const rule of rs.rules) {
      const rel = relative(getDefaultRulesDir(), rule.file).replace(/\\/g, '/');
      const m = /^categories\/([a-z]+)\/([a-z-]+)\.yaml$/.exec(rel);
      if (!m) continue;
      files.add(rel);
      const expected = m[2] === 'area' ? { id: m[1], subcategory: null } : { id: m[1], subcategory: `${m[1]}.${m[2]}` };
      expect(rule.target.category, rule.id).toEqual(expected);
      expect(rule.id.startsWith(m[2] === 'area' ? `${m[1]}.area.` : `${m[1]}.${m[2]}.`), rule.id).toBe(true);
    }
    // Not vacuous: every subcategory of the taxonomy has its rule file, and the loop above saw it.
    const subs = rs.taxonomy.categories.flatMap((c) => c.subcategories.map((s) => `categories/${c.id}/${s.id.slice(c.id.length + 1)}.yaml`));
    expect(subs.filter((f) => !files.has(f))).toEqual([]);
  });

  it('root-cause and function rule files label their own dimension', () => {
    const seen = new Set<string>();
    for (const rule of rs.rules) {
      const rel = relative(getDefaultRulesDir(), rule.file).replace(/\\/g, '/');
      const rc = /^root-causes\/([a-z]+)\.yaml$/.exec(rel);
      if (rc) expect(rule.target.rootCause, rule.id).toBe(rc[1]);
      const fn = /^functions\/(problem|cause|measure|context)\.yaml$/.exec(rel);
      if (fn) expect(rule.target.function, rule.id).toBe(fn[1]);
      if (rc || fn) seen.add((rc ?? fn)![1]!);
    }
    // Not vacuous: each root cause and function has its file, and the loop above checked it.
    expect([...seen].sort()).toEqual([...TAXONOMY.rootCauses, ...TAXONOMY.functions].sort());
  });

  it('every lexicon word stays one token in a sentence', () => {
    const { lexicon } = loadRuleSet({ dirs: [getDefaultRulesDir()] });
    const words = lexicon.entries.map((e) => e.word);
    expect(words.length).toBeGreaterThan(10);
    const broken: string[] = [];
    for (const w of words) {
      const text = `巡察发现，${w}。`;
      const tokens = segment(text, [{ start: 0, end: text.length }], lexicon);
      if (!tokens.some((t) => t.text === w)) broken.push(`${w}: ${tokens.map((t) => t.text).join('/')}`);
    }
    expect(broken).toEqual([]);
  });

  it('compiles all terms into one automaton', () => {
    const again = loadRuleSet({ dirs: [getDefaultRulesDir()] });
    expect(again.hash).toBe(rs.hash);
    const termCount = rs.rules.reduce((n, r) => n + r.terms.length + r.first.length + r.then.length, 0);
    expect(rs.automaton.size).toBeLessThanOrEqual(termCount);
    expect(rs.automaton.size).toBeGreaterThan(500);
  });
});
