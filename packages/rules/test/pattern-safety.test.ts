import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilePattern, getDefaultRulesDir, loadRuleSet } from '@xunshi/rules';
import { expectRuleLoadError } from './load-error.js';

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

  it.each(['[^。；;]*深刻认识', '.+问题', '(的)?[^，]*整改', '(?:[^，]+|x)意义', 'a|[^。]*b', '(?:[^，]*从)高度', '\\S+整改'])('refuses %s: an unbounded repetition a match can begin with is quadratic in a long unit', (source) => {
    expect(problem(source)).toMatch(/^unbounded repetition at the start of a match/);
  });

  it.each(['[^。；;]{0,80}深刻认识', '问题[^。]*', '整改[^，]+到位', '(的)问题+', '(?:第[一二三]+条)?规定', '[一二三四五六七八九十]+是', '\\d+名', '(?:从[^，]*高度)'])('accepts %s (bounded, after a required start, or a short list of characters)', (source) => {
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
