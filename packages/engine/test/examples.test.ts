import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, type RuleSet } from '@xunshi/rules';
import { checkRuleExample, containsRuleTerm, listRuleExamples, runRuleExamples, type PrepareText } from '@xunshi/engine';

// The rule-example tester on small fixture rulesets (fixtures/examples), independent of the shipped rules.
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/examples/${name}`, import.meta.url));
const load = (name: string): RuleSet => loadRuleSet({ dirs: [fixture('base'), fixture(name)] });

// A stand-in for the segmenter: every character is a token, and the matching copy folds the few traditional and
// full-width characters the tests use (the real one is @xunshi/tokenizer's createMatchingCopy).
const FOLD: Record<string, string> = { 實: '实', 資: '资', '１': '1', '２': '2', '３': '3', '４': '4', '５': '5' };
const prepare: PrepareText = (text) => {
  const normalized = [...text].map((c) => FOLD[c] ?? c).join('');
  return { normalized, tokens: [...normalized].map((ch, i) => ({ start: i, end: i + 1, text: ch })) };
};
const rule = (rs: RuleSet, id: string) => rs.rules.find((r) => r.id === id)!;

describe('rule examples on a fixture ruleset where every example behaves', () => {
  const rs = load('good');

  it('passes, and counts the noMatch examples of terms/near rules that hold a term', () => {
    const result = runRuleExamples(rs, prepare);
    expect(result.failures).toEqual([]);
    expect(result.failed).toBe(0);
    // shortfall 2, shortfall-long 1, late 2 (pattern and negation rules are not counted)
    expect(result.noMatchWithTerm).toBe(5);
    expect(result.exceptions).toEqual([]);
  });

  it('finds a term the way the matcher does: on the matching copy, through quote marks, wherever it stands', () => {
    const shortfall = rule(rs, 'rules.shortfall');
    expect(containsRuleTerm(rs, shortfall, '防止落實不到位', prepare)).toBe(true);
    expect(containsRuleTerm(rs, shortfall, '拨打１２３４５热线', prepare)).toBe(true);
    expect(containsRuleTerm(rs, shortfall, '加强“三资”管理', prepare)).toBe(true);
    expect(containsRuleTerm(rs, shortfall, '落实到位', prepare)).toBe(false);
  });

  it('asks a near rule for both a first and a then term', () => {
    const late = rule(rs, 'rules.late');
    expect(containsRuleTerm(rs, late, '整改工作按期推进，未见进度滞后', prepare)).toBe(true);
    expect(containsRuleTerm(rs, late, '整改工作按期推进', prepare)).toBe(false);
    expect(containsRuleTerm(rs, late, '进度滞后', prepare)).toBe(false);
  });

  it('names each example as a test case: rule id, list, position, the start of the text', () => {
    const names = listRuleExamples(rs).map((c) => c.name);
    expect(names).toContain('rules.shortfall noMatch #2: 巡察整改落实不到位');
    expect(names).toContain('rules.late match #1: 整改进度滞后');
    expect(new Set(names).size).toBe(names.length);
    const long = listRuleExamples(rs, (r) => r.id === 'rules.late').find((c) => c.expected === 'noMatch' && c.index === 1)!;
    expect(long.name).toBe('rules.late noMatch #1: 整改工作按期推进，未见进度滞后');
  });

  it('truncates a long example text in the test name', () => {
    const [c] = listRuleExamples(rs, (r) => r.id === 'rules.shortfall');
    const longText = '整改落实不到位'.repeat(6);
    const named = listRuleExamples({ ...rs, rules: [{ ...c!.rule, examples: { match: [{ text: longText }], noMatch: [] } }] });
    expect(named[0]!.name).toBe(`rules.shortfall match #1: ${[...longText].slice(0, 23).join('')}…`);
  });
});

describe('rule examples on a fixture ruleset with one rule per way to fail', () => {
  const rs = load('bad');
  const result = runRuleExamples(rs, prepare);
  const messages = result.failures.map((f) => `${f.rule} ${f.expected}: ${f.message}`);

  it('rejects a noMatch of a terms rule that holds none of its terms, naming rule, file, line and example', () => {
    const f = result.failures.filter((x) => x.rule === 'rules.termless');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ expected: 'noMatch', text: '落实到位', file: fixture('bad/rules.yaml'), line: 10, column: 17 }); // the example's own place
    expect(f[0]!.message).toMatch(/noMatch example #1 of terms rule rules\.termless contains none of its terms, so it cannot fail/);
  });

  it('rejects a noMatch of a near rule that lacks a first or a then term', () => {
    expect(messages).toContainEqual(expect.stringMatching(/^rules\.near-one-side noMatch: .*noMatch example #1 of near rule rules\.near-one-side lacks a "first" or a "then" term \(it needs both\), so it cannot fail/));
  });

  it('accepts term-free noMatch examples of a rule that gives a reason, and lists the reason', () => {
    expect(result.failures.filter((x) => x.rule === 'rules.excused')).toEqual([]);
    expect(result.exceptions).toEqual([{ rule: 'rules.excused', reason: 'the term names the subject wherever it stands in this fixture' }]);
  });

  it('rejects the reason where it excuses nothing or does not apply', () => {
    expect(messages).toContainEqual(expect.stringMatching(/^rules\.excused-needlessly noMatch: .*every noMatch example contains a term: remove the key/));
    // On a kind other than terms or near the key is refused when the rules load (packages/xunshi/test/rules.test.ts).
  });

  it('fails nothing else, and counts failed examples once each', () => {
    expect(result.failures).toHaveLength(3);
    expect(result.failed).toBe(2);
  });

  it('checks one example on its own', () => {
    const termless = rule(rs, 'rules.termless');
    expect(checkRuleExample(rs, { rule: termless, expected: 'noMatch', index: 2, example: { text: '坚决防止落实不到位' } }, prepare)).toEqual([]);
    const fired = checkRuleExample(rs, { rule: termless, expected: 'noMatch', index: 3, example: { text: '整改落实不到位' } }, prepare);
    expect(fired.map((f) => f.message)).toEqual(['rule rules.termless fired on its noMatch example #3: "落实不到位"']);
  });
});
