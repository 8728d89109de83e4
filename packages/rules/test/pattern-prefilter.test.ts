// The pattern prefilter (a regex runs on a range only when the range holds, for some alternative of the pattern, a
// character of each set its matches require) never skips a range where the regex matches: the hits of
// collectPatternHits equal those of running every regex on every range, on the shipped rules' patterns and their own
// examples, cut and mixed at random, and on hand-written patterns.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { MatchContext } from '@xunshi/rules/kinds';
import { loadRuleSet, type CompiledRule, type RuleHit } from '@xunshi/rules';
import { collectPatternHits } from '../src/kinds/shared.js';
import { compilePattern, maxMatchLength, requiredCodeUnits } from '../src/pattern.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shipped = loadRuleSet({ dirs: [`${root}rules`] }).rules;

function context(rules: readonly CompiledRule[], text: string): MatchContext {
  return {
    rules,
    normalized: text,
    range: { start: 0, end: text.length },
    slice: text,
    stands: () => true,
    roleHits: { first: new Map(), then: new Map() },
    hits: { label: [], heading: [], document: [], exclude: [], negation: [] },
  };
}

/** Every match of every regex, unfiltered, widened to whole characters where it cuts a surrogate pair. */
function allHits(rules: readonly CompiledRule[], indices: readonly number[], text: string): RuleHit[] {
  const out: RuleHit[] = [];
  const cuts = (i: number): boolean => i > 0 && i < text.length && /[\ud800-\udbff]/.test(text[i - 1]!) && /[\udc00-\udfff]/.test(text[i]!);
  for (const ri of indices) {
    const re = new RegExp(rules[ri]!.regex!.source, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      else {
        const start = m.index - (cuts(m.index) ? 1 : 0);
        const end = m.index + m[0].length + (cuts(m.index + m[0].length) ? 1 : 0);
        out.push({ start, end, rule: ri });
      }
    }
  }
  return out;
}

function check(rules: readonly CompiledRule[], text: string): number {
  const indices = rules.flatMap((r, i) => (r.regex ? [i] : []));
  const got: RuleHit[] = [];
  collectPatternHits(context(rules, text), indices, got);
  expect(got).toEqual(allHits(rules, indices, text));
  return got.length;
}

const patternRules = shipped.filter((r) => r.regex);
const examples = patternRules.flatMap((r) => [...r.examples.match, ...r.examples.noMatch].map((e) => e.text));

describe('pattern prefilter', () => {
  it('the shipped rules have patterns with examples', () => {
    expect(patternRules.length).toBeGreaterThan(10);
    expect(examples.length).toBeGreaterThan(10);
  });

  it('finds every match of the shipped patterns in their examples, cut and mixed at random', () => {
    const piece = fc.tuple(fc.constantFrom(...examples), fc.nat(), fc.nat()).map(([e, a, b]) => e.slice(Math.min(a, b) % (e.length + 1), Math.max(a, b) % (e.length + 1) + 1));
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.constantFrom(...examples), fc.string({ maxLength: 3 }), fc.constantFrom('，', '。', '1', '年', '的')), { maxLength: 6 }), (parts) => {
        void check(shipped, parts.join(''));
      }),
      { numRuns: 300 },
    );
    let hits = 0;
    for (const e of examples) hits += check(shipped, e);
    expect(hits).toBeGreaterThan(examples.length / 2);
  });

  it('finds every match of hand-written patterns over a small alphabet', () => {
    const sources = ['[^，]{0,4}《[^》]{0,6}(甲|乙)》', '(甲|乙丙)?\\d{1,2}月|丁[戊己]+', '所谓[^。]{1,4}(就是|即)|[^，]{0,3}的(定义|含义)', '^(甲|乙)?[,，]?某(市|县)', '(a|b)c|d\\d', '[一二三四五六七八九十]+是'];
    const rules = sources.map((source, i) => ({ id: `p${i}`, kind: 'pattern', regex: compilePattern(source) as RegExp }) as unknown as CompiledRule);
    for (const r of rules) expect(r.regex).toBeInstanceOf(RegExp);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'甲乙丙丁戊己所谓就是即的定义含某市县月《》，。,12abcd一五十'.split('')), { maxLength: 16 }), (chars) => {
        void check(rules, chars.join(''));
      }),
      { numRuns: 2000 },
    );
  });

  // A range longer than 2,048 units runs a pattern of bounded length only in windows around its anchor characters.
  it('finds every match in long ranges, window by window, as one scan of the whole range would (shipped patterns)', () => {
    const filler = fc.constantFrom('，', '的', '工作', '1', '年', '。', '领域', '专项巡察', '深刻认识', '整改');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...examples), filler), { minLength: 60, maxLength: 160 }), fc.nat(), (parts, pad) => {
        let text = parts.join('');
        // Make the range long enough to be windowed: repeat it, with a different cut each time.
        while (text.length <= 2048) text += '，' + text.slice(pad % (text.length + 1));
        void check(shipped, text);
      }),
      { numRuns: 40 },
    );
  });

  it('finds every match in long ranges over a small alphabet (hand-written bounded patterns, overlapping windows)', () => {
    const sources = ['[^，]{0,4}《[^》]{0,6}(甲|乙)》', '(甲|乙丙)?\\d{1,2}月|丁[戊己]{1,3}', '[^，]{0,3}的(定义|含义)', '(a|b)c|d\\d', '[^。]{2,8}领域(第[一二]{1,3})?专项', '甲[^，]{0,5}乙[^，]{0,5}'];
    const rules = sources.map((source, i) => ({ id: `w${i}`, kind: 'pattern', regex: compilePattern(source) as RegExp }) as unknown as CompiledRule);
    for (const r of rules) expect(maxMatchLength(r.regex!.source)).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'甲乙丙丁戊己的定义含领域第一二专项月《》，。12abcd'.split('')), { minLength: 2100, maxLength: 2600 }), (chars) => {
        void check(rules, chars.join(''));
      }),
      { numRuns: 60 },
    );
  });

  // Patterns run without the u flag: `.` and negated classes can take half of an emoji or a CJK Extension B character.
  it('never cuts a surrogate pair: a hit is widened to the whole character, in short and in windowed ranges', () => {
    const sources = ['[^，。]{0,3}吃喝', '公款.{1}', '甲.乙', '[^，]{1,2}', '吃喝.', '.{2}吃'];
    const rules = sources.map((source, i) => ({ id: `s${i}`, kind: 'pattern', regex: compilePattern(source) as RegExp }) as unknown as CompiledRule);
    const alphabet = ['😀', '𠀀', '吃喝', '公款', '甲', '乙', '，', '。', 'a'];
    const whole = (text: string, i: number): boolean => !(i > 0 && i < text.length && /[\ud800-\udbff]/.test(text[i - 1]!) && /[\udc00-\udfff]/.test(text[i]!));
    const run = (text: string): void => {
      const indices = rules.map((_, i) => i);
      const got: RuleHit[] = [];
      collectPatternHits(context(rules, text), indices, got);
      expect(got).toEqual(allHits(rules, indices, text));
      for (const h of got) expect(whole(text, h.start) && whole(text, h.end), `${h.start}-${h.end}`).toBe(true);
    };
    expect(rules.every((r) => r.regex instanceof RegExp)).toBe(true);
    run('😀😀吃喝问题，公款😀问题。');
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }), (parts) => run(parts.join(''))), { numRuns: 500 });
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { minLength: 2100, maxLength: 2400 }), (parts) => run(parts.join(''))), { numRuns: 30 });
  });

  it('measures the longest match of a pattern, or none when unbounded or anchored', () => {
    expect(maxMatchLength('[^，]{0,4}《[^》]{0,6}(甲|乙)》')).toBe(4 + 1 + 6 + 1 + 1);
    expect(maxMatchLength('(甲|乙丙)?\\d{1,2}月')).toBe(5);
    expect(maxMatchLength('甲+')).toBeUndefined();
    expect(maxMatchLength('^甲')).toBeUndefined();
    expect(maxMatchLength('甲\\b')).toBeUndefined();
  });

  it('knows what a pattern requires', () => {
    const req = (s: string) => requiredCodeUnits(s)?.map((alt) => alt.map((set) => String.fromCharCode(...set)));
    expect(req('[^，]{0,10}《[^》]{0,30}(巡视|整改)[^》]{0,30}》')).toEqual([['《', '》', '巡整']]);
    expect(req('所谓[^，]{1,4}|(俗语|古人)(云|说)')).toEqual([['所', '谓'], ['俗古', '云说']]);
    expect(req('\\d+个')).toEqual([['个', '0123456789']]);
    expect(req('[^，]{0,3}|甲')).toBeUndefined();
    expect(req('(甲|[^乙])丙')).toEqual([['丙']]);
  });
});
