import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePattern, getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { findAdjacentRuns } from '../src/pattern.js';
import { expectRuleLoadError, scratchRules } from './load-error.js';

/** The problem compilePattern reports for a pattern, or undefined when it compiles. */
function problem(source: string): string | undefined {
  const r = compilePattern(source);
  return r instanceof RegExp ? undefined : r.problem;
}

describe('compilePattern: patterns that can backtrack exponentially are refused', () => {
  it.each([
    '(一{1,30})+二',
    '(a+)+$',
    '(a*)*b',
    '(a|a)*b',
    '([^，]{0,40})+',
    '(?:a|aa)+b',
    '(a{1,30})+',
    '(?:x(?:a+))*y',
    '(?:(?:ab)?c)+d',
    '(a|)+b',
    '(?:[a-c]|b)+d',
    '(?:\\d|1)+x',
  ])('%s', (source) => {
    expect(problem(source)).toMatch(/^nested quantifier|^ambiguous alternation/);
  });

  it.each([
    '(制定|修订|出台)[^，。；]{0,6}《[^》]{2,40}(办法|规则|制度)》',
    '(ab)+c',
    '(?:整改|落实)+到位',
    '(?:a{2})+b',
    '(是|在于)?问题',
    '[一二三四五六七八九十]+是',
    '(?:第[一二三]+条)?规定',
  ])('accepts %s', (source) => {
    expect(problem(source)).toBeUndefined();
  });

  it.each(['[^。；;]*深刻认识', '.+问题', '(的)?[^，]*整改', '(?:[^，]+|x)意义', 'a|[^。]*b', '(?:[^，]*从)高度', '\\S+整改', '[\\u4e00-\\u9fff]+问题', '[\\s\\S]*问题', '[\\S]+问题', '[一-龥a-z]*问题'])('refuses %s: an unbounded repetition a match can begin with is quadratic in a long unit', (source) => {
    expect(problem(source)).toMatch(/^unbounded repetition at the start of a match/);
  });

  it.each(['[^。；;]{0,80}深刻认识', '问题[^。]*', '整改[^，]+到位', '(的)问题+', '(?:第[一二三]+条)?规定', '[一二三四五六七八九十]+是', '\\d+名', '(?:从[^，]*高度)', '[a-zA-Z0-9]+问题', '[\\d,.]+万元'])('accepts %s (bounded, after a required start, or a short list of characters)', (source) => {
    expect(problem(source)).toBeUndefined();
  });

  it('every shipped rule still loads', () => {
    expect(() => loadRuleSet({ dirs: [getDefaultRulesDir()] })).not.toThrow();
  });

  it('the loader and `xunshi rules test` report the pattern with file:line:col [XUNSHI_RULE_INVALID]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-redos-'));
    cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
    cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
    mkdirSync(join(dir, 'categories'));
    writeFileSync(
      join(dir, 'categories/bomb.yaml'),
      'rules:\n  - id: bomb\n    kind: pattern\n    category: conduct.formalism\n    pattern: "(一{1,30})+二"\n    examples:\n      match: [一二]\n      noMatch: [二]\n',
    );
    const err = expectRuleLoadError([dir]);
    expect(err.issues[0]).toMatchObject({ line: 5, column: 14, message: expect.stringMatching(/^nested quantifier/) });
    const bin = join(getDefaultRulesDir(), '../packages/xunshi/bin/xunshi.js');
    const r = spawnSync(process.execPath, [bin, 'rules', 'test', '--rules', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml:5:14: nested quantifier.*\[XUNSHI_RULE_INVALID\]/);
  });
});

// The shipped measure.imperative-start before it was rewritten: a unit of 50,000 `*` took 14 s in this one regex (V8's
// linear-time fallback counts backtracks of its stack, and each of the first run's give-backs was one, however long
// the second run's rerun), and a file of six such lines overran a 20 s budget by a minute.
const IMPERATIVE_BEFORE = '^\\**([一二三四五六七八九十]+[是要、]|[（(][一二三四五六七八九十\\d]+[)）]|\\d+[.、．])?\\**(选优配强|配强|靶向|严格|加强|把)';
const IMPERATIVE_AFTER = '^\\**(?:([一二三四五六七八九十]+[是要、]|[（(][一二三四五六七八九十\\d]+[)）]|\\d+[.、．])\\**)?(选优配强|配强|靶向|严格|加强|把)';

describe('compilePattern: runs over the same characters next to each other (quadratic backtracking) are refused', () => {
  it.each([
    IMPERATIVE_BEFORE,
    '^\\**(一是)?\\**加强',
    '整改\\s*\\s*到位',
    '整改\\s+\\s*到位',
    '问题.*X?.*整改',
    '问题[^，]*(的)?[^，]*整改',
    '问题[^，]*(?:的|之)?(?:和)?[^，]+整改',
    '问题(?:[^，]*)?[^。]+整改',
    '整改(?:到位\\s*)?\\s*完成',
    '整改(?:到位|落实\\s*)\\s*完成',
    '整改\\d+\\d*件',
    '整改\\S+\\d*件',
    '整改[^，]{0,200}\\d+件',
    '整改[^，]{2,}[^。]*完成',
    '整改(?:问题)+题*完成',
  ])('%s', (source) => {
    expect(problem(source)).toMatch(/^quantified runs that can match the same characters next to each other \(".+" and ".+"/);
  });

  it('names both runs, what lies between them and how to fix it', () => {
    expect(problem('^\\**(一是)?\\**加强')).toBe(
      'quantified runs that can match the same characters next to each other ("\\**" and "\\**", with only "(一是)?" between them, which can match nothing): ' +
        "a long run of such characters backtracks quadratically, which V8's linear-time fallback does not stop in time; move the second run into the optional part " +
        'after something it requires (\\**(?:一是\\**)?加强 instead of \\**(一是)?\\**加强), or bound one of them (\\*{0,20})',
    );
    expect(problem('整改\\s*\\s*到位')).toMatch(/\("\\s\*" and "\\s\*"\): .*; merge them into one run \(\\s\*\\s\* is \\s\*\) or bound one of them \(\\s\{0,20\}\)$/);
  });

  it.each([
    IMPERATIVE_AFTER,
    '^\\**(?:一是\\**)?加强',
    '整改\\s*到位',
    '整改\\s+\\d+件',
    '整改\\d+\\s*件',
    '问题[^，]*，[^，]*整改',
    '问题[^，]*的[^，]*整改',
    '整改[a-c]*[d-f]*完成',
    '整改[^，]{0,20}\\d+件',
    '整改\\s{0,2}\\s*到位',
    '整改[^，]{0,80}[^。]{0,80}完成',
    '(?:第[一二三四五六七八九十]+轮)?(?:生态)?环境保护督察',
    '整改[^。；;]*$',
  ])('accepts %s (the runs cannot meet, cannot share a character, or one is short)', (source) => {
    expect(problem(source)).toBeUndefined();
  });

  it('the rewrite matches what the old pattern matched', () => {
    const before = new RegExp(IMPERATIVE_BEFORE);
    const after = new RegExp(IMPERATIVE_AFTER);
    const texts = ['**一是**加强学习', '*（二）*严格执行', '**3.**把纪律挺在前面', '**加强**', '一是**加强', '**一是加强', '****严格', '**一是**理论学习不深入', '**（2）配强班子', '**10、选优配强', '二是要加强'];
    for (const text of texts) expect([text, after.exec(text)?.[0]]).toEqual([text, before.exec(text)?.[0]]);
  });

  it('no shipped pattern has such runs (a unit of 50,000 * stays linear), and the shipped imperative-start still reads bold enumerations', () => {
    const ruleset = loadRuleSet({ dirs: [getDefaultRulesDir()] });
    const withRegex = ruleset.rules.filter((r) => r.regex);
    expect(withRegex.length).toBeGreaterThan(80);
    for (const rule of withRegex) expect([rule.id, findAdjacentRuns(rule.regex!.source)]).toEqual([rule.id, undefined]);
    const imperative = ruleset.rules.find((r) => r.id === 'measure.imperative-start')!.regex!;
    const exec = (text: string) => {
      imperative.lastIndex = 0;
      return imperative.exec(text)?.[0];
    };
    expect(exec('*'.repeat(50_000) + '违规')).toBeUndefined();
    expect(exec('*'.repeat(50_000) + '加强')).toBe('*'.repeat(50_000) + '加强');
    expect(exec('**一是**加强干部队伍建设')).toBe('**一是**加强');
  });

  it('the loader and `xunshi rules test` report the pattern with file:line:col [XUNSHI_RULE_INVALID]', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-runs-'));
    cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
    cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
    mkdirSync(join(dir, 'functions'));
    writeFileSync(
      join(dir, 'functions/bold.yaml'),
      'rules:\n  - id: bold\n    kind: pattern\n    function: measure\n    pattern: "^\\\\**(一是)?\\\\**加强"\n    examples:\n      match: [一是加强]\n      noMatch: [加以]\n',
    );
    const err = expectRuleLoadError([dir]);
    expect(err.issues[0]).toMatchObject({ line: 5, column: 14, message: expect.stringMatching(/^quantified runs that can match the same characters next to each other/) });
    const bin = join(getDefaultRulesDir(), '../packages/xunshi/bin/xunshi.js');
    const r = spawnSync(process.execPath, [bin, 'rules', 'test', '--rules', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bold\.yaml:5:14: quantified runs that can match the same characters next to each other.*\[XUNSHI_RULE_INVALID\]/);
  });
});

describe('YAML alias bomb in a rule file', () => {
  it('is a rule-file error with file:line:col (exit 2), not an internal error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-bomb-'));
    cpSync(join(getDefaultRulesDir(), 'taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
    cpSync(join(getDefaultRulesDir(), 'scoring.yaml'), join(dir, 'scoring.yaml'));
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    }
    writeFileSync(join(dir, 'bomb.yaml'), levels.join('\n') + '\n');
    const err = expectRuleLoadError([dir]);
    expect(err.issues[0]).toMatchObject({ file: join(dir, 'bomb.yaml'), line: 2, column: 8, message: expect.stringMatching(/^YAML: too many aliases/) });
    const bin = join(getDefaultRulesDir(), '../packages/xunshi/bin/xunshi.js');
    const r = spawnSync(process.execPath, [bin, 'rules', 'test', '--rules', dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bomb\.yaml:2:8: YAML: too many aliases.*\[XUNSHI_RULE_INVALID\]/);
  });

  it('lets an ordinary file reuse an anchor once per rule (300 rules), and names nesting too deep to read', () => {
    const lines = ['rules:'];
    for (let i = 0; i < 300; i++) {
      lines.push(`  - id: r${i}`, '    kind: terms', '    category: conduct.formalism', `    terms: [以文件落实文件${i}]`);
      lines.push(i === 0 ? `    examples: &ex { match: [以文件落实文件0], noMatch: [以文件落实文件] }` : '    examples: *ex');
    }
    const dir = scratchRules({ 'categories/many.yaml': lines.join('\n') + '\n' }, 'xunshi-anchors-');
    expect(loadRuleSet({ dirs: [dir] }).rules).toHaveLength(300);
    writeFileSync(join(dir, 'categories', 'many.yaml'), `rules: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(expectRuleLoadError([dir]).issues[0]!.message).toBe('YAML: nested too deeply to read (thousands of levels of lists or maps; a rules file nests a handful)');
  });
});

describe('compilePattern: what a pattern would silently match otherwise', () => {
  // Patterns run without the u flag: \p{Han} was the letters p{Han}, \u{4e00} a run of u, and \b (which fails on "")
  // was accepted although every match it has is empty, so the rule could never fire.
  it.each(['\\p{Han}+', '[\\p{Han}]{2}', '\\P{L}', '\\u{4e00}', '\\A整改\\Z', '\\h+', '\\k'])('refuses the letter escape in %s', (source) => {
    expect(problem(source)).toMatch(/^"\\[A-Za-z]" is the letter [A-Za-z] here: patterns run without the u flag/);
  });

  it.each(['\\b', '(?:整改)*\\b', '\\b|整改'])('refuses %s, whose matches can be empty', (source) => {
    expect(problem(source)).toBe('pattern matches the empty string');
  });

  it.each(['[\\u4e00-\\u9fff]{2}问题', '\\x41\\cA\\n\\t[\\b]\\.\\-', '\\d+个', '\\b整改'])('accepts the escapes JavaScript gives without the u flag: %s', (source) => {
    expect(problem(source)).toBeUndefined();
  });
});
